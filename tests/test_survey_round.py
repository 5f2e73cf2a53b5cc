"""End to end: open a round, generate workbooks, fill them, ingest (refusing bad ones whole), approve,
and the inspection counts hold exactly the approved answers."""

from __future__ import annotations

import shutil
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from openpyxl import load_workbook

from tenken.common.errors import InputRejected
from tenken.orgs.access import AccessDenied
from tenken.plans import editing
from tenken.plans.models import Initiative, Section
from tenken.reviews.models import InitiativeReview
from tenken.reviews.selectors import status_counts_by_section
from tenken.surveys import services
from tenken.surveys.exchange import ingest_directory, response_ingest_workbook, round_workbooks_generate
from tenken.surveys.models import Response, ReviewChange
from tenken.surveys.workbook import C_ID, C_ISSUES, C_LABEL, C_OUTCOME, C_REASON, C_STATUS, C_TEXT, FIRST_ROW

from .conftest import db_snapshot
from .personas import cast_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(kanagawa_plan):
    return cast_for(kanagawa_plan)

ACHIEVED, IN_PROGRESS, CHANGED = "① 取組内容を達成した", "② 取組内容を実施中である", "③ 取組内容を変更した"


def fill(path: Path, choose, target: Path | None = None) -> dict[int, str]:
    """Answer every row with ``choose(row_index, number_label) -> (status, reason)``; returns {initiative id: status}."""
    wb = load_workbook(path)
    ws = wb["回答"]
    chosen = {}
    for r in range(FIRST_ROW, ws.max_row + 1):
        initiative_id = ws.cell(r, C_ID).value
        if initiative_id is None:
            continue
        status, reason = choose(r - FIRST_ROW, ws.cell(r, C_LABEL).value)
        ws.cell(r, C_STATUS).value = status
        ws.cell(r, C_REASON).value = reason
        ws.cell(r, C_OUTCOME).value = f"成果{r}"
        ws.cell(r, C_ISSUES).value = None
        chosen[initiative_id] = status
    wb.save(target or path)
    return chosen


def code_of(label: str | None) -> str:
    return {ACHIEVED: "achieved", IN_PROGRESS: "in_progress", CHANGED: "changed"}[label]


def by_department(paths: list[Path], cast) -> dict[str, Path]:
    out = {}
    for p in paths:
        for key in "ABC":
            if f"_所属{cast.department_of(key).pk}_" in p.name:
                out[key] = p
    return out


def policy_counts(inspection) -> dict[str, Counter]:
    counts = status_counts_by_section(inspection=inspection, approved_only=True)
    return {s.title: +counts[s.pk] for s in Section.objects.filter(plan=inspection.plan, depth=0)}


