from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "tenken.jobs"
    verbose_name = "バックグラウンド処理"
    default_auto_field = "django.db.models.BigAutoField"
