"""Fixtures and personas for the indicator tests.

Personas: Alice is the ICT admin of 神奈川県 (sees its indicators), Bob is logged in without the staff flag (refused),
and an anonymous visitor is sent to the login page.
"""

from __future__ import annotations

import pytest

from tests.conftest import DATA

from ..personas import operator


@pytest.fixture
def alice(db, django_user_model):
    """Admin of 神奈川県 (the staff flag alone would grant nothing)."""
    from tenken.orgs.models import Membership
    from tenken.orgs.services import organization_for_code

    user = django_user_model.objects.create_user("alice", password="x-alice-pass", is_staff=True)
    Membership.objects.create(user=user, organization=organization_for_code(code="140007"), role=Membership.Role.ADMIN)
    return user


@pytest.fixture
def bob(db, django_user_model):
    return django_user_model.objects.create_user("bob", password="x-bob-pass")


@pytest.fixture
def kanagawa_indicators(kanagawa_plan):
    """The Kanagawa plan with tenken/demo/data/kanagawa/indicators.csv imported against it."""
    from tenken.indicators.importing import import_indicators_file

    import_indicators_file(DATA / "indicators.csv", user=operator(), org_code="140007", plan_id=kanagawa_plan.pk)
    return kanagawa_plan


@pytest.fixture
def kanagawa(db):
    from tenken.orgs.services import organization_for_code

    return organization_for_code(code="140007")
