"""Issue #12: axe-core (npm, vendored in tests/vendor/axe.min.js by `make css`) injected by Playwright in
Debian chromium finds no WCAG 2.x A/AA violation on any staff or public page, at 1366×900 and 390×844;
nothing overflows a 390 px phone; body text is 16 px and controls are at least 44 px high.
Screenshots are saved under tests/screenshots/design/."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.test import Client

from .personas import operator

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SHOTS = Path(__file__).parent / "screenshots" / "design"
VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium がありません"),
]

AXE_RUN = """async () => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}});
  return r.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`);
}"""

LAYOUT_JS = """() => {
  const small = [];
  for (const el of document.querySelectorAll('button, select, textarea, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), .global-nav a, .breadcrumbs a, a.button')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.height < 44) small.push(`${el.tagName} ${el.name || el.textContent.trim().slice(0, 12)} ${r.height}`);
  }
  return {
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    body: getComputedStyle(document.body).fontSize,
    small,
  };
}"""


@pytest.fixture
def world():
    from tenken.indicators.services import indicator_create, observation_record
    from tenken.inventory.models import InformationSystem
    from tenken.inventory.services import municipal_goal_create, municipal_progress_set, system_save
    from tenken.orgs.services import organization_for_code, organizations_load_master
    from tenken.plans.models import Initiative
    from tenken.surveys import services

    from .personas import cast_for, small_plan

    cast = cast_for(small_plan())
    survey_round = services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2018, deadline=date(2019, 5, 31))
    response = survey_round.responses.get(department=cast.dept_a)
    initiative = Initiative.objects.filter(plan=cast.plan, departments=cast.dept_a).order_by("order").first()
    indicator = indicator_create(organization=cast.org, plan=cast.plan, name="電子申請の件数", unit="件",
                                 direction="higher")
    observation_record(indicator=indicator, kind="baseline", value=100, as_of=date(2014, 3, 31), source="実績")
    observation_record(indicator=indicator, kind="target", value=500, as_of=date(2019, 3, 31), source="計画")
    observation_record(indicator=indicator, kind="actual", value=320, as_of=date(2017, 3, 31), source="実績")
    system = system_save(user=cast.sato, system=InformationSystem(
        organization=cast.org, name="財務会計システム", department=cast.dept_c, segment="lgwan", hosting="data_centre",
        in_service_on=date(2012, 4, 1), contract_end=date(2027, 3, 31), purpose="予算編成・執行管理"))
    organizations_load_master(user=operator())
    goal = municipal_goal_create(user=operator(), prefecture=cast.org, name="オープンデータ取組済", target_date=date(2021, 3, 31),
                                 target_text="R2年度末")
    municipal_progress_set(user=operator(), goal=goal, municipality=organization_for_code(code="141003"), achieved_on=date(2017, 3, 31))
    w = {"plan": cast.plan.pk, "round": survey_round.pk, "response": response.pk, "initiative": initiative.pk,
         "indicator": indicator.pk, "system": system.pk, "goal": goal.pk}
    pages = {
        # (persona or None, path, name)
        "login": (None, "/login/"),
        "public-plans": (None, "/public/"),
        "public-plan": (None, f"/public/plans/{w['plan']}/"),
        "public-initiative": (None, f"/public/plans/{w['plan']}/initiatives/{w['initiative']}/"),
        "public-data": (None, f"/public/plans/{w['plan']}/data/"),
        "404": (None, "/no/such/page/"),
        "home-admin": ("sato", "/"),
        "home-clerk": ("suzuki", "/"),
        "home-approver": ("takahashi", "/"),
        "home-viewer": ("ito", "/"),
        "home-nobody": ("watanabe", "/"),
        "403": ("suzuki", "/indicators/"),
        "surveys": ("sato", "/surveys/"),
        "round": ("sato", f"/surveys/rounds/{w['round']}/"),
        "response": ("suzuki", f"/surveys/responses/{w['response']}/"),
        "answer": ("suzuki", f"/surveys/responses/{w['response']}/initiatives/{w['initiative']}/"),
        "report": ("sato", f"/plans/{w['plan']}/report/"),
        "indicators": ("sato", "/indicators/"),
        "indicator": ("sato", f"/indicators/{w['indicator']}/"),
        "indicator-upload": ("sato", "/indicators/upload/"),
        "register-index": ("sato", "/inventory/"),
        "register": ("sato", "/inventory/140007/"),
        "systems": ("sato", "/inventory/140007/systems/?q=財務"),
        "system": ("sato", f"/inventory/140007/systems/{w['system']}/"),
        "system-edit": ("sato", f"/inventory/140007/systems/{w['system']}/edit/"),
        "municipal": ("sato", f"/inventory/municipal/{w['goal']}/"),
    }
    return cast, pages


def test_every_page_passes_axe_and_fits_a_phone(live_server, world, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    cast, pages = world
    cookies = {}
    for persona in {p for p, _ in pages.values() if p}:
        client = Client()
        client.force_login(getattr(cast, persona))
        cookies[persona] = client.cookies["sessionid"].value
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: dict[str, list[str]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless=new"])
        try:
            for persona in [None, *sorted(cookies)]:
                for viewport, (width, height) in VIEWPORTS.items():
                    # axe-core is injected by the test: the site's CSP (script-src 'self') rightly refuses it
                    context = browser.new_context(locale="ja-JP", viewport={"width": width, "height": height},
                                                  bypass_csp=True)
                    if persona:
                        context.add_cookies([{"name": "sessionid", "value": cookies[persona], "url": live_server.url}])
                    page = context.new_page()
                    page.set_default_timeout(15_000)
                    for name, (who, path) in pages.items():
                        if who != persona:
                            continue
                        page.goto(live_server.url + path)
                        page.wait_for_load_state("load")
                        page.add_script_tag(path=str(AXE))
                        found = [f"axe {v}" for v in page.evaluate(AXE_RUN)]
                        layout = page.evaluate(LAYOUT_JS)
                        if layout["overflow"] > 0:
                            found.append(f"page wider than the screen by {layout['overflow']}px")
                        if layout["body"] != "16px":
                            found.append(f"body text {layout['body']}")
                        found += [f"control under 44px: {s}" for s in layout["small"]]
                        assert page.locator("html").get_attribute("lang") == "ja"
                        page.screenshot(path=str(SHOTS / f"{name}-{viewport}.png"), full_page=True)
                        if found:
                            problems[f"{name} {viewport}"] = found
                    context.close()
        finally:
            browser.close()
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())
