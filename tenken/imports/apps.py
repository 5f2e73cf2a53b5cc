from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "tenken.imports"
    verbose_name = "計画の取込"
