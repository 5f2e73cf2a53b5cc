"""The whole year in the browser, persona by persona, with no command line and no Django admin.

佐藤 (ICT division) finds the imported plan without departments, assigns them in the web, opens the round and
downloads every workbook as one ZIP; 鈴木 answers by the web form; 田中 uploads his workbook with a mistake,
is told where, fixes it and resubmits; 高橋 reads every answer on one page, returns 鈴木's with a comment and
approves the corrected one; 山本 approves 田中's; 佐藤 uploads 会計局's workbook with a broken file beside it
(a result per file), closes the round after confirming, writes two narratives and the chapter texts and reads
the report. Every notice is in Django's outbox (locmem) addressed to the right person.

Before all that 佐藤 imports the plan through the import wizard, and after the narratives enters an indicator's
actual (a bad value refused first, then the chart and the table show it). Screenshots of each step at 1366×900
and 390×844 go to tests/screenshots/year/.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core import mail
from openpyxl import Workbook, load_workbook

from tenken.indicators.models import Observation
from tenken.indicators.services import indicator_create, observation_record
from tenken.plans.models import Initiative, Plan, Section
from tenken.reviews.models import InitiativeReview, SectionNarrative
from tenken.surveys.models import Response, SurveyRound
from tenken.surveys.workbook import C_ID, C_ISSUES, C_OUTCOME, C_REASON, C_STATUS, FIRST_ROW

from . import screens
from .personas import PASSWORD, cast_for, small_plan

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent / "screenshots" / "year"


def shot(page, name: str) -> None:
    screens.shot(page, SHOTS, name)


def kanagawa_people():
    """神奈川県 with its three departments and the personas (tests/personas.py), and no plan yet: the plan comes
    in through the import wizard. An indicator (baseline, an actual, the target) waits for this year's actual."""
    cast = cast_for(small_plan())
    cast.plan.delete()  # only the organization, departments and people stay
    indicator = indicator_create(organization=cast.org, name="電子申請の件数", unit="件", direction="higher")
    observation_record(indicator=indicator, kind="baseline", value=100, as_of=date(2014, 3, 31), source="実績")
    observation_record(indicator=indicator, kind="actual", value=800, as_of=date(2018, 3, 31), source="実績")
    observation_record(indicator=indicator, kind="target", value=2000, as_of=date(2020, 3, 31), source="計画")
    for person in (cast.sato, cast.suzuki, cast.takahashi, cast.tanaka, cast.yamamoto):
        person.set_password(PASSWORD)
        person.save()
    return cast


def plan_workbook(path: Path) -> Path:
    """The plan as the ICT division keeps it: 方針 › 取組項目 › 取組 with last year's (平成29年度) result, no
    departments."""
    wb = Workbook()
    ws = wb.active
    ws.title = "取組一覧"
    ws.append(["方針", "取組項目", "取組No", "取組内容", "平成29年度の実施結果"])
    for p in range(3):
        for n in range(2):
            ws.append([f"方針{p + 1}", f"取組項目{p + 1}ア", f"{p + 1}-{n + 1}", f"方針{p + 1}の取組{n + 1}", "実施中"])
    wb.save(path)
    return path


def sent(subject_start: str) -> list[tuple[str, ...]]:
    return [tuple(m.to) for m in mail.outbox if m.subject.startswith(subject_start)]


