"""Writes for organizations and departments."""

from __future__ import annotations

from django.db import transaction

from tenken.common.errors import InputRejected, Problem

from .lgcode import LgCodeError, clean_lgcode
from .master import master_by_code, master_organizations
from .models import Department, Organization


def organization_for_code(*, code: object, location: str = "団体コード") -> Organization:
    """The organization with this 団体コード, created from the national master list on first use.

    Raises :class:`InputRejected` for a malformed code, a wrong check digit or an unknown code.
    """
    try:
        clean = clean_lgcode(code)
    except LgCodeError as exc:
        raise InputRejected(Problem(location, str(exc))) from exc
    org = Organization.objects.filter(code=clean).first()
    if org is not None:
        return org
    master = master_by_code().get(clean)
    if master is None:
        raise InputRejected(Problem(location, f"団体コード「{clean}」は全国地方公共団体コードの一覧にありません"))
    with transaction.atomic():
        parent = organization_for_code(code=master.parent_code) if master.parent_code else None
        org, _ = Organization.objects.get_or_create(
            code=clean, defaults={"name": master.name, "kana": master.kana, "kind": master.kind, "parent": parent}
        )
    return org


@transaction.atomic
def organizations_load_master(*, user) -> int:
    """Create every organization of the master list that is missing; returns how many were created.

    National data: ``user`` must be a superuser (:func:`tenken.orgs.access.national_data_check`). Creating
    one organization on first use (:func:`organization_for_code`) is part of the import that needs it."""
    from .access import national_data_check

    national_data_check(user=user)
    existing = set(Organization.objects.values_list("code", flat=True))
    masters = master_organizations()
    prefectures = [
        Organization(code=m.code, name=m.name, kana=m.kana, kind=m.kind)
        for m in masters
        if m.kind == "prefecture" and m.code not in existing
    ]
    Organization.objects.bulk_create(prefectures)
    pref_ids = dict(Organization.objects.filter(kind="prefecture").values_list("code", "id"))
    others = [
        Organization(code=m.code, name=m.name, kana=m.kana, kind=m.kind, parent_id=pref_ids.get(m.parent_code or ""))
        for m in masters
        if m.kind != "prefecture" and m.code not in existing
    ]
    Organization.objects.bulk_create(others, batch_size=500)
    return len(prefectures) + len(others)


def department_get_or_create(*, organization: Organization, name: str, parent: Department | None = None) -> Department:
    dept, _ = Department.objects.get_or_create(organization=organization, parent=parent, name=name.strip())
    return dept


def departments_get_or_create(*, organization: Organization, names: list[str]) -> dict[str, Department]:
    """The top-level departments named ``names`` (stripped), the missing ones created in name order: what
    :func:`department_get_or_create` gives for each name, in two queries instead of one or two per name."""
    wanted = sorted({n.strip() for n in names if n.strip()})
    found = {d.name: d for d in Department.objects.filter(organization=organization, parent=None, name__in=wanted)}
    missing = [Department(organization=organization, parent=None, name=n) for n in wanted if n not in found]
    for dept in Department.objects.bulk_create(missing):
        found[dept.name] = dept
    return found
