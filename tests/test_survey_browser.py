"""Browser test: 鈴木 (editor of 政策局) logs in, answers through the web form — tripping the reason rule
once — submits, and reads the initiative's history. Playwright drives Debian's chromium."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tenken.plans.models import Initiative
from tenken.reviews.models import InitiativeReview
from tenken.surveys import services

from .personas import PASSWORD, cast_for, small_plan

CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_department_editor_answers_through_the_web_form(live_server, monkeypatch):
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium がありません（apt-get install chromium）")
    from playwright.sync_api import expect, sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls below are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    cast = cast_for(small_plan())
    cast.suzuki.set_password(PASSWORD)
    cast.suzuki.save()
    survey_round = services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2018, deadline=date(2019, 5, 31))
    response = survey_round.responses.get(department=cast.dept_a)
    first, second = Initiative.objects.filter(plan=cast.plan, departments=cast.dept_a).order_by("order")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless"])
        try:
            page = browser.new_page(locale="ja-JP")
            page.goto(f"{live_server.url}/surveys/responses/{response.pk}/")
            expect(page.locator("h1")).to_have_text("ログイン")
            page.fill("#id_username", "suzuki")
            page.fill("#id_password", PASSWORD)
            page.click("button:has-text('ログイン')")
            expect(page.locator("h1")).to_have_text("政策局の回答")
            expect(page.locator("#response-state")).to_have_text("未提出")

            page.click(f"text={first.text}")
            expect(page.locator("#initiative-text")).to_have_text(first.text)
            page.select_option("#id_status", "変更")
            page.fill("#id_outcome", "実証を終えた")
            page.click("#save-answer")
            expect(page.locator(".errors")).to_contain_text(
                "変更の理由: 実施結果を「変更」とする場合は変更の理由を入力してください"
            )
            assert page.input_value("#id_outcome") == "実証を終えた"  # nothing typed is lost
            page.fill("#id_change_reason", "国の補助制度の終了に伴い事業を組み替えた")
            page.click("#save-answer")
            expect(page.locator(".msg.success")).to_contain_text("取組1-1の回答を保存しました")

            page.click(f"text={second.text}")
            page.select_option("#id_status", "達成")
            page.click("#save-answer")
            expect(page.locator(f"#i{second.pk}")).to_contain_text("達成")

            page.click("#submit-response")
            expect(page.locator(".msg.success")).to_contain_text("提出しました（提出済）")
            expect(page.locator("#response-state")).to_have_text("提出済")
            expect(page.locator("#submit-response")).to_have_count(0)

            page.click(f"text={first.text}")
            history = page.locator("#history tbody")
            expect(history).to_contain_text("国の補助制度の終了に伴い事業を組み替えた")
            expect(history.locator("tr", has_text="実施結果")).to_contain_text("変更")
            expect(history.locator("tr", has_text="承認状態")).to_contain_text("提出済")
            expect(page.locator("#save-answer")).to_have_count(0)  # submitted: read-only
        finally:
            browser.close()

    reviews = {r.initiative_id: r for r in InitiativeReview.objects.filter(inspection=survey_round.inspection)}
    assert (reviews[first.pk].status.code, reviews[first.pk].change_reason) == (
        "changed", "国の補助制度の終了に伴い事業を組み替えた",
    )
    assert reviews[second.pk].status.code == "achieved"
    assert {r.approval for r in reviews.values()} == {"submitted"}
    assert all(r.entered_by == cast.suzuki for r in reviews.values())
