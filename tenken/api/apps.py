from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tenken.api"
    verbose_name = "REST API"
