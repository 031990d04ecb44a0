import json

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maalbilde.lib.commands import Command as BaseCommand
from maalbilde.organisations.commands import organisation_named
from maalbilde.organisations.memberships import (
    MembershipRefused,
    membership_grant,
    membership_remove,
)
from maalbilde.organisations.models import Membership, Organisation, Role


class Command(BaseCommand):
    help = gettext_lazy("People and their roles in an organisation: list, grant, remove.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        listing = actions.add_parser(
            "list", help=_("List the roles in an organisation and below it, as JSON lines.")
        )
        listing.add_argument("organisation", metavar="ORGANISATION")
        grant = actions.add_parser(
            "grant", help=_("Give a person a role, by e-mail address (a new account if none).")
        )
        grant.add_argument("organisation", metavar="ORGANISATION")
        grant.add_argument("email", metavar="EMAIL")
        grant.add_argument("role", choices=Role.values)
        grant.add_argument("--user", metavar="USERNAME", help=_("Record the change as theirs."))
        remove = actions.add_parser("remove", help=_("Take a person's role away."))
        remove.add_argument("organisation", metavar="ORGANISATION")
        remove.add_argument("email", metavar="EMAIL")
        remove.add_argument("--user", metavar="USERNAME", help=_("Record the change as theirs."))

    def handle(self, *args, action: str, organisation: str, **options) -> None:
        place = organisation_named(organisation)
        try:
            getattr(self, f"handle_{action}")(place, **options)
        except MembershipRefused as refused:
            raise CommandError(str(refused)) from None

    def handle_list(self, place: Organisation, **options) -> None:
        memberships = (
            Membership.objects.filter(organisation__path__startswith=place.path)
            .select_related("user", "organisation")
            .order_by("organisation__path", "user__username")
        )
        for m in memberships:
            self.stdout.write(json.dumps(
                {"user": m.user.get_username(), "email": m.user.email,
                 "organisation": m.organisation.slug, "role": m.role},
                ensure_ascii=False,
            ))  # fmt: skip

    def handle_grant(self, place: Organisation, email: str, role: str, user: str | None,
                     **options) -> None:  # fmt: skip
        membership, new = membership_grant(organisation=place, email=email, role=Role(role),
                                           by=self.user_named(user))  # fmt: skip
        said = {"user": membership.user.get_username(), "role": membership.get_role_display(),
                "organisation": place.name}  # fmt: skip
        if new:
            self.stdout.write(
                _("New account “%(user)s”, %(role)s in %(organisation)s; it has no password "
                  "until one is chosen through “forgot password”.") % said
            )  # fmt: skip
        else:
            self.stdout.write(_("“%(user)s” is %(role)s in %(organisation)s.") % said)

    def handle_remove(self, place: Organisation, email: str, user: str | None,
                      **options) -> None:  # fmt: skip
        membership = Membership.objects.filter(
            organisation=place, user__email__iexact=email.strip()).first()  # fmt: skip
        if membership is None:
            raise CommandError(
                _("“%(email)s” has no role in %(organisation)s.")
                % {"email": email, "organisation": place.name}
            )
        membership_remove(membership=membership, by=self.user_named(user))
        self.stdout.write(
            _("“%(email)s” no longer has a role in %(organisation)s.")
            % {"email": email, "organisation": place.name}
        )
