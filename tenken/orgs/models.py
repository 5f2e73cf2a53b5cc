"""Organizations (団体) and their departments (所属)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from .lgcode import LgCodeError, clean_lgcode


def validate_lgcode(value: str) -> None:
    try:
        if clean_lgcode(value) != value:
            raise ValidationError("団体コードは数字6桁（検査数字を含む）で入力してください")
    except LgCodeError as exc:
        raise ValidationError(str(exc)) from exc


class Organization(models.Model):
    class Kind(models.TextChoices):
        PREFECTURE = "prefecture", "都道府県"
        DESIGNATED_CITY = "designated_city", "政令指定都市"
        CITY = "city", "市"
        SPECIAL_WARD = "special_ward", "特別区"
        TOWN = "town", "町"
        VILLAGE = "village", "村"
        WARD = "ward", "行政区"

    code = models.CharField("団体コード", max_length=6, unique=True, validators=[validate_lgcode])
    name = models.CharField("団体名", max_length=100)
    kana = models.CharField("団体名（かな）", max_length=200, blank=True)
    kind = models.CharField("種別", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="所属する都道府県",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="municipalities",
    )

    class Meta:
        verbose_name = "団体"
        verbose_name_plural = "団体"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Department(models.Model):
    organization = models.ForeignKey(
        Organization, verbose_name="団体", on_delete=models.CASCADE, related_name="departments"
    )
    parent = models.ForeignKey(
        "self", verbose_name="上位の所属", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = models.CharField("所属名", max_length=200)
    code = models.CharField("所属コード", max_length=40, blank=True)
    order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "所属"
        verbose_name_plural = "所属"
        ordering = ["organization", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "parent", "name"], name="department_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name
