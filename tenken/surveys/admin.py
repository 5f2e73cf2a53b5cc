from django.contrib import admin

from tenken.common.admin import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import Response, ReviewChange, SurveyRound


class ResponseInline(ReadOnlyTabularInline):
    model = Response
    extra = 0
    fields = ["department", "state", "submitted_at", "decided_at", "return_comment"]
    readonly_fields = fields


@admin.register(SurveyRound)
class SurveyRoundAdmin(ReadOnlyAdmin):
    list_display = ["plan", "fiscal_year", "deadline", "state"]
    inlines = [ResponseInline]


@admin.register(ReviewChange)
class ReviewChangeAdmin(ReadOnlyAdmin):
    list_display = ["review", "field", "old_value", "new_value", "changed_by", "changed_at", "via"]
    list_filter = ["field", "via"]
