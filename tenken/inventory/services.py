"""Writes for the register and municipal follow-up. Every interface calls these.

Register and follow-up writes take the acting ``user`` and ask :func:`tenken.orgs.access.can_edit_register`
(the organization's — for the follow-up, the prefecture's — admin or a 台帳編集者); every changed field is recorded as an
:class:`~tenken.inventory.models.InformationSystemChange` (who, when, old → new, how).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.db import transaction

from tenken.common.errors import InputRejected, Problem
from tenken.orgs.access import AccessDenied, can_edit_register, register_update_check
from tenken.orgs.models import Organization
from tenken.orgs.services import department_get_or_create

from .models import InformationSystem, InformationSystemChange, MunicipalGoal, MunicipalProgress, SystemCost
from .register_format import SystemRow, read_register
from .rules import system_problems

TRACKED_FIELDS = ("department", "purpose", "segment", "hosting", "internet_facing", "in_service_on", "retired_on",
                  "contract_end", "state", "note", "successor")


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    return str(value)


def _check_register_access(user, organization: Organization) -> None:
    if not can_edit_register(user, organization):
        raise AccessDenied(f"「{organization.name}」の情報システム台帳を更新する権限がありません（団体の管理者・台帳編集者のみ）")


def _snapshot(system: InformationSystem) -> dict[str, str]:
    return {f: _shown(getattr(system, f)) for f in TRACKED_FIELDS}


@transaction.atomic
def register_import_rows(
    *, user, organization: Organization, rows: list[SystemRow], via: str = InformationSystemChange.Via.IMPORT
) -> dict[str, int]:
    """Create or update the systems named in ``rows`` (matched by name), all or nothing.

    Costs given for a fiscal year replace that year's cost; years not given are left as they are.
    A 統合先システム must be in the same file or already registered.
    """
    _check_register_access(user, organization)
    existing = {
        s.name: s
        for s in InformationSystem.objects.filter(organization=organization).select_related("department", "successor")
    }
    before = {name: _snapshot(s) for name, s in existing.items()}
    costs_before = {
        (name, fy): amount
        for name, fy, amount in SystemCost.objects.filter(system__organization=organization).values_list(
            "system__name", "fiscal_year", "amount_yen"
        )
    }
    names = {r.name for r in rows} | set(existing)
    problems = [
        Problem(r.refs.get("successor", r.where), f"統合先システム「{r.successor}」が台帳にもこのファイルにもありません")
        for r in rows
        if r.successor and r.successor not in names
    ]
    if problems:
        raise InputRejected(problems)
    created = updated = 0
    by_name: dict[str, InformationSystem] = dict(existing)
    for r in rows:
        values = {
            "department": department_get_or_create(organization=organization, name=r.department) if r.department else None,
            "purpose": r.purpose,
            "segment": r.segment,
            "hosting": r.hosting,
            "internet_facing": r.internet_facing,
            "in_service_on": r.in_service_on,
            "retired_on": r.retired_on,
            "contract_end": r.contract_end,
            "state": r.state,
            "note": r.note,
        }
        system, was_created = InformationSystem.objects.update_or_create(
            organization=organization, name=r.name, defaults=values
        )
        created += was_created
        updated += not was_created
        by_name[r.name] = system
        for fy, amount in r.costs.items():
            SystemCost.objects.update_or_create(system=system, fiscal_year=fy, defaults={"amount_yen": amount})
    for r in rows:
        successor = by_name[r.successor] if r.successor else None
        InformationSystem.objects.filter(pk=by_name[r.name].pk).update(successor=successor)
        by_name[r.name].successor = successor
    history: list[InformationSystemChange] = []
    for r in rows:
        system = by_name[r.name]
        old = before.get(r.name)
        if old is None:
            history.append(InformationSystemChange(
                organization=organization, system=system, system_name=r.name, changed_by=user, field="登録",
                new_value=r.name, via=via))
            old = dict.fromkeys(TRACKED_FIELDS, "")
        new = _snapshot(system)
        history += [
            InformationSystemChange(organization=organization, system=system, system_name=r.name, changed_by=user,
                                    field=f, old_value=old[f], new_value=new[f], via=via)
            for f in TRACKED_FIELDS
            if old[f] != new[f]
        ]
        history += [
            InformationSystemChange(organization=organization, system=system, system_name=r.name, changed_by=user,
                                    field=f"運用経費{fy}", old_value=_shown(costs_before.get((r.name, fy))),
                                    new_value=str(amount), via=via)
            for fy, amount in r.costs.items()
            if costs_before.get((r.name, fy)) != amount
        ]
    InformationSystemChange.objects.bulk_create(history)
    return {"created": created, "updated": updated}


def register_import_file(
    *, user, organization: Organization, path: Path | str, name: str | None = None,
    via: str = InformationSystemChange.Via.IMPORT, confirm_segments: bool = False,
) -> dict[str, int]:
    _check_register_access(user, organization)  # before reading: a refused user costs no parsing
    rows = read_register(path, name=name, confirm_segments=confirm_segments)
    return register_import_rows(user=user, organization=organization, rows=rows, via=via)


@transaction.atomic
def system_save(*, user, system: InformationSystem, via: str = InformationSystemChange.Via.WEB) -> InformationSystem:
    """Validate a system against the register rules and save it, recording each changed field."""
    _check_register_access(user, system.organization)
    problems = system_problems(
        segment=system.segment,
        internet_facing=system.internet_facing,
        state=system.state,
        in_service_on=system.in_service_on,
        retired_on=system.retired_on,
        successor_name=system.successor.name if system.successor_id else "",
    )
    if problems:
        raise InputRejected([Problem(f"{system.name}「{f}」", m) for f, m in problems])
    stored = InformationSystem.objects.filter(pk=system.pk).select_related("department", "successor").first()
    old = _snapshot(stored) if stored is not None else dict.fromkeys(TRACKED_FIELDS, "")
    system.save()
    new = _snapshot(system)
    changes = [
        InformationSystemChange(organization_id=system.organization_id, system=system, system_name=system.name,
                                changed_by=user, field=f, old_value=old[f], new_value=new[f], via=via)
        for f in TRACKED_FIELDS
        if old[f] != new[f]
    ]
    if stored is None:
        changes.insert(0, InformationSystemChange(organization_id=system.organization_id, system=system,
                                                  system_name=system.name, changed_by=user, field="登録",
                                                  new_value=system.name, via=via))
    InformationSystemChange.objects.bulk_create(changes)
    return system


@transaction.atomic
def municipal_goal_create(
    *, user, prefecture: Organization, name: str, target_date: date, target_text: str = "", plan=None
) -> MunicipalGoal:
    """Create a goal and one progress row (not yet achieved) for each municipality of the prefecture."""
    register_update_check(user=user, organization=prefecture)
    if prefecture.kind != Organization.Kind.PREFECTURE:
        raise InputRejected(Problem("団体", f"{prefecture.name} は都道府県ではありません"))
    from tenken.orgs.master import iter_master
    from tenken.orgs.services import organization_for_code

    for master in iter_master():
        # the prefecture's municipalities come from the national master list when not registered yet
        if master.parent_code == prefecture.code and master.kind != Organization.Kind.WARD:
            organization_for_code(code=master.code)
    goal = MunicipalGoal.objects.create(
        prefecture=prefecture, name=name, target_date=target_date, target_text=target_text, plan=plan
    )
    municipalities = prefecture.municipalities.exclude(kind=Organization.Kind.WARD)
    MunicipalProgress.objects.bulk_create(MunicipalProgress(goal=goal, municipality=m) for m in municipalities)
    return goal


@transaction.atomic
def municipal_progress_set(
    *, user, goal: MunicipalGoal, municipality: Organization, achieved_on: date | None, note: str = ""
) -> MunicipalProgress:
    register_update_check(user=user, organization=goal.prefecture)
    if municipality.parent_id != goal.prefecture_id or municipality.kind == Organization.Kind.WARD:
        raise InputRejected(Problem("団体", f"{municipality.name} は {goal.prefecture.name} の市町村ではありません"))
    progress, _ = MunicipalProgress.objects.update_or_create(
        goal=goal, municipality=municipality, defaults={"achieved_on": achieved_on, "note": note}
    )
    return progress


@transaction.atomic
def municipal_progress_import(*, user, goal: MunicipalGoal, path: Path | str, name: str | None = None) -> int:
    """Set progress from a CSV (see :mod:`municipal_format`); all rows or none. Returns rows applied."""
    from .municipal_format import read_municipal_csv

    register_update_check(user=user, organization=goal.prefecture)  # before reading the file

    rows = read_municipal_csv(path, name=name)
    municipalities = {
        m.code: m for m in goal.prefecture.municipalities.exclude(kind=Organization.Kind.WARD)
    }
    problems = [
        Problem(f"{r.where}「団体コード」", f"{r.code} は {goal.prefecture.name} の市町村ではありません")
        for r in rows
        if r.code not in municipalities
    ]
    if problems:
        raise InputRejected(problems)
    for r in rows:
        municipal_progress_set(user=user, goal=goal, municipality=municipalities[r.code], achieved_on=r.achieved_on, note=r.note)
    return len(rows)
