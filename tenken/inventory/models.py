"""The ICT governance register (情報システム棚卸し) and municipal follow-up.

A system belongs to one organization and one owning department, sits in one segment of the three-layer
model (三層の構え), and has an annual operating cost per fiscal year. Consolidated systems point at their
successor. Municipal progress records, per municipality, whether a prefecture-tracked goal is met.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tenken.orgs.models import Department, Organization


class Segment(models.TextChoices):
    MYNUMBER = "mynumber", "マイナンバー利用事務系"
    LGWAN = "lgwan", "LGWAN接続系"
    INTERNET = "internet", "インターネット接続系"


class Hosting(models.TextChoices):
    ON_PREMISES = "on_premises", "庁舎内設置"
    DATA_CENTRE = "data_centre", "データセンター"
    CLOUD = "cloud", "クラウド"
    PACKAGE = "package", "パッケージ"


class SystemState(models.TextChoices):
    ACTIVE = "active", "稼働"
    RETIRED = "retired", "廃止"
    CONSOLIDATED = "consolidated", "統合"


class InformationSystem(models.Model):
    organization = models.ForeignKey(
        Organization, verbose_name="団体", on_delete=models.PROTECT, related_name="information_systems"
    )
    name = models.CharField("システム名", max_length=200)
    department = models.ForeignKey(
        Department, verbose_name="所管所属", null=True, blank=True, on_delete=models.SET_NULL, related_name="systems"
    )
    purpose = models.TextField("目的・概要", blank=True)
    segment = models.CharField("ネットワーク区分", max_length=20, choices=Segment.choices)
    hosting = models.CharField("設置形態", max_length=20, choices=Hosting.choices)
    internet_facing = models.BooleanField("インターネットに直接接続", default=False)
    in_service_on = models.DateField("稼働開始日")
    retired_on = models.DateField("廃止日", null=True, blank=True)
    contract_end = models.DateField("契約・リース満了日", null=True, blank=True)
    state = models.CharField("状態", max_length=20, choices=SystemState.choices, default=SystemState.ACTIVE)
    successor = models.ForeignKey(
        "self", verbose_name="統合先システム", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )
    note = models.TextField("備考", blank=True)

    class Meta:
        verbose_name = "情報システム"
        verbose_name_plural = "情報システム"
        ordering = ["organization", "name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="system_unique_name")]
        indexes = [models.Index(fields=["organization", "in_service_on", "retired_on"])]

    def __str__(self) -> str:
        return self.name


class InformationSystemChange(models.Model):
    """One field of one register entry changed: who, when, from what to what, and how (history)."""

    class Via(models.TextChoices):
        IMPORT = "import", "台帳の取込み"
        WEB = "web", "画面"
        CLI = "cli", "コマンド"

    organization = models.ForeignKey(Organization, verbose_name="団体", on_delete=models.CASCADE, related_name="+")
    system = models.ForeignKey(
        InformationSystem, verbose_name="情報システム", null=True, on_delete=models.SET_NULL, related_name="changes"
    )
    system_name = models.CharField("システム名", max_length=200)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="変更者", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField("変更日時", auto_now_add=True)
    field = models.CharField("項目", max_length=40)
    old_value = models.TextField("変更前", blank=True)
    new_value = models.TextField("変更後", blank=True)
    via = models.CharField("経路", max_length=10, choices=Via.choices)

    class Meta:
        verbose_name = "情報システム台帳の変更履歴"
        verbose_name_plural = "情報システム台帳の変更履歴"
        ordering = ["organization", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.system_name} {self.field}: {self.old_value} → {self.new_value}"


class SystemCost(models.Model):
    system = models.ForeignKey(InformationSystem, verbose_name="情報システム", on_delete=models.CASCADE, related_name="costs")
    fiscal_year = models.PositiveIntegerField("年度")
    amount_yen = models.BigIntegerField("運用経費（円）")

    class Meta:
        verbose_name = "運用経費"
        verbose_name_plural = "運用経費"
        ordering = ["system", "fiscal_year"]
        constraints = [models.UniqueConstraint(fields=["system", "fiscal_year"], name="system_cost_unique_year")]

    def __str__(self) -> str:
        return f"{self.system} {self.fiscal_year}年度 {self.amount_yen:,}円"


class MunicipalGoal(models.Model):
    """A goal a prefecture tracks for each of its municipalities (e.g. オープンデータ取組済)."""

    prefecture = models.ForeignKey(Organization, verbose_name="都道府県", on_delete=models.CASCADE, related_name="municipal_goals")
    plan = models.ForeignKey("plans.Plan", verbose_name="計画", null=True, blank=True, on_delete=models.SET_NULL)
    name = models.CharField("目標", max_length=200)
    target_date = models.DateField("目標時期")
    target_text = models.CharField("目標時期（原文）", max_length=50, blank=True, help_text="例: R2年度末")

    class Meta:
        verbose_name = "市町村の取組目標"
        verbose_name_plural = "市町村の取組目標"
        constraints = [models.UniqueConstraint(fields=["prefecture", "name"], name="municipal_goal_unique")]

    def __str__(self) -> str:
        return self.name


class MunicipalProgress(models.Model):
    goal = models.ForeignKey(MunicipalGoal, verbose_name="目標", on_delete=models.CASCADE, related_name="progress")
    municipality = models.ForeignKey(Organization, verbose_name="市町村", on_delete=models.CASCADE, related_name="+")
    achieved_on = models.DateField("取組済となった日", null=True, blank=True)
    note = models.TextField("備考", blank=True)

    class Meta:
        verbose_name = "市町村の取組状況"
        verbose_name_plural = "市町村の取組状況"
        constraints = [models.UniqueConstraint(fields=["goal", "municipality"], name="municipal_progress_unique")]

    def __str__(self) -> str:
        return f"{self.municipality.name}: {'取組済' if self.achieved else '未取組'}"

    @property
    def achieved(self) -> bool:
        return self.achieved_on is not None
