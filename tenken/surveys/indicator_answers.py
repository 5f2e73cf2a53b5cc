"""The year's actual (実績値) of a department's initiative indicators, asked in the same survey round.

Which indicators: the current indicators linked to the initiatives the response answers
(:func:`response_indicators`). The department types a number (the indicator's unit may follow it:
``5業務`` for unit 業務; another unit is refused) and optionally the 時点 (和暦 or 西暦, within the round's
fiscal year; blank means the end of the fiscal year). A blank value means "not measured": nothing is
stored. Answers wait in :class:`~tenken.surveys.models.IndicatorAnswer`; approving the response records
them as the indicator's actuals (:func:`record_approved_actuals`), so they are approved with the rest.

The web answer form, the workbook (sheet 「指標」) and the CLI all go through :func:`validate_entries` and
:func:`save_entries`, called by the survey services inside their transactions.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tenken.common.errors import Problem
from tenken.common.wareki import ParsedDate, WarekiError, fiscal_year_bounds, fiscal_year_label, parse_date
from tenken.indicators.models import Indicator, Observation

from .models import IndicatorAnswer, Response


@dataclass
class IndicatorEntry:
    """One indicator value as typed (a form field or a workbook cell), before validation."""

    indicator_id: int
    value: object  # str, int, float, Decimal or None
    as_of: str = ""
    value_location: str = ""
    as_of_location: str = ""


@dataclass
class ParsedEntry:
    indicator: Indicator
    value: Decimal | None  # None: blank (remove an earlier answer)
    as_of: object  # date
    as_of_text: str
    location: str


def response_indicators(*, response: Response, initiative_ids: list[int] | None = None) -> list[Indicator]:
    """Current indicators of the response's initiatives (or of ``initiative_ids`` among them), in order."""
    from . import selectors

    mine = [i.pk for i in selectors.response_initiatives(response=response)]
    if initiative_ids is not None:
        mine = [i for i in mine if i in set(initiative_ids)]
    return list(
        Indicator.objects.filter(successor__isnull=True, initiatives__in=mine)
        .distinct()
        .order_by("order", "pk")
    )


def indicator_initiatives(indicators: list[Indicator]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for ind_id, ini_id in Indicator.initiatives.through.objects.filter(
        indicator_id__in=[i.pk for i in indicators]
    ).values_list("indicator_id", "initiative_id"):
        out.setdefault(ind_id, []).append(ini_id)
    return out


def current_answers(*, response: Response) -> dict[int, IndicatorAnswer]:
    return {a.indicator_id: a for a in IndicatorAnswer.objects.filter(response=response)}


def targets_of_year(indicators: list[Indicator], fiscal_year: int) -> dict[int, Decimal]:
    start, end = fiscal_year_bounds(fiscal_year)
    return dict(
        Observation.objects.filter(indicator__in=indicators, kind=Observation.Kind.TARGET, as_of__range=(start, end))
        .values_list("indicator_id", "value")
    )


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_value(raw: object, unit: str) -> Decimal | None:
    """A number from a cell or field: ``1,234`` / ``５`` / ``5業務`` (with the indicator's unit). Raises
    ``ValueError`` with a Japanese message; ``None`` for blank."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(f"「{raw}」は数値ではありません")
    if isinstance(raw, int | float | Decimal):
        return Decimal(str(raw))
    s = unicodedata.normalize("NFKC", str(raw)).strip().replace(",", "").replace(" ", "")
    if not s:
        return None
    unit_n = unicodedata.normalize("NFKC", unit or "").replace(" ", "")
    for u in {unit_n, unit_n.split("/")[0]} - {""}:
        if s.endswith(u) and s != u:
            s = s[: -len(u)]
            break
    if not _NUMBER.match(s):
        if re.match(r"^[+-]?\d", s):
            raise ValueError(f"「{raw}」は数値と単位「{unit}」として読めません（単位が違うか、余分な文字があります）")
        raise ValueError(f"「{raw}」は数値ではありません。数値だけを入力してください（単位: {unit}）")
    try:
        return Decimal(s)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already matched
        raise ValueError(f"「{raw}」は数値ではありません") from exc


def validate_entries(*, response: Response, entries: list[IndicatorEntry],
                     indicators: list[Indicator] | None = None) -> tuple[list[Problem], list[ParsedEntry]]:
    """Check every entry against the response's indicators and the round's fiscal year."""
    fy = response.round.fiscal_year
    start, end = fiscal_year_bounds(fy)
    allowed = {i.pk: i for i in (indicators if indicators is not None else response_indicators(response=response))}
    problems: list[Problem] = []
    parsed: list[ParsedEntry] = []
    for e in entries:
        indicator = allowed.get(e.indicator_id)
        loc = e.value_location or f"指標ID {e.indicator_id}"
        if indicator is None:
            problems.append(Problem(loc, f"この指標（ID {e.indicator_id}）は「{response.department.name}」の回答対象ではありません"))
            continue
        try:
            value = parse_value(e.value, indicator.unit)
        except ValueError as exc:
            problems.append(Problem(loc, f"指標「{indicator.name}」の実績値: {exc}"))
            continue
        as_of_text = str(e.as_of or "").strip()
        if value is None:
            if as_of_text:
                problems.append(Problem(loc, f"指標「{indicator.name}」の時点だけが入力されています。実績値を入力してください"))
            else:
                parsed.append(ParsedEntry(indicator, None, end, "", loc))
            continue
        day = end
        if as_of_text:
            try:
                day = parse_date(as_of_text).as_of
            except WarekiError as exc:
                problems.append(Problem(e.as_of_location or loc, f"指標「{indicator.name}」の時点: {exc}"))
                continue
            if not start <= day <= end:
                problems.append(Problem(
                    e.as_of_location or loc,
                    f"指標「{indicator.name}」の時点「{as_of_text}」は{fiscal_year_label(fy)}の外です",
                ))
                continue
        parsed.append(ParsedEntry(indicator, value, day, as_of_text or f"{fiscal_year_label(fy)}末", loc))
    return problems, parsed


def save_entries(*, user, response: Response, parsed: list[ParsedEntry]) -> int:
    """Write validated entries (the caller holds the transaction and has checked access)."""
    existing = current_answers(response=response)
    n = 0
    for p in parsed:
        old = existing.get(p.indicator.pk)
        if p.value is None:
            if old is not None:
                old.delete()
                n += 1
            continue
        if old is not None and old.value == p.value and old.as_of == p.as_of:
            continue
        IndicatorAnswer.objects.update_or_create(
            response=response, indicator=p.indicator,
            defaults={"value": p.value, "as_of": p.as_of, "as_of_text": p.as_of_text, "entered_by": user,
                      "source_ref": p.location, "recorded": False},
        )
        n += 1
    return n


def record_approved_actuals(*, response: Response) -> int:
    """On approval: each answered value becomes the indicator's actual of its 時点."""
    from tenken.indicators.services import observation_replace

    n = 0
    for a in IndicatorAnswer.objects.filter(response=response, recorded=False).select_related("indicator"):
        as_of = ParsedDate(a.as_of_text or a.as_of.isoformat(), a.as_of, a.as_of, "day")
        observation_replace(
            indicator=a.indicator, kind=Observation.Kind.ACTUAL, value=a.value, as_of=as_of,
            source=f"{response.round}（{response.department.name}の回答）", source_ref=a.source_ref,
        )
        a.recorded = True
        a.save(update_fields=["recorded"])
        n += 1
    return n
