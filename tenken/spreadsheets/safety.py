"""Refuse active or hostile Office content before any parser sees it (無害化 at the door).

:func:`check_xlsx` raises :class:`InputRejected` naming the file and the reason when a workbook is:
macro-enabled (``.xlsm``/``.xltm``/``.xlam``/``.xlsb``, a ``vbaProject.bin`` part, a macro content type,
Excel 4.0 macro sheets), carries embedded OLE objects or ActiveX controls, links to external workbooks
or other external targets (hyperlinks excepted), is encrypted or the legacy binary format, has XML with
DTD/entity declarations, or exceeds the size caps (file size, number of parts, total uncompressed
size, compression ratio: neither openpyxl nor python-docx guards against zip bombs), or holds more
rows, columns, cells or characters per cell than the limits (:mod:`tenken.spreadsheets.limits`,
checked on the raw XML before any parser runs). A corrupt deflate stream is a located refusal.

Nothing is executed or stored here; the file is only inspected as a zip archive.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from django.conf import settings

from tenken.common.errors import InputRejected, Problem

from .limits import check_sheet_limits

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
MACRO_SUFFIXES = {".xlsm", ".xltm", ".xlam", ".xlsb", ".docm", ".dotm"}
LEGACY_SUFFIXES = {".xls", ".xlt", ".doc"}
MAX_PARTS = 5000
MAX_RATIO = 200  # uncompressed / compressed, per part larger than 1 MiB
REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def check_upload_size(*, size: int, name: str) -> None:
    limit = _limit("TENKEN_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
    if size > limit:
        raise InputRejected(
            Problem(name, f"ファイルサイズ（{size:,}バイト）が上限（{limit:,}バイト）を超えています")
        )


def check_xlsx(path: Path | str, *, name: str | None = None) -> bool:
    """Raise :class:`InputRejected` unless ``path`` is a plain, passive .xlsx workbook; return whether
    any worksheet holds a formula (found by the same scan, see :func:`check_sheet_limits`)."""
    path = Path(path)
    name = name or path.name
    suffix = path.suffix.lower()
    if suffix in MACRO_SUFFIXES:
        raise InputRejected(
            Problem(name, f"マクロ有効ファイル（{suffix}）は受け付けません。マクロを含まない .xlsx で保存し直してください")
        )
    if suffix in LEGACY_SUFFIXES:
        raise InputRejected(Problem(name, f"旧形式のファイル（{suffix}）は受け付けません。.xlsx で保存し直してください"))
    check_upload_size(size=path.stat().st_size, name=name)
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head == OLE_MAGIC:
        raise InputRejected(
            Problem(name, "暗号化（パスワード保護）されたファイルか旧形式（.xls）のファイルです。保護を解除し .xlsx で保存してください")
        )
    if not zipfile.is_zipfile(path):
        raise InputRejected(Problem(name, "Excelブック（.xlsx）として読み込めません。ファイルが壊れているか形式が違います"))
    try:
        with zipfile.ZipFile(path) as zf:
            _check_archive(zf, name)
            return check_sheet_limits(zf, name)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # a corrupt deflate stream or directory
        raise InputRejected(
            Problem(name, f"Excelブック（.xlsx）の圧縮データが壊れているため読み込めません（{type(exc).__name__}）")
        ) from exc


def _check_archive(zf: zipfile.ZipFile, name: str) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_PARTS:
        raise InputRejected(Problem(name, f"ブック内の部品数（{len(infos)}）が多すぎます"))
    total = sum(i.file_size for i in infos)
    cap = _limit("TENKEN_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)
    if total > cap:
        raise InputRejected(Problem(name, f"展開後のサイズ（{total:,}バイト）が上限（{cap:,}バイト）を超えています"))
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InputRejected(Problem(name, f"圧縮率が異常に高い部品（{info.filename}）があります（zip爆弾の疑い）"))
    problems: list[Problem] = []
    names = [i.filename for i in infos]
    lowered = [n.lower() for n in names]
    if any(n.endswith("vbaproject.bin") for n in lowered):
        problems.append(Problem(name, "マクロ（VBAプロジェクト vbaProject.bin）が含まれているため受け付けません"))
    if any(n.startswith(("xl/macrosheets/", "xl/dialogsheets/")) for n in lowered):
        problems.append(Problem(name, "Excel 4.0 マクロシートが含まれているため受け付けません"))
    if any(n.startswith(("xl/embeddings/", "word/embeddings/")) or "oleobject" in n for n in lowered):
        problems.append(Problem(name, "埋め込みオブジェクト（OLE）が含まれているため受け付けません"))
    if any(n.startswith(("xl/activex/", "word/activex/")) for n in lowered):
        problems.append(Problem(name, "ActiveX コントロールが含まれているため受け付けません"))
    if any(n.startswith("xl/externallinks/") for n in lowered):
        problems.append(Problem(name, "外部ブックへのリンクが含まれているため受け付けません。リンクを解除して保存してください"))
    for part in names:
        if part.lower() == "[content_types].xml" or part.lower().endswith(".rels"):  # .RELS too (#14)
            problems.extend(_check_xml_part(zf, part, name))
    if problems:
        raise InputRejected(problems)


def _check_xml_part(zf: zipfile.ZipFile, part: str, name: str) -> list[Problem]:
    try:
        data = zf.read(part)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        return [Problem(f"{name}:{part}", f"圧縮データが壊れているため読み込めません（{type(exc).__name__}）")]
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        return [Problem(f"{name}:{part}", "XMLに DTD・エンティティ宣言が含まれているため受け付けません")]
    except SafeET.ParseError:
        return [Problem(f"{name}:{part}", "XMLとして読み込めません（ファイルが壊れています）")]
    problems = []
    if part.lower() == "[content_types].xml":
        for el in root:
            ctype = el.get("ContentType", "")
            if "macroEnabled" in ctype or "vbaProject" in ctype:
                problems.append(Problem(name, f"マクロ有効ブックの形式（{ctype}）のため受け付けません"))
                break
        return problems
    for rel in root.iter(f"{REL_NS}Relationship"):
        if rel.get("TargetMode") == "External" and not rel.get("Type", "").endswith("/hyperlink"):
            problems.append(Problem(f"{name}:{part}", f"外部への参照（{rel.get('Target')}）が含まれているため受け付けません"))
    return problems
