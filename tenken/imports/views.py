"""The import wizard (ICT admin only): upload → inspect → correct columns and the scale → preview with
located problems → import. The organization's saved profile is reused next year without questions.

Views translate HTTP to calls of :mod:`tenken.imports` (inspect, preview, services); permission comes
from :mod:`tenken.orgs.access`; uploads are temporary files under ``settings.STATE_DIR``.
"""

from __future__ import annotations

import functools
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_POST

from tenken.common.errors import InputRejected, Problem
from tenken.common.wareki import WarekiError, parse_fiscal_year
from tenken.orgs import access
from tenken.plans.statuses import CATEGORIES
from tenken.spreadsheets.uploads import uploaded_file

from . import tasks
from .fields import BY_KEY, FIELDS
from .inspect import RESULT_QUESTION, inspect_file, scale_question
from .mapping import (
    POLICY_FROM,
    RESULT_KINDS,
    ROW_KIND_LABELS,
    Mapping,
    YearColumn,
    decode_mapping,
    from_toml,
    legend_additions,
    to_toml,
)
from .preview import build_preview, follow_moved_columns
from .rowyears import has_single_result
from .services import plan_import_mapped, profile_get
from .template import blank_template
from .uploads import Upload, discard, get_upload, save_upload

LOGIN_URL = reverse_lazy("login")  # the one front door (tenken.web)
SESSION_KEY = "tenken_imports"
PROFILE = "計画"
FLAG = "flag"  # the choice of a column of marks (SheetMapping.flags): no field, kept in the note


class FormErrors(list):
    """The messages of a refused form, in order (the summary above it, each a link), and by the control each
    is about (shown beside it, where the user corrects it)."""

    def __init__(self):
        super().__init__()
        self.at: dict[str, list[str]] = {}
        self.href: dict[str, str] = {}

    def add(self, message: str, *names: str) -> None:
        self.append(message)
        for n in names:
            self.at.setdefault(n, []).append(message)
        if names:
            self.href.setdefault(message, names[0])


def guarded(view):
    @login_required(login_url=LOGIN_URL)
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except access.AccessDenied as exc:
            return render(request, "imports/denied.html", {"message": exc.message, "forbidden": True}, status=403)
        except InputRejected as exc:
            return render(request, "imports/denied.html", {"message": "、".join(exc.messages)}, status=404)

    return wrapper


def _upload(request: HttpRequest, token: str):
    """The upload of ``token`` and its organization, for this session's ICT admin only."""
    org_pk = request.session.get(SESSION_KEY, {}).get(token)
    if org_pk is None:
        raise InputRejected(Problem("", "アップロードが見つかりません。もう一度アップロードしてください"))
    organization = access.organization_for_import(user=request.user, pk=org_pk)
    return get_upload(token), organization


def _mapping(upload: Upload) -> Mapping | None:
    return from_toml(upload.mapping_path.read_text(encoding="utf-8")) if upload.mapping_path.exists() else None


@guarded
def index(request: HttpRequest) -> HttpResponse:
    organizations = access.import_organizations(user=request.user)
    if not organizations.exists():
        raise access.AccessDenied("計画を取り込めるのは団体の管理者（ICT担当）だけです")
    errors: list[str] = []
    if request.method == "POST":
        try:
            f = uploaded_file(request, "file")
        except InputRejected as exc:
            f, errors = None, exc.messages
        if f is None:
            errors = errors or ["ファイルを選んでください"]
        else:
            organization = access.organization_for_import(user=request.user, pk=request.POST.get("organization"))
            try:
                upload = save_upload(f)
            except InputRejected as exc:
                errors.extend(exc.messages)
            else:
                request.session.setdefault(SESSION_KEY, {})[upload.token] = organization.pk
                request.session.modified = True
                profile = profile_get(organization=organization, name=PROFILE)
                if profile is not None:
                    added = legend_additions(profile, inspect_file(upload.file, name=upload.name).mapping)
                    profile.scale += added
                    upload.mapping_path.write_text(to_toml(profile), encoding="utf-8")
                    messages.info(request, "前回確かめた対応表を使います（変更するときは「対応表を直す」）")
                    for e in added:
                        messages.info(request, f"凡例にある実施結果「{e.value}」を区分「{e.category_label}」として尺度に加えました"
                                               f"（{e.reason}）")
                    return redirect("imports:preview", token=upload.token)
                return redirect("imports:mapping", token=upload.token)
    return render(request, "imports/index.html", {"organizations": organizations, "errors": errors,
                                                  "fields": FIELDS, "categories": CATEGORIES})


