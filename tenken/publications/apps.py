from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "tenken.publications"
    verbose_name = "公表"
    default_auto_field = "django.db.models.BigAutoField"
