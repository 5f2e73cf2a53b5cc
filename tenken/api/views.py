"""Read-only REST API (/api/v1/). Visibility comes from ``tenken.public.visibility`` only.

Filters are query parameters validated by a small serializer per endpoint: a malformed value, an unknown
parameter name and a value that names nothing public (a plan, inspection or status code that is not
published) are a 400 with the parameter named (tenken.api.errors), never a 500 or a silent empty list.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from tenken.public.selectors import search_key
from tenken.public.visibility import (
    public_initiatives,
    public_inspections,
    public_plans,
    public_reviews,
    public_sections,
    public_statuses,
)

from .errors import ErrorResponseSerializer
from .serializers import InitiativeSerializer, PlanSerializer, ReviewSerializer, SectionSerializer

BAD_REQUEST = OpenApiResponse(ErrorResponseSerializer, description="検索条件の誤り（attr に検索条件の名前）")
NOT_FOUND = OpenApiResponse(ErrorResponseSerializer, description="該当なし（公表されていない点検結果も該当なしになる）")
PAGING = frozenset({"limit", "offset", "format"})


def _views(serializer: type, filters: type, list_summary: str, detail_summary: str) -> object:
    return extend_schema_view(
        list=extend_schema(parameters=[filters], summary=list_summary,
                           responses={200: serializer(many=True), 400: BAD_REQUEST}),
        retrieve=extend_schema(summary=detail_summary, responses={200: serializer, 404: NOT_FOUND}),
    )


_INT = {"min_value": 1, "max_value": 2**31 - 1, "required": False}


class _Filters(serializers.Serializer):
    def validated(self) -> dict:
        unknown = sorted(set(self.initial_data) - set(self.fields) - PAGING)
        if unknown:
            raise serializers.ValidationError(
                {name: [serializers.ErrorDetail(f"検索条件「{name}」はありません（使えるもの: "
                                                f"{'、'.join(self.fields)}、limit、offset）", code="unknown_parameter")]
                 for name in unknown}
            )
        self.is_valid(raise_exception=True)
        return {k: v for k, v in self.validated_data.items() if v not in (None, "")}

    def validate_plan(self, value: int | None) -> int | None:
        if value is not None and not public_plans().filter(pk=value).exists():
            raise serializers.ValidationError(f"計画ID {value} の公表された計画はありません", code="unknown_value")
        return value

    def validate_inspection(self, value: int | None) -> int | None:
        if value is not None and not public_inspections().filter(pk=value).exists():
            raise serializers.ValidationError(f"点検ID {value} の公表された点検はありません", code="unknown_value")
        return value

    def validate_status(self, value: str | None) -> str | None:
        if value and not public_statuses().filter(code=value).exists():
            codes = "、".join(sorted(set(public_statuses().values_list("code", flat=True))))
            raise serializers.ValidationError(f"実施結果コード「{value}」はありません（{codes}）", code="unknown_value")
        return value


class PlanFilters(_Filters):
    organization = serializers.RegexField(r"^\d{6}$", required=False, help_text="全国地方公共団体コード")


class SectionFilters(_Filters):
    plan = serializers.IntegerField(**_INT, help_text="計画ID")
    depth = serializers.IntegerField(min_value=0, max_value=10, required=False, help_text="階層（0 方針、1 取組項目、2 小項目）")
    parent = serializers.IntegerField(**_INT, help_text="上位の区分ID")


class InitiativeFilters(_Filters):
    plan = serializers.IntegerField(**_INT, help_text="計画ID")
    section = serializers.IntegerField(**_INT, help_text="区分ID（その区分の直下の取組）")
    department = serializers.IntegerField(**_INT, help_text="担当所属ID")
    q = serializers.CharField(required=False, max_length=200, help_text="取組内容の部分一致検索（全角・半角を区別しない）")


class ReviewFilters(_Filters):
    plan = serializers.IntegerField(**_INT, help_text="計画ID")
    inspection = serializers.IntegerField(**_INT, help_text="点検ID")
    initiative = serializers.IntegerField(**_INT, help_text="取組ID")
    fiscal_year = serializers.IntegerField(min_value=1868, max_value=2200, required=False, help_text="対象年度（西暦）")
    status = serializers.SlugField(required=False, max_length=30, help_text="実施結果コード（achieved など）")


class _ReadOnly(viewsets.ReadOnlyModelViewSet):
    filters_class: type[_Filters]

    def filters(self) -> dict:
        if self.action != "list":
            return {}
        return self.filters_class(data=self.request.query_params).validated()


@_views(PlanSerializer, PlanFilters, "計画の一覧", "計画")
class PlanViewSet(_ReadOnly):
    serializer_class = PlanSerializer
    filters_class = PlanFilters

    def get_queryset(self) -> QuerySet:
        qs = public_plans().select_related("organization").prefetch_related(
            Prefetch("statuses", queryset=public_statuses())
        ).order_by("pk")
        f = self.filters()
        if "organization" in f:
            qs = qs.filter(organization__code=f["organization"])
        return qs


@_views(SectionSerializer, SectionFilters, "方針・取組項目の一覧", "方針・取組項目")
class SectionViewSet(_ReadOnly):
    serializer_class = SectionSerializer
    filters_class = SectionFilters

    def get_queryset(self) -> QuerySet:
        qs = public_sections().order_by("plan_id", "order", "pk")
        f = self.filters()
        for key in ("plan", "depth", "parent"):
            if key in f:
                qs = qs.filter(**{f"{key}_id" if key != "depth" else key: f[key]})
        return qs


@_views(InitiativeSerializer, InitiativeFilters, "取組の一覧", "取組")
class InitiativeViewSet(_ReadOnly):
    serializer_class = InitiativeSerializer
    filters_class = InitiativeFilters

    def get_queryset(self) -> QuerySet:
        qs = public_initiatives().prefetch_related("departments").order_by("plan_id", "order", "pk")
        f = self.filters()
        if "plan" in f:
            qs = qs.filter(plan_id=f["plan"])
        if "section" in f:
            qs = qs.filter(section_id=f["section"])
        if "department" in f:
            qs = qs.filter(departments__id=f["department"])
        if "q" in f:
            # Stored text is not normalised, so the NFKC match runs in Python over (id, text) pairs.
            words = [w for w in (search_key(x) for x in f["q"].split()) if w]
            if words:
                ids = [
                    pk
                    for pk, text, label, name in qs.values_list("pk", "text", "number_label", "name")
                    if all(w in search_key(f"{label} {name} {text}") for w in words)
                ]
                qs = qs.filter(pk__in=ids)
        return qs


@_views(ReviewSerializer, ReviewFilters, "取組の点検結果の一覧（公表済みの点検のみ）", "取組の点検結果")
class ReviewViewSet(_ReadOnly):
    serializer_class = ReviewSerializer
    lookup_field = "review_id"
    lookup_url_kwarg = "pk"
    filters_class = ReviewFilters

    def get_queryset(self) -> QuerySet:
        qs = public_reviews().select_related("inspection", "status").order_by(
            "inspection__plan_id", "inspection__fiscal_year", "inspection_id", "initiative__order", "review_id"
        )
        f = self.filters()
        if "plan" in f:
            qs = qs.filter(inspection__plan_id=f["plan"])
        for key in ("inspection", "initiative"):
            if key in f:
                qs = qs.filter(**{f"{key}_id": f[key]})
        if "fiscal_year" in f:
            qs = qs.filter(fiscal_year=f["fiscal_year"])
        if "status" in f:
            qs = qs.filter(status__code=f["status"])
        return qs