@guarded
def mapping(request: HttpRequest, token: str) -> HttpResponse:
    upload, organization = _upload(request, token)
    result = inspect_file(upload.file, name=upload.name)
    current = _mapping(upload)
    if current is not None:  # next year's moved columns shown where they are now, as the preview reads them
        current = follow_moved_columns(upload.file, current, name=upload.name)
    proposed = result.mapping
    errors: list[str] = []
    posted: Mapping | None = None
    if request.method == "POST":
        try:
            mapping_file = uploaded_file(request, "mapping_file")
        except InputRejected as exc:
            mapping_file, errors = None, exc.messages
        if mapping_file:
            try:
                text = decode_mapping(mapping_file.read(), name="対応表")  # as Notepad saves it, like the CLI
                from_toml(text, name="対応表")
                upload.mapping_path.write_text(text, encoding="utf-8")
                return redirect("imports:preview", token=token)
            except InputRejected as exc:
                errors += exc.messages
        elif not errors:
            posted, errors = _mapping_from_post(request.POST, result, proposed, current)
            if not errors:
                upload.mapping_path.write_text(to_toml(posted), encoding="utf-8")
                return redirect("imports:preview", token=token)
    shown = posted or current or proposed  # a refused form keeps what the user chose
    typed = request.POST if posted is not None else None  # ... and what they typed, even where unreadable
    at = getattr(errors, "at", {})
    sheets = []
    for i, (rep, sm) in enumerate(zip(result.sheets, proposed.sheets, strict=True)):
        chosen = shown.sheet(sm.name) or sm
        chosen_cols = {v: k for k, v in chosen.columns.items()}
        chosen_years = {y.column: y.field for y in chosen.years}
        cols = []
        for c in rep.columns:
            value = chosen_cols.get(c.letter, "")
            if c.year and c.letter in chosen_years:
                value = f"year-{chosen_years[c.letter]}"
            elif not value and c.letter in chosen.flags:
                value = FLAG
            if typed is not None:  # one field given to two columns: both shown as chosen, with the message
                value = typed.get(f"s{i}-col-{c.letter}", "")
            cols.append({"c": c, "name": f"s{i}-col-{c.letter}", "value": value,
                         "errors": at.get(f"s{i}-col-{c.letter}", [])})
        sheets.append({"i": i, "rep": rep, "use": chosen.use, "cols": cols,
                       "header": typed.get(f"s{i}-header", "") if typed is not None
                       else ",".join(map(str, chosen.header_rows or rep.header_rows)),
                       "fiscal_year": typed.get(f"s{i}-fiscal_year", "") if typed is not None
                       else chosen.fiscal_year or "",
                       "fiscal_year_errors": at.get(f"s{i}-fiscal_year", []), "cols_errors": at.get(f"s{i}-cols", []),
                       "rows": [{"r": r, "label": ROW_KIND_LABELS.get(r.kind, r.kind)} for r in rep.rows]})
    scale = []
    chosen_scale = {e.value: e for e in shown.scale}
    for j, e in enumerate(proposed.scale):
        c = chosen_scale.get(e.value, e)
        scale.append({"j": j, "e": e, "label": c.label, "category": c.category, "reason": c.requires_reason})
    chosen_result = (posted or current).result if (posted and request.POST.get("result")) or current else ""
    # Asked whenever the mapping shown has a single result column: unchoosing a 年度 column makes one.
    has_single = any(has_single_result(s) for s in (*shown.sheets, *proposed.sheets) if s.use)
    return render(request, "imports/mapping.html", {
        "upload": upload, "organization": organization, "result": result, "sheets": sheets, "scale": scale,
        "fields": [f for f in FIELDS], "categories": CATEGORIES, "policy_from": POLICY_FROM.items(),
        "chosen_policy_from": shown.policy_from, "result_kinds": RESULT_KINDS.items(), "has_single": has_single,
        # The result kind of a single column is asked, never preselected from a guess.
        "chosen_result": chosen_result,
        "result_year": typed.get("result_year", "") if typed is not None
        else ((current.result_year if current else "") or ""),
        "questions": open_questions(proposed, shown, answered_result=bool(chosen_result)), "errors": errors,
        "error_links": [{"text": e, "href": getattr(errors, "href", {}).get(e, "")} for e in errors],
        "result_errors": at.get("result-kind", []), "result_year_errors": at.get("result_year", []),
    })


