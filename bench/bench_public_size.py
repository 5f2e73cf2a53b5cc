"""The public plan page stays small at 100× plan size (issue #17): the listing is paginated, filters and
search run on the server. Each figure beside the Kanagawa page of the same run; the limit is 300 KB."""

from __future__ import annotations

from .harness import Figure


def page_kb(path: str) -> float:
    from django.test import Client

    response = Client().get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(response.content) / 1024


def _published(plan, user):
    from tenken.publications.models import Publication
    from tenken.publications.services import inspection_publish

    for inspection in plan.inspections.all():
        if not Publication.objects.filter(inspection=inspection, state="current").exists():
            inspection_publish(user=user, inspection_id=inspection.pk)
    return plan


def run() -> list[Figure]:
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from tenken.demo import kanagawa_plan

    from .scaled_plan import import_scaled_plan

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.TENKEN_PUBLIC_CACHE = False
    user = get_user_model().objects.get_or_create(username="bench-ict", defaults={"is_superuser": True})[0]
    kanagawa = _published(kanagawa_plan(), user)
    huge = _published(import_scaled_plan(100), user)
    kb_small = page_kb(f"/public/plans/{kanagawa.pk}/")
    return [
        Figure("public plan page: size (Kanagawa)", kb_small, "KB"),
        Figure("public plan page: size (100× plan, 10,500 rows, 300 policies; listing in pages)",
               page_kb(f"/public/plans/{huge.pk}/"), "KB", "Kanagawa plan page", kb_small, limit=300),
        Figure("public plan page: size (100× plan, search 「HEMS」)", page_kb(f"/public/plans/{huge.pk}/?q=HEMS"),
               "KB", "Kanagawa plan page", kb_small, limit=300),
    ]
