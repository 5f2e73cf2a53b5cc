from django.apps import AppConfig


class NationalConfig(AppConfig):
    name = "tenken.national"
    verbose_name = "全国集計"
