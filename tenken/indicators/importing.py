"""Importing an indicator table (CSV or .xlsx) and its direction metadata: all or nothing.

The table is read by :mod:`tenken.indicators.table`: long (``指標,単位,値,時点,種別,出典,note``, one observation
per row, as ``tenken/demo/data/kanagawa/indicators.csv``; or one row per indicator and year with a ``年度`` column
and ``目標値`` / ``実績値`` columns), wide (one row per indicator, a column per fiscal year: ``R4``, ``2022年度``,
``R4実績``, ``R8目標``, ``H30基準値``), or both (``基準値`` with a ``基準年度`` column beside year columns). ``時点``
is read by :func:`tenken.common.wareki.parse_date` (``2019-03``, ``R元.11``, ``H30年度末`` …) and the original text
is kept; a fiscal year stands for its end (年度末). ``種別`` is ``baseline``/``target``/``actual`` or 基準値/目標値/実績値.

Direction (高いほど良い / 低いほど良い) is not guessed from the name. It comes from a small metadata
file (``indicator-meta.csv`` beside the observations unless ``meta`` is given; columns
``指標,direction,decimals[,取組項目,note]``) or, for an indicator absent from it, is inferred from a baseline and a
target that differ (target below baseline → lower is better). A metadata direction that contradicts
the baseline and target is refused.

The optional ``取組項目`` column names sections of the plan (titles, several separated by ``/``); with
``--plan`` the indicator is linked to them (links are only added), without a plan the column is ignored.

Every problem of both files is reported at once as ``file:line「列」: message`` (``指標.xlsx KPI!D5「R4」`` in a
workbook); if there is any, nothing is written. Re-importing the same file changes nothing. ``dry_run`` checks
and counts everything, then rolls back.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from tenken.common.errors import InputRejected, Problem
from tenken.common.text import normalize
from tenken.common.wareki import fiscal_year_of
from tenken.orgs.services import organization_for_code
from tenken.plans.models import Plan, Section
from tenken.spreadsheets.csvfile import read_csv

from .cells import parse_value
from .models import Indicator, Observation
from .rates import Direction
from .selectors import indicator_versions, version_in_force
from .services import indicator_create, indicator_link, indicator_update, observation_record
from .table import ObservationRow, read_observations, read_table

__all__ = ["IndicatorImportResult", "ObservationRow", "import_indicators_file", "parse_value", "read_meta",
           "read_observations"]

META_REQUIRED = ("指標", "direction")
META_FILENAME = "indicator-meta.csv"

DIRECTIONS = {
    "higher": Direction.HIGHER, "高いほど良い": Direction.HIGHER, "増加": Direction.HIGHER, "↑": Direction.HIGHER,
    "lower": Direction.LOWER, "低いほど良い": Direction.LOWER, "減少": Direction.LOWER, "↓": Direction.LOWER,
}


@dataclass(frozen=True)
class MetaRow:
    location: str
    direction: Direction
    decimals: int
    note: str
    sections: tuple[str, ...] = ()  # 取組項目 titles, linked when a plan is given


@dataclass
class IndicatorImportResult:
    indicators_created: int = 0
    indicators_existing: int = 0
    observations_created: int = 0
    observations_unchanged: int = 0
    inferred: list[str] = field(default_factory=list)  # names whose direction was inferred
    not_read: list[str] = field(default_factory=list)  # columns and sheets left out, located, with the reason


def _loc(name: str, line: int, column: str | None = None) -> str:
    return f"{name}:{line}「{column}」" if column else f"{name}:{line}"


def _cells(header: list[str], cells: list[str]) -> dict[str, str]:
    return {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}


def _missing_columns(header: list[str], required: tuple[str, ...], name: str) -> list[Problem]:
    return [Problem(_loc(name, 1), f"列「{c}」がありません（必要な列: {','.join(required)}）")
            for c in required if c not in header]


def read_meta(path: Path) -> tuple[dict[str, MetaRow], list[Problem]]:
    name = path.name
    header, rows = read_csv(path, name=name)
    problems = _missing_columns(header, META_REQUIRED, name)
    if problems:
        return {}, problems
    meta: dict[str, MetaRow] = {}
    for line, cells in rows:
        c = _cells(header, cells)
        key = unicodedata.normalize("NFKC", c["指標"])
        if not key:
            problems.append(Problem(_loc(name, line, "指標"), "指標名が空です"))
            continue
        direction = DIRECTIONS.get(unicodedata.normalize("NFKC", c["direction"]).lower())
        if direction is None:
            problems.append(Problem(_loc(name, line, "direction"),
                                    f"「{c['direction']}」は向きとして使えません（higher または lower）"))
        decimals_text = unicodedata.normalize("NFKC", c.get("decimals", "")) or "0"
        if not decimals_text.isdigit() or int(decimals_text) > 6:
            problems.append(Problem(_loc(name, line, "decimals"), f"「{c.get('decimals')}」は0～6の整数ではありません"))
            decimals_text = "0"
        if key in meta:
            problems.append(Problem(_loc(name, line, "指標"), f"指標「{c['指標']}」は{meta[key].location}にもあります"))
        elif direction is not None:
            sections = tuple(t.strip() for t in c.get("取組項目", "").split("/") if t.strip())
            meta[key] = MetaRow(_loc(name, line), direction, int(decimals_text), c.get("note", ""), sections)
    return meta, problems


def _infer(rows: list[ObservationRow]) -> Direction | None:
    baselines = [r for r in rows if r.kind == Observation.Kind.BASELINE]
    targets = [r for r in rows if r.kind == Observation.Kind.TARGET]
    if not baselines or not targets:
        return None
    b = min(baselines, key=lambda r: r.as_of.as_of).value
    t = max(targets, key=lambda r: r.as_of.as_of).value
    if t == b:
        return None
    return Direction.HIGHER if t > b else Direction.LOWER


def _resolve_sections(meta: dict[str, MetaRow], plan: Plan | None, problems: list[Problem]) -> dict[str, list[Section]]:
    """Meta key → sections of ``plan`` named in its 取組項目 column (matched on NFKC, spaces ignored)."""
    if plan is None:
        return {}
    by_title: dict[str, list[Section]] = {}
    for section in plan.sections.all():
        by_title.setdefault(normalize(section.title), []).append(section)
    links: dict[str, list[Section]] = {}
    for key, m in meta.items():
        for title in m.sections:
            found = by_title.get(normalize(title), [])
            if len(found) != 1:
                why = "ありません" if not found else f"{len(found)}件あり、一つに決まりません"
                problems.append(Problem(f"{m.location}「取組項目」", f"計画「{plan.title}」に取組項目「{title}」が{why}"))
            else:
                links.setdefault(key, []).append(found[0])
    return links


def _plan_for(plan_id: int | str | None, organization, problems: list[Problem]) -> Plan | None:
    if plan_id in (None, ""):
        return None
    plan = Plan.objects.filter(pk=int(plan_id)).first() if str(plan_id).isdigit() else None
    if plan is None:
        problems.append(Problem("--plan", f"計画 ID「{plan_id}」は登録されていません"))
    elif organization is not None and plan.organization_id != organization.pk:
        problems.append(Problem("--plan", f"計画「{plan}」は{organization.name}の計画ではありません"))
    return plan


def import_indicators_file(
    path: Path | str,
    *,
    user,
    org_code: str,
    plan_id: int | str | None = None,
    meta: Path | str | None = None,
    sheet: str | None = None,
    dry_run: bool = False,
) -> IndicatorImportResult:
    """Import ``path`` as ``user``; raise :class:`InputRejected` listing every problem, with nothing written.

    ``user`` must be the organization's ICT admin (:func:`tenken.orgs.access.indicator_for_update_check`,
    checked before the files are read), in the web's upload and in ``tenken import-indicators`` alike.
    ``sheet`` names the workbook's sheet to read (default: every sheet that holds an indicator table); the columns
    and sheets not read are listed, with the reason, in the result's ``not_read``."""
    path = Path(path)
    meta_path = Path(meta) if meta else path.with_name(META_FILENAME)
    with transaction.atomic():
        result = _import(path, meta_path, user=user, org_code=org_code, plan_id=plan_id, meta_given=meta is not None,
                         sheet=sheet)
        if dry_run:
            transaction.set_rollback(True)
        return result


