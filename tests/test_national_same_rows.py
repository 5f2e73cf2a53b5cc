"""The national bulk path, two workers, several workbooks: every plan as the ORM importer writes it."""

from __future__ import annotations

import pytest

from tenken.national.bulk import bulk_import
from tenken.national.models import StatusRollup
from tenken.national.rollups import rollup_refresh
from tenken.national.synth import iter_national, write_xlsx
from tenken.orgs.models import Department
from tenken.plans.importing import import_plan_file
from tenken.plans.models import Plan
from tenken.plans.selectors import plan_fingerprint

from .personas import operator

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_workers_write_what_the_orm_importer_writes(tmp_path):
    paths = []
    for plan in iter_national(orgs=4, initiatives=30, years=3, seed=11):
        path = tmp_path / f"{plan.org.code}.xlsx"
        write_xlsx(plan, path)
        paths.append(path)
    result = bulk_import(paths, user=operator(), workers=2)
    assert (result.imported, result.refused) == (4, {})
    bulk = {}
    for p in Plan.objects.select_related("organization"):
        bulk[p.organization.code] = (p.title, f"{p.first_fiscal_year}-{p.last_fiscal_year}", plan_fingerprint(plan=p),
                                     sorted(Department.objects.filter(organization=p.organization)
                                            .values_list("name", flat=True)))
    assert len(bulk) == 4 and sum(len(v[2]["yearly"]) for v in bulk.values()) == result.reviews == 4 * 30 * 3
    rollups = sorted(StatusRollup.objects.values_list("fiscal_year", "organization__code", "policy",
                                                      "status_code", "count"))
    assert rollups
    rollup_refresh(user=operator())  # the rollup rows the workers counted are the ones the SQL refresh computes
    assert sorted(StatusRollup.objects.values_list("fiscal_year", "organization__code", "policy",
                                                   "status_code", "count")) == rollups
    Plan.objects.update(title="（一括取込）")
    for path in paths:
        title, period, fingerprint, departments = bulk[path.stem]
        normal = import_plan_file(path, user=operator(), org_code=path.stem, title=title, fiscal_years=period).plan
        assert plan_fingerprint(plan=normal) == fingerprint, path.stem
        assert sorted(Department.objects.filter(organization=normal.organization)
                      .values_list("name", flat=True)) == departments
