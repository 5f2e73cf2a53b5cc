"""Importing a plan file (.xlsx in the 別紙 layout, or .csv): read → validate → write, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction

from tenken.common.errors import InputRejected, Problem
from tenken.common.wareki import WarekiError, parse_fiscal_year_range
from tenken.orgs.access import plan_import_check
from tenken.orgs.services import organization_for_code

from .draft import PlanDraft, assemble
from .models import Plan
from .services import plan_find_duplicate, plan_import
from .source import read_plan_file, read_structure_csv
from .statuses import KANAGAWA_STATUSES


@dataclass
class PlanImportResult:
    draft: PlanDraft
    plan: Plan | None  # None for a dry run
    warnings: list[Problem] = field(default_factory=list)


def import_plan_file(
    path: Path | str,
    *,
    user,
    org_code: str,
    title: str,
    fiscal_years: str,
    structure: Path | str | None = None,
    dry_run: bool = False,
    as_of: date | None = None,
    name: str | None = None,
) -> PlanImportResult:
    """Import ``path`` as ``user``; raise :class:`InputRejected` listing every problem, with nothing written.

    ``user`` must be the organization's ICT admin (:func:`tenken.orgs.access.plan_import_check`, checked
    before the file is read: :class:`~tenken.orgs.access.AccessDenied`); the import is recorded under that name.

    Everything, including the organization created from the national master list on first use, is
    written in one transaction that a dry run or any problem rolls back.
    """
    with transaction.atomic():
        result = _import(path, user=user, org_code=org_code, title=title, fiscal_years=fiscal_years,
                         structure=structure, as_of=as_of, name=name)
        if dry_run:
            transaction.set_rollback(True)
            result.plan = None
        return result


def _import(path, *, user, org_code, title, fiscal_years, structure, as_of, name) -> PlanImportResult:
    problems: list[Problem] = []
    organization = None
    try:
        organization = organization_for_code(code=org_code, location="--org")
    except InputRejected as exc:
        problems.extend(exc.problems)
    if organization is not None:
        plan_import_check(user=user, organization=organization)  # before reading: a refused user costs no parsing
    period = None
    try:
        period = parse_fiscal_year_range(fiscal_years)
    except WarekiError as exc:
        problems.append(Problem("--fiscal-years", str(exc)))
    if not title.strip():
        problems.append(Problem("--title", "計画名が空です"))
    structure_items = read_structure_csv(structure) if structure else None
    draft = None
    try:
        draft = assemble(read_plan_file(path, name=name), statuses=KANAGAWA_STATUSES, structure=structure_items)
    except InputRejected as exc:
        problems.extend(exc.problems)
    if organization is not None and period is not None and title.strip():
        dup = plan_find_duplicate(
            organization=organization, title=title.strip(), first_fiscal_year=period[0], last_fiscal_year=period[1]
        )
        if dup is not None:
            problems.append(
                Problem("計画", f"計画「{dup}」は既に登録されています（ID {dup.pk}）。二重に取り込むことはできません")
            )
    if problems:
        raise InputRejected(problems)
    assert draft is not None and organization is not None and period is not None
    plan = plan_import(
        draft=draft,
        organization=organization,
        title=title.strip(),
        first_fiscal_year=period[0],
        last_fiscal_year=period[1],
        source_name=name or Path(path).name,
        as_of=as_of,
        user=user,
    )
    return PlanImportResult(draft=draft, plan=plan, warnings=draft.warnings)