def _import(path: Path, meta_path: Path, *, user, org_code: str, plan_id, meta_given: bool,
            sheet: str | None) -> IndicatorImportResult:
    from tenken.orgs.access import indicator_for_update_check

    problems: list[Problem] = []
    organization = None
    try:
        organization = organization_for_code(code=org_code, location="--org")
    except InputRejected as exc:
        problems.extend(exc.problems)
    if organization is not None:
        indicator_for_update_check(user=user, organization=organization)
    plan = _plan_for(plan_id, organization, problems)

    meta: dict[str, MetaRow] = {}
    if meta_path.exists():
        meta, meta_problems = read_meta(meta_path)
        problems.extend(meta_problems)
    elif meta_given:
        problems.append(Problem(str(meta_path), "向きを定めるファイルがありません"))
    table = read_table(path, sheet=sheet)
    rows = table.rows
    problems.extend(table.problems)

    groups: dict[str, list[ObservationRow]] = {}
    for r in rows:
        groups.setdefault(unicodedata.normalize("NFKC", r.name), []).append(r)

    result = IndicatorImportResult(not_read=[str(n) for n in table.notices])
    plans: dict[str, tuple[str, Direction, int, str]] = {}
    for key, group in groups.items():
        first = group[0]
        units = {r.unit for r in group}
        # A registered indicator may span versions with different units: each row is then checked
        # against the version in force in its fiscal year (below). A new one must use one unit.
        registered = organization is not None and Indicator.objects.filter(
            organization=organization, plan=plan, name=key).exists()
        for r in group[1:]:
            if r.unit != first.unit and not registered:
                problems.append(Problem(r.at("単位"),
                                        f"指標「{r.name}」の単位「{r.unit}」が{first.location}の「{first.unit}」と異なります"))
        seen: dict[tuple[str, object], ObservationRow] = {}
        for r in group:
            k = (r.kind, r.as_of.as_of)
            if k in seen:
                problems.append(Problem(r.at("時点"),
                                        f"指標「{r.name}」の{r.kind.label}（{r.as_of.original}）は{seen[k].location}にもあります"))
            seen[k] = r
        inferred = _infer(group)
        m = meta.get(key)
        if m is not None and inferred is not None and m.direction is not inferred:
            problems.append(Problem(f"{m.location}「direction」",
                                    f"指標「{first.name}」は{m.direction.label}とありますが、基準値と目標値からは"
                                    f"{inferred.label}です"))
        direction = m.direction if m else inferred
        if direction is None:
            problems.append(Problem(first.at("指標"),
                                    f"指標「{first.name}」の向きがわかりません。{meta_path.name} に direction"
                                    "（higher / lower）を書いてください"))
            continue
        if m is None:
            result.inferred.append(first.name)
        if len(units) == 1 or registered:
            # Names are stored NFKC-normalised, so full-width and half-width spellings meet.
            plans[key] = (key, direction, m.decimals if m else 0, first.unit)

    section_links = _resolve_sections(meta, plan, problems)

    if problems or organization is None:
        raise InputRejected(problems)

    for order, (key, group) in enumerate(groups.items()):
        name, direction, decimals, unit = plans[key]
        current = (Indicator.objects.filter(organization=organization, plan=plan, name=name, successor__isnull=True)
                   .order_by("-pk").first())
        if current is None:
            current = indicator_create(organization=organization, plan=plan, name=name, unit=unit,
                                       direction=direction, decimals=decimals, order=order)
            result.indicators_created += 1
        else:
            result.indicators_existing += 1
            if key in meta and current.decimals != decimals:
                current = indicator_update(indicator=current, decimals=decimals)  # display only: never a new version
        if section_links.get(key):
            indicator_link(indicator=current, sections=section_links[key])
        versions = indicator_versions(current)
        for r in group:
            # Each row goes to the version in force in its fiscal year, and must match that definition.
            version = version_in_force(versions, fiscal_year_of(r.as_of.as_of))
            if version is None:
                problems.append(Problem(r.at("時点"), f"指標「{name}」の{r.as_of.original}に適用される版がありません"))
                continue
            mismatch = [(col, label, old) for col, label, new, old in (
                ("単位", "単位", r.unit, version.unit),
                ("指標", "向き", direction.label, version.direction_enum.label),
            ) if new != old]
            for col, label, old in mismatch:
                problems.append(Problem(r.at(col),
                                        f"指標「{version}」の{label}は「{old}」です。定義の変更は指標の編集"
                                        "（新しい版）で行ってください"))
            if mismatch:
                continue
            try:
                _, created = observation_record(indicator=version, kind=r.kind, value=r.value, as_of=r.as_of,
                                                source=r.source, note=r.note, source_ref=r.location)
            except InputRejected as exc:
                problems.extend(Problem(r.at(p.location), p.message) for p in exc.problems)
                continue
            if created:
                result.observations_created += 1
            else:
                result.observations_unchanged += 1
    if problems:
        raise InputRejected(problems)
    return result
