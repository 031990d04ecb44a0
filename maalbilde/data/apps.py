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


def _figures_changed(sender, **kwargs) -> None:
    """A change to an organisation, dataset, plan, indicator or target, from the admin or
    anywhere else, changes what figures mean: cached status is computed anew."""
    from maalbilde.data.services import figures_changed

    figures_changed()


class DataConfig(AppConfig):
    name = "maalbilde.data"
    label = "maalbilde_data"
    verbose_name = _("Data")

    def ready(self) -> None:
        connection_created.connect(_sqlite_unicode_lower, dispatch_uid="maalbilde-sqlite-lower")
        from maalbilde.data.models import Dataset
        from maalbilde.organisations.models import Organisation
        from maalbilde.plans.models import Indicator, Plan, PlanVersion, Target

        for model in (Organisation, Dataset, Plan, PlanVersion, Indicator, Target):
            for signal in (post_save, post_delete):
                signal.connect(_figures_changed, sender=model,
                               dispatch_uid=f"maalbilde-figures-{model.__name__}")  # fmt: skip
