"""The /api/v1/indicators/ endpoint, mounted only when the indicators app is installed.

Reads go through ``tenken.public.indicators`` (the one module that knows the indicators app's
models); adapt that module, not this one, when the app's interface differs from the expected one.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from tenken.public.indicators import indicators_for_plan
from tenken.public.visibility import public_plans

from .views import BAD_REQUEST, NOT_FOUND, _Filters


class ObservationSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="baseline / target / actual")
    value = serializers.FloatField(allow_null=True)
    as_of = serializers.DateField(allow_null=True)
    source = serializers.CharField(allow_blank=True)


class IndicatorSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)
    direction = serializers.CharField(allow_blank=True)
    observations = ObservationSerializer(many=True)


class PlanQuery(_Filters):
    plan = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="計画ID")


class IndicatorViewSet(viewsets.GenericViewSet):
    """Paginated like every other list (limit / offset)."""

    serializer_class = IndicatorSerializer

    @extend_schema(
        parameters=[PlanQuery],
        responses={200: IndicatorSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND},
        summary="計画の指標（基準値・目標値・実績値）",
    )
    def list(self, request: Request) -> Response:
        plan_id = PlanQuery(data=request.query_params).validated()["plan"]
        plan = public_plans().get(pk=plan_id)
        page = self.paginate_queryset(indicators_for_plan(plan=plan))
        return self.get_paginated_response(IndicatorSerializer(page, many=True).data)
