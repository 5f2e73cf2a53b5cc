"""The report contract and the rate rules are documented: adding a field or a status without
documenting it in docs/indicators.md fails here."""

from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path

import pytest

from tenken.indicators import rates, selectors
from tenken.indicators.rates import STATUS_TEXT, RateStatus

DOC = (Path(__file__).resolve().parents[2] / "docs" / "indicators.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("field", [f.name for f in dataclasses.fields(selectors.IndicatorReportRow)])
def test_every_report_row_field_is_documented(field):
    assert f"`{field}`" in DOC


def test_display_and_label_properties_are_documented():
    props = [n for n, v in vars(selectors.IndicatorReportRow).items() if isinstance(v, property)]
    assert {p.rsplit("_", 1)[1] for p in props} == {"display", "label"}
    assert "`*_display`" in DOC and "`*_label`" in DOC


@pytest.mark.parametrize("status", list(RateStatus))
def test_every_rate_status_is_documented(status):
    assert f"`{status.value}`" in DOC
    assert status is RateStatus.OK or STATUS_TEXT[status] in DOC


@pytest.mark.parametrize("name", ["achievement_rate", "format_rate", "rate_rating"])
def test_rate_functions_have_docstrings(name):
    assert inspect.getdoc(getattr(rates, name))


def test_every_accepted_indicator_table_header_and_no_value_word_is_documented():
    from tenken.indicators.cells import NO_VALUE
    from tenken.indicators.table import HEADERS, NOTE_MARKS, TOTALS

    section = DOC[DOC.index("## 取り込み"):DOC.index("## 表示")]
    assert [h for h in HEADERS if f"`{h}`" not in section] == []
    assert [w for w in NO_VALUE if w not in section.lower()] == []
    assert [w for w in (*TOTALS, *NOTE_MARKS) if f"`{w.rstrip(')')}" not in section] == []
