"""Writes for inspections. The CLI (``tenken import-inspection``) and any future form call these.

Approval rule (issue #14): a write to a review's content takes it out of 承認. :func:`reviews_reset_approval`
is the one function every write path outside the survey answer services calls for that (the answer
services fold the reset into their own compare-and-swap ``UPDATE``); it bumps the version and records the
change as a :class:`~tenken.surveys.models.ReviewChange`.

``inspection_import_narratives`` stores, in one transaction, an inspection's per-item narratives and
declared counts, its report text (title, as-of date, purpose, conclusion) and the change reasons the
narrative gives for 変更 initiatives. Re-running it with the same input leaves the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tenken.common.errors import InputRejected, Problem
from tenken.common.text import normalize
from tenken.plans.draft import split_chapter
from tenken.plans.models import Section

from .models import InitiativeReview, Inspection, SectionNarrative
from .narratives import ChangedStatement, ItemNarrative, ReportText

# A statement names an initiative when at least this share of its character pairs occur in the text.
MATCH_THRESHOLD = 0.6


def in_workflow(inspection_ids) -> set[int]:
    """The inspections among ``inspection_ids`` that a survey round collects (their approval is a workflow)."""
    from tenken.surveys.models import SurveyRound

    return set(SurveyRound.objects.filter(inspection_id__in=list(inspection_ids)).values_list("inspection_id", flat=True))


def reviews_reset_approval(*, review_ids, user=None, via: str) -> int:
    """Set the reviews ``review_ids`` that are not 下書き back to 下書き, recording who and how.

    Returns how many changed. Called inside the caller's transaction.
    """
    from tenken.surveys.models import ReviewChange

    rows = list(
        InitiativeReview.objects.filter(pk__in=list(review_ids))
        .exclude(approval=InitiativeReview.Approval.DRAFT)
        .values_list("pk", "approval", "version")
    )
    if not rows:
        return 0
    InitiativeReview.objects.filter(pk__in=[pk for pk, _, _ in rows]).update(
        approval=InitiativeReview.Approval.DRAFT, version=F("version") + 1, updated_at=timezone.now()
    )
    ReviewChange.objects.bulk_create(
        ReviewChange(
            review_id=pk, changed_by=user, field="approval", old_value=InitiativeReview.Approval(approval).label,
            new_value=InitiativeReview.Approval.DRAFT.label, version=version + 1, via=via,
        )
        for pk, approval, version in rows
    )
    return len(rows)


@dataclass
class NarrativeImportResult:
    narratives: int = 0
    reasons_filled: int = 0
    warnings: list[Problem] = field(default_factory=list)


def _bigrams(text: str) -> set[str]:
    key = normalize(text)
    return {key[i : i + 2] for i in range(len(key) - 1)} or {key}


def statement_score(statement: str, initiative_text: str) -> float:
    """Share of the statement's character pairs found in the initiative's text (1.0 = contained)."""
    if normalize(statement) and normalize(statement) in normalize(initiative_text):
        return 1.0
    pairs = _bigrams(statement)
    return len(pairs & _bigrams(initiative_text)) / len(pairs)


def match_changed_statements(
    statements: list[ChangedStatement], candidates: list[InitiativeReview]
) -> tuple[dict[int, ChangedStatement], list[ChangedStatement]]:
    """Pair each 変更した取組 statement with one 変更 review of the same item.

    Matching rule: the report abbreviates and rewords the initiative (「お薬手帳の電子化の実証実験を民間
    企業に拡大」 for initiative 21, 「県の治験実施体制」 where the 別紙 says 「本県の」), so equality is
    too strict. A statement matches the 変更 review whose initiative text contains it, or else the one
    sharing the largest share of the statement's character pairs (NFKC, white space removed), if that
    share is at least ``MATCH_THRESHOLD``, is the unique best, and the review is not already taken.
    Anything else is left unmatched (reported as a warning, nothing is written for it).
    """
    taken: set[int] = set()
    matched: dict[int, ChangedStatement] = {}
    unmatched: list[ChangedStatement] = []
    for st in statements:
        scored = sorted(
            ((statement_score(st.initiative_text, r.initiative.text), r) for r in candidates if r.pk not in taken),
            key=lambda pair: -pair[0],
        )
        if not scored or scored[0][0] < MATCH_THRESHOLD or (len(scored) > 1 and scored[1][0] == scored[0][0]):
            unmatched.append(st)
            continue
        review = scored[0][1]
        taken.add(review.pk)
        matched[review.pk] = st
    return matched, unmatched


def _item_sections(inspection: Inspection) -> dict[tuple[str, str], Section]:
    sections = {s.pk: s for s in Section.objects.filter(plan_id=inspection.plan_id)}
    return {
        (normalize(sections[s.parent_id].title), normalize(s.title)): s
        for s in sections.values()
        if s.depth == 1 and s.parent_id in sections
    }


def _descendants(section_ids: set[int], parents: dict[int, int | None], root: int) -> set[int]:
    out = set()
    for sid in section_ids:
        node: int | None = sid
        while node is not None:
            if node == root:
                out.add(sid)
                break
            node = parents.get(node)
    return out


@transaction.atomic
def inspection_import_narratives(
    *, user, inspection: Inspection, items: list[ItemNarrative], text: ReportText | None = None
) -> NarrativeImportResult:
    """Store ``items`` (and ``text``) on ``inspection`` as ``user``; raise :class:`InputRejected` naming every
    unknown item. ``user`` must be the organization's ICT admin
    (:func:`tenken.orgs.access.report_texts_import_check`); every changed text is recorded as a
    :class:`~tenken.reviews.models.NarrativeChange` under that name, as the web's edits are.

    Items are found by 方針 (``第1章`` prefix ignored) and 取組項目 title, compared after NFKC. Change
    reasons are written only to reviews whose status requires a reason (変更), bumping their version.
    """
    from tenken.orgs.access import report_texts_import_check

    report_texts_import_check(user=user, organization=inspection.plan.organization)
    by_key = _item_sections(inspection)
    problems: list[Problem] = []
    resolved: list[tuple[ItemNarrative, Section]] = []
    for item in items:
        section = by_key.get((normalize(split_chapter(item.policy)[1]), normalize(item.item)))
        if section is None:
            problems.append(Problem(item.where, f"取組項目「{item.item}」（{item.policy}）は計画にありません"))
        else:
            resolved.append((item, section))
    summaries = {normalize(k): v for k, v in (text.summaries if text else {}).items()}
    known_titles = {normalize(s.title) for s in by_key.values()}
    for title in summaries:
        if title not in known_titles:
            problems.append(Problem(f"summaries「{title}」", "この取組項目は計画にありません"))
    if problems:
        raise InputRejected(problems)

    from tenken.surveys.models import ReviewChange

    result = NarrativeImportResult()
    history: list[ReviewChange] = []
    reset: list[int] = []
    # A surveyed inspection's approval is the round's workflow: an imported reason re-enters it. An
    # inspection no round collects is the approved report itself, recorded as imported (history kept).
    surveyed = bool(in_workflow([inspection.pk]))
    parents = dict(Section.objects.filter(plan_id=inspection.plan_id).values_list("id", "parent_id"))
    changed = list(
        InitiativeReview.objects.filter(inspection=inspection, status__requires_reason=True)
        .select_related("initiative")
        .order_by("initiative__order")
    )
    stored = {n.section_id: n for n in SectionNarrative.objects.filter(inspection=inspection)}
    for item, section in resolved:
        texts = dict(item.texts)
        if text is not None:  # the 取組数欄 texts come from the report text; without it they are kept
            texts["summary"] = summaries.get(normalize(section.title), "")
        old = stored.get(section.pk)
        edited = _record(user=user, inspection=inspection, section=section,
                         old={f: getattr(old, f) for f in texts} if old is not None else {}, new=texts)
        defaults: dict[str, object] = {**texts, "declared_counts": item.declared}
        if edited:  # as in the web: who and when, and an approved narrative is a draft again
            defaults |= {"updated_by": user, "updated_at": timezone.now(), "state": "draft"}
            if old is not None and old.state == "approved":
                _record(user=user, inspection=inspection, section=section, old={"state": "承認"},
                        new={"state": "下書き"})
        SectionNarrative.objects.update_or_create(inspection=inspection, section=section, defaults=defaults)
        result.narratives += 1
        statements = [s for s in item.changed_statements if s.reason]
        if not statements:
            continue
        inside = _descendants({r.initiative.section_id for r in changed}, parents, section.pk)
        candidates = [r for r in changed if r.initiative.section_id in inside]
        matched, unmatched = match_changed_statements(statements, candidates)
        for review_pk, st in matched.items():
            before = InitiativeReview.objects.filter(pk=review_pk).exclude(change_reason=st.reason).first()
            if before is None:
                continue
            InitiativeReview.objects.filter(pk=review_pk).update(
                change_reason=st.reason, version=F("version") + 1, updated_at=timezone.now()
            )
            history.append(ReviewChange(
                review_id=review_pk, changed_by=user, field="change_reason", old_value=before.change_reason,
                new_value=st.reason, version=before.version + 1, via=ReviewChange.Via.IMPORT,
            ))
            if surveyed:
                reset.append(review_pk)
            result.reasons_filled += 1
        result.warnings += [
            Problem(f"{item.where}「変更した取組」", f"「{st.initiative_text}」に当たる変更の取組が見つかりません")
            for st in unmatched
        ]
    ReviewChange.objects.bulk_create(history)
    reviews_reset_approval(review_ids=reset, user=user, via=ReviewChange.Via.IMPORT)
    if text is not None:
        fields = {"purpose": text.purpose, "conclusion": text.conclusion}
        if text.title:
            fields["title"] = text.title
        if text.as_of:
            fields["as_of"] = text.as_of
        texts = {k: v for k, v in fields.items() if k != "as_of"}
        if _record(user=user, inspection=inspection, section=None,
                   old={f: getattr(inspection, f) for f in texts}, new=texts):
            if inspection.text_state == "approved":  # a change makes the chapter texts a draft, as in the web
                _record(user=user, inspection=inspection, section=None, old={"state": "承認"},
                        new={"state": "下書き"})
            fields["text_state"] = "draft"
        Inspection.objects.filter(pk=inspection.pk).update(**fields)
        for key, value in fields.items():
            setattr(inspection, key, value)
    return result


# -- report texts written in the web (one write path; who/when/old→new in NarrativeChange) -----------

def _record(*, user, inspection: Inspection, section: Section | None, old: dict, new: dict) -> list[str]:
    from .models import NarrativeChange

    changed = [f for f in new if (old.get(f) or "") != (new[f] or "")]
    NarrativeChange.objects.bulk_create(
        NarrativeChange(inspection=inspection, section=section, field=f, old_value=old.get(f) or "",
                        new_value=new[f] or "", changed_by=user)
        for f in changed
    )
    return changed


def _narrative_gate(*, user, inspection: Inspection, section: Section, approve: bool = False) -> None:
    from tenken.orgs.access import AccessDenied, can_approve_narrative, can_edit_narrative

    from .selectors import lead_departments

    if section.plan_id != inspection.plan_id or section.depth != 1:
        raise InputRejected(Problem("取組項目", "この点検の計画の取組項目ではありません"))
    lead = lead_departments(plan=inspection.plan).get(section.pk)
    organization = inspection.plan.organization
    if approve and not can_approve_narrative(user, organization, lead):
        raise AccessDenied("この取組項目の文章を承認できるのは ICT 所管課と担当所属の承認者だけです")
    if not approve and not can_edit_narrative(user, organization, lead):
        raise AccessDenied("この取組項目の文章を書けるのは ICT 所管課と担当所属（主担当）の入力者だけです")


@transaction.atomic
def narrative_update(
    *,
    user,
    inspection: Inspection,
    section: Section,
    main_initiatives: str,
    results: str,
    issues_and_plans: str,
    changed_initiatives: str,
) -> SectionNarrative:
    """Write a 取組項目's four report texts. Any change makes an approved narrative a draft again."""
    from django.utils import timezone

    _narrative_gate(user=user, inspection=inspection, section=section)
    new = {
        "main_initiatives": main_initiatives.strip().replace("\r\n", "\n"),
        "results": results.strip().replace("\r\n", "\n"),
        "issues_and_plans": issues_and_plans.strip().replace("\r\n", "\n"),
        "changed_initiatives": changed_initiatives.strip().replace("\r\n", "\n"),
    }
    narrative = SectionNarrative.objects.select_for_update().filter(inspection=inspection, section=section).first()
    old = {f: getattr(narrative, f) for f in new} if narrative is not None else {}
    if narrative is None:
        narrative = SectionNarrative(inspection=inspection, section=section)
    changed = _record(user=user, inspection=inspection, section=section, old=old, new=new)
    if not changed and narrative.pk:
        return narrative
    for f, v in new.items():
        setattr(narrative, f, v)
    if narrative.state == "approved":
        _record(user=user, inspection=inspection, section=section, old={"state": "承認"}, new={"state": "下書き"})
    narrative.state = "draft"
    narrative.updated_by, narrative.updated_at = user, timezone.now()
    narrative.save()
    return narrative


