from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "tenken.indicators"
    label = "indicators"
    verbose_name = "指標"
    default_auto_field = "django.db.models.BigAutoField"
