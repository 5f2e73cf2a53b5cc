"""The listing's pager in Debian's chromium: reachable by keyboard, filters kept, screenshots at both widths."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenken.public import listing

from .test_public_browser import CHROMIUM, CONTRAST_JS, browser_page  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium がありません"),
]
SHOTS = Path(__file__).resolve().parent.parent / "screenshots" / "speed"


def test_pager_keeps_the_filter_and_marks_the_current_page(live_server, world, browser_page, monkeypatch):  # noqa: F811
    monkeypatch.setattr(listing, "PAGE_SIZE", 20)
    page = browser_page
    page.set_default_timeout(60_000)  # the machine's cores are shared
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/public/plans/{world.plan.pk}/?status=achieved#initiatives")
    assert "60件の取組が条件に一致しました。1～20件目を表示しています（1/3ページ）。" in page.locator(
        "#result-count").inner_text()
    nav = page.get_by_role("navigation", name="取組一覧のページ（全3ページ）").first
    nav.get_by_role("link", name="2ページ目").click()
    page.wait_for_url("**page=2**")
    assert "status=achieved" in page.url
    assert "21～40件目" in page.locator("#result-count").inner_text()
    assert page.locator('.pager [aria-current="page"]').first.inner_text() == "2"
    assert page.evaluate(CONTRAST_JS) == []
    page.locator(".pager").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "public-plan-pager-1366.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator(".pager").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "public-plan-pager-390.png"))
