from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "tenken.web"
    verbose_name = "画面"
