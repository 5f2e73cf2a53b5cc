"""The one place that shows dates and fiscal years on pages (tenken/web/templatetags/wareki.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.template import Context, Template


def render(text: str, **ctx) -> str:
    return Template("{% load wareki %}" + text).render(Context(ctx))


def test_dates_and_fiscal_years():
    assert render("{{ d|wareki }}", d=date(2019, 5, 1)) == "令和元年5月1日"
    assert render("{{ d|wareki_short }}", d=date(2019, 4, 30)) == "H31.4.30"
    assert render("{{ d|wareki_both }}", d=date(2027, 3, 31)) == "令和9年3月31日（2027年3月31日）"
    assert render("{{ y|fiscal_year }}", y=2018) == "平成30年度"
    assert render("{{ y|fiscal_year }}", y=2019) == "令和元年度"
    assert render("{{ y|fiscal_year_both }}", y=2018) == "平成30年度（2018年度）"
    assert render("{{ d|wareki }}|{{ y|fiscal_year }}", d=None, y=None) == "—|—"


def test_times_are_shown_in_tokyo_not_iso():
    # 2019-04-30 15:30 UTC is already 5月1日 in Japan: the new era
    shown = render("{{ t|wareki_datetime }}", t=datetime(2019, 4, 30, 15, 30, tzinfo=UTC))
    assert shown == "令和元年5月1日 00:30"
    assert render("{{ t|wareki }}", t=datetime(2019, 4, 30, 15, 30, tzinfo=UTC)) == "令和元年5月1日"