def test_round_from_opening_to_approved_counts(cast, tmp_path):
    plan = cast.plan
    with pytest.raises(AccessDenied):
        services.round_open(user=cast.suzuki, plan=plan, fiscal_year=2018, deadline=date(2019, 5, 31))
    survey_round = services.round_open(user=cast.sato, plan=plan, fiscal_year=2018, deadline=date(2019, 5, 31))
    assert survey_round.inspection.kind == "annual" and survey_round.inspection.fiscal_year == 2018
    assert survey_round.responses.count() == 3

    out = tmp_path / "out"
    paths = by_department(round_workbooks_generate(user=cast.sato, survey_round=survey_round, directory=out), cast)
    assert sorted(paths) == ["A", "B", "C"]

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    # A (政策局, 60 rows): every fifth 変更 with a reason, every third 実施中, the rest 達成.
    def choose_a(i, label):
        if i % 5 == 0:
            return CHANGED, f"事業の見直しのため（{label}）"
        return (IN_PROGRESS, None) if i % 3 == 0 else (ACHIEVED, None)

    answers_a = fill(paths["A"], choose_a, inbox / paths["A"].name)
    # B (総務局): four kinds of mistakes, each must be named with its cell.
    def choose_b(i, label):
        return [(None, None), (CHANGED, None), ("済み", None)][i] if i < 3 else (ACHIEVED, None)

    fill(paths["B"], choose_b, inbox / paths["B"].name)
    wb = load_workbook(inbox / paths["B"].name)
    wb["回答"].cell(FIRST_ROW + 3, C_OUTCOME).value = "=1+1"
    wb.save(inbox / paths["B"].name)
    # C (会計局): filled correctly, but saved macro-enabled.
    answers_c = fill(paths["C"], lambda i, label: (IN_PROGRESS, None), tmp_path / "c.xlsx")
    macro = inbox / paths["C"].name.replace(".xlsx", ".xlsm")
    with zipfile.ZipFile(tmp_path / "c.xlsx") as src, zipfile.ZipFile(macro, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/vbaProject.bin", b"\x00fake vba")

    before = db_snapshot()
    results = {r.name: r for r in ingest_directory(user=cast.sato, directory=inbox, survey_round=survey_round)}
    ok_a = results[paths["A"].name]
    assert ok_a.ok and ok_a.response.state == Response.State.SUBMITTED
    bad_b = results[paths["B"].name]
    assert not bad_b.ok
    messages = [str(p) for p in bad_b.problems]
    name_b = paths["B"].name
    assert f"{name_b}:回答!I{FIRST_ROW}: 実施結果が入力されていません" in messages
    assert f"{name_b}:回答!J{FIRST_ROW + 1}: 実施結果を「変更」とする場合は変更の理由を入力してください" in messages
    assert any(m.startswith(f"{name_b}:回答!I{FIRST_ROW + 2}: 実施結果「済み」は選択肢にありません") for m in messages)
    assert f"{name_b}:回答!K{FIRST_ROW + 3}: 数式は受け付けません。値を入力してください" in messages
    bad_c = results[macro.name]
    assert not bad_c.ok and "マクロ有効ファイル（.xlsm）は受け付けません" in str(bad_c.problems[0])
    # Only A's 60 answers (and their history) were written; B and C were refused whole.
    after = db_snapshot()
    assert after["reviews.InitiativeReview"] - before["reviews.InitiativeReview"] == len(answers_a) == 60
    states = dict(survey_round.responses.values_list("department__name", "state"))
    assert states == {"政策局": "submitted", "総務局": "not_submitted", "会計局": "not_submitted"}

    # Corrected copies go through; a workbook is never accepted twice for a submitted response.
    answers_b = fill(paths["B"], lambda i, label: (CHANGED, "統合のため") if i == 0 else (ACHIEVED, None))
    response_ingest_workbook(user=cast.tanaka, path=paths["B"], survey_round=survey_round)
    fill(paths["C"], lambda i, label: (IN_PROGRESS, None))
    with pytest.raises(AccessDenied):  # 会計局 has no editor of its own; 田中 edits only 総務局
        response_ingest_workbook(user=cast.tanaka, path=paths["C"])
    response_ingest_workbook(user=cast.sato, path=paths["C"])
    with pytest.raises(InputRejected, match="「提出済」のため変更できません"):
        response_ingest_workbook(user=cast.sato, path=paths["C"])

    assert policy_counts(survey_round.inspection) == {
        "スマート神奈川の推進": Counter(), "行政サービスのICT化の拡充": Counter(), "スマート県庁の実現": Counter(),
    }
    resp = {r.department.name: r for r in survey_round.responses.select_related("department")}
    with pytest.raises(AccessDenied):
        services.response_approve(user=cast.suzuki, response=resp["政策局"])  # an editor cannot approve
    services.response_approve(user=cast.takahashi, response=resp["政策局"])
    services.response_approve(user=cast.sato, response=resp["会計局"])
    with pytest.raises(InputRejected, match="差戻しの理由を入力してください"):
        services.response_return(user=cast.yamamoto, response=resp["総務局"], comment=" ")
    services.response_return(user=cast.yamamoto, response=resp["総務局"], comment="取組11-2の成果を具体的に")

    counts = policy_counts(survey_round.inspection)
    assert counts["スマート神奈川の推進"] == Counter(code_of(s) for s in answers_a.values())
    assert counts["スマート県庁の実現"] == Counter(code_of(s) for s in answers_c.values())
    assert counts["行政サービスのICT化の拡充"] == Counter()  # returned: not counted
    assert sum(counts["スマート神奈川の推進"].values()) == 60
    assert counts["スマート神奈川の推進"]["changed"] == 12

    # The old B workbook is stale (approval changes bumped the versions): refused, nothing overwritten.
    with pytest.raises(InputRejected) as stale:
        response_ingest_workbook(user=cast.tanaka, path=paths["B"], survey_round=survey_round)
    assert len(stale.value.problems) == 21
    assert "山本 さんが" in stale.value.messages[0]  # the approver who returned it moved the version last
    assert "保存しませんでした（開いたときの版 0、現在の版 3）" in stale.value.messages[0]
    regenerated = by_department(round_workbooks_generate(user=cast.sato, survey_round=survey_round,
                                                         directory=tmp_path / "again"), cast)["B"]
    wb = load_workbook(regenerated)
    assert wb.sheetnames[0] == "記入方法"
    assert wb["回答"].cell(FIRST_ROW, C_STATUS).value == CHANGED  # pre-filled with the current answer
    assert wb["回答"].cell(FIRST_ROW, C_REASON).value == "統合のため"
    answers_b = fill(regenerated, lambda i, label: (ACHIEVED, None) if i == 0 else (CHANGED, "所管替え") if i == 1
                     else (ACHIEVED, None))
    resubmitted = response_ingest_workbook(user=cast.tanaka, path=regenerated, survey_round=survey_round)
    assert resubmitted.state == Response.State.RESUBMITTED and resubmitted.submission_count == 2
    services.response_approve(user=cast.yamamoto, response=resubmitted)

    counts = policy_counts(survey_round.inspection)
    assert counts["行政サービスのICT化の拡充"] == Counter(code_of(s) for s in answers_b.values())
    assert sum(sum(c.values()) for c in counts.values()) == 100
    approved = InitiativeReview.objects.filter(inspection=survey_round.inspection, approval="approved").count()
    assert approved == 100
    # The history of B's first initiative: 変更 (from the first workbook) then 達成 (the second).
    first_b = InitiativeReview.objects.get(inspection=survey_round.inspection, initiative_id=min(answers_b))
    status_changes = list(first_b.changes.filter(field="status").values_list("old_value", "new_value", "via"))
    assert status_changes == [("", "変更", "workbook"), ("変更", "達成", "workbook")]
    assert list(first_b.changes.filter(field="approval").values_list("new_value", flat=True)) == [
        "提出済", "差戻し", "下書き", "提出済", "承認",  # editing a returned answer makes it a draft again
    ]
    assert ReviewChange.objects.filter(review=first_b, field="status").last().changed_by == cast.tanaka


def test_workbook_for_another_department_or_round_is_refused(cast, tmp_path):
    r2017 = services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2017, deadline=date(2018, 5, 31))
    r2018 = services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2018, deadline=date(2019, 5, 31))
    p2017 = by_department(round_workbooks_generate(user=cast.sato, survey_round=r2017, directory=tmp_path / "a"), cast)
    fill(p2017["A"], lambda i, label: (ACHIEVED, None))
    resp_b = r2017.responses.get(department=cast.dept_b)
    with pytest.raises(InputRejected, match="この回答票は「政策局」用です。「総務局」の回答としては受け付けません"):
        response_ingest_workbook(user=cast.sato, path=p2017["A"], response=resp_b)
    with pytest.raises(InputRejected, match="別の照会"):
        response_ingest_workbook(user=cast.sato, path=p2017["A"], survey_round=r2018)
    # Editing the identification is detected by its signature.
    wb = load_workbook(p2017["A"])
    wb["_tenken"]["B3"].value = wb["_tenken"]["B3"].value.replace("e", "f", 1)
    wb.save(tmp_path / "tampered.xlsx")
    with pytest.raises(InputRejected, match="識別情報が正しくありません"):
        response_ingest_workbook(user=cast.sato, path=tmp_path / "tampered.xlsx")
    assert not InitiativeReview.objects.filter(inspection__in=[r2017.inspection, r2018.inspection]).exists()


