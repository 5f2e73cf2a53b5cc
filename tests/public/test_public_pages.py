"""The public plan and initiative pages: content, filters, search, history and query counts."""

from __future__ import annotations

import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.scaled_plan import import_scaled_plan
from tenken.public.selectors import filter_initiatives, plan_overview, search_key

from .conftest import publish


def superuser():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get_or_create(username="root", defaults={"is_superuser": True})[0]

pytestmark = pytest.mark.django_db


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def listed_count(html: str) -> int:
    m = re.search(r'<p role="status" id="result-count">(\d+)件', html)
    assert m, "result count missing"
    return int(m.group(1))


def test_plan_list_and_overview_need_no_login(client, world):
    html = page(client, "/public/")
    assert "電子化全開宣言行動計画" in html
    html = page(client, f"/public/plans/{world.plan.pk}/")
    assert '<html lang="ja">' in html
    # Latest approved results of the Kanagawa final inspection: 60 / 35 / 5 of 100 countable rows.
    assert "達成 60件" in html and "実施中 35件" in html and "変更 5件" in html and "計 100件" in html
    assert listed_count(html) == 100
    # one chart per policy, each with a text alternative
    assert html.count('role="img"') >= 3 + 1
    assert "スマート神奈川の推進" in html


def test_history_lists_each_fiscal_year_with_approved_counts(client, world):
    html = page(client, f"/public/plans/{world.plan.pk}/")
    history = html.split('id="history"')[1].split('id="initiatives"')[0]
    # the fiscal year in 和暦, as on every page (#12)
    assert "平成28年度 点検" in history and "<td>平成28年度</td>" in history
    assert "<td>平成30年度</td>" in history and "2016年度" not in history
    # the follow-up inspection has only unapproved answers: not listed at all
    assert "令和元年度 追跡点検" not in html


def test_filter_by_status_changed_lists_five(client, world):
    html = page(client, f"/public/plans/{world.plan.pk}/?status=changed")
    assert listed_count(html) == 5
    assert html.count('class="badge"') == 5
    assert "達成</span>" not in html.split('id="initiatives"')[1]


def test_filter_by_policy_and_department(client, world):
    overview = plan_overview(plan_id=world.plan.pk)
    first_policy = overview.policies[0]
    html = page(client, f"/public/plans/{world.plan.pk}/?policy={first_policy.pk}")
    in_policy = [i for i in filter_initiatives(overview, policy_id=first_policy.pk) if not i.is_heading]
    assert 0 < listed_count(html) == len(in_policy) < 100
    for other in overview.policies[1:]:
        assert f"<h3>{other}</h3>" not in html
    dept = world.departments["教育局総務室"]
    html = page(client, f"/public/plans/{world.plan.pk}/?department={dept.pk}")
    assert listed_count(html) == 1


def test_unknown_filter_value_is_reported_not_an_error(client, world):
    html = page(client, f"/public/plans/{world.plan.pk}/?status=nonsense&policy=abc")
    assert listed_count(html) == 100
    assert 'class="errorlist"' in html


def test_search_is_nfkc_partial_match(client, world):
    assert search_key("ＨＥＭＳ　導入") == "hems導入"
    # the stored text is half-width "HEMS"; a full-width query finds it
    html = page(client, f"/public/plans/{world.plan.pk}/?q=ＨＥＭＳ")
    assert listed_count(html) >= 1
    assert "HEMS等の導入" in html
    # several words must all occur; partial Japanese words match
    both = page(client, f"/public/plans/{world.plan.pk}/?q=導入費+補助")
    one = page(client, f"/public/plans/{world.plan.pk}/?q=導入費")
    assert 0 < listed_count(both) <= listed_count(one)
    assert listed_count(page(client, f"/public/plans/{world.plan.pk}/?q=存在しない語句")) == 0
    # half-width katakana finds full-width katakana
    kana = page(client, f"/public/plans/{world.plan.pk}/?q=ﾃﾞｰﾀ")
    assert listed_count(kana) >= 1 and "データ" in kana.split('id="result-count"')[1]


