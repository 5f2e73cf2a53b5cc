from django.contrib import admin

from tenken.common.admin import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import Initiative, Plan, Section, SectionLevel, Status


class SectionLevelInline(ReadOnlyTabularInline):
    model = SectionLevel
    extra = 0


class StatusInline(ReadOnlyTabularInline):
    model = Status
    extra = 0


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["title", "organization", "first_fiscal_year", "last_fiscal_year", "predecessor"]
    search_fields = ["title", "organization__name"]
    raw_id_fields = ["organization", "predecessor"]
    inlines = [SectionLevelInline, StatusInline]


@admin.register(Section)
class SectionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "plan", "depth", "parent", "order"]
    list_filter = ["plan", "depth"]
    search_fields = ["title"]
    raw_id_fields = ["parent"]


@admin.register(Initiative)
class InitiativeAdmin(ReadOnlyAdmin):
    list_display = ["number_label", "short_text", "section", "is_heading", "is_repost", "order"]
    list_filter = ["plan", "is_heading", "is_repost"]
    search_fields = ["number_label", "text"]
    raw_id_fields = ["section", "parent"]
    filter_horizontal = ["departments"]

    @admin.display(description="取組内容")
    def short_text(self, obj: Initiative) -> str:
        return obj.text[:60]


@admin.register(Status)
class StatusAdmin(ReadOnlyAdmin):
    list_display = ["label", "long_label", "plan", "order", "requires_reason"]
    list_filter = ["plan"]
