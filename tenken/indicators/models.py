"""Indicators (指標, KPIs) and their observations (基準値・目標値・実績値).

An :class:`Indicator` row is one *version* of a definition. Once actuals exist, changing the unit or the
direction must not rewrite history, so ``tenken.indicators.services.indicator_update`` creates a new row
whose ``predecessor`` is the old one and whose ``valid_from`` is the first fiscal year it applies to.
The current version is the one without a successor. Observations stay with the version they were
recorded under.
"""

from __future__ import annotations

from django.db import models

from tenken.common.wareki import fiscal_year_label
from tenken.orgs.models import Department, Organization
from tenken.plans.models import Goal, Initiative, Plan, Section

from .rates import Direction


class Indicator(models.Model):
    class DirectionChoice(models.TextChoices):
        HIGHER = Direction.HIGHER.value, "高いほど良い"
        LOWER = Direction.LOWER.value, "低いほど良い"

    class KindChoice(models.TextChoices):
        OUTPUT = "output", "活動指標（アウトプット）"
        OUTCOME = "outcome", "成果指標（アウトカム）"

    organization = models.ForeignKey(
        Organization, verbose_name="団体", on_delete=models.PROTECT, related_name="indicators"
    )
    plan = models.ForeignKey(
        Plan, verbose_name="計画", null=True, blank=True, on_delete=models.CASCADE, related_name="indicators"
    )
    department = models.ForeignKey(
        Department, verbose_name="担当所属", null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators"
    )
    name = models.CharField("指標名", max_length=200)
    unit = models.CharField("単位", max_length=40)
    direction = models.CharField("向き", max_length=10, choices=DirectionChoice.choices)
    decimals = models.PositiveSmallIntegerField("小数点以下の桁数", default=0)
    sections = models.ManyToManyField(Section, verbose_name="方針・取組項目", blank=True, related_name="indicators")
    initiatives = models.ManyToManyField(Initiative, verbose_name="取組", blank=True, related_name="indicators")
    valid_from = models.PositiveIntegerField(
        "適用開始年度", null=True, blank=True, help_text="空欄は最初の版（年度の制限なし）"
    )
    predecessor = models.OneToOneField(
        "self", verbose_name="前の版", null=True, blank=True, on_delete=models.RESTRICT, related_name="successor"
    )
    note = models.TextField("備考", blank=True)
    order = models.PositiveIntegerField("表示順", default=0)
    kind = models.CharField("種類", max_length=10, choices=KindChoice.choices, default=KindChoice.OUTCOME,
                            db_default=KindChoice.OUTCOME)
    goals = models.ManyToManyField(Goal, verbose_name="目指すべき姿", blank=True, related_name="indicators")
    carried_from = models.ForeignKey(
        "self", verbose_name="前計画の指標", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to",
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        verbose_name = "指標"
        verbose_name_plural = "指標"
        ordering = ["organization", "order", "name", "valid_from"]
        indexes = [models.Index(fields=["organization", "name"])]

    def __str__(self) -> str:
        if self.valid_from is None:
            return self.name
        return f"{self.name}（{fiscal_year_label(self.valid_from)}～）"

    @property
    def direction_enum(self) -> Direction:
        return Direction(self.direction)


class Observation(models.Model):
    class Kind(models.TextChoices):
        BASELINE = "baseline", "基準値"
        TARGET = "target", "目標値"
        ACTUAL = "actual", "実績値"

    indicator = models.ForeignKey(
        Indicator, verbose_name="指標", on_delete=models.CASCADE, related_name="observations"
    )
    kind = models.CharField("種別", max_length=10, choices=Kind.choices)
    value = models.DecimalField("値", max_digits=20, decimal_places=6)
    as_of = models.DateField("時点")
    as_of_text = models.CharField("時点（原文）", max_length=50, blank=True, help_text="例: R元.11, H30年度末")
    fiscal_year = models.PositiveIntegerField("年度")
    source = models.CharField("出典", max_length=200, blank=True)
    note = models.TextField("備考", blank=True)
    source_ref = models.CharField("取込元の位置", max_length=200, blank=True)
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        verbose_name = "実績・目標・基準値"
        verbose_name_plural = "実績・目標・基準値"
        ordering = ["indicator", "as_of", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "kind", "as_of"], name="observation_unique_kind_date"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.get_kind_display()} {self.value}（{self.as_of}）"