def open_questions(proposed: Mapping, shown: Mapping, *, answered_result: bool) -> list[str]:
    """The proposal's questions the mapping shown has not answered yet (a status given its category, the kind of
    a single result column chosen), the latter named as the form names its choices."""
    categorized = {e.value for e in shown.scale if e.category}
    answered = {scale_question(e) for e in proposed.scale if e.value in categorized}
    out = []
    for q in proposed.questions:
        if q == RESULT_QUESTION:
            if answered_result:
                continue
            q = ("単一の実施結果列を「計画期間の最終点検」とするか「年度点検」とするか"
                 "（下の「実施結果の列は、どの点検の結果ですか」で選んでください）")
        elif q in answered:
            continue
        out.append(q)
    return out


def _mapping_from_post(post, result, proposed: Mapping, current: Mapping | None = None) -> tuple[Mapping, list[str]]:
    """The mapping the form says; what the form does not show (one-off skip_rows, a sheet's policy, a status's
    aliases, statuses no cell uses yet, the kinds of rows skipped) is kept from the mapping being corrected
    (uploaded, or the saved profile), else from the proposal."""
    errors = FormErrors()
    sheets = []
    base = current or proposed
    for i, (rep, sm) in enumerate(zip(result.sheets, proposed.sheets, strict=True)):
        kept = base.sheet(sm.name) or sm
        cols: dict[str, str] = {}
        years: list[YearColumn] = []
        flags: list[str] = []
        first: dict[str, str] = {}
        for c in rep.columns:
            v = post.get(f"s{i}-col-{c.letter}", "")
            if v.startswith("year-") and c.year:
                years.append(YearColumn(c.letter, c.year, v[5:], c.header))
            elif v == FLAG:
                flags.append(c.letter)
            elif v:
                if v in cols:
                    label = BY_KEY[v].label if v in BY_KEY else v
                    errors.add(f"シート「{rep.name}」: 「{label}」を {first[v]} 列と {c.letter} 列の二つに割り当てています",
                               f"s{i}-col-{first[v]}", f"s{i}-col-{c.letter}")
                first.setdefault(v, c.letter)
                cols[v] = c.letter
        header = [int(x) for x in post.get(f"s{i}-header", "").replace("、", ",").split(",") if x.strip().isdigit()]
        sm2 = type(sm)(sm.name, bool(post.get(f"s{i}-use")), header or sm.header_rows, cols, years, kept.skip_rows,
                       kept.policy)
        sm2.flags = flags
        sm2.headers = {c.letter: c.header for c in rep.columns}  # next year's moved columns are found by them
        sheet_year = post.get(f"s{i}-fiscal_year", "").strip()
        if sheet_year:
            try:
                sm2.fiscal_year = parse_fiscal_year(sheet_year)
            except WarekiError:
                errors.add(f"シート「{rep.name}」: このシートの年度「{sheet_year}」が読めません（例: R4、2022）",
                           f"s{i}-fiscal_year")
        if sm2.use and "text" not in cols:
            errors.add(f"シート「{rep.name}」: 取組内容の列を選んでください", f"s{i}-cols")
        sheets.append(sm2)
    scale = []
    valid = {k for k, _ in CATEGORIES}
    earlier = {e.value: e for e in base.scale}
    for j, e in enumerate(proposed.scale):
        # Left unanswered, a value stays a located question in the preview (every cell that uses it).
        cat = post.get(f"scale{j}-category", "")
        c = earlier.get(e.value, e)
        e2 = type(e)(e.value, post.get(f"scale{j}-label", e.label).strip() or e.value, cat if cat in valid else "",
                     bool(post.get(f"scale{j}-reason")), c.long_label or e.long_label,
                     list(dict.fromkeys([*c.aliases, *e.aliases])), c.code or e.code)
        scale.append(e2)
    shown = {e.value for e in proposed.scale}
    scale += [e for e in base.scale if e.value not in shown]  # statuses no cell of this file uses
    result_kind = post.get("result", "")
    has_single = any(has_single_result(s) for s in sheets if s.use)
    if has_single and result_kind not in RESULT_KINDS:
        errors.add("単一の実施結果列を「計画期間の最終点検」とするか「年度点検」とするかを選んでください", "result-kind")
    year = post.get("result_year", "").strip()
    try:
        result_year = parse_fiscal_year(year) if year else None  # 2024, R6, 令和6年度
    except WarekiError:
        result_year = None
        if result_kind == "annual":
            errors.add(f"年度点検の年度「{year}」が読めません（例: R6、2024）", "result_year")
    if result_kind == "annual" and result_year is None and not year:
        errors.add("年度点検とするときは、その年度を入力してください（例: R6、2024）", "result_year")
    policy_from = post.get("policy_from", base.policy_from)
    if policy_from not in POLICY_FROM:
        policy_from = base.policy_from
    return Mapping(sheets, scale, policy_from, result_kind or "final", result_year, base.skip, proposed.source), errors