def fill_workbook(data: bytes, *, reason_for_first: str | None) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ws = wb["回答"]
    for r in range(FIRST_ROW, ws.max_row + 1):
        if ws.cell(r, C_ID).value is None:
            continue
        first = r == FIRST_ROW
        ws.cell(r, C_STATUS).value = "③ 取組内容を変更した" if first else "① 取組内容を達成した"
        ws.cell(r, C_REASON).value = reason_for_first if first else None
        ws.cell(r, C_OUTCOME).value = f"総務局の成果{r}"
        ws.cell(r, C_ISSUES).value = "次年度も継続" if first else None
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_whole_year_in_the_browser(live_server, monkeypatch, tmp_path, settings):
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium がありません（apt-get install chromium）")
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.STATE_DIR = tmp_path / "state"
    cast = kanagawa_people()
    url = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless"])

        def login(username: str):
            context = browser.new_context(locale="ja-JP", viewport={"width": 1366, "height": 900},
                                          accept_downloads=True)
            context.set_default_timeout(10_000)
            page = context.new_page()
            page.goto(f"{url}/login/?next=/surveys/")  # the one login (design), back to the surveys
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.click("button:has-text('ログイン')")
            expect(page.locator("h1")).to_have_text("照会（所属への年度調査）")
            return page

        try:
            # 0. 佐藤 imports the plan through the wizard: the proposed mapping (last year's result column read as
            # 平成29年度), the preview, the import.
            sato = login("sato")
            sato.click(".global-nav >> text=計画の取込")
            expect(sato.locator("h1")).to_have_text("計画の取込")
            sato.set_input_files("#id_file", str(plan_workbook(tmp_path / "行動計画.xlsx")))
            shot(sato, "00-import")
            sato.click("#upload")
            expect(sato.locator("h1")).to_have_text("対応表の確認")
            assert sato.input_value("#s0-col-D") == "text"
            shot(sato, "00-import-mapping")
            sato.click("#save-mapping")
            expect(sato.locator("h1")).to_have_text("取込内容の確認")
            expect(sato.locator("#counts")).to_contain_text("方針 3 / 取組項目 3 / 小項目 0 / 取組 6")
            sato.fill("#id_title", "テスト計画")
            sato.fill("#id_fiscal_years", "H26-H30")
            shot(sato, "00-import-preview")
            sato.click("#do-import")
            expect(sato.locator("#done")).to_contain_text("取組 6 件")
            shot(sato, "00-import-done")
            plan = Plan.objects.get(organization=cast.org, title="テスト計画")
            assert (plan.first_fiscal_year, plan.last_fiscal_year) == (2014, 2018)
            last_year = InitiativeReview.objects.filter(initiative__plan=plan, fiscal_year=2017, approval="approved")
            assert last_year.count() == 6
            items = list(Section.objects.filter(plan=plan, depth=1).order_by("order"))
            third = list(Initiative.objects.filter(section=items[2]).order_by("order"))

            # 1. 佐藤 assigns departments in the web: two 取組項目 in bulk, the third's initiatives one by one.
            sato.goto(f"{url}/surveys/")
            expect(sato.locator(".open-round")).to_contain_text("担当所属が決まっていない取組が6件あります")
            default = sato.locator("input[name=deadline]").input_value()
            assert default and default > date.today().isoformat()  # today in Tokyo + 30 days, never yesterday
            sato.click("text=担当所属を決めてください")
            expect(sato.locator("#unassigned-count")).to_contain_text("6件")
            shot(sato, "01-assignments-before")
            sato.select_option(f"#item-select-{items[0].pk}", label="政策局")
            sato.select_option(f"#item-select-{items[1].pk}", label="総務局")
            for initiative in third:
                sato.select_option(f"#initiative-{initiative.pk}", label="会計局")
            sato.click("#save-assignments")
            expect(sato.locator("#unassigned-count")).to_contain_text("すべての取組に担当所属が決まっています")
            shot(sato, "02-assignments-done")

            # 2. 佐藤 opens the round with the default deadline and downloads every workbook as one ZIP.
            sato.click("#unassigned-count >> text=照会を開始する")
            shot(sato, "03-open-form")
            sato.click("button:has-text('照会を開始')")
            expect(sato.locator(".msg.success")).to_contain_text("テスト計画 平成30年度 照会を開始しました")
            shot(sato, "04-round-opened")
            survey_round = SurveyRound.objects.get(plan=plan)
            assert sorted(sent("【照会】")) == [("suzuki@pref.kanagawa.example",), ("tanaka@pref.kanagawa.example",)]
            with sato.expect_download() as download:
                sato.click("#download-zip")
            archive = zipfile.ZipFile(download.value.path())
            books = {n.split("_")[-1].removesuffix(".xlsx"): archive.read(n) for n in archive.namelist()}
            assert sorted(books) == sorted(["政策局", "総務局", "会計局"])

            # 3. 鈴木 answers by the web form and submits.
            suzuki = login("suzuki")
            suzuki.click("#my-responses >> text=政策局の回答")
            expect(suzuki.locator("#response-state")).to_have_text("未提出")
            shot(suzuki, "05-clerk-response")
            first, second = Initiative.objects.filter(plan=plan, departments=cast.dept_a).order_by("order")
            suzuki.click(f"text={first.text}")
            suzuki.select_option("#id_status", "変更")
            suzuki.fill("#id_change_reason", "国の補助制度の終了に伴い事業を組み替えた")
            suzuki.fill("#id_outcome", "実証を終えた")
            suzuki.fill("#id_issues", "民間への展開")
            shot(suzuki, "06-clerk-answer-form")
            suzuki.click("#save-answer")
            suzuki.click(f"text={second.text}")
            suzuki.select_option("#id_status", "達成")
            suzuki.fill("#id_outcome", "全庁に導入した")
            suzuki.click("#save-answer")
            suzuki.click("#submit-response")
            expect(suzuki.locator("#response-state")).to_have_text("提出済")
            assert sent("【承認依頼】政策局") == [("takahashi@pref.kanagawa.example",)]

            # 4. 田中 uploads his workbook with a mistake, is told where, fixes it and resubmits.
            tanaka = login("tanaka")
            tanaka.click("#my-responses >> text=総務局の回答")
            with tanaka.expect_download() as download:
                tanaka.click("#download-workbook")
            data = Path(download.value.path()).read_bytes()
            wrong, right = tmp_path / "総務局_回答.xlsx", tmp_path / "総務局_回答_修正.xlsx"
            wrong.write_bytes(fill_workbook(data, reason_for_first=None))
            right.write_bytes(fill_workbook(data, reason_for_first="庁内システムの統合に合わせて見直した"))
            tanaka.set_input_files("#workbook", str(wrong))
            tanaka.click("#upload-workbook")
            expect(tanaka.locator(".errors")).to_contain_text(
                "総務局_回答.xlsx:回答!J5: 実施結果を「変更」とする場合は変更の理由を入力してください")
            expect(tanaka.locator("#response-state")).to_have_text("未提出")
            shot(tanaka, "07-upload-refused")
            tanaka.set_input_files("#workbook", str(right))
            tanaka.click("#upload-workbook")
            expect(tanaka.locator("#response-state")).to_have_text("提出済")
            shot(tanaka, "08-upload-accepted")
            assert sent("【承認依頼】総務局") == [("yamamoto@pref.kanagawa.example",)]

            # 5. 高橋 reads every answer on one page and returns 鈴木's with a comment.
            takahashi = login("takahashi")
            expect(takahashi.locator("#awaiting")).to_contain_text("政策局の回答")
            takahashi.click("#awaiting >> text=政策局の回答")
            row = takahashi.locator(f"#i{first.pk}")
            for text in ("変更", "国の補助制度の終了に伴い事業を組み替えた", "実証を終えた", "民間への展開", "実施中 → 変更"):
                expect(row).to_contain_text(text)
            shot(takahashi, "09-approver-view")
            takahashi.fill("#comment", "成果を数字で書いてください")
            takahashi.click("#return")
            expect(takahashi.locator("#response-state")).to_have_text("差戻し")
            (returned,) = [m for m in mail.outbox if m.subject.startswith("【差戻し】")]
            assert returned.to == ["suzuki@pref.kanagawa.example"]
            assert "差戻しの理由: 成果を数字で書いてください" in returned.body

            # 6. 鈴木 sees the return (page and notice), fixes and resubmits; 高橋 approves.
            suzuki.goto(f"{url}/surveys/")
            expect(suzuki.locator("#notifications-link")).to_contain_text("未読")
            expect(suzuki.locator(".notifications")).to_contain_text("【差戻し】")
            shot(suzuki, "10-clerk-notified")
            suzuki.click("#my-responses >> text=政策局の回答")
            expect(suzuki.locator(".errors")).to_contain_text("差戻しの理由: 成果を数字で書いてください")
            suzuki.click(f"text={first.text}")
            suzuki.fill("#id_outcome", "実証を終え、手続3件を電子化した")
            suzuki.click("#save-answer")
            suzuki.click("#submit-response")
            expect(suzuki.locator("#response-state")).to_have_text("再提出")
            takahashi.goto(f"{url}/surveys/")
            takahashi.click("#awaiting >> text=政策局の回答")
            takahashi.click("#approve")
            expect(takahashi.locator("#response-state")).to_have_text("承認")
            shot(takahashi, "11-approved")
            assert sent("【承認】テスト計画 平成30年度 照会（政策局）") == [("suzuki@pref.kanagawa.example",)]

            # 7. 山本 approves 田中's.
            yamamoto = login("yamamoto")
            yamamoto.click("#awaiting >> text=総務局の回答")
            yamamoto.click("#approve")
            expect(yamamoto.locator("#response-state")).to_have_text("承認")
            assert sent("【承認】テスト計画 平成30年度 照会（総務局）") == [("tanaka@pref.kanagawa.example",)]

            # 8. 佐藤 uploads 会計局's workbook and a broken file at once: a result per file.
            c_book, broken = tmp_path / "会計局.xlsx", tmp_path / "壊れたファイル.xlsx"
            c_book.write_bytes(fill_workbook(books["会計局"], reason_for_first="組織改正による"))
            broken.write_bytes(b"this is not a workbook")
            sato.goto(f"{url}/surveys/rounds/{survey_round.pk}/")
            expect(sato.locator("[data-board=not_submitted]")).to_contain_text("会計局")
            sato.click("#remind")  # 会計局 has no editor: nobody to write to, and the page says so
            expect(sato.locator(".msg.error")).to_contain_text("送れませんでした: 会計局")
            shot(sato, "12-board")
            sato.set_input_files("#workbooks", [str(c_book), str(broken)])
            sato.click("#upload-many")
            expect(sato.locator("#upload-summary")).to_contain_text("2冊のうち、受付 1冊・受け付けなかったもの 1冊")
            expect(sato.locator("#upload-results tr.accepted")).to_contain_text("会計局の回答として登録し、提出しました")
            expect(sato.locator("#upload-results tr.refused")).to_contain_text("壊れたファイル.xlsx")
            shot(sato, "13-multi-upload")

            # 9. 佐藤 closes the round after confirming; a clerk is told it is closed.
            sato.goto(f"{url}/surveys/rounds/{survey_round.pk}/")
            expect(sato.locator("[data-board=approved]")).to_contain_text("政策局")
            sato.click("#close-round")
            expect(sato.locator("h1")).to_have_text("照会を締め切りますか")
            shot(sato, "14-close-confirm")
            sato.check("#confirm-close")
            sato.click("#confirm-close-button")
            expect(sato.locator("#round-state")).to_have_text("締切済")
            tanaka.goto(f"{url}/surveys/")
            expect(tanaka.locator("#my-responses")).to_contain_text("締切済")
            tanaka.click("#my-responses >> text=総務局の回答")
            expect(tanaka.locator("#closed-notice")).to_contain_text("締切済")
            expect(tanaka.locator("#closed-notice")).to_contain_text("この回答は「承認」です")
            shot(tanaka, "15-clerk-closed")

            # 10. 佐藤 writes two narratives (prefilled from the approved answers) and the chapter texts.
            sato.goto(f"{url}/surveys/rounds/{survey_round.pk}/")
            sato.click("text=取組項目ごとの文章と、趣旨・考え方・全体総括を書く")
            shot(sato, "16-narratives")
            for item in items[:2]:
                sato.click(f"#item-{item.pk} >> text={item.title}")
                expect(sato.locator("#prefilled")).to_be_visible()
                assert "(理由)" in sato.input_value("#id_changed_initiatives")  # 変更 reasons gathered
                sato.fill("#id_main_initiatives", f"{item.title}の主な取組を進めた")
                if item == items[0]:
                    shot(sato, "17-narrative-prefilled")
                sato.click("#save-narrative")
                sato.click("#approve-narrative")
                expect(sato.locator("#narrative-state")).to_have_text("承認")
                sato.click("nav.breadcrumbs >> text=報告書の文章")
            sato.click("#chapter-texts")
            sato.fill("#id_purpose", "行動計画の進み具合を所属ごとに確かめ、次の取組に生かす。")
            sato.fill("#id_conclusion", "おおむね計画どおりに進んだ。")
            sato.click("#save-texts")
            sato.click("#approve-texts")
            expect(sato.locator("#texts-state")).to_have_text("承認")
            shot(sato, "18-chapter-texts")

            # 11. 佐藤 enters the year's actual of an indicator: a bad value is refused with the field named, then
            # the value is recorded and the trend chart and the table (in 和暦) show it.
            sato.goto(f"{url}/")
            sato.click(".global-nav >> text=指標")
            sato.click("text=電子申請の件数")
            expect(sato.locator("h1")).to_have_text("電子申請の件数")
            actuals = sato.locator("figure.chart svg g#actuals use")
            expect(actuals).to_have_count(1)
            sato.select_option("#id_kind", "actual")
            sato.fill("#id_value", "約56万")
            sato.fill("#id_as_of", "H30年度末")
            sato.fill("#id_source", "電子申請システムの利用実績")
            sato.click("#save-observation")
            expect(sato.locator("#id_value-error")).to_contain_text("数値ではありません")
            expect(sato.locator("#id_value")).to_have_attribute("aria-invalid", "true")
            shot(sato, "19-indicator-refused")
            sato.fill("#id_value", "1,320")
            sato.click("#save-observation")
            expect(sato.locator(".msg.success")).to_contain_text("実績値（H30年度末）を登録しました")
            expect(actuals).to_have_count(2)  # the new point on the trend chart
            row = sato.locator("table tr", has_text="平成31年3月31日").filter(has_text="実績値")
            expect(row).to_contain_text("1,320")
            expect(row).to_contain_text("電子申請システムの利用実績")
            shot(sato, "20-indicator-recorded")

            # 12. 佐藤 reads the report.
            sato.goto(f"{url}/plans/{plan.pk}/report/")
            expect(sato.locator("body")).to_contain_text("取組項目1アの主な取組を進めた")
            expect(sato.locator("body")).to_contain_text("おおむね計画どおりに進んだ。")
            shot(sato, "21-report")
        finally:
            browser.close()

    plan = Plan.objects.get(organization=cast.org, title="テスト計画")
    states = dict(Response.objects.filter(round__plan=plan).values_list("department__name", "state"))
    assert states == {"政策局": "approved", "総務局": "approved", "会計局": "submitted"}
    assert SectionNarrative.objects.filter(state="approved").count() == 2
    recorded = Observation.objects.get(indicator__name="電子申請の件数", kind="actual", as_of=date(2019, 3, 31))
    assert recorded.value == 1320 and recorded.as_of_text == "H30年度末"
    # Every notice went to the right person, and nobody else got mail.
    assert {to for m in mail.outbox for to in m.to} <= {
        "suzuki@pref.kanagawa.example", "tanaka@pref.kanagawa.example", "takahashi@pref.kanagawa.example",
        "yamamoto@pref.kanagawa.example",
    }
    assert sent("【承認依頼】政策局") == [("takahashi@pref.kanagawa.example",)] * 2  # submitted, then resubmitted
    # Every mail links to its response on the host the people use (no TENKEN_BASE_URL here: the request's host).
    assert all(f"\n{url}/surveys/responses/" in m.body for m in mail.outbox), [m.body for m in mail.outbox]
