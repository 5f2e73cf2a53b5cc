from django.contrib import admin

from tenken.common.admin import ReadOnlyAdmin, ReadOnlyStackedInline

from .models import InitiativeReview, Inspection, SectionNarrative


class SectionNarrativeInline(ReadOnlyStackedInline):
    model = SectionNarrative
    extra = 0
    raw_id_fields = ["section"]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["title", "plan", "kind", "fiscal_year", "as_of"]
    list_filter = ["kind", "plan"]
    inlines = [SectionNarrativeInline]


@admin.register(InitiativeReview)
class InitiativeReviewAdmin(ReadOnlyAdmin):
    list_display = ["initiative", "fiscal_year", "status", "approval", "updated_at"]
    list_filter = ["inspection", "status", "approval", "fiscal_year"]
    search_fields = ["initiative__text", "initiative__number_label"]
    raw_id_fields = ["initiative", "entered_by"]
