from django.contrib import admin

from .models import Department, Membership, Organization


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0
    fields = ["name", "parent", "code", "order"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "kana"]
    raw_id_fields = ["parent"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "parent", "code"]
    search_fields = ["name", "code"]
    raw_id_fields = ["organization", "parent"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "department", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "department__name"]
    raw_id_fields = ["user", "organization", "department"]
