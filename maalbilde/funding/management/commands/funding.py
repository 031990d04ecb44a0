import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maalbilde.funding.files import parse_funding_file
from maalbilde.funding.rules import PARTY_KINDS, Expected, expected_amounts
from maalbilde.funding.services import current_funding, funding_import
from maalbilde.lib.commands import Command as BaseCommand
from maalbilde.lib.documents import DocumentInvalid
from maalbilde.organisations.commands import organisation_named


class Command(BaseCommand):
    help = gettext_lazy(
        "Funding files: who pays what by which rule. Validate and import them, and list what "
        "each party is expected to pay in a year."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        validate = actions.add_parser("validate", help=_("Check a funding file."))
        validate.add_argument("file", metavar="FILE")
        load = actions.add_parser("import", help=_("Import funding files, each for its owner."))
        load.add_argument("files", nargs="+", metavar="FILE")
        load.add_argument("--user", metavar="USERNAME")
        expected = actions.add_parser(
            "expected", help=_("What each party is expected to pay in a year, by its rule.")
        )
        expected.add_argument("--network", required=True, metavar="SLUG",
                              help=_("The owner of the funding file."))  # fmt: skip
        expected.add_argument("--year", required=True, type=int)
        expected.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"handle_{action}")(**options)

    def _raw(self, file: str) -> bytes:
        try:
            return Path(file).read_bytes()
        except OSError as error:
            raise CommandError(_("Cannot read %(file)s: %(reason)s")
                               % {"file": file, "reason": error.strerror}) from error  # fmt: skip

    def _refused(self, file: str, invalid: DocumentInvalid) -> CommandError:
        for problem in invalid.problems:
            self.stderr.write(f"{file}:{problem}")
        return CommandError(_("Nothing was stored."), returncode=1)

    def handle_validate(self, file: str, **options) -> None:
        try:
            data = parse_funding_file(self._raw(file))
        except DocumentInvalid as invalid:
            raise self._refused(file, invalid) from None
        self.stdout.write(_("%(file)s: valid (%(parties)s parties, %(agreements)s agreements)")
                          % {"file": file, "parties": len(data["parties"]),
                             "agreements": len(data["agreements"])})  # fmt: skip

    def handle_import(self, files: list[str], user: str | None, **options) -> None:
        for file in files:
            try:
                stored, new = funding_import(raw=self._raw(file), user=self.user_named(user))
            except DocumentInvalid as invalid:
                raise self._refused(file, invalid) from None
            if new:
                self.stdout.write(_("%(file)s: funding of “%(owner)s” imported")
                                  % {"file": file, "owner": stored.owner.slug})  # fmt: skip
            else:
                self.stdout.write(_("%(file)s: unchanged") % {"file": file})

    def handle_expected(self, network: str, year: int, format: str, **options) -> None:
        owner = organisation_named(network)
        stored = current_funding(owner)
        if stored is None:
            raise CommandError(
                _(
                    "“%(owner)s” has no funding file; import one with "
                    "`maalbilde funding import FILE`."
                )
                % {"owner": owner.slug}
            )
        rows = expected_amounts(stored.data, year)
        total = sum((row.amount for row in rows), Decimal(0))
        if format == "json":
            self.stdout.write(json.dumps({
                "owner": owner.slug, "year": year, "total": str(total),
                "by_kind": {kind: str(amount) for kind, amount in _by_kind(rows).items()},
                "by_rule": {rule: str(amount) for rule, amount in _by_rule(rows).items()},
                "parties": [_json(row) for row in rows],
                "notes": stored.data.get("notes", []),
            }, ensure_ascii=False, indent=1))  # fmt: skip
            return
        for row in rows:
            self.stdout.write(f"{row.party_name:<32} {_kroner(row.amount):>16}  {row.basis}")
            for note in row.notes:
                self.stdout.write(f"{'':<32} {'':>16}  ! {note}")
        for kind, amount in _by_kind(rows).items():
            self.stdout.write(f"{PARTY_KINDS.get(kind, kind)!s:<32} {_kroner(amount):>16}")
        self.stdout.write(f"{_('Total'):<32} {_kroner(total):>16}")
        for note in stored.data.get("notes", []):
            self.stdout.write(f"* {note}")


def _kroner(amount: Decimal) -> str:
    return formats.number_format(amount, 2, use_l10n=True, force_grouping=True)


def _by_kind(rows: list[Expected]) -> dict[str, Decimal]:
    return _totals(rows, lambda row: row.party_kind)


def _by_rule(rows: list[Expected]) -> dict[str, Decimal]:
    return _totals(rows, lambda row: f"{row.agreement}/{row.rule}")


def _totals(rows: list[Expected], key: Callable[[Expected], str]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for row in rows:
        totals[key(row)] = totals.get(key(row), Decimal(0)) + row.amount
    return totals


def _json(row: Expected) -> dict:
    return {"party": row.party, "name": row.party_name, "kind": row.party_kind,
            "agreement": row.agreement, "rule": row.rule, "rule_kind": row.kind,
            "amount": str(row.amount), "basis": row.basis, "notes": row.notes}  # fmt: skip
