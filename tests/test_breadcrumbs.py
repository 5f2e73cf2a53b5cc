"""Issue #12: every page shows where it is — breadcrumbs from ホーム (or 公開情報) down to the page itself, each
level a link that opens (200) for the person reading. The pages are those of the page matrix
(tests/test_page_matrix.py PAGES) that answer 200 with HTML, for every persona they answer for."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from .test_page_matrix import _client, build_world, html_pages

pytestmark = pytest.mark.django_db

ROOTS = {"web:home", "public:plans"}  # the top of the staff and of the public site: one level


class Crumbs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # inside nav.breadcrumbs
        self.navs = 0
        self.items: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "nav" and "breadcrumbs" in (a.get("class") or "").split():
            self.navs += 1
            self.depth = 1
        elif self.depth and tag == "nav":
            self.depth += 1
        elif self.depth and tag == "li":
            self.items.append({"href": None, "text": "", "current": False})
        elif self.depth and tag == "a" and self.items:
            self.items[-1]["href"] = a.get("href")
            self.items[-1]["current"] = a.get("aria-current") == "page"
        elif self.depth and tag == "span" and self.items and a.get("aria-current") == "page":
            self.items[-1]["current"] = True

    def handle_endtag(self, tag):
        if self.depth and tag == "nav":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and self.items:
            self.items[-1]["text"] += data.strip()


def crumbs(html: str) -> Crumbs:
    parser = Crumbs()
    parser.feed(html)
    return parser


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    return build_world(lambda: django_capture_on_commit_callbacks(execute=False))


def test_every_page_has_breadcrumbs_down_to_itself_and_every_level_opens(world):
    cast, w = world
    problems: list[str] = []
    opened: dict[tuple[str, str], tuple[int, list[dict]]] = {}

    def visit(client, persona: str, href: str) -> tuple[int, list[dict]]:
        if (persona, href) not in opened:
            res = client.get(href)
            opened[persona, href] = (res.status_code, crumbs(res.content.decode()).items)
        return opened[persona, href]

    # beside the matrix's pages, the report texts of the round's own inspection (one level deeper: the round)
    inspection = w["round"].inspection
    extra = [(name, "sato", reverse(name, args=args)) for name, args in (
        ("reviews:narratives", [inspection.pk]), ("reviews:narrative", [inspection.pk, w["item"].pk]),
        ("reviews:texts", [inspection.pk]))]
    seen = 0
    for name, persona, url in html_pages(w) + extra:
        client = _client(cast, persona)
        res = client.get(url)
        if not res["Content-Type"].startswith("text/html") or res.has_header("Content-Disposition"):
            continue  # a file (the report as HTML is a download), not a page
        seen += 1
        found = crumbs(res.content.decode())
        where = f"{name} ({persona}) {url}"
        if found.navs != 1:
            problems.append(f"{where}: {found.navs} breadcrumb navs")
            continue
        items = found.items
        if len(items) < (1 if name in ROOTS else 2):
            problems.append(f"{where}: only {[i['text'] for i in items]}")
            continue
        if any(not i["text"] for i in items):
            problems.append(f"{where}: an empty level {items}")
        *upper, last = items
        if not (last["current"] or last["href"] is None):
            problems.append(f"{where}: the last level 「{last['text']}」 is not the page itself")
        for item in upper:
            href = item["href"]
            if not href:
                problems.append(f"{where}: 「{item['text']}」 has no link")
                continue
            status, _ = visit(client, persona, href)
            if status != 200:
                problems.append(f"{where}: 「{item['text']}」 → {href} is {status}")
        # the full path: the page one level up shows exactly the levels above this one
        if upper and upper[-1]["href"]:
            _, trail = visit(client, persona, upper[-1]["href"])
            if [i["text"] for i in trail] != [i["text"] for i in upper] or [
                    i["href"] for i in trail[:-1]] != [i["href"] for i in upper[:-1]]:
                problems.append(f"{where}: {' › '.join(i['text'] for i in items)} but the page above shows "
                                f"{' › '.join(i['text'] for i in trail)}")
    assert seen > 50
    assert problems == [], "\n".join(problems)


def test_the_deepest_pages_show_the_whole_way_down(world):
    cast, w = world
    client = _client(cast, "suzuki")
    page = client.get(reverse("surveys:answer", args=[w["response"].pk, w["initiative"].pk])).content.decode()
    assert [i["text"] for i in crumbs(page).items] == [
        "ホーム", "照会", "テスト計画 平成30年度 照会", "政策局", f"取組{w['initiative'].number_label}"]
    sato = _client(cast, "sato")
    page = sato.get(reverse("plans:initiative_edit", args=[w["plan"].pk, w["initiative"].pk])).content.decode()
    assert [i["text"] for i in crumbs(page).items] == [
        "ホーム", "テスト計画", "計画の編集", f"取組{w['initiative'].number_label}"]
    page = sato.get(reverse("publications:inspection", args=[w["inspection"].pk])).content.decode()
    assert [i["text"] for i in crumbs(page).items] == ["ホーム", "テスト計画", "公表の管理", w["inspection"].title]
