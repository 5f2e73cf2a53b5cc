"""Reproductions of the silent import bugs reported in issue #11 (the 別紙 importer, no mapping)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from tenken.common.errors import InputRejected
from tenken.plans.importing import import_plan_file
from tenken.plans.models import Initiative, Section
from tenken.reviews.models import InitiativeReview

from .conftest import db_snapshot
from .personas import operator

pytestmark = pytest.mark.django_db
HEADER = ["大項目", "中項目", "取組No", "取組内容", "取組の実施結果"]


def book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def run(path: Path, **kw):
    return import_plan_file(path, user=operator(), org_code="140007", title="計画", fiscal_years="2022-2025", **kw)


def test_second_sheet_is_not_lost(tmp_path):
    path = book(tmp_path / "two.xlsx", {
        "方針1": [HEADER, ["方針1", "項目ア", "1", "取組A", "① 取組内容を達成した"]],
        "方針2": [HEADER, ["方針2", "項目イ", "2", "取組B", "② 取組内容を実施中である"],
                 ["方針2", "項目イ", "3", "取組C", "② 取組内容を実施中である"]],
    })
    plan = run(path).plan
    assert Initiative.objects.filter(plan=plan).count() == 3
    assert list(Section.objects.filter(plan=plan, depth=0).values_list("title", flat=True)) == ["方針1", "方針2"]


def test_bare_numbers_are_a_located_question_not_kanagawa_order(tmp_path):
    path = book(tmp_path / "num.xlsx", {"計画": [
        ["凡例: 1 完了 / 2 順調 / 3 遅れ / 4 未着手"], HEADER,
        ["方針1", "項目ア", "1", "取組A", 1], ["方針1", "項目ア", "2", "取組B", 3],
    ]})
    before = db_snapshot()
    with pytest.raises(InputRejected) as exc:
        run(path)
    assert db_snapshot() == before
    assert exc.value.messages[:2] == [
        "計画!E3: 実施結果「1」は番号だけで、どの区分か分かりません（神奈川県の①②③とは限りません）。"
        "凡例のある計画は tenken import-plan PATH --inspect で対応表を作り --mapping で取り込んでください",
        "計画!E4: 実施結果「3」は番号だけで、どの区分か分かりません（神奈川県の①②③とは限りません）。"
        "凡例のある計画は tenken import-plan PATH --inspect で対応表を作り --mapping で取り込んでください",
    ]


def test_excel_dated_label_is_restored_and_reported(tmp_path):
    path = book(tmp_path / "dated.xlsx", {"別紙": [
        HEADER, ["方針1", "項目ア", datetime(2024, 3, 1), "取組A", "① 取組内容を達成した"],
    ]})
    result = run(path)
    assert Initiative.objects.get(plan=result.plan).number_label == "3-1"
    assert [str(w) for w in result.warnings] == [
        "別紙!C2: 取組No が日付（2024-03-01）になっていたため「3-1」として取り込みました。"
        "違う場合はセルを文字列にして取り込み直してください"
    ]


def test_yearly_columns_with_a_change_and_no_reason_column(tmp_path):
    path = book(tmp_path / "yearly.xlsx", {"別紙": [
        ["大項目", "中項目", "取組No", "取組内容", "2022年度実施結果", "2023年度実施結果"],
        ["方針1", "項目ア", "1", "取組A", "② 取組内容を実施中である", "③ 取組内容を変更した"],
    ]})
    result = run(path)
    assert InitiativeReview.objects.filter(initiative__plan=result.plan).count() == 2
    assert [str(w) for w in result.warnings] == ["別紙!F2: 「変更」の理由が記入されていません"]
