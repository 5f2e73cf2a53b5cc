"""Writes for indicators. Web forms, the CLI and the CSV import all call these functions.

Versioning rule (``indicator_update``): a definition may be edited in place until an actual (実績値)
is recorded. After that, a change of ``unit`` or ``direction`` creates a new version — a new
:class:`~tenken.indicators.models.Indicator` row with ``predecessor`` set to the old one and
``valid_from`` the first fiscal year it applies to — so that past actuals keep the unit and direction
they were measured in. The new version's fiscal year must come after every actual of the old one.
Its sections, initiatives, plan, department and order are carried over; observations are not (a
target in the old unit would be wrong in the new one).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from tenken.common.errors import InputRejected, Problem
from tenken.common.wareki import ParsedDate, fiscal_year_label, fiscal_year_of
from tenken.orgs.models import Department, Organization
from tenken.plans.models import Initiative, Plan, Section

from .models import Indicator, Observation
from .rates import Direction

_UNSET: object = object()


def _check_links(*, organization: Organization, plan: Plan | None, sections: Iterable[Section],
                 initiatives: Iterable[Initiative]) -> None:
    problems = []
    if plan is not None and plan.organization_id != organization.pk:
        problems.append(Problem("計画", f"計画「{plan}」は{organization.name}の計画ではありません"))
    for s in sections:
        if s.plan.organization_id != organization.pk:
            problems.append(Problem("方針・取組項目", f"「{s}」は{organization.name}の計画のものではありません"))
    for i in initiatives:
        if i.plan.organization_id != organization.pk:
            problems.append(Problem("取組", f"「{i}」は{organization.name}の計画のものではありません"))
    if problems:
        raise InputRejected(problems)


@transaction.atomic
def indicator_create(
    *,
    organization: Organization,
    name: str,
    unit: str,
    direction: Direction | str,
    decimals: int = 0,
    plan: Plan | None = None,
    department: Department | None = None,
    sections: Iterable[Section] = (),
    initiatives: Iterable[Initiative] = (),
    note: str = "",
    order: int = 0,
) -> Indicator:
    """Create the first version of an indicator (``valid_from`` empty)."""
    sections, initiatives = list(sections), list(initiatives)
    if not name.strip():
        raise InputRejected(Problem("指標名", "指標名が空です"))
    _check_links(organization=organization, plan=plan, sections=sections, initiatives=initiatives)
    indicator = Indicator.objects.create(
        organization=organization,
        plan=plan,
        department=department,
        name=name.strip(),
        unit=unit.strip(),
        direction=Direction(direction).value,
        decimals=decimals,
        note=note,
        order=order,
    )
    indicator.sections.set(sections)
    indicator.initiatives.set(initiatives)
    return indicator


@transaction.atomic
def indicator_update(
    *,
    indicator: Indicator,
    fiscal_year: int | None = None,
    name: str | object = _UNSET,
    unit: str | object = _UNSET,
    direction: Direction | str | object = _UNSET,
    decimals: int | object = _UNSET,
    department: Department | object | None = _UNSET,
    note: str | object = _UNSET,
) -> Indicator:
    """Apply changes; return the version that now holds them (``indicator`` itself or a new version).

    ``fiscal_year`` (西暦の年度) is required when the change needs a new version, i.e. when ``unit`` or
    ``direction`` changes and ``indicator`` already has actuals. Raises :class:`InputRejected` when the
    version is not the current one, when the fiscal year is missing, or when it does not come after the
    last actual.
    """
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if Indicator.objects.filter(predecessor=indicator).exists():
        raise InputRejected(Problem("指標", f"「{indicator}」は旧い版です。最新の版を変更してください"))
    changes: dict[str, object] = {}
    if name is not _UNSET:
        changes["name"] = str(name).strip()
    if unit is not _UNSET:
        changes["unit"] = str(unit).strip()
    if direction is not _UNSET:
        changes["direction"] = Direction(direction).value  # type: ignore[arg-type]
    if decimals is not _UNSET:
        changes["decimals"] = decimals
    if department is not _UNSET:
        changes["department"] = department
    if note is not _UNSET:
        changes["note"] = note
    if changes.get("name") == "":
        raise InputRejected(Problem("指標名", "指標名が空です"))

    defining = {k for k in ("unit", "direction") if k in changes and changes[k] != getattr(indicator, k)}
    last_actual_fy = indicator.observations.filter(kind=Observation.Kind.ACTUAL).aggregate(m=Max("fiscal_year"))["m"]
    if not defining or last_actual_fy is None:
        for key, value in changes.items():
            setattr(indicator, key, value)
        indicator.save()
        return indicator

    what = "・".join({"unit": "単位", "direction": "向き"}[k] for k in sorted(defining, reverse=True))
    if fiscal_year is None:
        raise InputRejected(
            Problem("適用開始年度", f"実績値があるため{what}の変更は新しい版になります。適用開始年度を指定してください")
        )
    if fiscal_year <= last_actual_fy:
        raise InputRejected(
            Problem(
                "適用開始年度",
                f"{fiscal_year_label(last_actual_fy)}の実績値があるため、新しい版は"
                f"{fiscal_year_label(last_actual_fy + 1)}以降から適用してください",
            )
        )
    sections = list(indicator.sections.all())
    initiatives = list(indicator.initiatives.all())
    new = Indicator(
        organization=indicator.organization,
        plan=indicator.plan,
        department=indicator.department,
        name=indicator.name,
        unit=indicator.unit,
        direction=indicator.direction,
        decimals=indicator.decimals,
        note=indicator.note,
        order=indicator.order,
        valid_from=fiscal_year,
        predecessor=indicator,
    )
    for key, value in changes.items():
        setattr(new, key, value)
    new.save()
    new.sections.set(sections)
    new.initiatives.set(initiatives)
    return new


@transaction.atomic
def indicator_link(
    *, indicator: Indicator, sections: Iterable[Section] = (), initiatives: Iterable[Initiative] = ()
) -> None:
    """Add links to sections and initiatives (existing links stay); they must be the organization's."""
    sections, initiatives = list(sections), list(initiatives)
    _check_links(organization=indicator.organization, plan=None, sections=sections, initiatives=initiatives)
    indicator.sections.add(*sections)
    indicator.initiatives.add(*initiatives)


