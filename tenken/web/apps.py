from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "tenken.web"
    verbose_name = "画面"

    def ready(self) -> None:
        from . import totp  # noqa: F401 - connects the login signal of the two-step login
