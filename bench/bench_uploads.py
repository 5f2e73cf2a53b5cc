"""Hostile uploads (issue #14): each file must be refused in under a second, with the worker's peak RSS
less than 100 MB above its idle RSS, a located message and the database unchanged; and the API's
``limit`` cap.

Each case runs in a fresh worker process (``python -m bench.bench_uploads --case NAME``) that sets
Django up against the shared benchmark database, serves one warm-up request (its RSS after that is
"idle"), resets the kernel's high-water mark (``/proc/self/clear_refs``) and then POSTs the file
through Django's test client to the real upload view, as a user allowed to upload there. Floors
measured in the same run: the time and RSS of the same worker refusing a 1-byte file.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from .harness import Figure

ROOT = Path(__file__).resolve().parent.parent
TIME_LIMIT_S, RSS_LIMIT_MB = 1.0, 100.0


def _rss_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


# -- hostile files ---------------------------------------------------------------------------------

def _xlsx_with_sheet(path: Path, sheet_xml: bytes, shared: bytes | None = None) -> Path:
    """A minimal valid .xlsx whose first worksheet is ``sheet_xml`` (written straight into the zip)."""
    from openpyxl import Workbook

    buf = io.BytesIO()
    Workbook().save(buf)
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = sheet_xml if info.filename == "xl/worksheets/sheet1.xml" else zin.read(info)
            zout.writestr(info.filename, data)
        if shared is not None:
            zout.writestr("xl/sharedStrings.xml", shared)
    return path


HEAD = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
TAIL = b"</sheetData></worksheet>"


def _cells(rows: int, cols: int) -> bytes:
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(c).encode() for c in range(1, cols + 1)]
    out = [HEAD]
    for r in range(1, rows + 1):
        rb = str(r).encode()
        out.append(b'<row r="' + rb + b'">')
        out += [b'<c r="' + letters[c] + rb + b'"><v>' + str((r * 7919 + c) % 100003).encode() + b"</v></c>"
                for c in range(cols)]
        out.append(b"</row>")
    out.append(TAIL)
    return b"".join(out)


def make_files(directory: Path) -> dict[str, Path]:
    d = directory
    files = {
        "tiny (floor)": d / "tiny.xlsx",
        "2,000,000 cells (17 MB class)": _xlsx_with_sheet(d / "cells.xlsx", _cells(100_000, 20)),
        "100,003 rows": _xlsx_with_sheet(d / "rows.xlsx", _cells(100_003, 1)),
        "cell at row 1,048,576": _xlsx_with_sheet(
            d / "far.xlsx", HEAD + b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>' + TAIL),
        "cell in column XFD": _xlsx_with_sheet(d / "wide.xlsx", HEAD + b'<row r="1"><c r="XFD1"><v>1</v></c></row>' + TAIL),
        "one 5,000,000-character cell": _xlsx_with_sheet(
            d / "long.xlsx",
            HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + os.urandom(2_500_000).hex().encode()
            + b"</t></is></c></row>" + TAIL),
        "corrupt deflate stream": d / "corrupt.xlsx",
        "30 MB upload (over the 20 MB cap)": d / "big.xlsx",
    }
    files["tiny (floor)"].write_bytes(b"x")
    src = files["2,000,000 cells (17 MB class)"].read_bytes()
    with zipfile.ZipFile(io.BytesIO(src)) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(src)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 100, start + 4000):
        data[i] ^= 0x5A
    files["corrupt deflate stream"].write_bytes(bytes(data))
    with open(files["30 MB upload (over the 20 MB cap)"], "wb") as fh:
        fh.write(b"PK\x03\x04")
        for _ in range(30):
            fh.write(os.urandom(1024 * 1024))
    return files


# -- the worker ------------------------------------------------------------------------------------

def _snapshot() -> dict[str, int]:
    from django.apps import apps

    return {m._meta.label: m.objects.count() for m in apps.get_models()
            if m._meta.app_label in {"orgs", "plans", "reviews", "surveys", "inventory", "indicators"}}


def worker(case: str, path: str, target: str) -> None:
    import django

    django.setup()
    from django.test import Client

    from tenken.surveys.models import Response

    ids = json.loads(target)
    client = Client()
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=ids["user"]))
    url = (f"/surveys/responses/{ids['response']}/upload/" if ids["kind"] == "workbook"
           else "/inventory/140007/upload/")
    field = "workbook" if ids["kind"] == "workbook" else "file"
    client.get(f"/surveys/responses/{ids['response']}/")  # warm-up: templates, imports
    assert Response.objects.exists()
    before = _snapshot()
    idle = _rss_mb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
    t0 = time.perf_counter()
    with open(path, "rb") as fh:
        res = client.post(url, {field: fh}, follow=True)
    elapsed = time.perf_counter() - t0
    peak = _rss_mb("VmHWM")
    body = res.content.decode()
    name = Path(path).name
    located = name in body
    refused = res.status_code in (403, 413, 422) or "何も登録していません" in body or "上限" in body
    print(json.dumps({"case": case, "seconds": elapsed, "rss_above_idle_mb": peak - idle, "status": res.status_code,
                      "located": located, "refused": refused, "unchanged": _snapshot() == before,
                      "message": next((line.strip() for line in body.splitlines() if name in line), "")[:160]}))


def run() -> list[Figure]:
    from datetime import date

    from django.contrib.auth import get_user_model

    from tenken.orgs.models import Membership
    from tenken.plans.models import Initiative
    from tenken.surveys.services import round_open
    from tests.personas import cast_for, small_plan

    cast = cast_for(small_plan())
    survey_round = round_open(user=cast.sato, plan=cast.plan, fiscal_year=2018, deadline=date(2019, 5, 31))
    section = Initiative.objects.filter(plan=cast.plan).first().section
    Initiative.objects.bulk_create(  # enough rows for the API cap to matter (not assigned: not in the 回答票)
        Initiative(plan=cast.plan, section=section, number_label=f"x{i}", text=f"合成の取組{i}", order=1000 + i)
        for i in range(20_000)
    )
    # the plan is public once something of it is published (tenken.public.visibility): publish one result,
    # so that the anonymous API lists all 20,000 and more initiatives and its cap matters
    from tenken.reviews.models import InitiativeReview
    from tests.public.conftest import add_inspection, add_review, publish

    inspection = add_inspection(cast.plan, fiscal_year=2017)
    add_review(inspection, Initiative.objects.filter(plan=cast.plan).order_by("order").first(), status="in_progress",
               approval=InitiativeReview.Approval.APPROVED)
    publish(inspection, cast.sato)
    response = survey_round.responses.get(department=cast.dept_a)
    registrar = get_user_model().objects.create_user("bench-registrar")
    Membership.objects.create(user=registrar, organization=cast.org, role=Membership.Role.REGISTRAR)
    figures: list[Figure] = []
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        files = make_files(Path(tmp))
        targets = [("回答票", {"kind": "workbook", "response": response.pk, "user": "suzuki"})]
        targets.append(("台帳", {"kind": "register", "response": response.pk, "user": "bench-registrar"}))
        floor: dict[str, dict] = {}
        for where, target in targets:
            for case, path in files.items():
                proc = subprocess.run(
                    [sys.executable, "-m", "bench.bench_uploads", "--case", case, str(path), json.dumps(target)],
                    capture_output=True, text=True, cwd=ROOT, env=os.environ, timeout=300,
                )
                try:
                    out = json.loads(proc.stdout.strip().splitlines()[-1])
                except (IndexError, json.JSONDecodeError):
                    out = {"case": case, "seconds": float("nan"), "rss_above_idle_mb": float("nan"), "refused": False,
                           "located": False, "unchanged": False, "status": proc.returncode,
                           "message": proc.stderr[-160:]}
                if case.startswith("tiny"):
                    floor[where] = out
                ok = (out["refused"] and out["located"] and out["unchanged"] and out["seconds"] < TIME_LIMIT_S
                      and out["rss_above_idle_mb"] < RSS_LIMIT_MB)
                rows.append((where, out, ok))
                figures.append(Figure(f"upload {where}: {case} — time", out["seconds"] * 1000, "ms",
                                      f"1-byte file {floor[where]['seconds'] * 1000:,.0f} ms",
                                      floor[where]["seconds"] * 1000 or None, limit=TIME_LIMIT_S * 1000))
                figures.append(Figure(f"upload {where}: {case} — peak RSS above idle", out["rss_above_idle_mb"], "MB",
                                      f"1-byte file {floor[where]['rss_above_idle_mb']:,.1f} MB",
                                      limit=RSS_LIMIT_MB))
                if not case.startswith("tiny"):  # refused in the request, the file named, the database unchanged
                    figures.append(Figure(f"upload {where}: {case} — refused, located, DB unchanged (1 = yes)",
                                          float(out["refused"] and out["located"] and out["unchanged"]), "bool",
                                          "all three (1)", 1.0, target=1.0, at_least=True))
    for where, out, ok in rows:
        print(f"{'PASS' if ok else 'FAIL'} {where} {out['case']}: {out['seconds'] * 1000:,.0f} ms, "
              f"+{out['rss_above_idle_mb']:,.1f} MB, HTTP {out['status']}, located={out['located']}, "
              f"DB unchanged={out['unchanged']} — {out['message']}", file=sys.stderr)
    figures += _api_cap()
    return figures


def _api_cap() -> list[Figure]:
    from django.test import Client

    from tenken.plans.models import Initiative

    client = Client()
    client.get("/api/v1/initiatives/?limit=10")
    t0 = time.perf_counter()
    client.get("/api/v1/initiatives/?limit=10")
    floor = time.perf_counter() - t0
    idle = _rss_mb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")
    t0 = time.perf_counter()
    data = client.get("/api/v1/initiatives/?limit=1000000").json()
    capped = time.perf_counter() - t0
    peak = _rss_mb("VmHWM") - idle
    n = Initiative.objects.count()
    from django.conf import settings

    cap = int(getattr(settings, "TENKEN_API_MAX_LIMIT", 200))
    return [
        Figure(f"API ?limit=1000000: rows returned (of {n} initiatives)", len(data["results"]), "rows",
               limit=cap),
        Figure(f"API ?limit=1000000 ({len(data['results'])} of {n} rows returned)", capped * 1000, "ms",
               f"?limit=10: {floor * 1000:,.1f} ms", floor * 1000, limit=TIME_LIMIT_S * 1000),
        Figure("API ?limit=1000000 — peak RSS above idle", peak, "MB", limit=RSS_LIMIT_MB),
    ]


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--case":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tenken.settings")
        worker(sys.argv[2], sys.argv[3], sys.argv[4])
