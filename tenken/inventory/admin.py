from django.contrib import admin

from tenken.common.admin import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import InformationSystem, InformationSystemChange, MunicipalGoal, MunicipalProgress, SystemCost


class SystemCostInline(ReadOnlyTabularInline):
    model = SystemCost
    extra = 0


@admin.register(InformationSystem)
class InformationSystemAdmin(ReadOnlyAdmin):
    list_display = ["name", "organization", "department", "segment", "hosting", "state", "contract_end"]
    list_filter = ["segment", "hosting", "state"]
    search_fields = ["name", "purpose"]
    raw_id_fields = ["organization", "department", "successor"]
    inlines = [SystemCostInline]


class MunicipalProgressInline(ReadOnlyTabularInline):
    model = MunicipalProgress
    extra = 0
    raw_id_fields = ["municipality"]


@admin.register(MunicipalGoal)
class MunicipalGoalAdmin(ReadOnlyAdmin):
    list_display = ["name", "prefecture", "target_date"]
    inlines = [MunicipalProgressInline]


@admin.register(InformationSystemChange)
class InformationSystemChangeAdmin(ReadOnlyAdmin):
    list_display = ["system_name", "field", "old_value", "new_value", "changed_by", "changed_at", "via"]
    list_filter = ["via", "organization"]
    search_fields = ["system_name"]
