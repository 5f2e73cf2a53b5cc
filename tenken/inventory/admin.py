from django.contrib import admin

from .models import InformationSystem, MunicipalGoal, MunicipalProgress, SystemCost


class SystemCostInline(admin.TabularInline):
    model = SystemCost
    extra = 0


@admin.register(InformationSystem)
class InformationSystemAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "department", "segment", "hosting", "state", "contract_end"]
    list_filter = ["segment", "hosting", "state"]
    search_fields = ["name", "purpose"]
    raw_id_fields = ["organization", "department", "successor"]
    inlines = [SystemCostInline]


class MunicipalProgressInline(admin.TabularInline):
    model = MunicipalProgress
    extra = 0
    raw_id_fields = ["municipality"]


@admin.register(MunicipalGoal)
class MunicipalGoalAdmin(admin.ModelAdmin):
    list_display = ["name", "prefecture", "target_date"]
    inlines = [MunicipalProgressInline]
