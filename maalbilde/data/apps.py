from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _unicode_lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _sqlite_unicode_lower(sender, connection, **kwargs) -> None:
    """SQLite's LOWER() changes only A–Z; category filters must match Æ, Ø and Å as well, as
    PostgreSQL's does."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("lower", 1, _unicode_lower, deterministic=True)


def figures_changed_on_save(*models: type) -> None:
    """A change to one of `models` (an organisation, a dataset, a plan, an indicator or a
    target), from anywhere, changes what figures mean: cached status is computed anew."""

    def changed(sender, **kwargs) -> None:
        from maalbilde.data.services import figures_changed

        figures_changed()

    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(changed, sender=model, weak=False,
                           dispatch_uid=f"maalbilde-figures-{model.__name__}")  # fmt: skip


class DataConfig(AppConfig):
    name = "maalbilde.data"
    label = "maalbilde_data"
    verbose_name = _("Data")

    def ready(self) -> None:
        connection_created.connect(_sqlite_unicode_lower, dispatch_uid="maalbilde-sqlite-lower")
        from maalbilde.data.models import Dataset
        from maalbilde.organisations.models import Organisation

        figures_changed_on_save(Organisation, Dataset)
