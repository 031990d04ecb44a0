from django.db import models
from django.utils.translation import gettext_lazy as _

from maalbilde.organisations.models import Organisation


class Dataset(models.Model):
    """A declared table of activity records: ticket sales, bookings, events, revenue lines, …

    Declared in plan files; its rows are imported in batches.
    """

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # Either every row belongs to one organisation, or a column names the organisation.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="datasets",
    )
    organisation_column = models.CharField(_("organisation column"), max_length=80, blank=True)
    date_column = models.CharField(_("date column"), max_length=80)
    # [{"name": …, "role": "date|organisation|measure|category", "label": …, "aliases": […]}]
    columns = models.JSONField(_("columns"), default=list)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")

    def __str__(self) -> str:
        return self.name
