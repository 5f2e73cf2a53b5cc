"""Inspections (点検) of a plan and the per-initiative results (取組の点検結果) they hold."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tenken.common.wareki import fiscal_year_label
from tenken.plans.models import Initiative, Plan, Section, Status


class Inspection(models.Model):
    """A plan's inspection at a point in time: a yearly one or the final one (the 点検報告書)."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", "年度点検"
        FINAL = "final", "計画期間の最終点検"

    plan = models.ForeignKey(Plan, verbose_name="計画", on_delete=models.CASCADE, related_name="inspections")
    kind = models.CharField("種別", max_length=10, choices=Kind.choices, default=Kind.ANNUAL)
    fiscal_year = models.PositiveIntegerField("対象年度")
    title = models.CharField("表題", max_length=200)
    as_of = models.DateField("時点")
    purpose = models.TextField("趣旨・考え方", blank=True)
    conclusion = models.TextField("全体総括", blank=True)
    text_state = models.CharField(
        "報告書の文章の状態", max_length=10, choices=[("draft", "下書き"), ("approved", "承認")], default="draft",
        db_default="draft",  # bulk loaders (tenken.national.bulk) insert rows without this column
    )

    class Figures(models.TextChoices):
        COUNTED = "counted", "別紙から集計した取組数"
        DECLARED = "declared", "報告書に記載する取組数（団体が示す値）"

    figures = models.CharField(
        "報告書の取組数", max_length=10, choices=Figures.choices, default=Figures.COUNTED, db_default=Figures.COUNTED,
        help_text="declared: 取組項目ごとの「報告書記載の取組数」を表と達成状況に使う（記載のない項目は集計値）",
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        verbose_name = "点検"
        verbose_name_plural = "点検"
        ordering = ["plan", "fiscal_year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "fiscal_year", "kind"], name="inspection_unique_year_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{fiscal_year_label(self.fiscal_year)}）"


class SectionNarrative(models.Model):
    """An inspection's narrative for one section, with the counts a legacy report declared."""

    inspection = models.ForeignKey(Inspection, verbose_name="点検", on_delete=models.CASCADE, related_name="narratives")
    section = models.ForeignKey(Section, verbose_name="取組項目", on_delete=models.CASCADE, related_name="narratives")
    main_initiatives = models.TextField("主な取組", blank=True)
    results = models.TextField("成果", blank=True)
    issues_and_plans = models.TextField("課題・今後の予定等", blank=True)
    changed_initiatives = models.TextField("変更した取組", blank=True)
    summary = models.TextField("取組数欄の記述", blank=True, help_text="集計表のない項目で取組数欄に書かれた文章")
    declared_counts = models.JSONField("報告書記載の取組数", default=dict, blank=True, help_text='例: {"achieved": 3}')
    state = models.CharField("状態", max_length=10, choices=[("draft", "下書き"), ("approved", "承認")],
                             default="draft", db_default="draft")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="更新者", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新日時", null=True, blank=True)

    class Meta:
        verbose_name = "取組項目ごとの点検結果"
        verbose_name_plural = "取組項目ごとの点検結果"
        constraints = [models.UniqueConstraint(fields=["inspection", "section"], name="narrative_unique_section")]

    def __str__(self) -> str:
        return str(self.section)


class InitiativeReview(models.Model):
    """One initiative's result in one inspection (one fiscal year)."""

    class Approval(models.TextChoices):
        DRAFT = "draft", "下書き"
        SUBMITTED = "submitted", "提出済"
        APPROVED = "approved", "承認"
        RETURNED = "returned", "差戻し"

    # No index of its own: the unique (inspection, initiative) constraint below serves inspection_id look-ups,
    # and every index costs time on a national bulk load.
    inspection = models.ForeignKey(
        Inspection, verbose_name="点検", on_delete=models.CASCADE, related_name="reviews", db_index=False
    )
    initiative = models.ForeignKey(Initiative, verbose_name="取組", on_delete=models.CASCADE, related_name="reviews")
    fiscal_year = models.PositiveIntegerField("年度")
    status = models.ForeignKey(Status, verbose_name="実施結果", on_delete=models.PROTECT, related_name="reviews")
    change_reason = models.TextField("変更の理由", blank=True)
    outcome = models.TextField("成果", blank=True)
    issues = models.TextField("課題", blank=True)
    approval = models.CharField("承認状態", max_length=10, choices=Approval.choices, default=Approval.DRAFT)
    # Indexed only where set (the partial index below): a national bulk load enters none.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="入力者", null=True, blank=True, on_delete=models.SET_NULL,
        db_index=False,
    )
    entered_at = models.DateTimeField("入力日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    version = models.PositiveIntegerField("版", default=1, help_text="同時編集の検出に使う")
    source_ref = models.CharField("取込元の位置", max_length=100, blank=True)

    class Meta:
        verbose_name = "取組の点検結果"
        verbose_name_plural = "取組の点検結果"
        ordering = ["inspection", "initiative__order"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "initiative"], name="review_unique_initiative"),
        ]
        # No (fiscal_year, status) index: nothing looks reviews up that way (national counts come from
        # national_statusrollup), and at national scale it cost a second of every bulk load.
        indexes = [
            models.Index(fields=["entered_by"], condition=models.Q(entered_by__isnull=False),
                         name="review_entered_by"),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} — {self.status}"


class NarrativeChange(models.Model):
    """One field of a report text changed: a 取組項目's narrative (``section`` set) or a chapter text
    of the inspection (``section`` empty: 趣旨・考え方, 全体総括), or its state (下書き → 承認)."""

    inspection = models.ForeignKey(
        Inspection, verbose_name="点検", on_delete=models.CASCADE, related_name="narrative_changes"
    )
    section = models.ForeignKey(
        Section, verbose_name="取組項目", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    field = models.CharField("項目", max_length=30)
    old_value = models.TextField("変更前", blank=True)
    new_value = models.TextField("変更後", blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="変更者", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField("変更日時", auto_now_add=True)

    class Meta:
        verbose_name = "報告書の文章の変更履歴"
        verbose_name_plural = "報告書の文章の変更履歴"
        ordering = ["inspection", "-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value[:20]} → {self.new_value[:20]}"
