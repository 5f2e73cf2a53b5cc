from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "tenken.opendata"
    verbose_name = "オープンデータ"
