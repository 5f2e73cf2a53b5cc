"""Named people for survey and permission tests (healthchecks' Alice/Bob/Charlie, in Kanagawa).

| persona | user | role |
|---|---|---|
| 佐藤 | ``sato`` | ICT division admin (管理者) of 神奈川県 |
| 鈴木 | ``suzuki`` | editor (所属入力者) of department A 政策局 |
| 高橋 | ``takahashi`` | approver (所属承認者) of A |
| 田中 | ``tanaka`` | editor of department B 総務局 |
| 山本 | ``yamamoto`` | approver of B |
| 伊藤 | ``ito`` | viewer (閲覧者) of the whole prefecture |
| 小林 | ``kobayashi`` | viewer of department B only |
| 渡辺 | ``watanabe`` | no membership at all |
| 中村 | ``nakamura`` | admin of another organization (横浜市) |
| 加藤 | ``kato`` | 台帳編集者 (registrar) of 神奈川県 (:func:`cast_with_operators`) |
| 職員 | ``staff`` | ``is_staff`` (the admin-site flag) and no membership (:func:`cast_with_operators`) |
| 吉田 | ``yoshida`` | Django superuser: the national operator (:func:`cast_with_operators`) |

The Kanagawa 別紙 names no departments, so :func:`cast` assigns them through the service
``initiative_assign_departments``: policy 1 → A 政策局, policy 2 → B 総務局, policy 3 → C 会計局
(C has no editor: only the admin answers for it).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from tenken.orgs.models import Department, Membership, Organization
from tenken.orgs.services import department_get_or_create, organization_for_code
from tenken.plans.assignments import initiative_assign_departments
from tenken.plans.models import Initiative, Plan, Section

PASSWORD = "kanagawa-2018"


@dataclass
class Cast:
    plan: Plan
    org: Organization
    dept_a: Department
    dept_b: Department
    dept_c: Department
    sato: object
    suzuki: object
    takahashi: object
    tanaka: object
    yamamoto: object
    ito: object
    kobayashi: object
    watanabe: object
    nakamura: object

    kato: object = None
    staff: object = None
    yoshida: object = None

    def department_of(self, name: str) -> Department:
        return {"A": self.dept_a, "B": self.dept_b, "C": self.dept_c}[name]


def make_user(username: str, last_name: str, *, password: str | None = None):
    """A user with an unusable password unless one is given: hashing costs ~0.3 s, so tests that do not
    log in through a form use ``Client.force_login``."""
    return get_user_model().objects.create_user(
        username=username, password=password, last_name=last_name, email=f"{username}@pref.kanagawa.example"
    )


def cast_for(plan: Plan) -> Cast:
    org = plan.organization
    depts = [department_get_or_create(organization=org, name=n) for n in ("政策局", "総務局", "会計局")]
    for order, dept in enumerate(depts):
        dept.order = order
        dept.save(update_fields=["order"])
    for policy, dept in zip(Section.objects.filter(plan=plan, depth=0).order_by("order"), depts, strict=True):
        subtree = [policy.pk, *Section.objects.filter(parent=policy).values_list("pk", flat=True)]
        subtree += list(Section.objects.filter(parent__in=subtree).values_list("pk", flat=True))
        initiative_assign_departments(
            initiatives=Initiative.objects.filter(plan=plan, section_id__in=subtree).select_related("plan"),
            departments=[dept],
        )
    a, b, c = depts
    people = {
        "sato": make_user("sato", "佐藤"),
        "suzuki": make_user("suzuki", "鈴木"),
        "takahashi": make_user("takahashi", "高橋"),
        "tanaka": make_user("tanaka", "田中"),
        "yamamoto": make_user("yamamoto", "山本"),
        "ito": make_user("ito", "伊藤"),
        "kobayashi": make_user("kobayashi", "小林"),
        "watanabe": make_user("watanabe", "渡辺"),
        "nakamura": make_user("nakamura", "中村"),
    }
    R = Membership.Role
    Membership.objects.bulk_create(
        [
            Membership(user=people["sato"], organization=org, role=R.ADMIN),
            Membership(user=people["suzuki"], organization=org, department=a, role=R.EDITOR),
            Membership(user=people["takahashi"], organization=org, department=a, role=R.APPROVER),
            Membership(user=people["tanaka"], organization=org, department=b, role=R.EDITOR),
            Membership(user=people["yamamoto"], organization=org, department=b, role=R.APPROVER),
            Membership(user=people["ito"], organization=org, role=R.VIEWER),
            Membership(user=people["kobayashi"], organization=org, department=b, role=R.VIEWER),
            Membership(user=people["nakamura"], organization=organization_for_code(code="141003"), role=R.ADMIN),
        ]
    )
    return Cast(plan=plan, org=org, dept_a=a, dept_b=b, dept_c=c, **people)


def cast_with_operators(plan: Plan) -> Cast:
    """:func:`cast_for` plus the registrar 加藤, the staff-flag-only 職員 and the superuser 吉田."""
    cast = cast_for(plan)
    cast.kato = make_user("kato", "加藤")
    Membership.objects.create(user=cast.kato, organization=cast.org, role=Membership.Role.REGISTRAR)
    cast.staff = make_user("staff", "職員")
    cast.staff.is_staff = True
    cast.staff.save(update_fields=["is_staff"])
    cast.yoshida = make_user("yoshida", "吉田")
    cast.yoshida.is_staff = cast.yoshida.is_superuser = True
    cast.yoshida.save(update_fields=["is_staff", "is_superuser"])
    return cast


def small_plan(org_code: str = "140007") -> Plan:
    """A three-policy plan with two initiatives per policy (one of them a 変更 candidate): fast to build."""
    from tenken.plans.models import Status
    from tenken.plans.statuses import KANAGAWA_STATUSES

    org = organization_for_code(code=org_code)
    plan = Plan.objects.create(organization=org, title="テスト計画", first_fiscal_year=2014, last_fiscal_year=2018)
    for s in KANAGAWA_STATUSES:
        Status.objects.create(plan=plan, code=s.code, label=s.label, long_label=s.long_label,
                              column_label=s.column_label, order=s.order, requires_reason=s.requires_reason)
    order = 0
    for p in range(3):
        policy = Section.objects.create(plan=plan, depth=0, code=str(p + 1), title=f"方針{p + 1}", order=order)
        item = Section.objects.create(plan=plan, parent=policy, depth=1, code="ア", title=f"取組項目{p + 1}ア",
                                      order=order + 1)
        for n in range(2):
            order += 2
            Initiative.objects.create(plan=plan, section=item, number_label=f"{p + 1}-{n + 1}",
                                      text=f"方針{p + 1}の取組{n + 1}", order=order)
    return plan


OPERATOR = "tenken-setup"


def operator():
    """The documented set-up account (:func:`tenken.demo.setup_account`: a superuser that cannot log in).

    Tests whose subject is not *who* may act use it: fixtures and direct service calls pass ``user=operator()``,
    CLI calls pass ``--user tenken-setup`` (``OPERATOR``) after calling this once. Permission tests use the
    named personas above instead (tests/test_cli_access.py)."""
    from tenken.demo import setup_account

    return setup_account()
