from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "tenken.common"
    verbose_name = "共通"
