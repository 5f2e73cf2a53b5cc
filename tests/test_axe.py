"""Issue #12: axe-core (npm, vendored in tests/vendor/axe.min.js by `make css`) injected by Playwright in
Debian chromium finds no WCAG 2.x A/AA violation on any staff or public page, at 1366×900 and 390×844;
nothing overflows a 390 px phone; body text is 16 px and controls are at least 44 px high.
Screenshots are saved under tests/screenshots/design/."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

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
    scroll: document.documentElement.scrollWidth,
    body: getComputedStyle(document.body).fontSize,
    small,
  };
}"""


def _html(client: Client, url: str) -> bool:
    res = client.get(url)
    return (res.status_code == 200 and res["Content-Type"].startswith("text/html")
            and not res.has_header("Content-Disposition"))


@pytest.fixture
def world(settings, tmp_path):
    """The page matrix's world (tests/test_page_matrix.py) with a few more facts to show: every page of PAGES
    that answers a persona with HTML is checked, so a new page is checked as soon as it is in the matrix."""
    from tenken.indicators.services import observation_record
    from tenken.inventory.models import InformationSystem
    from tenken.inventory.services import municipal_progress_set, system_save
    from tenken.orgs.services import organization_for_code

    from .fixtures.imports import build
    from .test_page_matrix import PAGES, build_world, html_pages

    settings.STATE_DIR = tmp_path / "state"
    with mock.patch("tenken.publications.tasks.enqueue_report_rendering"):  # the report job: not looked at here
        cast, w = build_world()
    indicator = w["indicator"]
    observation_record(indicator=indicator, kind="baseline", value=100, as_of=date(2014, 3, 31), source="実績")
    observation_record(indicator=indicator, kind="target", value=500, as_of=date(2019, 3, 31), source="計画")
    observation_record(indicator=indicator, kind="actual", value=320, as_of=date(2017, 3, 31), source="実績")
    system = system_save(user=cast.sato, system=InformationSystem(
        organization=cast.org, name="財務会計システム", department=cast.dept_c, segment="lgwan", hosting="data_centre",
        in_service_on=date(2012, 4, 1), contract_end=date(2027, 3, 31), purpose="予算編成・執行管理"))
    municipal_progress_set(user=operator(), goal=w["goal"], municipality=organization_for_code(code="141003"),
                           achieved_on=date(2017, 3, 31))

    clients = {"anon": Client()}
    for persona in PAGES["web:home"][3]:
        if persona != "anon":
            clients[persona] = Client()
            clients[persona].force_login(getattr(cast, persona))
    pages: dict[str, tuple[str | None, str]] = {}
    for name, persona, url in html_pages(w):
        public = name.startswith("public:") or name == "login"
        if name in pages and not (public and persona == "anon"):
            continue  # one persona a page (the anonymous visitor for the public site)
        if _html(clients[persona], url):
            pages[name] = (None if persona == "anon" else persona, url)
    # what differs by persona, what the matrix cannot reach (an upload of one's own), and the error pages
    sato = clients["sato"]
    book = build.wizard_book(tmp_path / "R5進捗.xlsx", fix=False)
    with book.open("rb") as fh:
        mapping = sato.post("/plans/import/", {"organization": cast.org.pk, "file": fh})["Location"]
    toml = sato.get(mapping.replace("/mapping/", "/mapping.toml")).content
    preview = sato.post(mapping, {"mapping_file": SimpleUploadedFile("対応表.toml", toml)})["Location"]
    inspection = w["round"].inspection
    pages.update({
        "import-mapping": ("sato", mapping),
        "import-preview": ("sato", preview),
        "round-narratives": ("sato", reverse("reviews:narratives", args=[inspection.pk])),
        "home-clerk": ("suzuki", "/"),
        "home-approver": ("takahashi", "/"),
        "home-viewer": ("ito", "/"),
        "home-nobody": ("watanabe", "/"),
        "surveys-clerk": ("suzuki", reverse("surveys:index")),
        "response-clerk": ("suzuki", reverse("surveys:response", args=[w["response"].pk])),
        "answer-clerk": ("suzuki", reverse("surveys:answer", args=[w["response"].pk, w["initiative"].pk])),
        "systems-search": ("sato", "/inventory/140007/systems/?q=財務"),
        "system-full": ("sato", f"/inventory/140007/systems/{system.pk}/"),
        "403": ("suzuki", "/indicators/"),
        "404": (None, "/no/such/page/"),
    })
    for extra in ("import-mapping", "import-preview"):
        assert _html(sato, pages[extra][1]), extra
    return cast, pages, {name for name, _, _ in html_pages(w)} - set(pages)


def test_every_page_passes_axe_and_fits_a_phone(live_server, world, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    cast, pages, files = world
    # every page of the matrix answered with HTML is here; what is left out is a file, not a page
    assert files == {"imports:template", "indicators:chart", "inventory:export", "public:catalog", "public:data_file",
                     "public:report_file", "publications:job", "reports:plan_report_download", "surveys:workbook",
                     "surveys:workbooks", "jobs:download", "jobs:status"}
    assert {"imports:index", "plans:edit", "plans:initiative_edit", "publications:plan", "publications:inspection",
            "indicators:detail", "inventory:system_edit", "public:goals", "reviews:narrative", "jobs:list",
            "jobs:detail"} <= set(pages)
    cookies = {}
    for persona in sorted({p for p, _ in pages.values() if p}):
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
                        if layout["overflow"] > 0 or (viewport == "phone" and layout["scroll"] > width):
                            found.append(f"page wider than the screen: {layout['scroll']}px")
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
