"""Other hands (issue #11): information-system registers as a city's staff keep them.

Amounts typed as text with 円 or full-width digits, a unit in the cell that contradicts the header, informal
segment names, 合計 rows and ※ notes under the table. Each file is read as a careful human would, or refused
with a located Japanese message and nothing written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from tenken.common.errors import InputRejected
from tenken.inventory.models import InformationSystem, SystemCost
from tenken.inventory.services import register_import_file
from tenken.orgs.services import organization_for_code

from .conftest import db_snapshot
from .personas import operator

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kanagawa():
    """The organization and the acting account exist before any snapshot is taken."""
    operator()
    return organization_for_code(code="140007")


def _xlsx(path: Path, rows: list[list], merges: tuple[str, ...] = ()) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "台帳"
    for r in rows:
        ws.append(r)
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)
    return path


def _import(path: Path, **kw) -> dict[str, int]:
    return register_import_file(user=operator(), organization=organization_for_code(code="140007"), path=path, **kw)


def _costs(name: str) -> dict[int, int]:
    return dict(SystemCost.objects.filter(system__name=name).values_list("fiscal_year", "amount_yen"))


HEAD = ["システム名称", "区分", "設置場所", "稼働開始"]


# --- the register -------------------------------------------------------------------------------------------

def test_amounts_written_as_text_with_yen_and_full_width_digits(tmp_path):
    path = _xlsx(tmp_path / "台帳.xlsx", [
        [*HEAD, "運用経費 R4年度（円）", "運用経費 R5年度（円）", "R6年度運用経費（千円）"],
        ["住民記録システム", "マイナンバー系", "データセンター", "H25.4", "1,234,000", "1,300,000円", "１，２００"],
    ])
    _import(path)
    assert _costs("住民記録システム") == {2022: 1_234_000, 2023: 1_300_000, 2024: 1_200_000}


def test_an_amount_whose_unit_contradicts_the_header_is_refused_at_its_cell(tmp_path):
    path = _xlsx(tmp_path / "台帳.xlsx", [
        [*HEAD, "運用経費 R4年度（千円）"],
        ["住民記録システム", "マイナンバー系", "データセンター", "H25.4", "1,234円"],
    ])
    before = db_snapshot()
    with pytest.raises(InputRejected) as exc:
        _import(path)
    assert db_snapshot() == before
    assert any(m.startswith("台帳!E2") and "千円" in m for m in exc.value.messages), exc.value.messages


def test_informal_segment_names_still_ask_before_reading(tmp_path):
    path = _xlsx(tmp_path / "台帳.xlsx", [
        HEAD, ["住民記録システム", "基幹系", "データセンター", "H25.4"], ["文書管理", "内部情報系", "庁舎内", "H25.4"],
    ])
    before = db_snapshot()
    with pytest.raises(InputRejected) as exc:
        _import(path)
    assert db_snapshot() == before
    assert [m.split(":")[0] for m in exc.value.messages] == ["台帳!B2", "台帳!B3"]
    _import(path, confirm_segments=True)
    assert set(InformationSystem.objects.values_list("segment", flat=True)) == {"mynumber", "lgwan"}


def test_total_row_and_notes_under_the_table_are_not_systems(tmp_path):
    path = _xlsx(tmp_path / "台帳.xlsx", [
        [*HEAD, "運用経費 R4年度（千円）"],
        ["住民記録システム", "マイナンバー系", "データセンター", "H25.4", 100],
        ["グループウェア", "LGWAN系", "庁舎内", "H25.4", 50],
        [],
        ["合　計", None, None, None, 150],
        ["※金額は税込み。"],
        ["※R5年度は予算額。"],
    ])
    assert _import(path) == {"created": 2, "updated": 0}
    assert set(InformationSystem.objects.values_list("name", flat=True)) == {"住民記録システム", "グループウェア"}


def test_a_numeric_cell_holding_nan_or_infinity_is_refused_at_its_cell(tmp_path):
    """A hand-edited file can carry <v>NaN</v> or <v>inf</v> in a number cell: a located Japanese refusal, not
    Python's 「cannot convert float NaN to integer」 nor a traceback."""
    import zipfile

    plain = _xlsx(tmp_path / "plain.xlsx", [
        [*HEAD, "運用経費 R4年度（千円）", "運用経費 R5年度（千円）"],
        ["住民記録システム", "マイナンバー系", "データセンター", "H25.4", 1, 2],
    ])
    path = tmp_path / "台帳.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<v>1</v>", b"<v>NaN</v>").replace(b"<v>2</v>", b"<v>inf</v>")
            out.writestr(info, data)
    before = db_snapshot()
    with pytest.raises(InputRejected) as exc:
        _import(path)
    assert db_snapshot() == before
    assert [m.split(":")[0] for m in exc.value.messages] == ["台帳!E2", "台帳!F2"], exc.value.messages
    assert all("千円単位の数値で記入してください" in m for m in exc.value.messages), exc.value.messages
