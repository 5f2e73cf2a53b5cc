from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "tenken.common"
    verbose_name = "共通"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers tenken's system checks)