@transaction.atomic
def narrative_approve(*, user, inspection: Inspection, section: Section) -> SectionNarrative:
    """下書き → 承認 of a 取組項目's texts."""
    _narrative_gate(user=user, inspection=inspection, section=section, approve=True)
    narrative = SectionNarrative.objects.select_for_update().filter(inspection=inspection, section=section).first()
    if narrative is None or not any(getattr(narrative, f) for f, _ in _NARRATIVE_TEXTS):
        raise InputRejected(Problem("承認", "文章がまだ書かれていません"))
    if narrative.state == "approved":
        raise InputRejected(Problem("承認", "既に承認されています"))
    _record(user=user, inspection=inspection, section=section, old={"state": "下書き"}, new={"state": "承認"})
    narrative.state = "approved"
    narrative.save(update_fields=["state"])
    return narrative


_NARRATIVE_TEXTS = (("main_initiatives", ""), ("results", ""), ("issues_and_plans", ""), ("changed_initiatives", ""))


@transaction.atomic
def inspection_texts_update(*, user, inspection: Inspection, purpose: str, conclusion: str) -> Inspection:
    """Write the report's chapter texts 趣旨・考え方 and 全体総括 (ICT division); a change makes them a draft."""
    from tenken.orgs.access import AccessDenied, can_edit_report_texts

    if not can_edit_report_texts(user, inspection.plan.organization):
        raise AccessDenied("報告書の趣旨・考え方と全体総括を書けるのは ICT 所管課だけです")
    inspection = Inspection.objects.select_for_update().select_related("plan").get(pk=inspection.pk)
    new = {"purpose": purpose.strip().replace("\r\n", "\n"), "conclusion": conclusion.strip().replace("\r\n", "\n")}
    old = {f: getattr(inspection, f) for f in new}
    changed = _record(user=user, inspection=inspection, section=None, old=old, new=new)
    if not changed:
        return inspection
    if inspection.text_state == "approved":
        _record(user=user, inspection=inspection, section=None, old={"state": "承認"}, new={"state": "下書き"})
    Inspection.objects.filter(pk=inspection.pk).update(**new, text_state="draft")
    for f, v in new.items():
        setattr(inspection, f, v)
    inspection.text_state = "draft"
    return inspection


@transaction.atomic
def inspection_texts_approve(*, user, inspection: Inspection) -> Inspection:
    from tenken.orgs.access import AccessDenied, can_edit_report_texts

    if not can_edit_report_texts(user, inspection.plan.organization):
        raise AccessDenied("報告書の文章を承認できるのは ICT 所管課だけです")
    inspection = Inspection.objects.select_for_update().select_related("plan").get(pk=inspection.pk)
    if not (inspection.purpose or inspection.conclusion):
        raise InputRejected(Problem("承認", "趣旨・考え方と全体総括がまだ書かれていません"))
    if inspection.text_state == "approved":
        raise InputRejected(Problem("承認", "既に承認されています"))
    _record(user=user, inspection=inspection, section=None, old={"state": "下書き"}, new={"state": "承認"})
    Inspection.objects.filter(pk=inspection.pk).update(text_state="approved")
    inspection.text_state = "approved"
    return inspection
