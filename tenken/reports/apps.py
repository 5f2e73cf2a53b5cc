from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "tenken.reports"
    verbose_name = "点検報告書"
