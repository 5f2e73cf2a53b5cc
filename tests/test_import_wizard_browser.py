"""Browser test of the import wizard: 佐藤 (ICT admin) uploads a two-sheet workbook, corrects one proposed
column and the scale, sees the preview with located problems, fixes the file, imports; next year's file
goes straight to the preview with the saved profile and imports without a question."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenken.plans.models import Initiative, Plan, Status
from tenken.reviews.models import InitiativeReview

from .fixtures.imports import build
from .personas import PASSWORD, cast_for, small_plan

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).parent / "screenshots" / "import"


def shoot(page, name: str) -> None:
    """Screenshots at 1366 and at a 390×844 phone, where the page must not scroll sideways (wide tables
    scroll inside their own box)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-1366.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SHOTS / f"{name}-390.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{name}: the page is {width} px wide on a 390 px phone"
    page.set_viewport_size({"width": 1366, "height": 900})


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_imports_a_plan_through_the_wizard(live_server, monkeypatch, tmp_path, settings):
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium がありません（apt-get install chromium）")
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.STATE_DIR = tmp_path / "state"
    cast = cast_for(small_plan())
    cast.sato.set_password(PASSWORD)
    cast.sato.save()
    bad = build.wizard_book(tmp_path / "R5進捗.xlsx", fix=False)
    good = build.wizard_book(tmp_path / "R5進捗（修正）.xlsx")
    next_year = build.wizard_book(tmp_path / "R6進捗.xlsx", extra=1)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless"])
        try:
            page = browser.new_page(locale="ja-JP", viewport={"width": 1366, "height": 900})
            page.goto(f"{live_server.url}/plans/import/")
            page.fill("#id_username", "sato")
            page.fill("#id_password", PASSWORD)
            page.click("button:has-text('ログイン')")
            page.goto(f"{live_server.url}/plans/import/")
            expect(page.locator("h1")).to_have_text("計画の取込")
            shoot(page, "upload")
            page.set_input_files("#id_file", str(bad))
            page.click("#upload")

            expect(page.locator("h1")).to_have_text("対応表の確認")
            expect(page.locator("#sheet-0")).to_contain_text("シート「基本方針1」")
            expect(page.locator("#sheet-1")).to_contain_text("シート「基本方針2」")
            assert page.input_value("#s0-col-C") == "text"
            assert page.input_value("#s0-col-E") == "status"
            assert page.input_value("#s0-col-F") == ""  # 説明: no registered name
            expect(page.locator("#scale")).to_contain_text("A～Dの一般的な読み方（推定")
            shoot(page, "mapping")
            for sheet in (0, 1):
                page.select_option(f"#s{sheet}-col-F", "outcome")  # correct one proposed column
            values = [page.locator("#scale th[scope=row]").nth(i).inner_text() for i in range(5)]
            d = values.index("D")
            page.select_option(f"#scale{d}-category", "cancelled")  # D means 中止 in this plan
            page.fill(f"#scale{d}-label", "中止")
            page.check(f"#scale{d}-reason")
            page.click("#save-mapping")
            expect(page.locator(".error").first).to_contain_text("最終点検")  # asked, not inferred
            page.check("#result-final")
            page.click("#save-mapping")

            expect(page.locator("h1")).to_have_text("取込内容の確認")
            problems = page.locator("#problems li")
            expect(problems).to_have_count(2)
            expect(problems.nth(0)).to_contain_text("基本方針2!E4: 実施結果「たぶん」の区分が未確認です")
            expect(problems.nth(1)).to_have_text("基本方針2!C5: 取組内容が空欄です")
            expect(page.locator("#do-import")).to_have_count(0)
            shoot(page, "preview-problems")

            page.set_input_files("#replace-file", str(good))
            page.click("#replace")
            expect(page.locator("#problems")).to_have_count(0)
            expect(page.locator("#counts")).to_contain_text("方針 2 / 取組項目 2 / 小項目 0 / 取組 6")
            expect(page.locator("#tree")).to_contain_text("中止")
            page.fill("#id_title", "DX推進計画")
            page.fill("#id_fiscal_years", "R5-R9")
            shoot(page, "preview")
            page.click("#do-import")
            expect(page.locator("#done")).to_contain_text("取組 6 件")
            shoot(page, "done")

            page.goto(f"{live_server.url}/plans/import/")
            page.set_input_files("#id_file", str(next_year))
            page.click("#upload")
            expect(page.locator("h1")).to_have_text("取込内容の確認")  # the profile: no questions
            expect(page.locator(".msg.info")).to_contain_text("前回確かめた対応表を使います")
            expect(page.locator("#counts")).to_contain_text("取組 8")
            page.fill("#id_title", "DX推進計画 R6")
            page.fill("#id_fiscal_years", "R5-R9")
            page.click("#do-import")
            expect(page.locator("#done")).to_contain_text("取組 8 件")
        finally:
            browser.close()

    plan = Plan.objects.get(title="DX推進計画")
    assert Initiative.objects.filter(plan=plan).count() == 6
    assert list(Status.objects.filter(plan=plan).values_list("label", "category", "requires_reason")) == [
        ("A", "done", False), ("B", "in_progress", False), ("C", "delayed", False), ("中止", "cancelled", True)]
    review = InitiativeReview.objects.get(initiative__plan=plan, initiative__number_label="1-1")
    assert review.outcome == "取組1の説明"
    assert Initiative.objects.filter(plan__title="DX推進計画 R6").count() == 8
    assert not any((tmp_path / "state" / "imports").iterdir())  # uploads are removed once imported
