"""Browser test: 佐藤 (ICT admin) creates the successor of the Kanagawa plan, carries over three initiatives,
adds a goal and an indicator with yearly targets; 鈴木 (a department clerk) enters the year's actual in the
web answer form (a non-number is refused first). Screenshots in tests/screenshots/pdca/."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tenken.indicators.models import Indicator
from tenken.plans.models import CarryOver, Goal, Plan
from tenken.surveys.models import IndicatorAnswer
from tests.personas import PASSWORD, cast_for

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent.parent / "screenshots" / "pdca"
WIDE, NARROW = {"width": 1366, "height": 900}, {"width": 390, "height": 844}


def shoot(page, name: str, *, at: str | None = None) -> None:
    """Both sizes; ``at``: a selector scrolled into view first (else the top of the page)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("wide", WIDE), ("narrow", NARROW)):
        page.set_viewport_size(size)
        if at:
            page.locator(at).first.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"))
    page.set_viewport_size(WIDE)


def login(page, base: str, username: str, next_url: str) -> None:
    page.goto(f"{base}/surveys/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('ログイン')")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_successor_plan_goal_indicator_and_the_clerks_actual(live_server, monkeypatch):
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium がありません（apt-get install chromium）")
    from playwright.sync_api import expect, sync_playwright

    from tenken.demo import load_kanagawa
    from tenken.surveys.services import round_open

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    cast = cast_for(load_kanagawa())
    for user in (cast.sato, cast.suzuki):
        user.set_password(PASSWORD)
        user.save()
    base = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless"])
        try:
            page = browser.new_page(locale="ja-JP", viewport=WIDE)
            login(page, base, "sato", f"/plans/{cast.plan.pk}/edit/successor/")
            expect(page.locator("h1")).to_have_text("後継計画の作成")
            page.fill("#sc-title", "かながわICT・データ利活用推進計画")
            page.fill("#sc-first", "2019")
            page.fill("#sc-last", "2022")
            shoot(page, "1-successor-form")
            page.click("button:has-text('後継計画を作成')")
            expect(page.locator("h1")).to_have_text("前計画からの取組の引継ぎ")
            expect(page.locator("#candidates tbody tr")).to_have_count(40)
            rows = page.locator("#candidates tbody tr")
            ids = [rows.nth(k).get_attribute("id").split("-")[1] for k in range(3)]
            page.select_option(f"#choice-{ids[0]}", "continue")
            page.select_option(f"#choice-{ids[1]}", "continue")
            page.select_option(f"#choice-{ids[2]}", "merge")
            page.select_option(f"#merge-{ids[2]}", ids[0])
            shoot(page, "2-carry-over-choices")
            page.click("#carry-over-save")
            expect(page.locator(".messages")).to_contain_text("3件の取組の引継ぎを記録しました")
            expect(page.locator(f"#candidate-{ids[2]}")).to_contain_text("統合")
            shoot(page, "3-carry-over-recorded")

            new = Plan.objects.get(predecessor=cast.plan)
            page.goto(f"{base}/plans/{new.pk}/edit/goals/")
            page.fill("#g-title", "新たなICTで、職員が働きやすく効率的なスマート県庁")
            page.click("#goal-add button")
            expect(page.locator(".messages")).to_contain_text("目指すべき姿を追加しました")
            goal = Goal.objects.get(plan=new)
            section = page.locator(f"#goal-{goal.pk} label", has_text="スマート県庁の実現")
            section.locator("input").check()
            page.click(f"#goal-{goal.pk} button:has-text('保存')")
            expect(page.locator(".messages")).to_contain_text("を保存しました")
            shoot(page, "4-goal", at=f"#goal-{goal.pk}")

            carried = CarryOver.objects.get(successor=new, old_initiative_id=int(ids[0])).new_initiative
            page.goto(f"{base}/plans/{new.pk}/edit/initiatives/{carried.pk}/")
            page.fill("#in-name", "RPAを導入した業務数")
            page.fill("#in-unit", "業務")
            page.fill("#in-baseline", "2")
            page.fill("#in-baseline-as-of", "H31.3")
            page.fill("#in-target-2019", "5")
            page.fill("#in-target-2020", "8")
            page.locator("#indicator-form label", has_text="スマート県庁").locator("input").check()
            page.click("#indicator-form button:has-text('指標を追加')")
            expect(page.locator(".messages")).to_contain_text("指標を追加しました")
            expect(page.locator(".indicator-years")).to_contain_text("RPAを導入した業務数")
            shoot(page, "5-indicator", at=".indicator-years")
            page.goto(f"{base}/plans/{new.pk}/")
            expect(page.locator(".goal-tree")).to_contain_text("RPAを導入した業務数")
            expect(page.locator("#predecessor-link")).to_contain_text("電子化全開宣言行動計画")
            shoot(page, "6-logic-model")

            # the round of 令和元年度 (opened by the service the round pages call)
            survey_round = round_open(user=cast.sato, plan=new, fiscal_year=2019, deadline=date(2020, 5, 29))
            response = survey_round.responses.get(department__in=carried.departments.all())
            assert response.department == cast.dept_a  # 鈴木's department

            clerk = browser.new_page(locale="ja-JP", viewport=WIDE)
            url = f"/surveys/responses/{response.pk}/initiatives/{carried.pk}/"
            login(clerk, base, "suzuki", url)
            expect(clerk.locator("#indicator-actuals legend")).to_have_text("指標の実績値（令和元年度）")
            rpa = Indicator.objects.get(plan=new)
            clerk.select_option("#id_status", "実施中")
            clerk.fill(f"#indicator-{rpa.pk}-value", "５業務くらい")
            clerk.click("#save-answer")
            expect(clerk.locator(".errors")).to_contain_text("指標「RPAを導入した業務数」の実績値")
            shoot(clerk, "7-clerk-refused", at="#indicator-actuals")
            clerk.fill(f"#indicator-{rpa.pk}-value", "5")
            clerk.fill(f"#indicator-{rpa.pk}-as_of", "R2.3")
            clerk.click("#save-answer")
            expect(clerk.locator(".msg.success")).to_contain_text("回答を保存しました")
            clerk.goto(f"{base}{url}")
            expect(clerk.locator(f"#indicator-{rpa.pk}-value")).to_have_value("5")
            shoot(clerk, "8-clerk-saved", at="#indicator-actuals")
        finally:
            browser.close()
    answer = IndicatorAnswer.objects.get()
    assert (answer.value, answer.as_of, answer.entered_by) == (5, date(2020, 3, 31), cast.suzuki)
    assert CarryOver.objects.filter(successor=new).count() == 3
