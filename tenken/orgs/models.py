"""Organizations (団体) and their departments (所属)."""

from __future__ import annotations

from django.conf import settings
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
    # 奥付 (colophon) of published reports and the contact point of the open-data catalogue.
    publisher_department = models.CharField("発行担当課", max_length=200, blank=True, help_text="例: 政策局デジタル戦略本部室")
    publisher_address = models.CharField("所在地", max_length=300, blank=True)
    publisher_phone = models.CharField("電話番号", max_length=40, blank=True)
    publisher_email = models.EmailField("問合せ先メールアドレス", blank=True)
    publisher_url = models.URLField("ウェブサイト", blank=True)

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


class Membership(models.Model):
    """A user's role in an organization, optionally limited to one department.

    The ICT division admin (管理者) owns the organization's plans and sees every department; a
    department editor (所属入力者) and approver (所属承認者) always belong to one department; a viewer
    (閲覧者) reads the whole organization, or one department when ``department`` is set. What each
    role may do is decided only in :mod:`tenken.orgs.access`.
    """

    class Role(models.TextChoices):
        ADMIN = "admin", "管理者（ICT所管課）"
        EDITOR = "editor", "所属入力者"
        APPROVER = "approver", "所属承認者"
        VIEWER = "viewer", "閲覧者"
        REGISTRAR = "registrar", "台帳編集者（情報システム台帳）"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="利用者", on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="団体", on_delete=models.CASCADE, related_name="memberships"
    )
    department = models.ForeignKey(
        Department, verbose_name="所属", null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("役割", max_length=10, choices=Role.choices)

    class Meta:
        verbose_name = "利用者の役割"
        verbose_name_plural = "利用者の役割"
        ordering = ["organization", "department", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "department", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(
                condition=~models.Q(role__in=["editor", "approver"]) | models.Q(department__isnull=False),
                name="membership_department_role_has_department",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="admin") | models.Q(department__isnull=True),
                name="membership_admin_has_no_department",
            ),
        ]

    def __str__(self) -> str:
        where = self.department.name if self.department_id else self.organization.name
        return f"{self.user} — {where} {self.get_role_display()}"

    def clean(self) -> None:
        if self.role in (self.Role.EDITOR, self.Role.APPROVER) and not self.department_id:
            raise ValidationError("所属入力者・所属承認者には所属を指定してください")
        if self.role == self.Role.ADMIN and self.department_id:
            raise ValidationError("管理者は所属を指定せず団体全体に設定してください")
        if self.department_id and self.department.organization_id != self.organization_id:
            raise ValidationError("所属が団体と一致しません")
