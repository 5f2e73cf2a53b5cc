from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "tenken.plans"
    verbose_name = "計画"
