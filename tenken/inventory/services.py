"""Writes for the register and municipal follow-up. Every interface calls these.

Register and follow-up writes take the acting ``user`` and ask :func:`tenken.orgs.access.can_edit_register`
(the organization's — for the follow-up, the prefecture's — admin or a 台帳編集者); every changed field is recorded as an
:class:`~tenken.inventory.models.InformationSystemChange` (who, when, old → new, how).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction

from tenken.common.bulk import db_now, insert_rows, update_rows
from tenken.common.errors import InputRejected, Problem
from tenken.orgs.access import AccessDenied, can_edit_register, register_update_check
from tenken.orgs.models import Department, Organization
from tenken.orgs.services import departments_get_or_create

from .models import (
    InformationSystem,
    InformationSystemChange,
    MunicipalGoal,
    MunicipalProgress,
    SystemCost,
    SystemState,
)
from .register_format import SystemRow, read_register
from .rules import system_problems

BATCH = 500  # rows per INSERT/UPDATE statement (SQLite's variable limit allows 32766 / columns)
_HISTORY_COLUMNS = ("organization_id", "system_id", "system_name", "changed_by_id", "changed_at", "field", "old_value",
                    "new_value", "via")
TRACKED_FIELDS = ("department", "purpose", "segment", "hosting", "internet_facing", "in_service_on", "retired_on",
                  "contract_end", "state", "note", "successor")
# What a register row sets directly; the successor is linked once every system of the file exists.
_IMPORTED_FIELDS = tuple(f for f in TRACKED_FIELDS if f != "successor")


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


def _check_successors(rows: list[SystemRow], registered: set[str]) -> None:
    names = {r.name for r in rows} | registered
    problems = [
        Problem(r.refs.get("successor", r.where), f"統合先システム「{r.successor}」が台帳にもこのファイルにもありません")
        for r in rows
        if r.successor and r.successor not in names
    ]
    if problems:
        raise InputRejected(problems)


def absent_systems_note(organization: Organization, rows: list[SystemRow]) -> list[str]:
    """A note naming the systems in service in the register that the file does not list. The import leaves them
    as they are (a register of the next year may leave out a retired system, or rename one): it neither deletes
    nor retires anything by absence, but says so, so that a system renamed in the file is not silently kept twice."""
    names = {r.name for r in rows}
    absent = sorted(n for n in InformationSystem.objects.filter(organization=organization, state=SystemState.ACTIVE)
                    .values_list("name", flat=True) if n not in names)
    if not absent:
        return []
    return [f"台帳に登録済みの稼働中のシステムのうち、このファイルにないもの {len(absent)} 件（{'、'.join(absent)}）は"
            "変更せずに残します（削除・廃止はしません）。廃止・統合したシステムは状態と廃止日を書いた行を残し、"
            "名称を変えたシステムは先に画面で名称を直してから取り込んでください（新しい名称の行は別のシステムとして"
            "登録されます）"]


@dataclass
class RegisterPreview:
    """What importing a register would do: the systems it would create, change (with the items that change)
    and leave as they are. Shown before the import (``--dry-run``, the upload's confirm step)."""

    new: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[str]]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # How the file was read: sheets and columns not read, fee columns summed, headings (read_register's notes).
    notes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"new": len(self.new), "changed": len(self.changed), "unchanged": len(self.unchanged)}

    def summary(self) -> str:
        return f"新規 {len(self.new)} 件、変更 {len(self.changed)} 件、変更なし {len(self.unchanged)} 件"


def _label(field_name: str) -> str:
    return str(InformationSystem._meta.get_field(field_name).verbose_name)


def register_preview_rows(*, user, organization: Organization, rows: list[SystemRow]) -> RegisterPreview:
    """What :func:`register_import_rows` would write for ``rows``, checked the same way; writes nothing.

    A system is changed when any item the file sets (the fields, the 統合先, a year's cost) differs from what
    is stored; a 所管所属 not registered yet is a change too (the import creates it)."""
    from tenken.common.wareki import fiscal_year_label

    _check_register_access(user, organization)
    existing = {
        s.name: s
        for s in InformationSystem.objects.filter(organization=organization).select_related("successor")
    }
    _check_successors(rows, set(existing))
    wanted = {r.department.strip() for r in rows if r.department and r.department.strip()}
    departments = dict(Department.objects.filter(organization=organization, parent=None, name__in=wanted)
                       .values_list("name", "pk"))
    costs = {(name, fy): amount for name, fy, amount in SystemCost.objects.filter(
        system__organization=organization).values_list("system__name", "fiscal_year", "amount_yen")}
    preview = RegisterPreview()
    for r in rows:
        system = existing.get(r.name)
        if system is None:
            preview.new.append(r.name)
            continue
        department = r.department.strip() if r.department else ""
        if department and department not in departments:
            items = [_label("department")]  # a department the import creates
        else:
            items = [_label("department")] if departments.get(department) != system.department_id else []
        values = {"purpose": r.purpose, "segment": r.segment, "hosting": r.hosting, "internet_facing": r.internet_facing,
                  "in_service_on": r.in_service_on, "retired_on": r.retired_on, "contract_end": r.contract_end,
                  "state": r.state, "note": r.note}
        items += [_label(f) for f, v in values.items() if getattr(system, f) != v]
        if (system.successor.name if system.successor_id else "") != r.successor:
            items.append(_label("successor"))
        items += [f"運用経費（{fiscal_year_label(fy)}）" for fy, amount in sorted(r.costs.items())
                  if costs.get((r.name, fy)) != amount]
        if items:
            preview.changed.append((r.name, items))
        else:
            preview.unchanged.append(r.name)
    return preview


