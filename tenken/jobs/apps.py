from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "tenken.jobs"
    verbose_name = "バックグラウンド処理"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .registry import discover

        discover()  # every app's tasks.py: a worker knows every job kind
