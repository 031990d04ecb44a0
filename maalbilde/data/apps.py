from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def _unicode_lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _sqlite_unicode_lower(sender, connection, **kwargs) -> None:
    """SQLite's LOWER() changes only A–Z; category filters must match Æ, Ø and Å as well, as
    PostgreSQL's does."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("lower", 1, _unicode_lower, deterministic=True)


class DataConfig(AppConfig):
    name = "maalbilde.data"
    label = "maalbilde_data"
    verbose_name = _("Data")

    def ready(self) -> None:
        connection_created.connect(_sqlite_unicode_lower, dispatch_uid="maalbilde-sqlite-lower")
