"""The home page's 「まだ公開していない点検結果」 uses pub's Publication: never published, or changed since."""

from __future__ import annotations

import pytest
from django.test import Client

from tenken.reviews.models import InitiativeReview
from tenken.web.selectors import unpublished_inspections

from .personas import cast_for, small_plan
from .public.conftest import add_inspection, add_review, publish

pytestmark = pytest.mark.django_db


def test_unpublished_then_published_then_changed_since():
    cast = cast_for(small_plan())
    inspection = add_inspection(cast.plan, fiscal_year=2017, title="平成29年度 点検")
    review = add_review(inspection, cast.plan.initiatives.first(), status="in_progress",
                        approval=InitiativeReview.Approval.APPROVED, outcome="成果")
    orgs = [cast.org.pk]
    (listed,) = unpublished_inspections(organization_ids=orgs)
    assert listed.inspection == inspection and listed.approved == 1 and not listed.changed_since
    home = Client()
    home.force_login(cast.sato)
    assert "平成29年度 点検" in home.get("/").content.decode()

    publish(inspection, cast.sato)
    assert unpublished_inspections(organization_ids=orgs) == []
    assert "公開を待っている点検結果はありません" in home.get("/").content.decode()

    InitiativeReview.objects.filter(pk=review.pk).update(outcome="承認後に直した成果")  # still approved
    (changed,) = unpublished_inspections(organization_ids=orgs)
    assert changed.changed_since
    assert "公表後に変更あり" in home.get("/").content.decode()
    assert unpublished_inspections(organization_ids=[cast.org.pk + 999]) == []  # another organization's admin

    publish(inspection, cast.sato)
    assert unpublished_inspections(organization_ids=orgs) == []


def test_the_import_wizard_is_linked_for_the_ict_admin_only():
    cast = cast_for(small_plan())
    for persona, linked in (("sato", True), ("nakamura", True), ("suzuki", False), ("ito", False)):
        client = Client()
        client.force_login(getattr(cast, persona))
        page = client.get("/").content.decode()
        assert (page.count('href="/plans/import/"') >= 2) is linked, persona  # menu and home
        assert ('href="/plans/import/"' in page) is linked, persona
