from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationQuerySet(models.QuerySet):
    def subtree(self, root: "Organisation") -> "OrganisationQuerySet":
        """The organisation and every organisation below it."""
        return self.filter(path__startswith=root.path)


class Organisation(models.Model):
    """A node in the tree of networks, organisations, departments, sites, regions and members."""

    class Kind(models.TextChoices):
        NETWORK = "network", _("network")
        ORGANISATION = "organisation", _("organisation")
        DEPARTMENT = "department", _("department")
        SITE = "site", _("site")
        REGION = "region", _("region")
        MEMBER = "member", _("member")
        BODY = "body", _("body")
        PARTNER = "partner", _("partner")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.ORGANISATION
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    description = models.TextField(_("description"), blank=True)
    # Where a network's reminders go; without it, to the organisation's own people.
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    # Attributes that analysis needs (municipality, population, pupils, size group) are data.
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    # Materialised path "/root/child/…/self/" of slugs, kept by the tree services, so that a
    # subtree is one indexed prefix query.
    path = models.CharField(_("path"), max_length=1000, db_index=True, editable=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id and self.pk and self.parent.path.startswith(self.path):
            raise ValidationError(
                {"parent": _("An organisation cannot be placed below itself or its own members.")}
            )

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


# The size groups a network sorts its members in (the attribute `size_group`), as people read
# them.
SIZE_GROUPS = {"small": _("small"), "medium": _("medium"), "large": _("large")}


def size_group_label(value: str) -> str:
    return str(SIZE_GROUPS.get(value, value))


class Role(models.TextChoices):
    """What a person may do in an organisation and everything below it, each role including
    the ones after it."""

    ADMINISTRATOR = "administrator", _("administrator")
    EDITOR = "editor", _("editor")
    REPORTER = "reporter", _("reporter")
    VIEWER = "viewer", _("viewer")


# Higher rank, more rights.
ROLE_RANK = {Role.VIEWER: 1, Role.REPORTER: 2, Role.EDITOR: 3, Role.ADMINISTRATOR: 4}


class Membership(models.Model):
    """A person's role in an organisation, which holds for the organisations below it too."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_role_per_place")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}: {self.get_role_display()}"


class AuditEntry(models.Model):
    """Who changed which figure when, with the values before and after."""

    at = models.DateTimeField(_("when"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=40)
    subject = models.CharField(_("what"), max_length=300)
    # What was changed: its kind (app_label.model) and key, and whose it is; so that the
    # trail can be read per organisation, and by those who may see that organisation's
    # figures only.
    object_kind = models.CharField(_("kind"), max_length=80, blank=True)
    object_id = models.CharField(_("key"), max_length=80, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    # A change a system made through the API: the token it used (its name says whose).
    token = models.ForeignKey("ApiToken", verbose_name=_("API token"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")  # fmt: skip

    class Meta:
        # The table it had when the trail was kept with the figures.
        db_table = "maalbilde_data_auditentry"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-at"], name="audit_by_organisation")]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.subject}"


class ApiToken(models.Model):
    """A key for systems to call the API for an organisation (and what lies below it): made
    by one of its administrators, shown once and kept only as a digest, with scopes, an
    expiry and the role its maker had — it never does more. It outlives its maker; any
    administrator of the organisation revokes it."""

    class Scope(models.TextChoices):
        READ = "read", _("read")
        IMPORT = "import", _("push data")
        ANSWER = "answer", _("answer rounds")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    # The start of the key, to tell keys apart where they are listed.
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("scopes"), default=list)
    role = models.CharField(_("role of its maker"), max_length=20, choices=Role.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    # Reads are counted, not audited one by one.
    reads = models.PositiveBigIntegerField(_("reads"), default=0)
    # Calls in the current minute, for the rate limit.
    window_start = models.DateTimeField(null=True, blank=True)
    window_calls = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["organisation", "-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