def _as_parsed(as_of: ParsedDate | date) -> tuple[date, str]:
    if isinstance(as_of, ParsedDate):
        return as_of.as_of, as_of.original
    return as_of, as_of.isoformat()


@transaction.atomic
def observation_record(
    *,
    indicator: Indicator,
    kind: Observation.Kind | str,
    value: Decimal,
    as_of: ParsedDate | date,
    source: str = "",
    note: str = "",
    source_ref: str = "",
) -> tuple[Observation, bool]:
    """Record one observation; returns ``(observation, created)``.

    ``as_of`` may be a :class:`~tenken.common.wareki.ParsedDate`: its ``as_of`` day (the end of the span
    the text denotes: ``2019-03`` → 2019-03-31) is stored and its original text kept. Recording the same
    value again is a no-op (``created`` False), so re-running an import changes nothing; a different
    value for the same kind and day is refused. An observation before ``valid_from`` is refused.
    """
    day, text = _as_parsed(as_of)
    kind = Observation.Kind(kind)
    fy = fiscal_year_of(day)
    if indicator.valid_from is not None and fy < indicator.valid_from:
        raise InputRejected(
            Problem("時点", f"「{indicator}」は{fiscal_year_label(indicator.valid_from)}からの版です（{text}）")
        )
    successor = Indicator.objects.filter(predecessor=indicator).first()
    if successor is not None and successor.valid_from is not None and fy >= successor.valid_from:
        raise InputRejected(
            Problem("時点", f"{fiscal_year_label(fy)}の値は新しい版「{successor}」に記録してください（{text}）")
        )
    existing = Observation.objects.filter(indicator=indicator, kind=kind, as_of=day).first()
    if existing is not None:
        if existing.value == value:
            return existing, False
        raise InputRejected(
            Problem(
                "値",
                f"「{indicator.name}」の{kind.label}（{text}）は既に {existing.value.normalize():f} で登録されています",
            )
        )
    obs = Observation.objects.create(
        indicator=indicator,
        kind=kind,
        value=value,
        as_of=day,
        as_of_text=text,
        fiscal_year=fy,
        source=source,
        note=note,
        source_ref=source_ref,
    )
    return obs, True


@transaction.atomic
def observation_replace(
    *,
    indicator: Indicator,
    kind: Observation.Kind | str,
    value: Decimal,
    as_of: ParsedDate | date,
    source: str = "",
    note: str = "",
    source_ref: str = "",
) -> Observation:
    """Record ``value`` as the ``kind`` of ``as_of``, replacing a different earlier value of the same day.

    Used where a newer approved answer supersedes an older one (the survey's 実績値 after a 差戻し);
    the replaced value is kept in ``note``.
    """
    day, text = _as_parsed(as_of)
    existing = Observation.objects.filter(indicator=indicator, kind=kind, as_of=day).first()
    if existing is None:
        obs, _ = observation_record(indicator=indicator, kind=kind, value=value, as_of=as_of, source=source,
                                    note=note, source_ref=source_ref)
        return obs
    if existing.value != value:
        old = existing.value.normalize()
        existing.value = value
        existing.note = (f"{note} " if note else "") + f"（{old:f} から更新）"
        existing.source, existing.source_ref, existing.as_of_text = source or existing.source, source_ref, text
        existing.save(update_fields=["value", "note", "source", "source_ref", "as_of_text"])
    return existing
