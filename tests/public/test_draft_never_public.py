"""A draft, submitted or returned answer never appears on the public pages, in the API or in the
downloads — and the latest public status of an initiative ignores it."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from tenken.opendata.package import plan_files
from tenken.public.visibility import public_reviews
from tenken.reviews.models import InitiativeReview

from .conftest import SECRET

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
    assert client.get(f"/api/v1/reviews/?inspection={world.followup.pk}").json()["count"] == 0
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