def test_last_years_approved_answers_prefill_the_next_workbook(cast, tmp_path):
    r2016 = services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2016, deadline=date(2017, 5, 31))
    resp = r2016.responses.get(department=cast.dept_c)
    path = by_department(round_workbooks_generate(user=cast.sato, survey_round=r2016, directory=tmp_path), cast)["C"]
    fill(path, lambda i, label: (CHANGED, "国の制度変更") if i == 0 else (IN_PROGRESS, None))
    services.response_approve(user=cast.sato, response=response_ingest_workbook(user=cast.sato, path=path))
    r2017 = services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2017, deadline=date(2018, 5, 31))
    path = by_department(round_workbooks_generate(user=cast.sato, survey_round=r2017, directory=tmp_path / "n"),
                         cast)["C"]
    ws = load_workbook(path)["回答"]
    assert (ws.cell(FIRST_ROW, 7).value, ws.cell(FIRST_ROW, 8).value) == (CHANGED, "国の制度変更")
    assert ws.cell(FIRST_ROW + 1, 7).value == IN_PROGRESS
    assert ws.cell(FIRST_ROW, C_STATUS).value == CHANGED  # last year's answer as the starting point
    assert ws.cell(FIRST_ROW, C_REASON).value is None  # the reason must be written anew
    assert ws.protection.sheet and not ws.cell(FIRST_ROW, C_STATUS).protection.locked
    assert ws.cell(FIRST_ROW, C_LABEL).protection.locked and ws.cell(FIRST_ROW, C_ISSUES).protection.locked is False
    (dv,) = ws.data_validations.dataValidation
    assert dv.type == "list" and str(dv.sqref) == f"I{FIRST_ROW}:I{FIRST_ROW + 18}"
    assert dv.formula1 == f'"{ACHIEVED},{IN_PROGRESS},{CHANGED}"'
    resp.refresh_from_db()
    assert resp.state == "approved"


