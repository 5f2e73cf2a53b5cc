from django.contrib import admin

from tenken.common.admin import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import CarryOver, Goal, Initiative, Milestone, Plan, PlanChange, Section, SectionLevel, Status


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
    list_display = ["number_label", "name", "short_text", "section", "is_heading", "is_repost", "order"]
    list_filter = ["plan", "is_heading", "is_repost"]
    search_fields = ["number_label", "name", "text"]
    raw_id_fields = ["section", "parent"]
    filter_horizontal = ["departments"]

    @admin.display(description="取組内容")
    def short_text(self, obj: Initiative) -> str:
        return obj.text[:60]


@admin.register(Status)
class StatusAdmin(ReadOnlyAdmin):
    list_display = ["label", "long_label", "plan", "order", "requires_reason"]
    list_filter = ["plan"]



@admin.register(Goal)
class GoalAdmin(ReadOnlyAdmin):
    list_display = ["title", "plan", "order"]
    list_filter = ["plan"]


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    list_display = ["title", "initiative", "due_date", "due_text", "done"]
    list_filter = ["done"]


@admin.register(CarryOver)
class CarryOverAdmin(ReadOnlyAdmin):
    list_display = ["old_initiative", "choice", "new_initiative", "successor", "decided_by", "decided_at"]
    list_filter = ["successor", "choice"]


@admin.register(PlanChange)
class PlanChangeAdmin(ReadOnlyAdmin):
    list_display = ["changed_at", "changed_by", "plan", "target_label", "action", "field", "old_value", "new_value"]
    list_filter = ["plan", "target", "action"]
