"""Departments and yearly rows written in other hands (variants of tests/test_imports_other_hands_3.py):
the lead 課 marks and a 係 in brackets under its 課 in the 担当課 cell, and one initiative written over
one row per fiscal year with a 「年度」 column."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tenken.plans.draft import split_departments

from .test_imports_other_hands import departments, inspect_then_import, results

pytestmark = pytest.mark.django_db


def _csv(path: Path, rows: list[list[object]], encoding: str = "utf-8-sig") -> Path:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


# --- the 担当課 cell ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("cell", "expected"), [
    # a sub-unit in brackets on the line under its 課 belongs to it (half- or full-width brackets)
    ("情報政策課\n(システム係)", ["情報政策課(システム係)"]),
    ("市民課\n【窓口係】\n税務課", ["市民課【窓口係】", "税務課"]),
    ("企画課\n〔政策調整担当〕、財政課", ["企画課〔政策調整担当〕", "財政課"]),
    # two departments on two lines stay two; a bracket inside a name is the name's
    ("企画課\n情報政策課", ["企画課", "情報政策課"]),
    ("(仮称)デジタル推進課", ["(仮称)デジタル推進課"]),
    # lead and co-lead marks are dropped, split on, and the lead comes first wherever it is written
    ("情報政策課、●企画課", ["企画課", "情報政策課"]),
    ("○財政課○人事課◎行政改革課", ["行政改革課", "財政課", "人事課"]),
    ("主担当：DX推進課\n副担当：情報政策課", ["DX推進課", "情報政策課"]),
    ("[副]契約課 [主]財政課", ["財政課", "契約課"]),
    ("情報政策課（関係課）、企画課（主管）", ["企画課", "情報政策課"]),
    ("【主】市民課　【関係】戸籍課・保険年金課", ["市民課", "戸籍課", "保険年金課"]),
    ("★子育て支援課\n☆保育課", ["子育て支援課", "保育課"]),
    # a placeholder of doubled marks and names with 主/副 inside are no marks
    ("〇〇課", ["〇〇課"]),
    ("主税課・副読本編集室", ["主税課", "副読本編集室"]),
])
def test_department_cell(cell, expected):
    assert split_departments(cell) == expected


def test_lead_marks_and_sub_units_in_a_csv_import(tmp_path, capsys):
    """A CSV (as exported from a groupware form) whose 所管課 holds 「主担当：…／副担当：…」, 「…課（主）」 after the
    name, and a 係 on the next line in half-width brackets: the 課 themselves, the 係 kept with its 課."""
    path = _csv(tmp_path / "所管.csv", [
        ["取組番号", "事業名", "所管課", "進捗状況"],
        ["1", "公共施設予約のオンライン化", "主担当：スポーツ課／副担当：DX推進課", "完了"],
        ["2", "GIS の全庁導入", "都市計画課（主）\n情報政策課", "順調"],
        ["3", "ペーパーレス会議", "総務課\n(文書係)", "遅れ"],
        ["4", "窓口キャッシュレス", "○会計課○市民課", "未着手"],
    ])
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert departments(plan) == {
        "1": ["DX推進課", "スポーツ課"],
        "2": ["情報政策課", "都市計画課"],
        "3": ["総務課(文書係)"],
        "4": ["会計課", "市民課"],
    }
    assert results(plan) == {("final", 2026): {"done": 1, "in_progress": 1, "delayed": 1, "not_started": 1}}
