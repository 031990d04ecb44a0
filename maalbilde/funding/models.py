"""Funding: the funding files an organisation or a network keeps, each import a new version
(the latest counts), read by the rules in `rules.py`."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maalbilde.organisations.models import Organisation


class FundingFile(models.Model):
    """One import of an owner's funding file: the text as written and its checked data."""

    owner = models.ForeignKey(Organisation, verbose_name=_("owner"), on_delete=models.PROTECT,
                              related_name="funding_files")  # fmt: skip
    source = models.TextField(_("funding file"))
    data = models.JSONField(_("data"))
    checksum = models.CharField(max_length=64)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")  # fmt: skip

    class Meta:
        ordering = ["owner", "-imported_at", "-pk"]
        verbose_name = _("funding file")
        verbose_name_plural = _("funding files")

    def __str__(self) -> str:
        return f"{self.owner.slug} {self.imported_at:%Y-%m-%d %H:%M}"


class LedgerImport(models.Model):
    """One accounting export imported for an owner: its rows are payments of one kind, the
    file's checksum keeps the same export from being counted twice (or once as invoices and
    once as payments). Withdrawn, it goes with its payments."""

    owner = models.ForeignKey(Organisation, verbose_name=_("owner"), on_delete=models.PROTECT,
                              related_name="ledger_imports")  # fmt: skip
    kind = models.CharField(_("kind"), max_length=10)
    file_name = models.CharField(_("file"), max_length=300)
    checksum = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(_("rows stored"))
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")  # fmt: skip

    class Meta:
        ordering = ["owner", "-imported_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["owner", "checksum"],
                                               name="ledger_file_once")]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.owner.slug} {self.kind} {self.file_name}"


class Payment(models.Model):
    """Money for a year, in øre (exact), with its date and where it was recorded from: what a
    party was invoiced for or paid to the owner, or what the owner spent on a recipient of
    its allocation (`party` then names the recipient). A correction is a new row, never a
    change."""

    class Kind(models.TextChoices):
        INVOICED = "invoiced", _("invoiced")
        RECEIVED = "received", _("received")
        SPENT = "spent", _("spent")

    owner = models.ForeignKey(Organisation, verbose_name=_("owner"), on_delete=models.PROTECT,
                              related_name="payments")  # fmt: skip
    party = models.SlugField(_("party or recipient"), max_length=80)
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount_ore = models.BigIntegerField(_("amount in øre"))
    date = models.DateField(_("date"))
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    ledger = models.ForeignKey(LedgerImport, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="payments")  # fmt: skip
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")  # fmt: skip

    class Meta:
        ordering = ["owner", "year", "party", "date", "pk"]
        indexes = [models.Index(fields=["owner", "year", "party"])]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.party} {self.year} {self.kind} {self.amount_ore}"

    @property
    def amount_kroner(self) -> Decimal:
        return Decimal(self.amount_ore) / 100


class FundingPublication(models.Model):
    """A year of an owner's funding made public: who paid what and where it went, for
    anyone, as the network's own decision. Taking it down deletes the row."""

    owner = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                              related_name="funding_publications")  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"))
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")  # fmt: skip

    class Meta:
        ordering = ["owner", "year"]
        constraints = [models.UniqueConstraint(fields=["owner", "year"],
                                               name="funding_published_once")]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.owner.slug} {self.year}"
