"""Definition versions: unit or direction changes after actuals create a new version (services)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.db.models import RestrictedError

from tenken.common.errors import InputRejected
from tenken.common.wareki import parse_date
from tenken.indicators.models import Indicator, Observation
from tenken.indicators.selectors import indicator_report_rows, indicator_versions
from tenken.indicators.services import indicator_create, indicator_update, observation_record

from ..personas import operator


@pytest.fixture
def cost(kanagawa_plan):
    """情報システム運用経費 in 億円/年 with a baseline and an actual in FY2018."""
    section = kanagawa_plan.sections.get(depth=1, title="情報システムの見直し")
    indicator = indicator_create(organization=kanagawa_plan.organization, plan=kanagawa_plan, name="情報システム運用経費",
                                 unit="億円/年", direction="lower", sections=[section])
    observation_record(indicator=indicator, kind="baseline", value=D(72), as_of=parse_date("H25.11"))
    observation_record(indicator=indicator, kind="actual", value=D(60), as_of=parse_date("H30.4"))
    return indicator


def test_without_actuals_the_definition_is_edited_in_place(kanagawa_plan):
    indicator = indicator_create(organization=kanagawa_plan.organization, name="RPA導入業務数", unit="件",
                                 direction="higher")
    observation_record(indicator=indicator, kind="target", value=D(5), as_of=parse_date("R1年度末"))
    same = indicator_update(indicator=indicator, unit="業務", decimals=1)
    assert same.pk == indicator.pk and (same.unit, same.decimals, same.valid_from) == ("業務", 1, None)
    assert Indicator.objects.count() == 1


def test_unit_change_after_actuals_creates_a_new_version(cost):
    with pytest.raises(InputRejected, match="実績値があるため単位の変更は新しい版になります"):
        indicator_update(indicator=cost, unit="百万円/年")
    with pytest.raises(InputRejected, match="平成30年度の実績値があるため、新しい版は令和元年度以降から適用してください"):
        indicator_update(indicator=cost, unit="百万円/年", fiscal_year=2018)

    new = indicator_update(indicator=cost, unit="百万円/年", fiscal_year=2019)
    assert new.pk != cost.pk
    assert (new.unit, new.direction, new.valid_from, new.predecessor_id) == ("百万円/年", "lower", 2019, cost.pk)
    assert list(new.sections.all()) == list(cost.sections.all()) and new.plan == cost.plan
    cost.refresh_from_db()
    assert cost.unit == "億円/年"  # history is not rewritten
    assert sorted(cost.observations.values_list("value", flat=True)) == [60, 72]
    assert new.observations.count() == 0
    assert indicator_versions(cost) == indicator_versions(new) == [cost, new]
    assert str(new) == "情報システム運用経費（令和元年度～）"

    # The old version is closed: edits go to the current one, and observations respect valid_from.
    with pytest.raises(InputRejected, match="旧い版です"):
        indicator_update(indicator=cost, name="運用経費")
    with pytest.raises(InputRejected, match="令和元年度からの版です"):
        observation_record(indicator=new, kind="actual", value=D(5900), as_of=parse_date("H31.3"))
    observation_record(indicator=new, kind="actual", value=D(5800), as_of=parse_date("R2.3"))

    # The report shows the current definition only.
    rows = indicator_report_rows(plan=cost.plan)
    assert [(r.name, r.unit, r.actual, r.actual_as_of) for r in rows] == [
        ("情報システム運用経費", "百万円/年", D(5800), date(2020, 3, 31))
    ]


def test_direction_change_is_versioned_too_but_a_rename_is_not(cost):
    renamed = indicator_update(indicator=cost, name="情報システムの運用経費")
    assert renamed.pk == cost.pk and renamed.name == "情報システムの運用経費"
    new = indicator_update(indicator=cost, direction="higher", fiscal_year=2020)
    assert (new.direction, new.valid_from, new.predecessor_id) == ("higher", 2020, cost.pk)
    # Unchanged values do not count as a change.
    assert indicator_update(indicator=new, unit=new.unit, direction="higher").pk == new.pk


def test_links_must_belong_to_the_organization(kanagawa_plan):
    from tenken.orgs.services import organization_for_code

    yokohama = organization_for_code(code="141003")
    with pytest.raises(InputRejected, match="は横浜市の計画ではありません"):
        indicator_create(organization=yokohama, plan=kanagawa_plan, name="x", unit="件", direction="higher")


def test_import_routes_rows_to_the_version_in_force(kanagawa_indicators, kanagawa_dir):
    from tenken.indicators.importing import import_indicators_file
    from tests.conftest import db_snapshot

    plan = kanagawa_indicators
    old = Indicator.objects.get(name="情報システム運用経費", plan=plan)
    new = indicator_update(indicator=old, unit="百万円/年", fiscal_year=2019)
    with pytest.raises(InputRejected, match="令和元年度の値は新しい版「情報システム運用経費（令和元年度～）」に記録してください"):
        observation_record(indicator=old, kind="actual", value=D(58), as_of=parse_date("R2.3"))

    # The original file still matches the old version (its rows are FY2013 and FY2018): nothing changes.
    before = db_snapshot()
    csv = kanagawa_dir / "indicators.csv"
    import_indicators_file(csv, user=operator(), org_code="140007", plan_id=plan.pk)
    assert db_snapshot() == before

    # A FY2020 row in the old unit is refused; in the new unit it lands on the new version.
    with csv.open("a", encoding="utf-8") as f:
        f.write("情報システム運用経費,億円/年,58,R2.4,actual,,\n")
    with pytest.raises(InputRejected) as exc:
        import_indicators_file(csv, user=operator(), org_code="140007", plan_id=plan.pk)
    assert exc.value.messages == [
        "indicators.csv:22「単位」: 指標「情報システム運用経費（令和元年度～）」の単位は「百万円/年」です。"
        "定義の変更は指標の編集（新しい版）で行ってください",
    ]
    assert db_snapshot() == before
    csv.write_text(csv.read_text(encoding="utf-8").replace("億円/年,58,R2.4", "百万円/年,5800,R2.4"), encoding="utf-8")
    result = import_indicators_file(csv, user=operator(), org_code="140007", plan_id=plan.pk)
    assert (result.observations_created, result.observations_unchanged) == (1, 20)
    assert list(new.observations.values_list("value", "as_of_text")) == [(5800, "R2.4")]
    assert sorted(old.observations.values_list("value", flat=True)) == [60, 72]



def test_versions_go_with_their_indicator_but_an_old_version_alone_cannot(kanagawa_plan):
    i = indicator_create(organization=kanagawa_plan.organization, name="x", unit="件", direction="higher")
    observation_record(indicator=i, kind="actual", value=D(1), as_of=parse_date("H30.4"))
    new = indicator_update(indicator=i, unit="台", fiscal_year=2019)
    with pytest.raises(RestrictedError):
        i.delete()
    new.delete()
    i.delete()
    assert Indicator.objects.count() == Observation.objects.count() == 0
