"""Reads for publication: the preview of what a publication would show, history, the public version."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.db.models import Count

from tenken.reviews.models import InitiativeReview, Inspection, SectionNarrative

from .models import Publication, PublishedReview

REVIEW_FIELDS = ("initiative_id", "fiscal_year", "status_id", "change_reason", "outcome", "issues")


def approved_review_rows(*, inspection: Inspection) -> list[dict[str, object]]:
    """The approved reviews of ``inspection`` as plain rows (what a publication copies), in plan order."""
    return list(
        InitiativeReview.objects.filter(inspection=inspection, approval=InitiativeReview.Approval.APPROVED)
        .order_by("initiative__order", "pk")
        .values("id", *REVIEW_FIELDS)
    )


def content_hash(*, inspection: Inspection, rows: list[dict[str, object]]) -> str:
    """sha256 of everything a publication freezes or renders: reviews, report text and narratives."""
    narratives = list(
        SectionNarrative.objects.filter(inspection=inspection)
        .order_by("section_id")
        .values_list("section_id", "main_initiatives", "results", "issues_and_plans", "changed_initiatives",
                     "summary", "declared_counts")
    )
    payload = {
        "inspection": [inspection.title, inspection.as_of.isoformat(), inspection.purpose, inspection.conclusion,
                       inspection.figures],
        "reviews": [[r[f] for f in REVIEW_FIELDS] for r in rows],
        "narratives": narratives,
    }
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


@dataclass
class Changes:
    added: list[str] = field(default_factory=list)  # 取組番号 of initiatives new in this version
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[str]]:
        return {"added": self.added, "removed": self.removed, "changed": self.changed}

    @property
    def summary(self) -> str:
        parts = [f"{label} {len(v)}件" for label, v in (("追加", self.added), ("削除", self.removed),
                                                        ("変更", self.changed)) if v]
        return "、".join(parts) if parts else "点検結果の変更なし"


def diff_against(*, previous: Publication | None, rows: list[dict[str, object]], labels: dict[int, str]) -> Changes:
    if previous is None:
        return Changes(added=[labels.get(r["initiative_id"], "") for r in rows])
    old = {
        r["initiative_id"]: r
        for r in PublishedReview.objects.filter(publication=previous).values(*REVIEW_FIELDS)
    }
    new = {r["initiative_id"]: r for r in rows}
    changes = Changes()
    for pk, row in new.items():
        if pk not in old:
            changes.added.append(labels.get(pk, ""))
        elif any(old[pk][f] != row[f] for f in REVIEW_FIELDS):
            changes.changed.append(labels.get(pk, ""))
    changes.removed = [labels.get(pk, "") for pk in old if pk not in new]
    return changes


def latest_publication(*, inspection: Inspection) -> Publication | None:
    return Publication.objects.filter(inspection=inspection).order_by("-version").first()


def current_publication(*, inspection: Inspection) -> Publication | None:
    return Publication.objects.filter(inspection=inspection, state=Publication.State.CURRENT).first()


@dataclass
class Preview:
    inspection: Inspection
    rows: list[dict[str, object]]
    left_out: dict[str, int]  # approval label → number of reviews that will not be published
    content_hash: str
    current: Publication | None
    changes: Changes

    @property
    def unchanged(self) -> bool:
        return self.current is not None and self.current.content_hash == self.content_hash


def publication_preview(*, inspection: Inspection) -> Preview:
    """Exactly what publishing ``inspection`` now would show: its approved reviews, and what is left out."""
    rows = approved_review_rows(inspection=inspection)
    labels = dict(inspection.plan.initiatives.values_list("pk", "number_label"))
    current = current_publication(inspection=inspection)
    left = (
        InitiativeReview.objects.filter(inspection=inspection)
        .exclude(approval=InitiativeReview.Approval.APPROVED)
        .values("approval")
        .annotate(n=Count("pk"))
    )
    approvals = dict(InitiativeReview.Approval.choices)
    return Preview(
        inspection=inspection,
        rows=rows,
        left_out={approvals[x["approval"]]: x["n"] for x in left},
        content_hash=content_hash(inspection=inspection, rows=rows),
        current=current,
        changes=diff_against(previous=current or latest_publication(inspection=inspection), rows=rows, labels=labels),
    )


def publication_history(*, inspection: Inspection) -> list[Publication]:
    return list(
        Publication.objects.filter(inspection=inspection)
        .select_related("published_by", "withdrawn_by")
        .prefetch_related("artefacts")
        .order_by("-version")
    )
