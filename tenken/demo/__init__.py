"""The Kanagawa demo data set (tenken/demo/data/kanagawa), loaded through the normal import path.

Every loader acts as :func:`setup_account` (``tenken-setup``, a superuser that cannot log in), so the set-up
passes the same access checks as anyone and its writes are recorded under that name.
"""

from __future__ import annotations

from pathlib import Path

from tenken.plans.importing import import_plan_file
from tenken.plans.models import Plan

KANAGAWA_DIR = Path(__file__).resolve().parent / "data" / "kanagawa"
KANAGAWA_TITLE = "電子化全開宣言行動計画"


def kanagawa_plan() -> Plan:
    """The Kanagawa plan, imported on first use (benchmarks run several loaders in one database)."""
    found = Plan.objects.filter(organization__code="140007", title=KANAGAWA_TITLE).first()
    return found if found is not None else load_kanagawa()


def load_kanagawa() -> Plan:
    result = import_plan_file(
        KANAGAWA_DIR / "action-plan.xlsx",
        user=setup_account(),
        org_code="140007",
        title=KANAGAWA_TITLE,
        fiscal_years="2014-2018",
        structure=KANAGAWA_DIR / "items.csv",
    )
    assert result.plan is not None
    return result.plan


def load_kanagawa_indicators() -> None:
    """tenken/demo/data/kanagawa/indicators.csv against the Kanagawa plan (idempotent: a re-run records nothing new)."""
    from tenken.indicators.importing import import_indicators_file

    plan = Plan.objects.get(organization__code="140007", title=KANAGAWA_TITLE)
    import_indicators_file(KANAGAWA_DIR / "indicators.csv", user=setup_account(), org_code="140007", plan_id=plan.pk)


DEMO_DIR = KANAGAWA_DIR.parent
DATA_AS_OF = (2019, 12, 31)  # the newest figure of the seeds (R1.12末)


def setup_account():
    """The named account the demo set-up acts as (a superuser that cannot log in: no usable password),
    so that even set-up writes go through the access checks and are recorded under a name."""
    from django.contrib.auth import get_user_model

    user, created = get_user_model().objects.get_or_create(
        username="tenken-setup", defaults={"is_superuser": True, "last_name": "デモ準備"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def load_kanagawa_governance() -> None:
    """A synthetic register reproducing 162 → 110 systems and 72 → 60 億円, and the open-data follow-up
    of the 33 municipalities (synthetic breakdown of the seed's "7 未取組 at R1.12末"), both feeding
    the indicators. Idempotent. The synthetic files are generated or shipped as such, never as facts."""
    import tempfile
    from datetime import date

    from tenken.inventory.indicator_feed import municipal_feed_indicator, register_feed_indicators
    from tenken.inventory.models import InformationSystem, MunicipalGoal
    from tenken.inventory.register_format import register_workbook_bytes
    from tenken.inventory.services import (
        municipal_goal_create,
        municipal_progress_import,
        register_import_file,
    )
    from tenken.inventory.synth import synthetic_kanagawa_register
    from tenken.orgs.services import organization_for_code

    user = setup_account()
    kanagawa = organization_for_code(code="140007")
    plan = Plan.objects.filter(organization=kanagawa, title=KANAGAWA_TITLE).first()
    if not InformationSystem.objects.filter(organization=kanagawa).exists():
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "register.xlsx"
            path.write_bytes(register_workbook_bytes(synthetic_kanagawa_register(), list(range(2013, 2019))))
            register_import_file(user=user, organization=kanagawa, path=path)
    register_feed_indicators(user=user, organization=kanagawa, plan=plan)
    goal = MunicipalGoal.objects.filter(prefecture=kanagawa, name="オープンデータ取組済").first()
    if goal is None:
        goal = municipal_goal_create(user=user, prefecture=kanagawa, name="オープンデータ取組済", target_date=date(2021, 3, 31),
                                     target_text="R2年度末", plan=plan)
        municipal_progress_import(user=user, goal=goal, path=DEMO_DIR / "kanagawa-municipal-opendata-synthetic.csv")
    municipal_feed_indicator(user=user, goal=goal, name="オープンデータ未取組の県内市町村数", today=date(*DATA_AS_OF))


def publish_kanagawa_final(*, user) -> None:
    """Publish the Kanagawa final inspection (第1版) so the demo public site has content, and render its
    report at once (the demo has no worker running yet). Idempotent: a published inspection is left as is."""
    from tenken.jobs.models import Job
    from tenken.jobs.tasks import execute_job
    from tenken.publications.models import Publication
    from tenken.publications.services import inspection_publish
    from tenken.publications.tasks import subject_of
    from tenken.reviews.models import Inspection

    plan = Plan.objects.get(organization__code="140007", title=KANAGAWA_TITLE)
    final = Inspection.objects.filter(plan=plan, kind=Inspection.Kind.FINAL).first()
    if final is None:
        return
    publication = Publication.objects.filter(inspection=final).order_by("-version").first()
    if publication is None:
        publication = inspection_publish(user=user, inspection_id=final.pk, note="最終点検の結果を公表")
    for job in Job.objects.filter(subject=subject_of(publication.pk), state=Job.State.QUEUED):
        execute_job(job.pk)
