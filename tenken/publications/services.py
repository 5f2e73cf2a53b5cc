"""Writes for publication (公表). Web pages, the CLI and the demo loader call only these.

``inspection_publish`` copies the inspection's approved reviews into a new version (版) and makes it the
current one; the previous current version becomes 旧版 (still downloadable, listed in the history).
``publication_withdraw`` hides the inspection from every public surface at once. Both are atomic,
gated in :mod:`tenken.orgs.access` (the organization's ICT admin). Their writes to the publication tables
replace the public version stamp after the commit (:mod:`tenken.public.stamp`), so every process's public
cache stops serving the old pages at once; a publication then queues the rendering of its report
(:mod:`tenken.publications.tasks`), whose stored files replace the stamp again.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tenken.common.errors import InputRejected, Problem
from tenken.orgs import access

from .models import Publication, PublishedReview
from .selectors import latest_publication, publication_preview


def _after_commit_publish(publication_id: int) -> None:
    from .tasks import enqueue_report_rendering

    enqueue_report_rendering(publication_id=publication_id)


def inspection_publish(*, user, inspection_id: int, note: str = "") -> Publication:
    """Publish the inspection's approved reviews as a new version; raise :class:`InputRejected` if there is
    nothing to publish or nothing changed since the current version."""
    with transaction.atomic():
        inspection = access.inspection_for_publication(user=user, pk=inspection_id)
        # lock the inspection row: two admins publishing at once get consecutive versions, not an error
        type(inspection).objects.select_for_update().filter(pk=inspection.pk).first()
        preview = publication_preview(inspection=inspection)
        if not preview.rows:
            raise InputRejected(Problem("公表", "承認済みの点検結果がないため公表できません"))
        if preview.unchanged:
            raise InputRejected(
                Problem("公表", f"公表中の第{preview.current.version}版から内容が変わっていません")
            )
        previous = latest_publication(inspection=inspection)
        if preview.current is not None:
            Publication.objects.filter(pk=preview.current.pk).update(state=Publication.State.SUPERSEDED)
        publication = Publication.objects.create(
            inspection=inspection,
            version=(previous.version + 1) if previous else 1,
            state=Publication.State.CURRENT,
            published_by=user if getattr(user, "pk", None) else None,
            published_at=timezone.now(),
            note=note.strip() or preview.changes.summary,
            changes=preview.changes.as_dict(),
            content_hash=preview.content_hash,
            review_count=len(preview.rows),
        )
        PublishedReview.objects.bulk_create(
            PublishedReview(
                publication=publication,
                review_id=r["id"],
                inspection=inspection,
                initiative_id=r["initiative_id"],
                fiscal_year=r["fiscal_year"],
                status_id=r["status_id"],
                change_reason=r["change_reason"],
                outcome=r["outcome"],
                issues=r["issues"],
            )
            for r in preview.rows
        )
        transaction.on_commit(lambda: _after_commit_publish(publication.pk))
    return publication


def publication_withdraw(*, user, publication_id: int, reason: str) -> Publication:
    """Withdraw a current publication: its inspection disappears from every public surface at once."""
    reason = reason.strip()
    if not reason:
        raise InputRejected(Problem("取り下げの理由", "取り下げの理由を入力してください"))
    with transaction.atomic():
        publication = access.publication_for_withdrawal(user=user, pk=publication_id)
        if publication.state != Publication.State.CURRENT:
            raise InputRejected(
                Problem("取り下げ", f"第{publication.version}版は公表中ではありません（{publication.get_state_display()}）")
            )
        publication.state = Publication.State.WITHDRAWN
        publication.withdrawn_by = user if getattr(user, "pk", None) else None
        publication.withdrawn_at = timezone.now()
        publication.withdraw_reason = reason
        publication.save(update_fields=["state", "withdrawn_by", "withdrawn_at", "withdraw_reason"])
    return publication


def inspection_set_figures(*, user, inspection_id: int, figures: str) -> None:
    """Choose the report's figures: counted from the 別紙, or those the organization declares."""
    from tenken.reviews.models import Inspection

    with transaction.atomic():
        inspection = access.inspection_for_publication(user=user, pk=inspection_id)  # the gate first
        if figures not in Inspection.Figures.values:
            raise InputRejected(Problem("報告書の取組数", f"「{figures}」は選べません（counted、declared）"))
        Inspection.objects.filter(pk=inspection.pk).update(figures=figures)
