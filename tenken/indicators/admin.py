"""Admin: a read view of indicators. Writes go through tenken.indicators.services (versioning, checks),
so the admin neither adds observations nor edits a definition's unit or direction."""

from django.contrib import admin

from tenken.common.admin import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import Indicator, Observation


class ObservationInline(ReadOnlyTabularInline):
    model = Observation
    extra = 0
    can_delete = False
    fields = ("kind", "value", "as_of", "as_of_text", "fiscal_year", "source", "note", "source_ref")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ("name", "unit", "direction", "organization", "plan", "valid_from")
    list_filter = ("direction", "organization")
    search_fields = ("name",)
    inlines = [ObservationInline]
    readonly_fields = ("organization", "plan", "unit", "direction", "valid_from", "predecessor")
    filter_horizontal = ("sections", "initiatives")

    def has_add_permission(self, request) -> bool:
        return False