def _preview_context(upload: Upload, organization, mapping: Mapping, extra_problems=None):
    pv = build_preview(upload.file, mapping, name=upload.name)
    problems = list(extra_problems if extra_problems is not None else pv.problems)
    return {"upload": upload, "organization": organization, "preview": pv, "tree": pv.tree(), "problems": problems,
            "counts": pv.counts(), "statuses": pv.statuses, "mapping": mapping}


@guarded
def preview(request: HttpRequest, token: str) -> HttpResponse:
    upload, organization = _upload(request, token)
    mapping_ = _mapping(upload)
    if mapping_ is None:
        return redirect("imports:mapping", token=token)
    ctx = _preview_context(upload, organization, mapping_)
    ctx["title"], ctx["fiscal_years"] = "", ""
    return render(request, "imports/preview.html", ctx)


@guarded
@require_POST
def replace(request: HttpRequest, token: str) -> HttpResponse:
    upload, _organization = _upload(request, token)
    try:
        f = uploaded_file(request, "file")
    except InputRejected as exc:
        f = None
        for m in exc.messages:
            messages.error(request, m)
    else:
        if f is None:
            messages.error(request, "差し替えるファイルを選んでください")
    if f is not None:
        try:
            save_upload(f, token=upload.token)
            messages.success(request, f"ファイルを「{f.name}」に差し替えました")
        except InputRejected as exc:
            for m in exc.messages:
                messages.error(request, m)
    return redirect("imports:preview", token=token)


@guarded
@require_POST
def do_import(request: HttpRequest, token: str) -> HttpResponse:
    upload, organization = _upload(request, token)
    mapping_ = _mapping(upload)
    if mapping_ is None:
        return redirect("imports:mapping", token=token)
    title = request.POST.get("title", "")
    fiscal_years = request.POST.get("fiscal_years", "")
    if tasks.import_in_background(upload):  # a large file: the same import as a job (tenken.imports.tasks)
        return redirect(tasks.start_plan_import(user=request.user, organization=organization, upload=upload,
                                                mapping=mapping_, title=title, fiscal_years=fiscal_years,
                                                profile_name=PROFILE))
    try:
        outcome = plan_import_mapped(path=upload.file, mapping=mapping_, org_code=organization.code, title=title,
                                     fiscal_years=fiscal_years, user=request.user, name=upload.name,
                                     profile_name=PROFILE)
    except InputRejected as exc:
        ctx = _preview_context(upload, organization, mapping_, exc.problems)
        ctx["title"], ctx["fiscal_years"] = title, fiscal_years
        return render(request, "imports/preview.html", ctx, status=400)
    discard(upload)
    request.session.get(SESSION_KEY, {}).pop(token, None)
    request.session.modified = True
    return render(request, "imports/done.html", {"plan": outcome.plan, "counts": outcome.preview.counts(),
                                                 "organization": organization})


@guarded
def mapping_download(request: HttpRequest, token: str) -> HttpResponse:
    upload, _organization = _upload(request, token)
    mapping_ = _mapping(upload) or inspect_file(upload.file, name=upload.name).mapping
    resp = HttpResponse(to_toml(mapping_), content_type="application/toml; charset=utf-8")
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('対応表.toml')}"
    return resp


@guarded
def template_download(request: HttpRequest) -> HttpResponse:
    if not access.import_organizations(user=request.user).exists():
        raise access.AccessDenied("計画を取り込めるのは団体の管理者（ICT担当）だけです")
    resp = HttpResponse(blank_template(),
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('計画取込テンプレート.xlsx')}"
    return resp


def wizard_url(token: str) -> str:
    return reverse("imports:preview", kwargs={"token": token})
