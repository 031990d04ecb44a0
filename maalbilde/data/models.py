"""Activity data: datasets, import batches, the compact facts they leave, typed-in
observations, and the audit trail of every change to figures."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from maalbilde.organisations.models import Organisation

MEASURE_SLOTS = 8
CATEGORY_SLOTS = 6


class Dataset(models.Model):
    """A declared table of activity records: ticket sales, bookings, events, revenue lines, …

    Declared in plan files. Imports do not keep the rows themselves: they are summarised
    into facts per organisation, month and combination of categories, in fixed slots. A
    register is a dataset kept in Målbilde itself, row by row, because no other system
    holds it (media mentions, rentals, incidents, …); its rows feed facts the same way.
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
    register = models.BooleanField(_("register"), default=False)
    date_column = models.CharField(_("date column"), max_length=80)
    # [{"name", "role": "date|organisation|measure|category|text", "label", "aliases",
    #   "ratio_of", "choices"}]
    columns = models.JSONField(_("columns"), default=list)
    # Which fact slot holds each measure and category column ({"antall": "m1", "type": "c1"}).
    # A slot once given is never reused for another column, so stored facts keep meaning.
    slots = models.JSONField(default=dict, editable=False)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")

    def __str__(self) -> str:
        return self.name

    def columns_with_role(self, role: str) -> list[dict]:
        return [c for c in self.columns if c["role"] == role]


class BatchQuerySet(models.QuerySet):
    def active(self) -> "BatchQuerySet":
        return self.filter(withdrawn_at__isnull=True)


class Batch(models.Model):
    """One imported file: who, when, what, and what became of its rows."""

    dataset = models.ForeignKey(
        Dataset, verbose_name=_("dataset"), on_delete=models.PROTECT, related_name="batches"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=300)
    checksum = models.CharField(_("checksum"), max_length=64)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_stored = models.PositiveIntegerField(_("rows stored"), default=0)
    rows_rejected = models.PositiveIntegerField(_("rows rejected"), default=0)
    rows_skipped = models.PositiveIntegerField(_("rows skipped"), default=0)
    facts = models.PositiveIntegerField(_("facts"), default=0)
    # How the file was read: encoding, delimiter, header mapping, skipped rows.
    report = models.JSONField(_("report"), default=dict)
    # The rows left out by an import that stored only the good ones, as a CSV file to fix.
    rejects = models.BinaryField(_("rejected rows"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("imported"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = BatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # The same content is counted once: a file can come back only after withdrawal.
            models.UniqueConstraint(
                fields=["dataset", "checksum"],
                condition=Q(withdrawn_at__isnull=True),
                name="batch_content_once",
            )
        ]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"


class RegisterRow(models.Model):
    """One row of a register, as a person entered it: measures as numbers, categories and
    texts as strings, keyed by column name."""

    dataset = models.ForeignKey(
        Dataset, verbose_name=_("dataset"), on_delete=models.PROTECT, related_name="rows"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    values = models.JSONField(_("values"), default=dict)
    # The token of the form that added the row: the same form sent twice adds one row.
    form_token = models.CharField(max_length=40, null=True, blank=True, unique=True,
                                  editable=False)  # fmt: skip
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["dataset", "organisation", "date"])]
        verbose_name = _("register row")
        verbose_name_plural = _("register rows")

    def __str__(self) -> str:
        return f"{self.dataset_id}/{self.organisation_id} {self.date:%Y-%m-%d} #{self.pk}"


class Fact(models.Model):
    """The rows of one batch summarised per organisation, month and category combination."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="+")
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    rows = models.BigIntegerField()
    c1 = models.CharField(max_length=200, default="")
    c2 = models.CharField(max_length=200, default="")
    c3 = models.CharField(max_length=200, default="")
    c4 = models.CharField(max_length=200, default="")
    c5 = models.CharField(max_length=200, default="")
    c6 = models.CharField(max_length=200, default="")
    # m_i: the sum of a measure; k_i: how many rows had a value for it.
    m1 = models.FloatField(null=True)
    m2 = models.FloatField(null=True)
    m3 = models.FloatField(null=True)
    m4 = models.FloatField(null=True)
    m5 = models.FloatField(null=True)
    m6 = models.FloatField(null=True)
    m7 = models.FloatField(null=True)
    m8 = models.FloatField(null=True)
    k1 = models.BigIntegerField(default=0)
    k2 = models.BigIntegerField(default=0)
    k3 = models.BigIntegerField(default=0)
    k4 = models.BigIntegerField(default=0)
    k5 = models.BigIntegerField(default=0)
    k6 = models.BigIntegerField(default=0)
    k7 = models.BigIntegerField(default=0)
    k8 = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["dataset", "organisation", "year"])]

    def __str__(self) -> str:
        return f"{self.dataset_id}/{self.organisation_id} {self.year}-{self.month:02d}"


class FiguresGeneration(models.Model):
    """A number that grows with every change to figures (an import, a withdrawal, a typed-in
    figure, a register row), so that pages computed from figures can be cached until the
    figures change, in every web process alike."""

    number = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.number)


class BatchDay(models.Model):
    """A day a batch has figures for, for one organisation. It tells a file that overlaps
    one already imported (the same days counted twice) from the next export of the month,
    and marks the days a later batch replaced: they count only while that batch stands."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="days")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    replaced_by = models.ForeignKey(
        Batch, null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_days"
    )

    class Meta:
        indexes = [models.Index(fields=["organisation", "day"], name="batch_day_lookup")]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.organisation_id} {self.day}"


class DayFigures(models.Model):
    """A batch's figures per organisation, day and combination of categories (Parquet), kept
    beside its monthly facts: what a batch's facts are counted again from when a later file
    replaces some of its days, or when that file is withdrawn. Read only then."""

    batch = models.OneToOneField(
        Batch, primary_key=True, on_delete=models.CASCADE, related_name="day_figures"
    )
    parquet = models.BinaryField()

    def __str__(self) -> str:
        return str(self.batch_id)


class ColumnMapping(models.Model):
    """Which of a file's headers held each declared column when an organisation last chose
    them for a dataset: next month's export needs no choices."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    columns = models.JSONField(default=dict)  # declared column → the file's header
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "organisation"], name="one_mapping")
        ]
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")

    def __str__(self) -> str:
        return f"{self.dataset} / {self.organisation}"


class Upload(models.Model):
    """A file uploaded in the browser, kept until its import is done or abandoned, and the
    state of that import as it runs. In the database, so that any web process can show the
    progress and finish the import."""

    class State(models.TextChoices):
        WAITING = "waiting", _("waiting to be imported")
        RUNNING = "running", _("importing")
        DONE = "done", _("imported")
        FAILED = "failed", _("not imported")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=300)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    stage = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Written every few seconds while the import runs: an import whose process stopped is
    # known by its silence.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    batch = models.ForeignKey(Batch, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")  # fmt: skip
    # Why the import stored nothing, and the rows that had problems (the first ones).
    message = models.TextField(blank=True)
    problems = models.JSONField(default=list, blank=True)
    problem_rows = models.PositiveIntegerField(default=0)
    # The import stopped at days earlier batches count: the person may let the file replace them.
    overlapping = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.file_name
