"""Django admin for models that have a service: a read view only (issue #14, "one write path").

Writes go through the services (``<app>/services.py``), which check access, reset approval and
record history; the admin cannot add, change or delete these rows, history rows included. A POST to
a change page is refused with 403 by Django itself once change permission is withheld.
"""

from __future__ import annotations

from django.contrib import admin


class ReadOnlyAdminMixin:
    """Withhold add, change and delete; keep view (list, detail, filters, search)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    actions = None


class ReadOnlyTabularInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0


class ReadOnlyStackedInline(ReadOnlyAdminMixin, admin.StackedInline):
    extra = 0
