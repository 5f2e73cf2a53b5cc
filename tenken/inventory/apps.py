from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "tenken.inventory"
    verbose_name = "情報システム台帳"
