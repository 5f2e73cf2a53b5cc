"""The public listing in pages (#17): filters and search apply to the whole plan, the page shows a slice."""

from __future__ import annotations

import re

import pytest

from tenken.public import listing

from .conftest import publish

pytestmark = pytest.mark.django_db


def rows(html: str) -> list[str]:
    body = "".join(re.findall(r'<table class="initiatives">.*?</table>', html, re.S))
    return re.findall(r'<a href="/public/plans/\d+/initiatives/(\d+)/">', body)


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_listing_in_pages_with_filters_kept(client, world, monkeypatch):
    monkeypatch.setattr(listing, "PAGE_SIZE", 30)
    base = f"/public/plans/{world.plan.pk}/"
    first = get(client, base)
    assert "100件の取組。1～30件目を表示しています（1/4ページ）。" in first
    assert '<nav class="pager" aria-label="取組一覧のページ（全4ページ）">' in first
    assert '<span aria-current="page">1</span>' in first and 'href="?page=2#initiatives" rel="next"' in first
    pages = [rows(first)] + [rows(get(client, f"{base}?page={n}")) for n in (2, 3, 4)]
    countable = [r for p in pages for r in p]
    headings = set(world.plan.initiatives.filter(is_heading=True).values_list("pk", flat=True))
    listed_countable = [r for r in countable if int(r) not in headings]
    assert len(listed_countable) == 100 and len(set(listed_countable)) == 100  # every initiative once
    assert [len([r for r in p if int(r) not in headings]) for p in pages] == [30, 30, 30, 10]
    # a page keeps the heading row of the grouped rows it shows
    for p in pages:
        children = world.plan.initiatives.filter(pk__in=[int(r) for r in p], parent__isnull=False)
        assert {str(c.parent_id) for c in children} <= set(p)
    assert rows(get(client, f"{base}?page=99")) == pages[-1]  # past the end: the last page
    assert rows(get(client, f"{base}?page=x")) == pages[0]

    found = get(client, f"{base}?status=achieved")
    m = re.search(r"(\d+)件の取組が条件に一致しました。1～30件目を表示しています（1/(\d)ページ）", found)
    assert m and int(m.group(1)) == 60 and m.group(2) == "2"
    assert 'href="?status=achieved&amp;page=2#initiatives"' in found
    second = get(client, f"{base}?status=achieved&page=2")
    assert len([r for r in rows(second) if int(r) not in headings]) == 30


def test_one_page_has_no_pager(client, world):
    html = get(client, f"/public/plans/{world.plan.pk}/")
    assert "100件の取組。" in html and 'class="pager"' not in html and len(rows(html)) >= 100


def test_a_large_plan_lists_one_page_of_rows(client, world):
    from bench.scaled_plan import import_scaled_plan

    big = import_scaled_plan(3)
    for inspection in big.inspections.filter(reviews__approval="approved").distinct():
        publish(inspection, world.publisher)  # a plan is public once something of it is published
    html = get(client, f"/public/plans/{big.pk}/")
    assert "300件の取組。1～100件目を表示しています（1/3ページ）。" in html
    headings = set(big.initiatives.filter(is_heading=True).values_list("pk", flat=True))
    assert len([r for r in rows(html) if int(r) not in headings]) == 100
