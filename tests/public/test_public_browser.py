"""Hanako, a resident, uses the public site in Debian's chromium (Playwright, headless).

Skipped only when /usr/bin/chromium is missing (Playwright cannot download browsers here).
"""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium がありません"),
]

CONTRAST_JS = """
() => {
  const parse = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const bad = [];
  for (const el of document.querySelectorAll('body *')) {
    const text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent.trim()).join('');
    if (!text || el.closest('svg')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right < 0) continue;  // hidden, or the off-screen skip link
    const style = getComputedStyle(el);
    const fg = parse(style.color).slice(0, 3);
    const L1 = lum(fg), L2 = lum(background(el));
    const ratio = (Math.max(L1, L2) + 0.05) / (Math.min(L1, L2) + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
    const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    if (ratio < need) bad.push(`${el.tagName} "${text.slice(0, 20)}" ${ratio.toFixed(2)}`);
  }
  return bad;
}
"""

UNLABELLED_JS = """
() => [...document.querySelectorAll('input, select, textarea')]
  .filter(c => c.type !== 'hidden' && c.labels.length === 0 && !c.getAttribute('aria-label'))
  .map(c => c.name || c.id)
"""

HEADINGS_JS = "() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => Number(h.tagName[1]))"


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM work of the fixtures is done
    # before the browser starts, teardown (database flush) after it is closed.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless=new"])
        context = browser.new_context(accept_downloads=True, locale="ja-JP")
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


def test_filter_open_an_initiative_and_download_the_csv(live_server, world, browser_page):
    page = browser_page
    plan_url = f"{live_server.url}/public/plans/{world.plan.pk}/"
    page.goto(plan_url)
    assert page.locator("h1").inner_text() == "電子化全開宣言行動計画"
    assert "100件の取組" in page.locator("#result-count").inner_text()

    page.get_by_label("実施結果").select_option(label="変更")
    page.get_by_role("button", name="絞り込む").click()
    page.wait_for_url("**status=changed**")
    assert "5件の取組が条件に一致しました" in page.locator("#result-count").inner_text()
    badges = page.locator("table.initiatives .badge").all_inner_texts()
    assert badges == ["変更"] * 5

    first = page.locator("table.initiatives a").first
    text = first.inner_text()
    first.click()
    page.wait_for_url("**/initiatives/**")
    assert page.locator("h1").inner_text().startswith("取組")
    assert text.rstrip("…")[:15] in page.locator("main").inner_text()
    assert "③ 取組内容を変更した" in page.locator("main").inner_text()

    page.get_by_role("link", name="オープンデータ").click()
    assert "CC BY 4.0" in page.locator("main").inner_text()
    with page.expect_download() as info:
        page.get_by_role("link", name="initiatives.csv", exact=True).click()
    download = info.value
    assert download.suggested_filename.endswith("initiatives.csv")
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert len(rows) == 105
    assert sum(1 for r in rows if r["最新の実施結果"] == "変更") == 5
    assert {r["全国地方公共団体コード"] for r in rows} == {"140007"}


def test_accessibility_basics(live_server, world, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/public/plans/{world.plan.pk}/?status=changed")
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.evaluate(UNLABELLED_JS) == []
    levels = page.evaluate(HEADINGS_JS)
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    assert page.evaluate(CONTRAST_JS) == []

    # keyboard: the first Tab reaches the skip link, which moves focus to the main content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "本文へ移動"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # every filter control and the submit button are reachable with Tab alone
    wanted = {"id_q", "id_policy", "id_status", "id_department", "submit"}
    reached = set()
    for _ in range(80):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.id || document.activeElement.type"))
        if wanted <= reached:
            break
    assert wanted <= reached, wanted - reached
    # and the search works from the keyboard alone (full-width query, half-width text)
    page.goto(f"{live_server.url}/public/plans/{world.plan.pk}/")
    page.focus("#id_q")
    page.keyboard.type("ＨＥＭＳ")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=**")
    assert "件の取組が条件に一致しました" in page.locator("#result-count").inner_text()
    assert "HEMS" in page.locator("table.initiatives").first.inner_text()
    for path in (f"/public/plans/{world.plan.pk}/data/", "/public/"):
        page.goto(live_server.url + path)
        assert page.evaluate(UNLABELLED_JS) == []
        assert page.evaluate(CONTRAST_JS) == []
        levels = page.evaluate(HEADINGS_JS)
        assert levels[0] == 1 and all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels


FETCH_JS = """
async (url) => {
  try {
    const r = await fetch(url, {headers: {"Accept": "application/json"}});
    return {ok: true, status: r.status, body: (await r.text()).slice(0, 200)};
  } catch (e) { return {ok: false, error: String(e)}; }
}
"""


def test_the_open_api_is_readable_from_another_origin(live_server, world, browser_page, settings):
    """A page on a second origin (localhost vs 127.0.0.1: another host, so another origin) reads the API
    and the open-data files with fetch(); the staff side and public HTML pages stay closed to it."""
    page = browser_page
    api_origin = live_server.url.replace("localhost", "127.0.0.1")
    other = api_origin.replace("127.0.0.1", "localhost")
    # the visiting page stands for someone else's site: ours carries a CSP (connect-src 'self') that rightly
    # stops our own pages fetching from another origin, so it is switched off for this visit only
    settings.TENKEN_CSP = ""
    page.goto(f"{other}/public/")
    assert page.evaluate("() => location.origin") != api_origin
    plans = page.evaluate(FETCH_JS, f"{api_origin}/api/v1/plans/")
    assert plans["ok"] and plans["status"] == 200, plans  # a CORS failure would be a TypeError
    assert "神奈川県" in plans["body"]
    missing = page.evaluate(FETCH_JS, f"{api_origin}/api/v1/no-such/")
    assert missing["ok"] and missing["status"] == 404 and "not_found" in missing["body"]  # errors readable too
    data = page.evaluate(FETCH_JS, f"{api_origin}/public/plans/{world.plan.pk}/data/reviews.csv")
    assert data["ok"] and data["status"] == 200, data
    for closed in (f"{api_origin}/public/plans/{world.plan.pk}/", f"{api_origin}/admin/login/"):
        blocked = page.evaluate(FETCH_JS, closed)
        assert not blocked["ok"] and "Failed to fetch" in blocked["error"], (closed, blocked)
