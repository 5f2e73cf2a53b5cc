from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "tenken.public"
    verbose_name = "公開サイト"
