import json

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maalbilde.data.models import Dataset, RegisterRow
from maalbilde.data.registers import (
    RegisterRefused,
    register_row_remove,
    register_row_save,
    register_rows,
)
from maalbilde.lib.commands import Command as BaseCommand
from maalbilde.organisations.commands import organisation_named
from maalbilde.organisations.models import Organisation


class Command(BaseCommand):
    help = gettext_lazy(
        "Keep a register: list, add, correct and remove the rows of a dataset kept in Målbilde."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        listing = actions.add_parser("list", help=_("List the rows of a register as JSON lines."))
        listing.add_argument("--dataset", required=True, metavar="SLUG")
        listing.add_argument("--organisation", metavar="SLUG")
        listing.add_argument("--year", type=int)
        add = actions.add_parser("add", help=_("Add a row, or correct one with --row."))
        add.add_argument("--dataset", required=True, metavar="SLUG")
        add.add_argument("--organisation", required=True, metavar="SLUG")
        add.add_argument("--row", type=int, metavar="ID", help=_("The row to correct."))
        add.add_argument("--user", metavar="USERNAME", help=_("Record the change as theirs."))
        add.add_argument(
            "cells", nargs="+", metavar="COLUMN=VALUE",
            help=_("The row's values, e.g. dato=23.11.2026 kategori=HMS."),
        )  # fmt: skip
        remove = actions.add_parser("remove", help=_("Remove a row."))
        remove.add_argument("row", type=int, metavar="ID")
        remove.add_argument("--user", metavar="USERNAME")

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"handle_{action}")(**options)

    def handle_list(self, dataset: str, organisation: str | None, year: int | None,
                    **options) -> None:  # fmt: skip
        register = self._register(dataset)
        organisations = Organisation.objects.all()
        if organisation:
            organisations = organisations.filter(pk=organisation_named(organisation).pk)
        for row in register_rows(register, list(organisations), year).order_by("date", "pk"):
            self.stdout.write(json.dumps(
                {"id": row.pk, "organisation": row.organisation.slug,
                 "date": row.date.isoformat(), **row.values},
                ensure_ascii=False,
            ))  # fmt: skip

    def handle_add(self, dataset: str, organisation: str, row: int | None, user: str | None,
                   cells: list[str], **options) -> None:  # fmt: skip
        register = self._register(dataset)
        values = {}
        for cell in cells:
            name, equals, value = cell.partition("=")
            if not equals:
                raise CommandError(_("Write each value as COLUMN=VALUE, not “%(cell)s”.")
                                   % {"cell": cell})  # fmt: skip
            values[name.strip()] = value
        corrected = None
        if row is not None:
            corrected = RegisterRow.objects.filter(pk=row, dataset=register).first()
            if corrected is None:
                raise CommandError(_("The register has no row %(row)s.") % {"row": row})
        try:
            saved = register_row_save(
                dataset=register, organisation=organisation_named(organisation), cells=values,
                row=corrected, user=self.user_named(user),
            )  # fmt: skip
        except RegisterRefused as refused:
            raise CommandError(
                "; ".join(f"{name}: {text}" if name else text
                          for name, text in refused.errors.items())
            ) from refused  # fmt: skip
        self.stdout.write(_("Row %(row)s is stored.") % {"row": saved.pk})

    def handle_remove(self, row: int, user: str | None, **options) -> None:
        found = RegisterRow.objects.filter(pk=row).first()
        if found is None:
            raise CommandError(_("There is no register row %(row)s.") % {"row": row})
        register_row_remove(row=found, user=self.user_named(user))
        self.stdout.write(_("Row %(row)s is removed.") % {"row": row})

    def _register(self, slug: str) -> Dataset:
        register = Dataset.objects.filter(slug=slug, register=True).first()
        if register is None:
            known = ", ".join(Dataset.objects.filter(register=True).values_list("slug", flat=True))
            raise CommandError(
                _("There is no register “%(slug)s”. Registers: %(known)s.")
                % {"slug": slug, "known": known or _("none")}
            )
        return register
