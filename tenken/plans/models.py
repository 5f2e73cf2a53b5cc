"""Plans (計画), their section tree (方針 → 取組項目 → 小項目), initiatives (取組) and status sets."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from tenken.common.wareki import fiscal_year_range_label
from tenken.orgs.models import Department, Organization

from .statuses import CATEGORIES


class Plan(models.Model):
    organization = models.ForeignKey(Organization, verbose_name="団体", on_delete=models.PROTECT, related_name="plans")
    title = models.CharField("計画名", max_length=200)
    first_fiscal_year = models.PositiveIntegerField("計画期間（開始年度）")
    last_fiscal_year = models.PositiveIntegerField("計画期間（終了年度）")
    predecessor = models.ForeignKey(
        "self", verbose_name="前計画", null=True, blank=True, on_delete=models.SET_NULL, related_name="successors"
    )
    description = models.TextField("概要", blank=True)
    source_name = models.CharField("取込元ファイル", max_length=255, blank=True)
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        verbose_name = "計画"
        verbose_name_plural = "計画"
        ordering = ["organization", "-first_fiscal_year", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "title", "first_fiscal_year", "last_fiscal_year"], name="plan_unique_period"
            ),
            models.CheckConstraint(
                condition=models.Q(last_fiscal_year__gte=models.F("first_fiscal_year")), name="plan_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.period_label}）"

    @property
    def period_label(self) -> str:
        return fiscal_year_range_label(self.first_fiscal_year, self.last_fiscal_year)

    @property
    def fiscal_years(self) -> range:
        return range(self.first_fiscal_year, self.last_fiscal_year + 1)

    def clean(self) -> None:
        if self.first_fiscal_year and self.last_fiscal_year and self.last_fiscal_year < self.first_fiscal_year:
            raise ValidationError("終了年度は開始年度以降にしてください")


class SectionLevel(models.Model):
    """The name of one depth of a plan's section tree (Kanagawa: 方針, 取組項目, 小項目)."""

    plan = models.ForeignKey(Plan, verbose_name="計画", on_delete=models.CASCADE, related_name="levels")
    depth = models.PositiveSmallIntegerField("階層")
    name = models.CharField("階層名", max_length=50)
    optional = models.BooleanField("省略可", default=False)

    class Meta:
        verbose_name = "階層名"
        verbose_name_plural = "階層名"
        ordering = ["plan", "depth"]
        constraints = [models.UniqueConstraint(fields=["plan", "depth"], name="section_level_unique_depth")]

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    plan = models.ForeignKey(Plan, verbose_name="計画", on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self", verbose_name="上位", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    depth = models.PositiveSmallIntegerField("階層", default=0)
    code = models.CharField("記号", max_length=20, blank=True, help_text="例: 1, ア, (1)")
    title = models.CharField("名称", max_length=300)
    order = models.PositiveIntegerField("順序", default=0)
    retired = models.BooleanField("廃止", default=False, db_default=False)

    class Meta:
        verbose_name = "方針・取組項目"
        verbose_name_plural = "方針・取組項目"
        ordering = ["plan", "order"]
        indexes = [models.Index(fields=["plan", "depth", "order"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    @property
    def label(self) -> str:
        return str(self)


class Status(models.Model):
    """One value of a plan's 実施結果 scale, in display order."""

    plan = models.ForeignKey(Plan, verbose_name="計画", on_delete=models.CASCADE, related_name="statuses")
    code = models.SlugField("コード", max_length=30)
    label = models.CharField("表示名", max_length=50, help_text="例: 達成")
    long_label = models.CharField("正式名", max_length=100, blank=True, help_text="例: ① 取組内容を達成した")
    column_label = models.CharField("集計表の見出し", max_length=100, blank=True, help_text="例: 取組内容を達成")
    order = models.PositiveSmallIntegerField("順序", default=0)
    requires_reason = models.BooleanField("理由が必要", default=False)
    color = models.CharField("グラフの色", max_length=7, default="#4C72B0")
    category = models.CharField(
        "共通区分", max_length=20, blank=True, choices=CATEGORIES,
        help_text="計画をまたいだ集計で数える区分（完了・達成 / 実施中・順調 / 遅れ / 未着手 / 変更 / 中止・廃止）",
    )

    class Meta:
        verbose_name = "実施結果の区分"
        verbose_name_plural = "実施結果の区分"
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="status_unique_code"),
            models.UniqueConstraint(fields=["plan", "label"], name="status_unique_label"),
        ]

    def __str__(self) -> str:
        return self.label


class Initiative(models.Model):
    """A 取組. ``number_label`` is not unique and not numeric ("3-1", "11-2①", "36a", "-", "25-1"×3).

    A heading row (``is_heading``) groups its children (``parent``) and has no result of its own; it
    is not counted. A 再掲 row (``is_repost``) is counted, as in the source report.
    """

    # plan_id and section_id are served by the (plan, order) and (section, order) indexes below.
    plan = models.ForeignKey(
        Plan, verbose_name="計画", on_delete=models.CASCADE, related_name="initiatives", db_index=False
    )
    section = models.ForeignKey(
        Section, verbose_name="方針・取組項目", on_delete=models.CASCADE, related_name="initiatives", db_index=False
    )
    parent = models.ForeignKey(
        "self", verbose_name="見出しの取組", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    number_label = models.CharField("取組No", max_length=40, blank=True)
    # A short name kept beside the description (「取組名」+「取組概要」); most plans (the Kanagawa 別紙) have none.
    name = models.CharField("取組名", max_length=200, blank=True, default="", db_default="")
    text = models.TextField("取組内容")
    is_heading = models.BooleanField("見出し行", default=False)
    is_repost = models.BooleanField("再掲", default=False)
    order = models.PositiveIntegerField("順序", default=0)
    departments = models.ManyToManyField(Department, verbose_name="担当所属", blank=True, related_name="initiatives")
    source_ref = models.CharField("取込元の位置", max_length=100, blank=True)
    note = models.TextField("備考", blank=True)
    retired = models.BooleanField("廃止", default=False, db_default=False)

    class Meta:
        verbose_name = "取組"
        verbose_name_plural = "取組"
        ordering = ["plan", "order"]
        indexes = [models.Index(fields=["plan", "order"]), models.Index(fields=["section", "order"])]

    def __str__(self) -> str:
        head = self.text if len(self.text) <= 40 else self.text[:40] + "…"
        return f"{self.number_label} {head}".strip()

    @property
    def is_countable(self) -> bool:
        return not self.is_heading


class ImportProfile(models.Model):
    """A confirmed import mapping (sheets, header rows, columns, scale, year columns, rows to skip) of an
    organization, kept as the TOML text of :mod:`tenken.imports.mapping` and reused for next year's file."""

    organization = models.ForeignKey(
        Organization, verbose_name="団体", on_delete=models.CASCADE, related_name="import_profiles"
    )
    name = models.CharField("名前", max_length=100, default="計画")
    mapping_toml = models.TextField("対応表（TOML）")
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    updated_by = models.ForeignKey(
        "auth.User", verbose_name="更新者", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "取込の対応表"
        verbose_name_plural = "取込の対応表"
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="import_profile_unique_name")]

    def __str__(self) -> str:
        return f"{self.organization} {self.name}"


# -- PDCA: goals, milestones, the next plan, the edit history -------------------------------------

class Goal(models.Model):
    """A 目指すべき姿 (goal) of a plan: the top of its logic model goal → 施策 → 取組 → 指標."""

    plan = models.ForeignKey(Plan, verbose_name="計画", on_delete=models.CASCADE, related_name="goals")
    title = models.CharField("目指すべき姿", max_length=300)
    description = models.TextField("説明", blank=True)
    order = models.PositiveIntegerField("順序", default=0)
    sections = models.ManyToManyField(Section, verbose_name="施策（方針・取組項目）", blank=True, related_name="goals")
    initiatives = models.ManyToManyField(Initiative, verbose_name="取組", blank=True, related_name="goals")

    class Meta:
        verbose_name = "目指すべき姿"
        verbose_name_plural = "目指すべき姿"
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    """One step of an initiative's 工程表: due by a date (a FY quarter is stored as its last day)."""

    initiative = models.ForeignKey(Initiative, verbose_name="取組", on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField("内容", max_length=300)
    due_date = models.DateField("期限")
    due_text = models.CharField("期限（表記）", max_length=50, blank=True, help_text="例: R2年度第1四半期, R3.3")
    done = models.BooleanField("完了", default=False)
    done_at = models.DateField("完了日", null=True, blank=True)
    order = models.PositiveIntegerField("順序", default=0)

    class Meta:
        verbose_name = "工程（マイルストーン）"
        verbose_name_plural = "工程（マイルストーン）"
        ordering = ["initiative", "due_date", "order", "pk"]
        indexes = [models.Index(fields=["done", "due_date"])]

    def __str__(self) -> str:
        return f"{self.due_label} {self.title}"

    @property
    def due_label(self) -> str:
        return milestone_due_label(self.due_text, self.due_date)


def milestone_due_label(text: str, day) -> str:
    """The 期限 as people read it: as written (R2年度第1四半期, R3.3), or the day in 和暦 when nothing but a
    date was given (a ``date``, or ``2021-03-31`` typed): never an ISO date on a page (#12)."""
    import re

    from tenken.common.wareki import format_date

    if text and not re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text.strip()):
        return text
    return format_date(day)


class CarryOver(models.Model):
    """What became of one initiative of a finished plan in its successor (継続 / 統合 / 終了).

    ``new_initiative`` is the successor plan's initiative it continues as (継続) or was merged into
    (統合); empty for 終了.
    """

    class Choice(models.TextChoices):
        CONTINUE = "continue", "継続"
        MERGE = "merge", "統合"
        END = "end", "終了"

    successor = models.ForeignKey(Plan, verbose_name="後継計画", on_delete=models.CASCADE, related_name="carry_overs")
    old_initiative = models.ForeignKey(
        Initiative, verbose_name="前計画の取組", on_delete=models.CASCADE, related_name="carried_to"
    )
    new_initiative = models.ForeignKey(
        Initiative, verbose_name="後継計画の取組", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="carried_from",
    )
    choice = models.CharField("引継ぎ", max_length=10, choices=Choice.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="決めた人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("決めた日時", auto_now=True)

    class Meta:
        verbose_name = "取組の引継ぎ"
        verbose_name_plural = "取組の引継ぎ"
        ordering = ["successor", "old_initiative__order"]
        constraints = [
            models.UniqueConstraint(fields=["successor", "old_initiative"], name="carry_over_unique_old"),
        ]

    def __str__(self) -> str:
        return f"{self.old_initiative} → {self.get_choice_display()}"


class PlanChange(models.Model):
    """One change to a plan's content made in the web or by a service: who, when, what, old → new."""

    plan = models.ForeignKey(Plan, verbose_name="計画", on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="変更者", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField("変更日時", auto_now_add=True)
    target = models.CharField("対象", max_length=20)  # section | initiative | goal | milestone | indicator | plan
    target_id = models.PositiveIntegerField("対象ID", null=True)
    target_label = models.CharField("対象の表示", max_length=200, blank=True)
    action = models.CharField("操作", max_length=20)  # create | update | move | reorder | retire | assign ...
    field = models.CharField("項目", max_length=40, blank=True)
    old_value = models.TextField("変更前", blank=True)
    new_value = models.TextField("変更後", blank=True)

    class Meta:
        verbose_name = "計画の変更履歴"
        verbose_name_plural = "計画の変更履歴"
        ordering = ["plan", "-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.target_label} {self.field}: {self.old_value} → {self.new_value}"

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


ACTION_LABELS = {
    "create": "追加", "update": "変更", "move": "移動", "reorder": "並べ替え", "retire": "廃止",
    "restore": "復活", "assign": "担当所属", "link": "関連付け", "carry": "引継ぎ", "import": "取込",
}
