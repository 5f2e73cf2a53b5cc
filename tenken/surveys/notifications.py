"""Notices of the survey workflow: stored for the app (:class:`~tenken.surveys.models.Notification`) and
sent by Django's mail (console backend by default; SMTP with ``TENKEN_EMAIL_*``, see docs/surveys.md).

Services call :func:`notify` after their writes. The e-mail goes out when the transaction commits, so a
rolled-back write sends nothing; a mail server that fails is logged and does not undo the write (the notice
stays visible in the app).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction

from tenken.common.security import current_request_base
from tenken.orgs.models import Membership

from .models import Notification, Response, SurveyRound

log = logging.getLogger(__name__)


def department_people(*, department_ids: Iterable[int], role: str) -> dict[int, list]:
    """``{department_id: [active users holding role there]}`` in one query."""
    out: dict[int, list] = {}
    rows = Membership.objects.filter(department_id__in=list(department_ids), role=role, user__is_active=True)
    for m in rows.select_related("user").order_by("user__username"):
        out.setdefault(m.department_id, []).append(m.user)
    return out


def absolute(url: str, base_url: str = "") -> str:
    """``url`` (a path) made absolute: ``TENKEN_BASE_URL``, else ``base_url`` (a command's ``--base-url``), else
    the host of the request being answered. Outside a request with neither, the path stays relative
    (``tenken check --deploy`` warns about the unset setting)."""
    base = (settings.TENKEN_BASE_URL or base_url or current_request_base()).rstrip("/")
    return f"{base}{url}" if base else url


def notify(
    *,
    users: Iterable,
    kind: str,
    subject: str,
    body: str,
    url: str = "",
    survey_round: SurveyRound | None = None,
    response: Response | None = None,
    base_url: str = "",
    defer: bool = True,
) -> list[Notification]:
    """Store one notice per user and e-mail those with an address: after the commit, or now (``defer=False``,
    for a notice that is the whole point of the call, such as a reminder)."""
    users = list({u.pk: u for u in users}.values())
    notices = Notification.objects.bulk_create(
        Notification(
            user=u, kind=kind, subject=subject, body=body, url=url, survey_round=survey_round, response=response,
            emailed_to=u.email or "",
        )
        for u in users
    )
    sender = getattr(settings, "DEFAULT_FROM_EMAIL", "tenken@localhost")
    text = body + (f"\n\n{absolute(url, base_url)}\n" if url else "") + "\n—\ntenken（点検）\n"
    messages = [EmailMessage(subject, text, sender, [u.email]) for u in users if u.email]
    if messages:
        def send() -> None:
            try:
                get_connection().send_messages(messages)
            except Exception:  # the notice is stored; a broken mail server must not undo the workflow
                log.exception("お知らせのメールを送れませんでした: %s", subject)

        if defer:
            transaction.on_commit(send)
        else:
            send()
    return notices


def notification_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark ``user``'s notices (all unread ones when ``ids`` is None) as read."""
    from django.utils import timezone

    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
