"""Writes of the import: a plan from a file and a mapping (all or nothing), and mapping profiles.

The web wizard and ``tenken import-plan --mapping`` both call :func:`plan_import_mapped`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from tenken.common.errors import InputRejected, Problem
from tenken.common.wareki import WarekiError, parse_fiscal_year_range
from tenken.orgs.access import AccessDenied, can_import_plan, plan_import_check
from tenken.orgs.models import Organization
from tenken.orgs.services import organization_for_code
from tenken.plans.models import ImportProfile, Plan
from tenken.plans.services import plan_find_duplicate, plan_import

from .mapping import Mapping, from_toml, to_toml
from .preview import Preview, build_preview

TITLE_MAX = 200


@dataclass
class MappedImport:
    preview: Preview
    plan: Plan | None  # None for a dry run


def plan_import_mapped(
    *,
    path: Path | str,
    mapping: Mapping,
    org_code: str,
    title: str,
    fiscal_years: str,
    user,
    dry_run: bool = False,
    name: str | None = None,
    profile_name: str | None = None,
) -> MappedImport:
    """Import ``path`` read with ``mapping``. Raises :class:`InputRejected` listing every located problem
    (file, mapping and arguments together), with nothing written. ``user`` (the web's, or the CLI's
    ``--user``) must be the organization's ICT admin (:func:`~tenken.orgs.access.plan_import_check`, checked
    before the file is read); the import is recorded under that name. ``profile_name`` saves the mapping as the
    organization's profile in the same transaction."""
    with transaction.atomic():
        outcome = _import(path=path, mapping=mapping, org_code=org_code, title=title, fiscal_years=fiscal_years,
                          user=user, name=name, profile_name=profile_name)
        if dry_run:
            transaction.set_rollback(True)
            outcome.plan = None
        return outcome


def _import(*, path, mapping, org_code, title, fiscal_years, user, name, profile_name) -> MappedImport:
    problems: list[Problem] = []
    organization = None
    try:
        organization = organization_for_code(code=org_code, location="--org")
    except InputRejected as exc:
        problems.extend(exc.problems)
    if organization is not None:
        plan_import_check(user=user, organization=organization)
    period = None
    try:
        period = parse_fiscal_year_range(fiscal_years)
    except WarekiError as exc:
        problems.append(Problem("--fiscal-years", str(exc)))
    title = title.strip()
    if not title:
        problems.append(Problem("--title", "計画名が空です"))
    elif len(title) > TITLE_MAX:
        problems.append(Problem("--title", f"計画名が{TITLE_MAX}文字を超えています（{len(title)}文字）"))
    preview = build_preview(path, mapping, name=name)
    problems.extend(preview.problems)
    if period is not None:
        years = sorted({fy for s in mapping.sheets if s.use for fy in (y.fiscal_year for y in s.years)})
        if mapping.result == "annual" and mapping.result_year:
            years.append(mapping.result_year)
        for fy in years:
            if not period[0] <= fy <= period[1]:
                problems.append(Problem("対応表", f"{fy}年度の列は計画期間（{period[0]}～{period[1]}年度）の外です"))
                break
        for fy, ref in sorted(preview.row_years.items()):  # a 年度 column's years (tenken.imports.rowyears)
            if not period[0] <= fy <= period[1]:
                problems.append(Problem(ref, f"{fy}年度の行は計画期間（{period[0]}～{period[1]}年度）の外です"))
    if organization is not None and period is not None and title:
        dup = plan_find_duplicate(organization=organization, title=title, first_fiscal_year=period[0],
                                  last_fiscal_year=period[1])
        if dup is not None:
            problems.append(Problem("計画", f"計画「{dup}」は既に登録されています（ID {dup.pk}）。二重に取り込むことはできません"))
    if problems:
        raise InputRejected(problems)
    assert preview.draft is not None and organization is not None and period is not None
    plan = plan_import(draft=preview.draft, organization=organization, title=title, first_fiscal_year=period[0],
                       last_fiscal_year=period[1], source_name=(name or Path(path).name)[:255], user=user)
    if profile_name:
        profile_save(organization=organization, name=profile_name, mapping=mapping, user=user)
    return MappedImport(preview, plan)


def profile_save(*, user, organization: Organization, name: str, mapping: Mapping) -> ImportProfile:
    if not can_import_plan(user, organization):
        raise AccessDenied("取込の対応表を保存できるのは団体の管理者（ICT担当）だけです")
    text = to_toml(mapping)
    from_toml(text)  # what is saved must read back
    profile, _ = ImportProfile.objects.update_or_create(
        organization=organization, name=name[:100],
        defaults={"mapping_toml": text, "updated_by": user if getattr(user, "pk", None) else None},
    )
    return profile


def profile_get(*, organization: Organization, name: str = "計画") -> Mapping | None:
    profile = ImportProfile.objects.filter(organization=organization, name=name).first()
    return from_toml(profile.mapping_toml, name=f"対応表「{name}」") if profile else None
