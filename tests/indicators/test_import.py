"""``tenken import-indicators``: tenken/demo/data/kanagawa/indicators.csv, all or nothing, Japanese errors at file:line「列」."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tenken.common.errors import InputRejected
from tenken.indicators.importing import import_indicators_file
from tenken.indicators.models import Indicator, Observation
from tests.conftest import db_snapshot

from ..personas import OPERATOR, operator


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _rejected(path, **kw) -> list[str]:
    before = db_snapshot()
    with pytest.raises(InputRejected) as exc:
        import_indicators_file(path, user=operator(), org_code="140007", **kw)
    assert db_snapshot() == before  # nothing written
    return exc.value.messages


def test_kanagawa_csv_imports_every_row(kanagawa_indicators):
    plan = kanagawa_indicators
    assert Indicator.objects.filter(plan=plan).count() == 15
    assert Observation.objects.filter(indicator__plan=plan).count() == 20
    systems = Indicator.objects.get(name="情報システム数")
    assert (systems.unit, systems.direction, systems.organization.code) == ("システム", "lower", "140007")
    obs = {o.kind: o for o in systems.observations.all()}
    assert obs["baseline"].value == 162 and obs["baseline"].as_of == date(2013, 11, 30)
    assert obs["actual"].value == 110 and obs["actual"].as_of_text == "2018-04"
    assert obs["actual"].source_ref == "indicators.csv:10"
    assert obs["actual"].note == "文中「162のシステム数が110まで減少」"
    karte = Indicator.objects.get(name="マイME-BYOカルテ登録者数").observations.get()
    assert (karte.value, karte.as_of, karte.fiscal_year) == (D(1200000), date(2019, 2, 18), 2018)
    rpa = Indicator.objects.get(name="RPA導入業務数")
    assert rpa.direction == "higher"
    assert list(rpa.observations.values_list("kind", "value", "fiscal_year")) == [("actual", 2, 2018), ("target", 5, 2019)]


def test_reimport_changes_nothing(kanagawa_indicators, kanagawa_dir):
    before = db_snapshot()
    result = import_indicators_file(kanagawa_dir / "indicators.csv", user=operator(), org_code="140007", plan_id=kanagawa_indicators.pk)
    assert (result.indicators_created, result.indicators_existing) == (0, 15)
    assert (result.observations_created, result.observations_unchanged) == (0, 20)
    assert db_snapshot() == before


def test_wareki_dates_in_the_time_column(kanagawa, kanagawa_dir):
    csv = kanagawa_dir / "indicators.csv"
    _rewrite(csv, "県保有データのオープンデータ化件数,件,121,2019-11,", "県保有データのオープンデータ化件数,件,121,R元.11,")
    _rewrite(csv, "RPA導入業務数,業務,2,2019-03,", "RPA導入業務数,業務,2,H30年度末,")
    _rewrite(csv, "マイME-BYOカルテ登録者数,人,1200000,2019-02-18,", "マイME-BYOカルテ登録者数,人,\"1,200,000\",平成31年2月18日,")
    _rewrite(csv, "共通利用タブレット台数,台,2220,2019-01,", "共通利用タブレット台数,台,２２２０,Ｈ３１．１,")
    import_indicators_file(csv, user=operator(), org_code="140007")
    got = {o.indicator.name: o for o in Observation.objects.select_related("indicator").filter(kind__in=["actual", "baseline"])}
    assert (got["県保有データのオープンデータ化件数"].as_of, got["県保有データのオープンデータ化件数"].as_of_text) == (date(2019, 11, 30), "R元.11")
    assert got["RPA導入業務数"].as_of == date(2019, 3, 31)
    assert (got["マイME-BYOカルテ登録者数"].as_of, got["マイME-BYOカルテ登録者数"].value) == (date(2019, 2, 18), 1200000)
    assert (got["共通利用タブレット台数"].as_of, got["共通利用タブレット台数"].value) == (date(2019, 1, 31), 2220)
    assert Indicator.objects.get(name="RPA導入業務数").plan is None  # imported for the organization only


def test_every_problem_is_reported_with_file_line_and_column(kanagawa, kanagawa_dir):
    csv = kanagawa_dir / "indicators.csv"
    _rewrite(csv, "電子納税の利用件数,件/年,560000,2019-03,actual", "電子納税の利用件数,件/年,約56万,2019-03,actual")
    _rewrite(csv, "オープンデータ活用事例数,件,6,2019-11,", "オープンデータ活用事例数,件,6,そのうち,")
    _rewrite(csv, "情報システム数,システム,162,2013-11,baseline", "情報システム数,システム,162,2013-11,基準")
    _rewrite(csv, "情報システム運用経費,億円/年,60,2018-04,actual", "情報システム運用経費,億円,60,2018-04,実績見込")
    _rewrite(csv, "LTE内蔵モバイルPC配備台数,台,12900,2022-03,", "LTE内蔵モバイルPC配備台数,,12900,平成31年5月1日,")
    messages = _rejected(csv)
    assert messages == [
        "indicators.csv:4「値」: 「約56万」は数値ではありません（数字だけを書き、単位や「約」は単位列・note 列へ）",
        "indicators.csv:7「時点」: 「そのうち」を日付として解釈できません（例: 2019-03, R元.11, H30年度末, 平成31年2月18日）",
        "indicators.csv:12「種別」: 「実績見込」は種別として使えません（baseline / target / actual）",
        "indicators.csv:16「単位」: 単位が空です（件、台、億円/年 など）",
        "indicators.csv:16「時点」: 「平成31年5月1日」: 平成の期間外の日付です",
    ]


def test_inconsistent_units_and_duplicates(kanagawa, kanagawa_dir):
    csv = kanagawa_dir / "indicators.csv"
    _rewrite(csv, "情報システム運用経費,億円/年,60,", "情報システム運用経費,億円,60,")
    with csv.open("a", encoding="utf-8") as f:
        f.write("RPA導入業務数,業務,3,R1年度末,target,,\n")  # 2020-03-31, the same day as line 20
    assert _rejected(csv) == [
        "indicators.csv:12「単位」: 指標「情報システム運用経費」の単位「億円」がindicators.csv:11の「億円/年」と異なります",
        "indicators.csv:22「時点」: 指標「RPA導入業務数」の目標値（R1年度末）はindicators.csv:20にもあります",
    ]


def test_missing_columns(kanagawa, tmp_path):
    csv = tmp_path / "kpi.csv"
    csv.write_text("指標,単位,数値,時点\nRPA導入業務数,業務,2,2019-03\n", encoding="utf-8")
    (tmp_path / "indicator-meta.csv").write_text("指標,direction\nRPA導入業務数,higher\n", encoding="utf-8")
    # 「数値」 is the value column (a city writes 数値 as often as 値): only the 種別 is missing.
    assert _rejected(csv) == ["kpi.csv:1: 列「種別」がありません（必要な列: 指標,単位,値,時点,種別）"]
    csv.write_text("指標,単位,時点\nRPA導入業務数,業務,2019-03\n", encoding="utf-8")
    assert _rejected(csv) == [
        "kpi.csv:1: 列「値」がありません（必要な列: 指標,単位,値,時点,種別）",
        "kpi.csv:1: 列「種別」がありません（必要な列: 指標,単位,値,時点,種別）",
    ]


def test_direction_is_given_or_inferred_never_guessed(kanagawa, kanagawa_dir):
    meta = kanagawa_dir / "indicator-meta.csv"
    _rewrite(meta, "共通利用タブレット台数,lower,0,BPRの推進によるコスト削減と仕事の効率化,すべて廃止（基準値2220・目標値0からも推定できる）\n", "")
    _rewrite(meta, "RPA導入業務数,higher,0,スマート県庁の取組,\n", "")
    # Tablets (baseline 2220, target 0) can be inferred; RPA (an actual and a target) cannot.
    assert _rejected(kanagawa_dir / "indicators.csv") == [
        "indicators.csv:19「指標」: 指標「RPA導入業務数」の向きがわかりません。indicator-meta.csv に direction"
        "（higher / lower）を書いてください",
    ]
    with meta.open("a", encoding="utf-8") as f:
        f.write("RPA導入業務数,高いほど良い,0,\n")
    result = import_indicators_file(kanagawa_dir / "indicators.csv", user=operator(), org_code="140007")
    assert result.inferred == ["共通利用タブレット台数"]
    assert Indicator.objects.get(name="共通利用タブレット台数").direction == "lower"


def test_meta_contradicting_baseline_and_target_is_refused(kanagawa, kanagawa_dir):
    meta = kanagawa_dir / "indicator-meta.csv"
    _rewrite(meta, "共通利用タブレット台数,lower,", "共通利用タブレット台数,higher,")
    _rewrite(meta, "電子納税の利用件数,higher,0,", "電子納税の利用件数,up,0,")
    _rewrite(meta, "情報システム数,lower,0,", "情報システム数,lower,多い,")
    assert _rejected(kanagawa_dir / "indicators.csv") == [
        "indicator-meta.csv:4「direction」: 「up」は向きとして使えません（higher または lower）",
        "indicator-meta.csv:9「decimals」: 「多い」は0～6の整数ではありません",
        "indicators.csv:4「指標」: 指標「電子納税の利用件数」の向きがわかりません。indicator-meta.csv に direction"
        "（higher / lower）を書いてください",
        "indicator-meta.csv:14「direction」: 指標「共通利用タブレット台数」は高いほど良いとありますが、"
        "基準値と目標値からは低いほど良いです",
    ]


def test_changed_value_on_reimport_is_refused(kanagawa_indicators, kanagawa_dir):
    csv = kanagawa_dir / "indicators.csv"
    _rewrite(csv, "RPA導入業務数,業務,2,2019-03,", "RPA導入業務数,業務,3,2019-03,")
    assert _rejected(csv, plan_id=kanagawa_indicators.pk) == [
        "indicators.csv:19「値」: 「RPA導入業務数」の実績値（2019-03）は既に 2 で登録されています",
    ]


def test_cli_import_and_errors(kanagawa_plan, kanagawa_dir):
    operator()  # the imports act as --user tenken-setup
    out = StringIO()
    call_command("import_indicators", str(kanagawa_dir / "indicators.csv"), org="140007", plan=str(kanagawa_plan.pk),
                 dry_run=True, stdout=out, user=OPERATOR)
    assert "検証のみ" in out.getvalue() and Indicator.objects.count() == 0
    call_command("import_indicators", str(kanagawa_dir / "indicators.csv"), org="140007", plan=str(kanagawa_plan.pk),
                 stdout=out, user=OPERATOR)
    assert "指標 新規 15 / 登録済み 0、値 新規 20" in out.getvalue()
    err = StringIO()
    with pytest.raises(CommandError, match="2件の誤り"):
        call_command("import_indicators", str(kanagawa_dir / "indicators.csv"), org="140008", plan="999",
                     stdout=out, stderr=err, user=OPERATOR)
    assert "--org: " in err.getvalue() and "--plan: 計画 ID「999」は登録されていません" in err.getvalue()


def test_demo_loader_is_idempotent(kanagawa_plan):
    from tenken.demo import load_kanagawa_indicators

    load_kanagawa_indicators()
    before = db_snapshot()
    load_kanagawa_indicators()
    assert db_snapshot() == before and Indicator.objects.filter(plan=kanagawa_plan).count() == 15


def test_meta_links_indicators_to_the_plans_items(kanagawa_indicators, kanagawa_dir):
    systems = Indicator.objects.get(name="情報システム数")
    assert [s.title for s in systems.sections.all()] == ["情報システムの見直し"]
    assert Indicator.objects.get(name="県の行動計画の取組数").sections.count() == 0
    assert Indicator.objects.filter(sections__title="オープンガバメントの導入").count() == 4

    meta = kanagawa_dir / "indicator-meta.csv"
    _rewrite(meta, "情報システム数,lower,0,情報システムの見直し,", "情報システム数,lower,0,情報システムの見直し / ICTガバナンス,")
    assert _rejected(kanagawa_dir / "indicators.csv", plan_id=kanagawa_indicators.pk) == [
        "indicator-meta.csv:9「取組項目」: 計画「電子化全開宣言行動計画」に取組項目「ICTガバナンス」がありません",
    ]
    _rewrite(meta, "/ ICTガバナンス,", "/ ICTガバナンスの確立,")
    import_indicators_file(kanagawa_dir / "indicators.csv", user=operator(), org_code="140007", plan_id=kanagawa_indicators.pk)
    assert sorted(s.title for s in systems.sections.all()) == ["ICTガバナンスの確立", "情報システムの見直し"]


def test_names_meet_across_widths_and_decimals_follow_the_meta(kanagawa_indicators, kanagawa_dir):
    csv = kanagawa_dir / "indicators.csv"
    with csv.open("a", encoding="utf-8") as f:
        f.write("ＲＰＡ導入業務数,業務,4,R2.3,actual,,全角で書かれた行\n")
    _rewrite(kanagawa_dir / "indicator-meta.csv", "RPA導入業務数,higher,0,", "RPA導入業務数,higher,1,")
    result = import_indicators_file(csv, user=operator(), org_code="140007", plan_id=kanagawa_indicators.pk)
    assert (result.indicators_created, result.observations_created) == (0, 1)
    rpa = Indicator.objects.get(name="RPA導入業務数")
    assert rpa.decimals == 1 and rpa.observations.filter(kind="actual").count() == 2
