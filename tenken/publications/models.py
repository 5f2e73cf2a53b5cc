"""Publication (公表) of an inspection: the ICT division's act that decides what residents see.

A :class:`Publication` is one version (版) of one inspection's public content. At publication the
approved reviews of the inspection are copied into :class:`PublishedReview` rows: the public surface
(pages, API, open data, catalogue, stored report) reads only these copies, so a later edit or a change
of approval inside the survey changes nothing public until the inspection is published again (a new 版).
Withdrawal (取り下げ) hides the inspection at once; the history of versions stays (a 正誤表).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tenken.plans.models import Initiative, Status
from tenken.reviews.models import Inspection


class Publication(models.Model):
    class State(models.TextChoices):
        CURRENT = "current", "公表中"
        SUPERSEDED = "superseded", "旧版（改訂済み）"
        WITHDRAWN = "withdrawn", "取り下げ"

    inspection = models.ForeignKey(
        Inspection, verbose_name="点検", on_delete=models.CASCADE, related_name="publications"
    )
    version = models.PositiveIntegerField("版")
    state = models.CharField("状態", max_length=12, choices=State.choices, default=State.CURRENT)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="公表者", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField("公表日時")
    note = models.TextField("変更内容（正誤表）", blank=True)
    changes = models.JSONField("前の版からの変更", default=dict, blank=True)
    content_hash = models.CharField("内容のハッシュ（sha256）", max_length=64)
    review_count = models.PositiveIntegerField("公表した点検結果の数", default=0)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="取り下げた者", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField("取り下げ日時", null=True, blank=True)
    withdraw_reason = models.TextField("取り下げの理由", blank=True)

    class Meta:
        verbose_name = "公表"
        verbose_name_plural = "公表"
        ordering = ["inspection", "version"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "version"], name="publication_unique_version"),
            models.UniqueConstraint(
                fields=["inspection"], condition=models.Q(state="current"), name="publication_one_current"
            ),
        ]
        indexes = [models.Index(fields=["state", "inspection"])]

    def __str__(self) -> str:
        return f"{self.inspection} 第{self.version}版（{self.get_state_display()}）"

    @property
    def is_downloadable(self) -> bool:
        """Current and superseded versions stay downloadable; a withdrawn one does not."""
        return self.state != self.State.WITHDRAWN


class PublishedReview(models.Model):
    """A copy of one approved review, frozen at publication (same field names as InitiativeReview)."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="reviews")
    review_id = models.BigIntegerField("点検結果ID", help_text="元の取組の点検結果（InitiativeReview）のID")
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="+")
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    fiscal_year = models.PositiveIntegerField("年度")
    status = models.ForeignKey(Status, on_delete=models.PROTECT, related_name="+")
    change_reason = models.TextField("変更の理由", blank=True)
    outcome = models.TextField("成果", blank=True)
    issues = models.TextField("課題", blank=True)

    class Meta:
        verbose_name = "公表した点検結果"
        verbose_name_plural = "公表した点検結果"
        constraints = [
            models.UniqueConstraint(fields=["publication", "initiative"], name="published_review_unique"),
        ]
        indexes = [models.Index(fields=["review_id"])]

    def __str__(self) -> str:
        return f"{self.initiative} — {self.status}"


class ReportArtefact(models.Model):
    """The 点検報告書 of one publication in one format, rendered once and stored under MEDIA_ROOT."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="artefacts")
    format = models.CharField("形式", max_length=8)
    path = models.CharField("保存先（MEDIA_ROOT からの相対パス）", max_length=300)
    sha256 = models.CharField("sha256", max_length=64)
    size = models.PositiveBigIntegerField("バイト数")
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    class Meta:
        verbose_name = "公表した点検報告書"
        verbose_name_plural = "公表した点検報告書"
        ordering = ["publication", "format"]
        constraints = [models.UniqueConstraint(fields=["publication", "format"], name="artefact_unique_format")]

    def __str__(self) -> str:
        return f"{self.publication} {self.format}"
