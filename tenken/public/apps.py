from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "tenken.public"
    verbose_name = "公開サイト"

    def ready(self) -> None:
        from django.db import connections
        from django.db.backends.signals import connection_created

        from . import stamp

        # every write to a table the public surface reads replaces the public version stamp
        connection_created.connect(stamp.install, dispatch_uid="tenken.public.stamp")
        for conn in connections.all(initialized_only=True):
            stamp.install(conn)
