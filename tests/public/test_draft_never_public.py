"""A draft, submitted or returned answer never appears on the public pages, in the API or in the
downloads — and the latest public status of an initiative ignores it.

Nor does an approved one until the ICT division publishes its inspection (docs/publication.md): an
approved but unpublished result appears on no page, in no API response, in no download and not in the
catalogue; after 佐藤 publishes it appears in all of them; after withdrawal it is gone at once, with the
cache on. The public content is the copy frozen at publication: a later edit changes nothing public until
the next version (版)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from openpyxl import load_workbook

from tenken.common.errors import InputRejected
from tenken.opendata.package import plan_files
from tenken.public.visibility import public_reviews
from tenken.publications.models import Publication
from tenken.publications.services import inspection_publish, publication_withdraw
from tenken.reviews.models import InitiativeReview, Inspection

from .conftest import SECRET, add_inspection, add_review, publish

pytestmark = pytest.mark.django_db


def test_setup_really_contains_the_secret(world):
    hidden = InitiativeReview.objects.filter(inspection=world.followup)
    assert {r.approval for r in hidden} == {"draft", "submitted", "returned"}
    assert all(SECRET in r.outcome for r in hidden)
    assert not public_reviews().filter(inspection=world.followup).exists()


def test_pages_never_show_unapproved_answers(client, world):
    plan = world.plan
    urls = [
        "/public/",
        f"/public/plans/{plan.pk}/",
        f"/public/plans/{plan.pk}/?status=changed",
        f"/public/plans/{plan.pk}/initiatives/{world.secret_initiative.pk}/",
        f"/public/plans/{plan.pk}/data/",
    ]
    urls += [f"/public/plans/{plan.pk}/initiatives/{r.initiative_id}/" for r in world.followup.reviews.all()]
    for url in urls:
        html = client.get(url).content.decode()
        assert SECRET not in html, url
        assert "令和元年度 追跡点検" not in html, url
    # searching for the secret finds nothing (the query itself is echoed in the search box)
    html = client.get(f"/public/plans/{plan.pk}/", {"q": SECRET}).content.decode()
    assert "0件の取組" in html and f"{SECRET}（" not in html and f"{SECRET}の理由" not in html
    # the draft says 変更, the approved final result says 達成: the public page keeps 達成
    html = client.get(f"/public/plans/{plan.pk}/initiatives/{world.secret_initiative.pk}/").content.decode()
    assert "① 取組内容を達成した" in html
    assert "5件の取組" in client.get(f"/public/plans/{plan.pk}/?status=changed").content.decode()


def test_api_never_returns_unapproved_answers(client, world):
    plan = world.plan
    seen = []
    url = f"/api/v1/reviews/?plan={plan.pk}&limit=200"
    while url:
        data = client.get(url).json()
        seen += data["results"]
        url = data["next"]
    assert len(seen) == 100 + 40  # final (approved) + FY2016 (approved)
    assert {r["inspection"]["id"] for r in seen} == {world.annual.pk, plan.inspections.get(kind="final").pk}
    assert SECRET not in json.dumps(seen, ensure_ascii=False)
    hidden = world.followup.reviews.first()
    assert client.get(f"/api/v1/reviews/{hidden.pk}/").status_code == 404
    unpublished = client.get(f"/api/v1/reviews/?inspection={world.followup.pk}")
    assert unpublished.status_code == 400 and unpublished.json()["errors"][0]["code"] == "unknown_value"
    body = client.get(f"/api/v1/reviews/?initiative={world.secret_initiative.pk}").content.decode()
    assert SECRET not in body and '"changed"' not in body


def test_downloads_never_contain_unapproved_answers(client, world):
    files = plan_files(plan=world.plan)
    assert "reviews.csv" in files and "reviews.xlsx" in files
    for name, data in files.items():
        if name.endswith(".xlsx"):
            ws = load_workbook(io.BytesIO(data)).active
            text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
        elif name.endswith("_cp932.csv"):
            text = data.decode("cp932")
        else:
            text = data.decode("utf-8")
        assert SECRET not in text, name
        assert "令和元年度 追跡点検" not in text, name
    # the same through the download URLs
    for name in ("reviews.csv", "reviews.json", "initiatives.csv", "status_counts.csv"):
        response = client.get(f"/public/plans/{world.plan.pk}/data/{name}")
        assert response.status_code == 200
        assert SECRET not in response.content.decode()
    assert "2019" not in files["status_counts.csv"].decode()


MARK = "公表前の承認済みメモ"


def _text(name: str, data: bytes) -> str:
    if name.endswith(".xlsx"):
        ws = load_workbook(io.BytesIO(data)).active
        return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    return data.decode("cp932" if name.endswith("_cp932.csv") else "utf-8")


def public_surface(client, plan) -> dict[str, str]:
    """Every public URL of the plan, with its body: pages, API (all pages), every download, catalogue."""
    out: dict[str, str] = {}
    urls = ["/public/", "/public/catalog.jsonld", f"/public/plans/{plan.pk}/", f"/public/plans/{plan.pk}/data/",
            f"/public/plans/{plan.pk}/data/dcat.jsonld", f"/public/plans/{plan.pk}/data/datapackage.json",
            "/api/v1/plans/", f"/api/v1/sections/?plan={plan.pk}", f"/api/v1/initiatives/?plan={plan.pk}"]
    urls += [f"/public/plans/{plan.pk}/initiatives/{pk}/" for pk in plan.initiatives.values_list("pk", flat=True)[:8]]
    for url in urls:
        r = client.get(url)
        out[url] = r.content.decode() if r.status_code == 200 else f"<{r.status_code}>"
    url = f"/api/v1/reviews/?plan={plan.pk}&limit=100"
    while url:
        response = client.get(url)
        data = response.json()
        out[url] = json.dumps(data, ensure_ascii=False)
        url = response.status_code == 200 and data["next"] and data["next"].removeprefix("http://testserver")
    package = client.get(f"/public/plans/{plan.pk}/data/datapackage.json")
    if package.status_code == 200:
        for resource in package.json()["resources"]:
            r = client.get(f"/public/plans/{plan.pk}/data/{resource['path']}")
            assert r.status_code == 200, resource["path"]
            out[resource["path"]] = _text(resource["path"], r.content)
    return out


@pytest.fixture
def fresh(kanagawa_plan, sato):
    """The Kanagawa plan with its final inspection approved (as loaded) but nothing published, plus an
    FY2017 inspection whose approved answers carry MARK on the first initiative."""
    plan = kanagawa_plan
    first = plan.initiatives.filter(is_heading=False).order_by("order").first()
    fy2017 = add_inspection(plan, fiscal_year=2017, title="平成29年度 点検")
    add_review(fy2017, first, status="in_progress", approval=InitiativeReview.Approval.APPROVED,
               outcome=f"{MARK}（成果）")
    return plan, fy2017, first


def test_approved_but_unpublished_is_nowhere_public(client, fresh):
    plan, _fy2017, _first = fresh
    assert InitiativeReview.objects.filter(inspection__plan=plan, approval="approved").count() > 100
    surface = public_surface(client, plan)
    assert surface[f"/public/plans/{plan.pk}/"] == "<404>"  # a plan appears only once something is published
    assert surface[f"/public/plans/{plan.pk}/data/datapackage.json"] == "<404>"
    assert plan.title not in surface["/public/"] and plan.title not in surface["/public/catalog.jsonld"]
    assert json.loads(surface["/api/v1/plans/"])["count"] == 0
    for url, body in surface.items():
        assert MARK not in body, url


def test_published_appears_everywhere_then_withdrawal_removes_it_at_once(client, fresh, sato, settings):
    settings.TENKEN_PUBLIC_CACHE = True
    plan, fy2017, first = fresh
    publish(plan.inspections.get(kind=Inspection.Kind.FINAL), sato)
    before = public_surface(client, plan)
    assert all(MARK not in body for body in before.values())
    assert client.get(f"/public/plans/{plan.pk}/")["X-Tenken-Cache"] == "hit"  # cached while nothing changes

    publication = publish(fy2017, sato, note="平成29年度の点検結果を公表")
    after = public_surface(client, plan)
    seen = {url for url, body in after.items() if MARK in body}
    assert f"/public/plans/{plan.pk}/initiatives/{first.pk}/" in seen
    assert any(u.startswith("/api/v1/reviews/") for u in seen)
    assert {"reviews.csv", "reviews_cp932.csv", "reviews.json", "reviews.xlsx"} <= seen
    assert "平成29年度 点検" in after[f"/public/plans/{plan.pk}/"]
    assert plan.title in after["/public/catalog.jsonld"]
    catalog = json.loads(after["/public/catalog.jsonld"])
    dataset = catalog["dcat:dataset"][0]
    assert dataset["dct:modified"]["@value"] == timezone.localtime(publication.published_at).date().isoformat()

    publication_withdraw(user=sato, publication_id=publication.pk, reason="記載誤りのため")
    gone = public_surface(client, plan)
    for url, body in gone.items():
        assert MARK not in body, url
    assert "平成29年度 点検" not in gone[f"/public/plans/{plan.pk}/"]


def test_public_content_is_the_copy_frozen_at_publication(client, world, sato):
    review = world.annual.reviews.select_related("initiative").order_by("initiative__order").first()
    url = f"/public/plans/{world.plan.pk}/initiatives/{review.initiative_id}/"
    original = review.outcome
    assert original in client.get(url).content.decode()
    InitiativeReview.objects.filter(pk=review.pk).update(outcome="公表後に書き換えた成果")
    assert "公表後に書き換えた成果" not in client.get(url).content.decode()
    assert original in client.get(url).content.decode()
    v2 = publish(world.annual, sato, note="成果の記述を修正")
    assert v2.version == 2 and v2.changes["changed"] == [review.initiative.number_label]
    assert "公表後に書き換えた成果" in client.get(url).content.decode()
    states = dict(Publication.objects.filter(inspection=world.annual).values_list("version", "state"))
    assert states == {1: "superseded", 2: "current"}
    with pytest.raises(InputRejected, match="内容が変わっていません"):
        publish(world.annual, sato)


def test_only_the_ict_admin_publishes(client, fresh, sato, django_user_model):
    from tenken.orgs.models import Department, Membership, Organization

    _plan, fy2017, _ = fresh
    org = Organization.objects.get(code="140007")
    dept = Department.objects.create(organization=org, name="政策局")
    approver = django_user_model.objects.create_user("takahashi")
    Membership.objects.create(user=approver, organization=org, department=dept, role=Membership.Role.APPROVER)
    viewer = django_user_model.objects.create_user("ito")
    Membership.objects.create(user=viewer, organization=org, role=Membership.Role.VIEWER)
    for user in (approver, viewer, django_user_model.objects.create_user("watanabe")):
        with pytest.raises(PermissionDenied):
            inspection_publish(user=user, inspection_id=fy2017.pk)
        client.force_login(user)
        assert client.post(f"/inspections/{fy2017.pk}/publish/").status_code == 403
        assert client.get(f"/inspections/{fy2017.pk}/publication/").status_code == 403
    assert not Publication.objects.exists()
    client.force_login(sato)
    page = client.get(f"/inspections/{fy2017.pk}/publication/").content.decode()
    assert "プレビュー" in page and MARK[:6] in page
    assert client.post(f"/inspections/{fy2017.pk}/publish/", {"note": "初版"}).status_code == 302
    publication = Publication.objects.get(inspection=fy2017)
    assert publication.version == 1 and publication.published_by == sato and publication.note == "初版"
    assert publication.review_count == 1 and len(publication.content_hash) == 64
    with pytest.raises(InputRejected, match="理由"):
        publication_withdraw(user=sato, publication_id=publication.pk, reason=" ")
    client.post(f"/publications/{publication.pk}/withdraw/", {"reason": "誤り"})
    publication.refresh_from_db()
    assert publication.state == "withdrawn" and publication.withdrawn_by == sato
    history = client.get(f"/inspections/{fy2017.pk}/publication/").content.decode()
    assert "取り下げ" in history and "誤り" in history


def test_nothing_to_publish_is_refused(fresh, sato):
    _plan, fy2017, _ = fresh
    InitiativeReview.objects.filter(inspection=fy2017).update(approval="submitted")
    with pytest.raises(InputRejected, match="承認済みの点検結果がない"):
        publish(fy2017, sato)
    assert not Publication.objects.exists()
