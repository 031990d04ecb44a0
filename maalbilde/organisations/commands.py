"""What the command lines of every part share about organisations."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from maalbilde.organisations.models import Organisation


def organisation_named(slug: str) -> Organisation:
    """The organisation a command names by its slug; a command error in words if none is."""
    found = Organisation.objects.filter(slug=slug).first()
    if found is None:
        raise CommandError(_("There is no organisation “%(slug)s”.") % {"slug": slug})
    return found
