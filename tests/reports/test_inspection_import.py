"""``tenken import-inspection``: narratives, declared counts, report text and change reasons."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tenken.demo import KANAGAWA_DIR
from tenken.reviews.models import InitiativeReview, Inspection, SectionNarrative
from tenken.reviews.narratives import split_reason
from tenken.reviews.services import match_changed_statements, statement_score

from ..conftest import db_snapshot
from ..personas import OPERATOR


def narrative(plan, title: str) -> SectionNarrative:
    return SectionNarrative.objects.get(inspection__plan=plan, section__title=title)


def test_statements_become_lines_and_declared_counts_are_kept(report_plan):
    tourism = narrative(report_plan, "観光のスマート化")
    assert tourism.main_initiatives.splitlines() == [
        "外国人観光客の行動ルートやニーズの分析",
        "国内外からの観光客を対象とした神奈川の観光情報の発信",
        "県内の外国人観光案内所等へのフリーWi-Fi設置費の補助",
    ]
    assert tourism.declared_counts == {"achieved": 3, "in_progress": 6, "changed": 0}
    governance = narrative(report_plan, "ICTガバナンスの確立")
    assert governance.declared_counts == {}
    assert governance.summary == "行動計画本文に記載されている取組を実施中。"
    assert SectionNarrative.objects.filter(inspection__plan=report_plan).count() == 18


def test_changed_initiatives_keep_their_reason_and_fill_the_reviews(report_plan):
    farming = narrative(report_plan, "農林水産業のスマート化")
    assert all("(理由)" in line for line in farming.changed_initiatives.splitlines())
    reasons = dict(
        InitiativeReview.objects.filter(inspection__plan=report_plan, status__code="changed").values_list(
            "initiative__number_label", "change_reason"
        )
    )
    assert set(reasons) == {"15", "19", "21", "22", "24"}
    assert reasons["15"] == "共通利用タブレットに代わるツールについて検討中。"
    assert reasons["22"].startswith("各種データの分析や関係機関からのヒアリング")
    assert reasons["24"].startswith("検討の結果、未病の段階での改善")
    assert all(r.version == 2 for r in InitiativeReview.objects.filter(status__code="changed"))


def test_report_text_sets_purpose_conclusion_title_and_date(report_plan):
    inspection = Inspection.objects.get(plan=report_plan, kind="final")
    assert inspection.purpose.startswith("(1) 電子化全開宣言行動計画について")
    assert "(3) 総括" in inspection.conclusion
    assert inspection.as_of.isoformat() == "2019-03-31"


def test_running_it_twice_changes_nothing(report_plan, capsys):
    before = db_snapshot()
    versions = list(InitiativeReview.objects.order_by("pk").values_list("version", flat=True))
    call_command("import_inspection", str(KANAGAWA_DIR / "items.csv"), "--plan", str(report_plan.pk), "--user", OPERATOR)
    assert db_snapshot() == before
    assert list(InitiativeReview.objects.order_by("pk").values_list("version", flat=True)) == versions
    assert "変更の理由を 0 件" in capsys.readouterr().out


def test_unknown_item_and_bad_count_reject_the_whole_file(kanagawa_plan, kanagawa_dir: Path):
    items = kanagawa_dir / "items.csv"
    lines = items.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("環境施策のスマート化,2,3,0", "環境施策のスマート化,2,三,0")
    lines[5] = lines[5].replace("農林水産業のスマート化", "林業のスマート化")
    items.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = db_snapshot()
    with pytest.raises(CommandError) as exc:
        call_command("import_inspection", str(items), "--plan", str(kanagawa_plan.pk), "--user", OPERATOR)
    message = str(exc.value)
    assert "items.csv:3行目「実施中(報告書)」" in message and "三" in message
    assert "items.csv:6行目" not in message  # the bad count stops before sections are looked up
    assert db_snapshot() == before


def test_unknown_item_is_named_with_its_line(kanagawa_plan, kanagawa_dir: Path):
    items = kanagawa_dir / "items.csv"
    items.write_text(items.read_text(encoding="utf-8").replace("農林水産業のスマート化", "林業のスマート化"), encoding="utf-8")
    with pytest.raises(CommandError, match=r"items.csv:6行目: 取組項目「林業のスマート化」"):
        call_command("import_inspection", str(items), "--plan", str(kanagawa_plan.pk), "--user", OPERATOR)
    assert not SectionNarrative.objects.exists()


def test_split_reason():
    st = split_reason("救急医療情報システムの改修 (理由) 簡易型のシステムを導入した。")
    assert (st.initiative_text, st.reason) == ("救急医療情報システムの改修", "簡易型のシステムを導入した。")
    assert split_reason("なし").reason == ""


def test_matching_needs_a_unique_good_match():
    class Ini:
        def __init__(self, text):
            self.text = text

    class Rev:
        def __init__(self, pk, text):
            self.pk, self.initiative = pk, Ini(text)

    reviews = [Rev(1, "森林計画図等の電子データによる情報提供"), Rev(2, "海況情報の提供")]
    assert statement_score("海況情報の提供", "漁業者に向けた海況情報の提供") == 1.0
    matched, unmatched = match_changed_statements([split_reason("全く別の取組 (理由) x")], reviews)
    assert matched == {} and len(unmatched) == 1
    matched, _ = match_changed_statements([split_reason("森林計画図の電子データ提供 (理由) y")], reviews)
    assert list(matched) == [1]
