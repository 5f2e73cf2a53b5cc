"""The yearly survey round (照会), each department's response (回答) and the history of every review change.

A :class:`SurveyRound` asks every department of a plan for its initiatives' results of one fiscal year.
Its answers are the :class:`~tenken.reviews.models.InitiativeReview` rows of the plan's annual
:class:`~tenken.reviews.models.Inspection` for that year; a :class:`Response` tracks one department's
workflow (未提出 → 提出済 → 承認 / 差戻し → 再提出 → 承認). :class:`ReviewChange` records who changed
which field of a review, when, from what to what.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from tenken.common.wareki import fiscal_year_label, format_date
from tenken.orgs.models import Department
from tenken.plans.models import Plan
from tenken.reviews.models import InitiativeReview, Inspection


def new_workbook_token() -> str:
    """A random 256-bit token naming one response's workbooks (not derivable from SECRET_KEY)."""
    return secrets.token_urlsafe(32)


def deadline_text(day) -> str:
    """``2019-05-31`` → ``令和元年5月31日（2019-05-31）``: 和暦 as offices write it, 西暦 beside it."""
    return f"{format_date(day)}（{day:%Y-%m-%d}）"


class SurveyRound(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "受付中"
        CLOSED = "closed", "締切済"

    plan = models.ForeignKey(Plan, verbose_name="計画", on_delete=models.CASCADE, related_name="survey_rounds")
    fiscal_year = models.PositiveIntegerField("対象年度")
    inspection = models.OneToOneField(
        Inspection, verbose_name="点検", on_delete=models.PROTECT, related_name="survey_round"
    )
    deadline = models.DateField("回答期限")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="開始した人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField("開始日時", auto_now_add=True)
    state = models.CharField("状態", max_length=10, choices=State.choices, default=State.OPEN)
    closed_at = models.DateTimeField("締切日時", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="締め切った人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "照会"
        verbose_name_plural = "照会"
        ordering = ["plan", "-fiscal_year"]
        constraints = [models.UniqueConstraint(fields=["plan", "fiscal_year"], name="survey_round_unique_year")]

    def __str__(self) -> str:
        return f"{self.plan.title} {fiscal_year_label(self.fiscal_year)} 照会"

    @property
    def fiscal_year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    @property
    def deadline_label(self) -> str:
        return deadline_text(self.deadline)


class Response(models.Model):
    """One department's answer to a round."""

    class State(models.TextChoices):
        NOT_SUBMITTED = "not_submitted", "未提出"
        SUBMITTED = "submitted", "提出済"
        RETURNED = "returned", "差戻し"
        RESUBMITTED = "resubmitted", "再提出"
        APPROVED = "approved", "承認"

    EDITABLE = (State.NOT_SUBMITTED, State.RETURNED)
    AWAITING_DECISION = (State.SUBMITTED, State.RESUBMITTED)

    round = models.ForeignKey(SurveyRound, verbose_name="照会", on_delete=models.CASCADE, related_name="responses")
    department = models.ForeignKey(Department, verbose_name="所属", on_delete=models.PROTECT, related_name="responses")
    state = models.CharField("状態", max_length=15, choices=State.choices, default=State.NOT_SUBMITTED)
    submitted_at = models.DateTimeField("提出日時", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出者", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submission_count = models.PositiveSmallIntegerField("提出回数", default=0)
    decided_at = models.DateTimeField("承認・差戻し日時", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="承認・差戻しした人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    return_comment = models.TextField("差戻しの理由", blank=True)
    reminded_at = models.DateTimeField("督促日時", null=True, blank=True)
    workbook_token = models.CharField(
        "回答票の照合用の符号", max_length=64, default=new_workbook_token, editable=False,
        help_text="回答票の識別情報に含め、取込み時に照合する乱数（SECRET_KEY だけからは作れない）",
    )

    class Meta:
        verbose_name = "所属の回答"
        verbose_name_plural = "所属の回答"
        ordering = ["round", "department__order", "department__name"]
        constraints = [models.UniqueConstraint(fields=["round", "department"], name="response_unique_department")]

    def __str__(self) -> str:
        return f"{self.department.name}（{self.get_state_display()}）"

    @property
    def is_editable(self) -> bool:
        """Answers may change: the round is open and the response is not submitted (or was returned)."""
        return self.state in self.EDITABLE and self.round.state == SurveyRound.State.OPEN


class ReviewChange(models.Model):
    """One field of one review changed: who, when, old value, new value (values as displayed)."""

    class Via(models.TextChoices):
        WEB = "web", "画面"
        WORKBOOK = "workbook", "回答票（Excel）"
        WORKFLOW = "workflow", "提出・承認"
        IMPORT = "import", "取込み"
        ASSIGN = "assign", "担当所属の変更"

    review = models.ForeignKey(InitiativeReview, verbose_name="点検結果", on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="変更者", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField("変更日時", auto_now_add=True)
    field = models.CharField("項目", max_length=30)
    old_value = models.TextField("変更前", blank=True)
    new_value = models.TextField("変更後", blank=True)
    version = models.PositiveIntegerField("変更後の版")
    via = models.CharField("経路", max_length=10, choices=Via.choices)

    class Meta:
        verbose_name = "点検結果の変更履歴"
        verbose_name_plural = "点検結果の変更履歴"
        ordering = ["review", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} → {self.new_value}"

    @property
    def field_label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field)


FIELD_LABELS = {
    "status": "実施結果",
    "change_reason": "変更の理由",
    "outcome": "成果",
    "issues": "課題",
    "approval": "承認状態",
}


class Notification(models.Model):
    """A notice to one person (also sent by e-mail when the person has an address): shown in the app."""

    class Kind(models.TextChoices):
        OPENED = "opened", "照会の開始"
        REMINDER = "reminder", "督促"
        SUBMITTED = "submitted", "提出（承認待ち）"
        RETURNED = "returned", "差戻し"
        APPROVED = "approved", "承認"
        CLOSED = "closed", "締切"
        REOPENED = "reopened", "受付の再開"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="宛先", on_delete=models.CASCADE, related_name="tenken_notifications"
    )
    kind = models.CharField("種類", max_length=12, choices=Kind.choices)
    subject = models.CharField("件名", max_length=200)
    body = models.TextField("本文")
    url = models.CharField("リンク", max_length=200, blank=True)
    survey_round = models.ForeignKey(
        SurveyRound, verbose_name="照会", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    response = models.ForeignKey(
        Response, verbose_name="回答", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    emailed_to = models.CharField("送信先メールアドレス", max_length=254, blank=True)
    created_at = models.DateTimeField("日時", auto_now_add=True)
    read_at = models.DateTimeField("既読日時", null=True, blank=True)

    class Meta:
        verbose_name = "お知らせ"
        verbose_name_plural = "お知らせ"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="notification_user_recent")]

    def __str__(self) -> str:
        return self.subject


class IndicatorAnswer(models.Model):
    """A department's answer for the year's actual (実績値) of one of its initiatives' indicators.

    It waits in the response until the response is approved; approval records it as the indicator's
    actual (:class:`~tenken.indicators.models.Observation`), together with the rest of the answers.
    """

    response = models.ForeignKey(Response, verbose_name="回答", on_delete=models.CASCADE, related_name="indicator_answers")
    indicator = models.ForeignKey(
        "indicators.Indicator", verbose_name="指標", on_delete=models.CASCADE, related_name="survey_answers"
    )
    value = models.DecimalField("実績値", max_digits=20, decimal_places=6)
    as_of = models.DateField("時点")
    as_of_text = models.CharField("時点（原文）", max_length=50, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="入力者", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    source_ref = models.CharField("入力元", max_length=200, blank=True)
    recorded = models.BooleanField("指標に記録済み", default=False)

    class Meta:
        verbose_name = "指標の実績値の回答"
        verbose_name_plural = "指標の実績値の回答"
        ordering = ["response", "indicator__order", "indicator_id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "indicator"], name="indicator_answer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name}: {self.value}"