def test_round_needs_every_initiative_assigned(kanagawa_plan):
    from tenken.orgs.models import Membership
    from tests.personas import make_user

    sato = make_user("sato", "佐藤")
    Membership.objects.create(user=sato, organization=kanagawa_plan.organization, role="admin")
    with pytest.raises(InputRejected, match="担当所属が決まっていない取組が100件あります"):
        services.round_open(user=sato, plan=kanagawa_plan, fiscal_year=2018, deadline=date(2019, 5, 31))


def test_demo_mapping_file_assigns_every_initiative(kanagawa_plan, kanagawa_dir):
    from tenken.plans.assignments import plan_assign_departments_from_csv
    from tenken.surveys.selectors import answering_departments, unassigned_initiatives

    counts = plan_assign_departments_from_csv(plan=kanagawa_plan, path=kanagawa_dir / "departments.csv")
    assert unassigned_initiatives(plan=kanagawa_plan) == []
    assert len(answering_departments(plan=kanagawa_plan)) == 100
    assert counts["教育局"] == 11
    bad = kanagawa_dir / "bad.csv"
    bad.write_text("取組項目,所属\n存在しない項目,政策局\n教育のスマート化,\n", encoding="utf-8")
    with pytest.raises(InputRejected) as exc:
        plan_assign_departments_from_csv(plan=kanagawa_plan, path=bad)
    assert exc.value.messages == [
        "bad.csv:2行目: 取組項目「存在しない項目」は計画「電子化全開宣言行動計画」にありません",
        "bad.csv:3行目: 所属が空です",
    ]


def test_reminders_go_to_editors_of_departments_that_owe_an_answer(cast, tmp_path, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    survey_round = services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2018, deadline=date(2019, 5, 31))
    path = by_department(round_workbooks_generate(user=cast.sato, survey_round=survey_round, directory=tmp_path),
                         cast)["A"]
    fill(path, lambda i, label: (ACHIEVED, None))
    response_ingest_workbook(user=cast.suzuki, path=path)
    with pytest.raises(AccessDenied):
        services.round_remind(user=cast.tanaka, survey_round=survey_round)
    result = services.round_remind(user=cast.sato, survey_round=survey_round, base_url="http://tenken.example")
    assert result.sent == ["総務局"] and result.no_address == ["会計局"]
    assert len(mail.outbox) == 1
    msg = mail.outbox[0]
    assert msg.to == ["tanaka@pref.kanagawa.example"]
    assert "まだ提出されていません" in msg.body and "回答済み 0 件 / 対象 21 件" in msg.body
    assert "回答期限: 令和元年5月31日（2019-05-31）" in msg.body
    assert f"http://tenken.example/surveys/responses/{survey_round.responses.get(department=cast.dept_b).pk}/" in msg.body