def test_initiative_page_shows_history_across_years(client, world):
    initiative = world.plan.initiatives.filter(is_heading=False).order_by("order").first()
    html = page(client, f"/public/plans/{world.plan.pk}/initiatives/{initiative.pk}/")
    assert initiative.text[:20] in html
    assert "平成28年度の成果" in html
    assert html.index("<td>平成28年度</td>") < html.index("<td>平成30年度</td>")
    assert "教育局総務室" in html


def test_unknown_plan_or_initiative_is_404(client, world):
    assert client.get("/public/plans/999999/").status_code == 404
    other = world.plan.pk + 1000
    initiative = world.plan.initiatives.first()
    assert client.get(f"/public/plans/{other}/initiatives/{initiative.pk}/").status_code == 404


def test_accessibility_basics_in_markup(client, world):
    html = page(client, f"/public/plans/{world.plan.pk}/")
    assert '<a class="skip" href="#main">' in html and 'id="main"' in html
    for control_id in re.findall(r'<(?:input|select)[^>]*id="([^"]+)"', html):
        assert f'<label for="{control_id}">' in html, control_id
    levels = [int(n) for n in re.findall(r"<h([1-6])[ >]", html)]
    assert levels[0] == 1 and levels.count(1) == 1
    for a, b in itertools.pairwise(levels):
        assert b <= a + 1, f"heading level jumps from h{a} to h{b}"


def test_query_count_does_not_grow_with_plan_size(client, world):
    big = import_scaled_plan(10)
    assert big.initiatives.filter(is_heading=False).count() == 1000
    for inspection in big.inspections.all():
        publish(inspection, superuser())

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    for suffix in ("", "?status=changed", "?q=HEMS"):
        small = queries(f"/public/plans/{world.plan.pk}/{suffix}")
        large = queries(f"/public/plans/{big.pk}/{suffix}")
        assert small == large, (suffix, small, large)
        assert small <= 11  # 9 for the page, 1+1 published reports; the cache key (the stamp) needs none
    html = page(client, f"/public/plans/{big.pk}/")
    assert "達成 600件" in html and "変更 50件" in html
    small_init = world.plan.initiatives.filter(is_heading=False).first()
    big_init = big.initiatives.filter(is_heading=False).first()
    assert queries(f"/public/plans/{world.plan.pk}/initiatives/{small_init.pk}/") == queries(
        f"/public/plans/{big.pk}/initiatives/{big_init.pk}/"
    )


def test_markup_in_the_data_is_escaped(client, world):
    initiative = world.plan.initiatives.filter(is_heading=False).order_by("order").first()
    initiative.text = '<script>alert("x")</script>"onmouseover=1'
    initiative.save()
    dept = world.departments["教育局総務室"]
    dept.name = "<b>所属</b>"
    dept.save()
    for url in (f"/public/plans/{world.plan.pk}/", f"/public/plans/{world.plan.pk}/initiatives/{initiative.pk}/"):
        html = page(client, url)
        assert "<script>alert" not in html and "<b>所属</b>" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&quot;onmouseover=1" in html
        assert "&lt;b&gt;所属&lt;/b&gt;" in html


def test_interfaces_do_not_query_models_directly():
    """Views and the API read through selectors and tenken.public.visibility only."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "tenken"
    for path in [root / "public" / "views.py", *sorted((root / "api").glob("*.py"))]:
        source = path.read_text(encoding="utf-8")
        assert ".objects." not in source, path
        assert "InitiativeReview" not in source or path.name == "serializers.py", path


def test_each_item_heading_states_its_counts(client, world):
    html = page(client, f"/public/plans/{world.plan.pk}/")
    # エネルギーのスマート化: the items.csv declares 3 達成 and 2 実施中
    after = html.split("エネルギーのスマート化</h4>")[1][:200]
    assert "達成 3件、実施中 2件、変更 0件" in after
