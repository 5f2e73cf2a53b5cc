from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "tenken.orgs"
    verbose_name = "団体・所属"