def register_preview_file(
    *, user, organization: Organization, path: Path | str, name: str | None = None, confirm_segments: bool = False,
) -> RegisterPreview:
    """Read and check a register file as :func:`register_import_file` does and say what it would write; writes
    nothing (``tenken inventory import --dry-run``, the confirm step of the upload)."""
    _check_register_access(user, organization)
    rows = read_register(path, name=name, confirm_segments=confirm_segments)
    preview = register_preview_rows(user=user, organization=organization, rows=rows)
    preview.notes = [*rows.notes, *absent_systems_note(organization, rows)]
    return preview


@transaction.atomic
def register_import_rows(
    *, user, organization: Organization, rows: list[SystemRow], via: str = InformationSystemChange.Via.IMPORT
) -> dict[str, int]:
    """Create or update the systems named in ``rows`` (matched by name), all or nothing.

    Costs given for a fiscal year replace that year's cost; years not given are left as they are.
    A 統合先システム must be in the same file or already registered. Set-based: a few queries per
    thousand rows (bulk insert and update of the systems and costs that change, the history as plain
    multi-row inserts: :func:`tenken.common.bulk.insert_rows`), whatever the size of the register; a row
    whose values are those stored is not written.
    """
    _check_register_access(user, organization)
    existing = {
        s.name: s
        for s in InformationSystem.objects.filter(organization=organization).select_related("department", "successor")
    }
    before = {name: _snapshot(s) for name, s in existing.items()}
    costs_before: dict[tuple[str, int], tuple[int, int]] = {
        (name, fy): (pk, amount)
        for pk, name, fy, amount in SystemCost.objects.filter(system__organization=organization).values_list(
            "pk", "system__name", "fiscal_year", "amount_yen"
        )
    }
    _check_successors(rows, set(existing))
    departments = departments_get_or_create(organization=organization,
                                            names=[r.department for r in rows if r.department])
    by_name: dict[str, InformationSystem] = dict(existing)
    new_systems: list[InformationSystem] = []
    changed: list[InformationSystem] = []
    for r in rows:
        values = {
            "department": departments[r.department.strip()] if r.department and r.department.strip() else None,
            "purpose": r.purpose, "segment": r.segment, "hosting": r.hosting, "internet_facing": r.internet_facing,
            "in_service_on": r.in_service_on, "retired_on": r.retired_on, "contract_end": r.contract_end,
            "state": r.state, "note": r.note,
        }
        system = by_name.get(r.name)
        if system is None:
            system = by_name[r.name] = InformationSystem(organization=organization, name=r.name, **values)
            new_systems.append(system)
        elif any(getattr(system, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(system, f, v)
            changed.append(system)
    InformationSystem.objects.bulk_create(new_systems, batch_size=BATCH)
    InformationSystem.objects.bulk_update(changed, list(_IMPORTED_FIELDS), batch_size=BATCH)
    # Every row of the file names its successor (none: cleared), after all its systems exist.
    relinked = []
    for r in rows:
        system = by_name[r.name]
        successor = by_name[r.successor] if r.successor else None
        if system.successor_id != (successor.pk if successor else None):
            relinked.append(system)
        system.successor = successor
    InformationSystem.objects.bulk_update(relinked, ["successor"], batch_size=BATCH)
    new_costs: list[tuple[int, int, int]] = []
    changed_costs: list[tuple[int, int]] = []
    for r in rows:
        for fy, amount in r.costs.items():
            stored = costs_before.get((r.name, fy))
            if stored is None:
                new_costs.append((by_name[r.name].pk, fy, amount))
            elif stored[1] != amount:
                changed_costs.append((amount, stored[0]))
    insert_rows(SystemCost, ("system_id", "fiscal_year", "amount_yen"), new_costs)
    update_rows(SystemCost, ("amount_yen",), changed_costs)
    # The history: one row per created system and per changed field (who, when, old → new, how).
    now, user_id = db_now(), getattr(user, "pk", None)
    history: list[tuple] = []
    for r in rows:
        pk = by_name[r.name].pk
        old = before.get(r.name)
        if old is None:
            history.append((organization.pk, pk, r.name, user_id, now, "登録", "", r.name, via))
            old = dict.fromkeys(TRACKED_FIELDS, "")
        new = _snapshot(by_name[r.name])
        history += [(organization.pk, pk, r.name, user_id, now, f, old[f], new[f], via)
                    for f in TRACKED_FIELDS if old[f] != new[f]]
        for fy, amount in r.costs.items():
            was = costs_before.get((r.name, fy), (0, None))[1]
            if was != amount:
                history.append((organization.pk, pk, r.name, user_id, now, f"運用経費{fy}", _shown(was), str(amount), via))
    insert_rows(InformationSystemChange, _HISTORY_COLUMNS, history)
    return {"created": len(new_systems), "updated": sum(1 for r in rows if r.name in existing)}


def register_import_file(
    *, user, organization: Organization, path: Path | str, name: str | None = None,
    via: str = InformationSystemChange.Via.IMPORT, confirm_segments: bool = False, notes: list[str] | None = None,
) -> dict[str, int]:
    """Read, check and import a register file, all or nothing; ``notes`` (when given) receives how the file was
    read (sheets and columns not read, fee columns summed …), as the dry run shows them."""
    _check_register_access(user, organization)  # before reading: a refused user costs no parsing
    rows = read_register(path, name=name, confirm_segments=confirm_segments)
    if notes is not None:
        notes += [*rows.notes, *absent_systems_note(organization, rows)]
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
