"""Browser probe of the import wizard on this week's features, as 佐藤 (the ICT admin) uses it: an .xls refused
on the page, a 関係課 column proposed as 関係所属 and another column changed to it, a refused form that keeps the
choices, the whole form used from the keyboard, next year's file with a moved column (the note on the preview)
and with a removed one (a located problem), a mapping TOML with an unknown key, an expired upload.

Screenshots at 1366 px and at a 375 px phone (tests/screenshots/import/w6-*.png, not committed): at 375 the
page never scrolls sideways; a wide table scrolls inside its own box."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tenken.plans.models import Initiative

from .personas import PASSWORD, cast_for, small_plan
from .test_import_web_wizard6 import related_book

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).parent / "screenshots" / "import"

UNLABELLED = """() => [...document.querySelectorAll('main input, main select, main textarea')]
  .filter(e => e.type !== 'hidden' && e.type !== 'submit')
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
  .map(e => e.name || e.id)"""

# A table wider than its box must sit in a box that scrolls (tenken.js .table-scroll), never widen the page.
WIDE_TABLES = """() => [...document.querySelectorAll('main table')]
  .filter(t => getComputedStyle(t).display === 'table')
  .filter(t => t.scrollWidth > document.documentElement.clientWidth)
  .filter(t => !(t.parentElement.classList.contains('table-scroll')
                 && getComputedStyle(t.parentElement).overflowX === 'auto'))
  .map(t => t.id || t.caption?.textContent || 'table')"""


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert page.evaluate(UNLABELLED) == [], f"{name}: controls without a label"
    page.screenshot(path=str(SHOTS / f"w6-{name}-1366.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 812})
    page.screenshot(path=str(SHOTS / f"w6-{name}-375.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{name}: the page is {width} px wide on a 375 px phone"
    assert page.evaluate(WIDE_TABLES) == [], f"{name}: a wide table outside a scrolling box"
    page.set_viewport_size({"width": 1366, "height": 900})


def tab_to(page, selector: str, limit: int = 300) -> None:
    """Tab from the top of the page until ``selector`` has the focus (every control on the way reachable)."""
    page.locator("body").focus()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement === document.querySelector({selector!r})"):
            return
    raise AssertionError(f"{selector} is not reached with Tab")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_wizard_related_departments_next_year_and_refusals(live_server, monkeypatch, tmp_path, settings):
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium がありません（apt-get install chromium）")
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.STATE_DIR = tmp_path / "state"
    cast = cast_for(small_plan())
    cast.sato.set_password(PASSWORD)
    cast.sato.save()
    first = related_book(tmp_path / "R5取組.xlsx", rows=4)
    moved = related_book(tmp_path / "R6取組.xlsx", order=(0, 1, 2, 5, 3, 4, 6), rows=4)
    removed = related_book(tmp_path / "R6取組（関係課なし）.xlsx", order=(0, 1, 2, 3, 5, 6), rows=4)
    xls = tmp_path / "R5取組.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    bad_toml = tmp_path / "対応表.toml"

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless"])
        try:
            page = browser.new_page(locale="ja-JP", viewport={"width": 1366, "height": 900}, accept_downloads=True)
            page.goto(f"{live_server.url}/plans/import/")
            page.fill("#id_username", "sato")
            page.fill("#id_password", PASSWORD)
            page.click("button:has-text('ログイン')")
            page.goto(f"{live_server.url}/plans/import/")

            # an .xls (Excel 97-2003): refused on the page, in Japanese, naming the file
            page.set_input_files("#id_file", str(xls))
            page.click("#upload")
            expect(page.locator("[role=alert]")).to_contain_text("対応していない形式（.xls）です。.xlsx または .csv")
            expect(page.locator("[role=alert]")).to_contain_text("R5取組.xls")
            shoot(page, "upload-xls-refused")

            page.set_input_files("#id_file", str(first))
            page.click("#upload")
            expect(page.locator("h1")).to_have_text("対応表の確認")
            assert page.input_value("#s0-col-D") == "departments"
            assert page.input_value("#s0-col-E") == "related"  # 関係課 → 関係所属
            expect(page.locator("#s0-col-E option:checked")).to_have_text("関係所属")
            shoot(page, "mapping")

            # 備考 (G) given 関係所属 as well, a year that is no year: refused, every choice kept
            page.select_option("#s0-col-G", label="関係所属")
            page.fill("#s0-fiscal_year", "らいねん")
            page.check("#result-final")
            tab_to(page, "#save-mapping")
            page.keyboard.press("Enter")
            alert = page.locator("[role=alert]")
            expect(alert).to_contain_text("「関係所属」を E 列と G 列の二つに割り当てています")
            expect(alert).to_contain_text("このシートの年度「らいねん」が読めません")
            assert page.input_value("#s0-col-E") == "related" and page.input_value("#s0-col-G") == "related"
            assert page.input_value("#s0-fiscal_year") == "らいねん"
            assert page.is_checked("#result-final")
            shoot(page, "mapping-refused")

            page.select_option("#s0-col-G", label="備考")
            page.fill("#s0-fiscal_year", "")
            page.click("#save-mapping")
            expect(page.locator("h1")).to_have_text("取込内容の確認")
            expect(page.locator("#problems")).to_have_count(0)
            expect(page.locator("#counts")).to_contain_text("取組 4")
            page.fill("#id_title", "DX推進計画")
            page.fill("#id_fiscal_years", "R5-R9")
            shoot(page, "preview")
            page.click("#do-import")
            expect(page.locator("#done")).to_contain_text("取組 4 件")

            # next year: 進捗状況 moved from F to D — read from D, said on the preview
            page.goto(f"{live_server.url}/plans/import/")
            page.set_input_files("#id_file", str(moved))
            page.click("#upload")
            expect(page.locator("h1")).to_have_text("取込内容の確認")
            expect(page.locator("#warnings")).to_contain_text("F 列「進捗状況」（実施結果（進捗））は D 列に移っていたため、"
                                                              "D 列から読みました")
            expect(page.locator("#warnings")).to_contain_text("取組一覧!D2")
            expect(page.locator("#problems")).to_have_count(0)
            shoot(page, "next-year-moved")

            # the 関係課 column removed: a located problem, nothing to import until the mapping is corrected
            page.set_input_files("#replace-file", str(removed))
            page.click("#replace")
            expect(page.locator("#problems")).to_contain_text("取組一覧!2行目")
            expect(page.locator("#problems")).to_contain_text("「関係課」（関係所属）が見出しにありません")
            expect(page.locator("#do-import")).to_have_count(0)
            shoot(page, "next-year-removed")

            # a mapping TOML with a key that does not exist: the key named, on the mapping page
            page.click("#edit-mapping")
            with page.expect_download() as dl:
                page.click("text=いまの対応表（TOML）をダウンロード")
            text = Path(dl.value.path()).read_text(encoding="utf-8")
            bad_toml.write_text(text.replace("[[sheets]]\n", "[[sheets]]\nheader_row = 2\n", 1), encoding="utf-8")
            page.set_input_files("#mapping_file", str(bad_toml))
            page.click("button:has-text('対応表を読み込む')")
            expect(page.locator("[role=alert]")).to_contain_text("「header_row」という設定はありません")
            shoot(page, "mapping-toml-unknown-key")

            # the upload expired (removed by the sweep): a Japanese message and a way back
            token = page.url.split("/")[-3]
            shutil.rmtree(settings.STATE_DIR / "imports" / token)
            page.goto(f"{live_server.url}/plans/import/{token}/preview/")
            expect(page.locator("[role=alert]")).to_contain_text("期限切れの可能性があります")
            shoot(page, "expired")
            page.click("text=計画の取込に戻る")
            expect(page.locator("h1")).to_have_text("計画の取込")
        finally:
            browser.close()
    one = Initiative.objects.get(plan__title="DX推進計画", number_label="1")
    assert sorted(d.name for d in one.departments.all()) == ["情報政策課", "総務課", "財政課"]
