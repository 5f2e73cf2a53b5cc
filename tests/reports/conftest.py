"""Fixtures for the report tests: the Kanagawa plan with its inspection narratives, and personas."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command

from tenken.demo import KANAGAWA_DIR

from ..personas import OPERATOR


@pytest.fixture
def report_plan(kanagawa_plan):
    """The Kanagawa plan with items.csv and inspection.toml loaded through ``tenken import-inspection``."""
    call_command(
        "import_inspection", str(KANAGAWA_DIR / "items.csv"), "--plan", str(kanagawa_plan.pk),
        "--text", str(KANAGAWA_DIR / "inspection.toml"), "--user", OPERATOR, verbosity=0,
    )
    return kanagawa_plan


@pytest.fixture
def alice(django_user_model):
    """Alice runs the ICT division's inspection: admin of 神奈川県 (is_staff alone grants nothing)."""
    from tenken.orgs.models import Membership
    from tenken.orgs.services import organization_for_code

    user = django_user_model.objects.create_user("alice", password="pw-alice", is_staff=True)
    Membership.objects.create(user=user, organization=organization_for_code(code="140007"), role=Membership.Role.ADMIN)
    return user


@pytest.fixture
def bob(django_user_model):
    """Bob is not staff but was given the permission to view inspections."""
    user = django_user_model.objects.create_user("bob", password="pw-bob")
    user.user_permissions.add(Permission.objects.get(codename="view_inspection", content_type__app_label="reviews"))
    return user


@pytest.fixture
def charlie(django_user_model):
    """Charlie has a login but no access to inspections."""
    return django_user_model.objects.create_user("charlie", password="pw-charlie")