def test_cli_open_generate_ingest_remind(cast, tmp_path, capsys):
    call_command("survey", "open", "--plan", str(cast.plan.pk), "--fiscal-year", "平成30年度",
                 "--deadline", "2019-05-31", "--user", "sato")
    out = tmp_path / "wb"
    call_command("survey", "generate", "--plan", str(cast.plan.pk), "--fiscal-year", "2018", "--out", str(out),
                 "--user", "sato")
    files = sorted(out.iterdir())
    assert len(files) == 3
    inbox = tmp_path / "in"
    inbox.mkdir()
    a = next(f for f in files if "政策局" in f.name)
    fill(a, lambda i, label: (ACHIEVED, None), inbox / a.name)
    shutil.copy(next(f for f in files if "総務局" in f.name), inbox / "総務局.xlsx")  # returned unanswered
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="1件の回答票を受け付けませんでした"):
        call_command("survey", "ingest", str(inbox), "--plan", str(cast.plan.pk), "--fiscal-year", "2018",
                     "--user", "sato")
    text = capsys.readouterr().out
    assert f"受付: {a.name} → 政策局（提出済）" in text
    assert "拒否: 総務局.xlsx" in text and "実施結果が入力されていません" in text
    call_command("survey", "remind", "--plan", str(cast.plan.pk), "--fiscal-year", "2018", "--user", "sato")
    assert "督促しました: 総務局" in capsys.readouterr().out
    with pytest.raises(CommandError, match="この計画の照会を管理する権限がありません"):
        call_command("survey", "close", "--plan", str(cast.plan.pk), "--fiscal-year", "2018", "--user", "tanaka")
    call_command("survey", "close", "--plan", str(cast.plan.pk), "--fiscal-year", "2018", "--user", "sato")
    b = next(f for f in files if "総務局" in f.name)
    fill(b, lambda i, label: (ACHIEVED, None))
    with pytest.raises(InputRejected, match="この照会は締め切られています"):
        response_ingest_workbook(user=cast.sato, path=b)
    a_response = cast.plan.survey_rounds.get().responses.get(department=cast.dept_a)
    assert services.response_approve(user=cast.takahashi, response=a_response).state == "approved"


def test_survey_demo_setup_is_idempotent(kanagawa_plan, capsys):
    call_command("setup_survey_demo")
    call_command("setup_survey_demo")
    survey_round = kanagawa_plan.survey_rounds.get()
    assert survey_round.fiscal_year == 2018
    assert survey_round.responses.count() == 9  # the departments of tenken/demo/data/kanagawa/departments.csv
    out = capsys.readouterr().out
    assert out.count("担当所属を設定しました") == 1 and out.count("照会を開始しました") == 1
    from tenken.orgs.access import can_edit_department
    from tenken.orgs.models import Department, Membership

    suzuki = Membership.objects.get(user__username="suzuki").user
    assert can_edit_department(suzuki, Department.objects.get(name="政策局"))
    assert not can_edit_department(suzuki, Department.objects.get(name="総務局"))


def test_documented_survey_subcommands_exist():
    """docs/surveys.md and README.md name only subcommands that exist, and every subcommand is documented."""
    import re

    from tenken.surveys.management.commands.survey import Command

    parser = Command().create_parser("tenken", "survey")
    (sub,) = [a for a in parser._actions if a.dest == "action"]
    docs = (Path(__file__).resolve().parent.parent / "docs" / "surveys.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"tenken survey (\w+)", docs))
    assert documented == set(sub.choices)


def test_the_workbook_shows_the_initiative_name_when_set(cast, tmp_path):
    """「【取組名】」 above the text in the 取組内容 cell, when the initiative has a name; the answer is read back."""
    r2016 = services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2016, deadline=date(2017, 5, 31))
    path = by_department(round_workbooks_generate(user=cast.sato, survey_round=r2016, directory=tmp_path), cast)["C"]
    ws = load_workbook(path)["回答"]
    ini = Initiative.objects.get(pk=ws.cell(FIRST_ROW, C_ID).value)
    assert ws.cell(FIRST_ROW, C_TEXT).value == ini.text
    editing.initiative_update(user=cast.sato, initiative=ini, name="電子申請の拡充")
    path = by_department(round_workbooks_generate(user=cast.sato, survey_round=r2016, directory=tmp_path / "n"),
                         cast)["C"]
    ws = load_workbook(path)["回答"]
    assert ws.cell(FIRST_ROW, C_TEXT).value == f"【電子申請の拡充】\n{ini.text}"
    fill(path, lambda i, label: (IN_PROGRESS, None))
    response_ingest_workbook(user=cast.sato, path=path)
    assert InitiativeReview.objects.get(inspection=r2016.inspection, initiative=ini).status.long_label == IN_PROGRESS
