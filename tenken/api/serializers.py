"""Read-only representations for the REST API (English field names; Japanese labels in the schema)."""

from __future__ import annotations

from rest_framework import serializers

from tenken.common.wareki import fiscal_year_label, format_date
from tenken.plans.models import Initiative, Plan, Section
from tenken.publications.models import PublishedReview


class OrganizationRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="全国地方公共団体コード（6桁）")
    name = serializers.CharField(help_text="団体名")


class StatusSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField(help_text="例: 達成")
    long_label = serializers.CharField(help_text="例: ① 取組内容を達成した")


class PlanSerializer(serializers.ModelSerializer):
    organization = OrganizationRefSerializer()
    period_label = serializers.CharField(help_text="計画期間（和暦）", read_only=True)
    statuses = StatusSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "organization", "title", "first_fiscal_year", "last_fiscal_year", "period_label",
                  "description", "statuses"]


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["id", "plan", "parent", "depth", "code", "title", "order"]


class InitiativeSerializer(serializers.ModelSerializer):
    departments = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Initiative
        fields = ["id", "plan", "section", "parent", "number_label", "name", "text", "is_heading", "is_repost",
                  "order", "departments"]


class InspectionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField(help_text="annual（年度点検）または final（最終点検）")
    fiscal_year = serializers.IntegerField(help_text="対象年度（西暦）")
    as_of = serializers.DateField()


class ReviewSerializer(serializers.ModelSerializer):
    """A published result (the copy frozen at publication); ``id`` is the review's own id."""

    id = serializers.IntegerField(source="review_id", help_text="取組の点検結果ID")
    inspection = InspectionRefSerializer()
    status = StatusSerializer()
    plan = serializers.IntegerField(source="inspection.plan_id")
    fiscal_year_label = serializers.SerializerMethodField(help_text="対象年度（和暦）")
    as_of_wareki = serializers.SerializerMethodField(help_text="点検の時点（和暦）")

    class Meta:
        model = PublishedReview
        fields = ["id", "plan", "inspection", "initiative", "fiscal_year", "fiscal_year_label", "as_of_wareki",
                  "status", "change_reason", "outcome", "issues"]

    def get_fiscal_year_label(self, review: PublishedReview) -> str:
        return fiscal_year_label(review.fiscal_year)

    def get_as_of_wareki(self, review: PublishedReview) -> str:
        return format_date(review.inspection.as_of)
