import json
from decimal import Decimal
from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.utils import formats
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from maalbilde.data.imports import ImportRejected
from maalbilde.funding.files import notes_for, parse_funding_file
from maalbilde.funding.models import LedgerImport, Payment
from maalbilde.funding.populations import PopulationsRefused
from maalbilde.funding.rules import (
    PARTY_KINDS,
    Expected,
    expected_amounts,
    in_kind,
    totals_by,
)
from maalbilde.funding.scenarios import parse_scenario, scenario_run
from maalbilde.funding.selectors import (
    allocation_for,
    balance_totals,
    balances,
    current_funding,
    funding_spreadsheet,
    spent_by_recipient,
)
from maalbilde.funding.services import (
    PaymentRefused,
    funding_import,
    funding_indicators_write,
    ledger_import,
    ledger_withdraw,
    payment_record,
    populations_import,
)
from maalbilde.lib.commands import Command as BaseCommand
from maalbilde.lib.documents import DocumentInvalid
from maalbilde.lib.norwegian import parse_date
from maalbilde.organisations.commands import organisation_named
from maalbilde.plans.observations import ObservationRefused

SCENARIO_WORDS = {
    "pupils_before": gettext_lazy("Pupils before"), "pupils_after": gettext_lazy("Pupils after"),
    "total_before": gettext_lazy("Contributions before"),
    "total_after": gettext_lazy("Contributions after, by the rules"),
    "per_pupil_before": gettext_lazy("Kroner per pupil before"),
    "per_pupil_after": gettext_lazy("Kroner per pupil after"),
    "needed": gettext_lazy("Needed to keep kroner per pupil"),
    "gap": gettext_lazy("Gap"), "grant_after": gettext_lazy("Grant that closes the gap"),
}  # fmt: skip


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
        pay = actions.add_parser(
            "pay", help=_("Record what a party was invoiced for, or paid, for a year.")
        )
        pay.add_argument("--network", required=True, metavar="SLUG")
        pay.add_argument("--party", required=True, metavar="SLUG")
        pay.add_argument("--year", required=True, type=int)
        paid = pay.add_mutually_exclusive_group(required=True)
        paid.add_argument("--invoiced", metavar="AMOUNT", help=_("For example 80 000."))
        paid.add_argument("--received", metavar="AMOUNT", help=_("For example 80 000."))
        paid.add_argument("--spent", metavar="AMOUNT",
                          help=_("Spent on a recipient of the allocation (--party: central, "
                                 "a region or a member)."))  # fmt: skip
        pay.add_argument("--date", required=True, help=_("For example 15.03.2020."))
        pay.add_argument("--reference", default="")
        pay.add_argument("--user", metavar="USERNAME")
        scenario = actions.add_parser(
            "scenario", help=_("What if parties and pupils change: contributions, kroner per "
                               "pupil and the grant that keeps it (nothing is stored).")
        )  # fmt: skip
        scenario.add_argument("file", metavar="FILE")
        scenario.add_argument("--format", choices=["table", "json"], default="table")
        allocation = actions.add_parser(
            "allocation", help=_("How a year's budget is divided: central management, the "
                                 "regions, each member; kroner per pupil and the spread.")
        )  # fmt: skip
        allocation.add_argument("--network", required=True, metavar="SLUG")
        allocation.add_argument("--year", required=True, type=int)
        allocation.add_argument("--format", choices=["table", "json"], default="table")
        indicators = actions.add_parser(
            "indicators", help=_("Write the plan indicators the funding file fills, as the "
                                 "plans' figures for the year (whole kroner).")
        )  # fmt: skip
        indicators.add_argument("--network", required=True, metavar="SLUG")
        indicators.add_argument("--year", required=True, type=int)
        indicators.add_argument("--user", metavar="USERNAME")
        ledger = actions.add_parser(
            "ledger", help=_("Import an accounting export (CSV or XLSX): invoices, payments "
                             "received or money spent, one row each; nothing counts twice.")
        )  # fmt: skip
        ledger.add_argument("file", metavar="FILE")
        ledger.add_argument("--network", required=True, metavar="SLUG")
        ledger.add_argument("--kind", required=True, choices=Payment.Kind.values)
        ledger.add_argument("--year", type=int,
                            help=_("The year the rows are for, if the file has no year column "
                                   "(else each row's date says it)."))  # fmt: skip
        ledger.add_argument("--user", metavar="USERNAME")
        ledgers = actions.add_parser(
            "ledgers", help=_("The accounting exports imported, newest first, with their ids.")
        )
        ledgers.add_argument("--network", required=True, metavar="SLUG")
        withdraw = actions.add_parser(
            "withdraw", help=_("Take an imported accounting export back, with its payments.")
        )
        withdraw.add_argument("id", type=int, metavar="ID", help=_("As `ledgers` lists it."))
        withdraw.add_argument("--network", required=True, metavar="SLUG")
        withdraw.add_argument("--user", metavar="USERNAME")
        population = actions.add_parser(
            "population", help=_("Set the municipalities' populations from Statistics "
                                 "Norway's table 07459 (a CSV saved from the statbank).")
        )  # fmt: skip
        population.add_argument("file", metavar="FILE")
        population.add_argument("--network", required=True, metavar="SLUG")
        population.add_argument("--year", type=int,
                                help=_("Population per 1 January of this year (else the "
                                       "table's latest)."))  # fmt: skip
        population.add_argument("--user", metavar="USERNAME")
        export = actions.add_parser(
            "export", help=_("The year's money in and where it went, as XLSX or CSV.")
        )
        export.add_argument("--network", required=True, metavar="SLUG")
        export.add_argument("--year", required=True, type=int)
        export.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        export.add_argument("-o", "--output", required=True, metavar="FILE")
        balance = actions.add_parser(
            "balance", help=_("Each party's expected, invoiced and received amounts for a year.")
        )
        balance.add_argument("--network", required=True, metavar="SLUG")
        balance.add_argument("--year", required=True, type=int)
        balance.add_argument("--format", choices=["table", "json"], default="table")

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

    def handle_pay(self, network: str, party: str, year: int, date: str, reference: str,
                   user: str | None, **options) -> None:  # fmt: skip
        day = parse_date(date)
        if day is None:
            raise CommandError(_("“%(date)s” is no date; write it as 15.03.2020.")
                               % {"date": date})  # fmt: skip
        kind = next(k for k in Payment.Kind.values if options.get(k) is not None)
        try:
            payment = payment_record(
                owner=organisation_named(network), party=party, year=year, kind=kind,
                amount=options[kind], date=day, reference=reference,
                user=self.user_named(user),
            )  # fmt: skip
        except PaymentRefused as refused:
            raise CommandError(refused.message) from None
        self.stdout.write(_("%(party)s, %(year)s: %(kind)s %(amount)s kr recorded")
                          % {"party": party, "year": year, "kind": payment.get_kind_display(),
                             "amount": _kroner(Decimal(payment.amount_ore) / 100)})  # fmt: skip

    def handle_ledger(self, file: str, network: str, kind: str, year: int | None,
                      user: str | None, **options) -> None:  # fmt: skip
        try:
            result = ledger_import(owner=organisation_named(network), raw=self._raw(file),
                                   file_name=Path(file).name, kind=kind, year=year,
                                   user=self.user_named(user))  # fmt: skip
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(f"{file}: {problem}")
            raise CommandError(rejected.message) from None
        self.stdout.write(ngettext(
            "%(file)s: %(rows)s row stored (%(kind)s)",
            "%(file)s: %(rows)s rows stored (%(kind)s)", result.stored)
                          % {"file": file, "rows": result.stored,
                             "kind": Payment.Kind(kind).label})  # fmt: skip
        if result.already:
            self.stdout.write(_("Already recorded, left out: rows %(rows)s")
                              % {"rows": ", ".join(map(str, result.already))})  # fmt: skip

    def handle_ledgers(self, network: str, **options) -> None:
        for ledger in LedgerImport.objects.filter(owner=organisation_named(network)):
            self.stdout.write(f"{ledger.pk:>6}  {localtime(ledger.imported_at):%d.%m.%Y %H:%M}  "
                              f"{Payment.Kind(ledger.kind).label:<10} {ledger.rows:>6}  "
                              f"{ledger.file_name}")  # fmt: skip

    def handle_withdraw(self, id: int, network: str, user: str | None, **options) -> None:
        ledger = LedgerImport.objects.filter(owner=organisation_named(network), pk=id).first()
        if ledger is None:
            raise CommandError(_(
                "“%(owner)s” has no imported export %(id)s; `maalbilde funding ledgers` lists "
                "them.") % {"owner": network, "id": id})  # fmt: skip
        count = ledger_withdraw(ledger=ledger, user=self.user_named(user))
        self.stdout.write(ngettext(
            "%(file)s withdrawn: %(count)s payment deleted.",
            "%(file)s withdrawn: %(count)s payments deleted.", count)
                          % {"file": ledger.file_name, "count": count})  # fmt: skip

    def handle_population(self, file: str, network: str, year: int | None, user: str | None,
                          **options) -> None:  # fmt: skip
        try:
            result = populations_import(owner=organisation_named(network), raw=self._raw(file),
                                        year=year, user=self.user_named(user))  # fmt: skip
        except PopulationsRefused as refused:
            raise CommandError(refused.message) from None
        except DocumentInvalid as invalid:
            raise self._refused(file, invalid) from None
        for name, before, after in result.changed:
            self.stdout.write(f"{name}: {before if before is not None else '—'} → {after}")
        self.stdout.write(_("%(changed)s populations per 1 January %(year)s set, %(same)s "
                            "already so.") % {"changed": len(result.changed), "year": result.year,
                                              "same": len(result.unchanged)})  # fmt: skip
        if result.missing:
            self.stdout.write(_("Not in the table: %(names)s")
                              % {"names": ", ".join(result.missing)})  # fmt: skip
        for said in result.renumbered:
            self.stdout.write(said)

    def handle_export(self, network: str, year: int, format: str, output: str,
                      **options) -> None:  # fmt: skip
        owner = organisation_named(network)
        Path(output).write_bytes(funding_spreadsheet(owner, year, format))
        self.stdout.write(_("%(file)s written") % {"file": output})

    def handle_balance(self, network: str, year: int, format: str, **options) -> None:
        rows = balances(organisation_named(network), year)
        if format == "json":
            self.stdout.write(json.dumps([{
                "party": b.party, "name": b.name, "kind": b.kind, "expected": str(b.expected),
                "invoiced": str(b.invoiced), "received": str(b.received),
                "not_invoiced": str(b.not_invoiced), "outstanding": str(b.outstanding),
                "to_receive": str(b.to_receive), "notes": list(b.notes),
            } for b in rows], ensure_ascii=False, indent=1))  # fmt: skip
            return
        party, headers = _("Party"), (_("Expected"), _("Invoiced"), _("Received"),
                                      _("Outstanding"), _("Still to receive"))  # fmt: skip
        self.stdout.write(f"{party:<32} " + " ".join(f"{h:>16}" for h in headers))
        total = balance_totals(rows)
        for b in [*rows, total]:
            amounts = (b.expected, b.invoiced, b.received, b.outstanding, b.to_receive)
            name = b.name or _("Total")
            self.stdout.write(f"{name:<32} " + " ".join(f"{_kroner(a):>16}" for a in amounts))

    def handle_scenario(self, file: str, format: str, **options) -> None:
        try:
            scenario = parse_scenario(self._raw(file))
            stored = current_funding(organisation_named(scenario["owner"]))
            if stored is None:
                raise CommandError(_("“%(owner)s” has no funding file.")
                                   % {"owner": scenario["owner"]})  # fmt: skip
            result = scenario_run(stored.data, scenario)
        except DocumentInvalid as invalid:
            for problem in invalid.problems:
                self.stderr.write(f"{file}:{problem}")
            raise CommandError(_("The scenario cannot be worked out."), returncode=1) from None
        figures = {
            "pupils_before": result.pupils_before, "pupils_after": result.pupils_after,
            "total_before": result.total_before, "total_after": result.total_after,
            "per_pupil_before": result.per_pupil_before,
            "per_pupil_after": result.per_pupil_after, "needed": result.needed,
            "gap": result.gap, "grant_after": result.grant_after,
        }  # fmt: skip
        if format == "json":
            self.stdout.write(json.dumps({
                "title": result.title, "year": result.year, "grant_from": result.grant_from,
                **{key: str(value) for key, value in figures.items()},
                "by_kind_before": {k: str(v) for k, v in result.by_kind(result.before).items()},
                "by_kind_after": {k: str(v) for k, v in result.by_kind(result.after).items()},
            }, ensure_ascii=False, indent=1))  # fmt: skip
            return
        self.stdout.write(f"{result.title} ({result.year})")
        for key, value in figures.items():
            shown = value if isinstance(value, int) else _kroner(value)
            self.stdout.write(f"{SCENARIO_WORDS[key]!s:<40} {shown:>16}")

    def handle_allocation(self, network: str, year: int, format: str, **options) -> None:
        owner = organisation_named(network)
        result, unknown = allocation_for(owner, year)
        spent = spent_by_recipient(owner, year)
        if result is None:
            raise CommandError(_("The funding file of “%(owner)s” divides no budget for "
                                 "%(year)s.") % {"owner": network, "year": year})  # fmt: skip
        if unknown:
            raise CommandError(_("The allocation overrides what is no member or region below "
                                 "“%(owner)s”: %(slugs)s.")
                               % {"owner": network, "slugs": ", ".join(unknown)})  # fmt: skip
        spread = result.spread()
        if format == "json":
            self.stdout.write(json.dumps({
                "year": year, "budget": str(result.budget), "allocated": str(result.allocated),
                "unallocated": str(result.unallocated),
                "per_pupil_by_region": {k: str(v) for k, v in result.per_unit_by_region().items()},
                "spread": [str(v) for v in spread] if spread else None,
                "pupils": str(result.units),
                "per_pupil_of_budget": _text(result.per_unit_of_budget()),
                "per_pupil_of_members": _text(result.per_unit_of_members()),
                "recipients": [{
                    "recipient": r.recipient, "name": r.name, "kind": r.kind, "region": r.region,
                    "amount": str(r.amount), "units": str(r.units) if r.units is not None else None,
                    "per_unit": str(r.per_unit) if r.per_unit is not None else None,
                    "basis": r.basis, "spent": str(spent.get(r.recipient, Decimal("0.00"))),
                } for r in result.rows],
            }, ensure_ascii=False, indent=1))  # fmt: skip
            return
        self.stdout.write(f"{'':<36} {_('Allocated'):>16} {_('Spent'):>16}")
        for r in result.rows:
            used = spent.get(r.recipient, Decimal(0))
            self.stdout.write(f"{r.name:<36} {_kroner(r.amount):>16} {_kroner(used):>16}  "
                              f"{r.basis}")  # fmt: skip
        for label, amount in ((_("Allocated"), result.allocated),
                              (_("Unallocated"), result.unallocated),
                              (_("Spent"), sum(spent.values(), Decimal(0))),
                              (_("Kroner per pupil of the whole budget"),
                               result.per_unit_of_budget()),
                              (_("Kroner per pupil of the members' own share"),
                               result.per_unit_of_members())):  # fmt: skip
            if amount is not None:
                self.stdout.write(f"{label:<36} {_kroner(amount):>16}")
        if spread:
            self.stdout.write(_("Kroner per pupil among the members: lowest %(low)s, median "
                                "%(middle)s, highest %(high)s.")
                              % {"low": _kroner(spread[0]), "middle": _kroner(spread[1]),
                                 "high": _kroner(spread[2])})  # fmt: skip

    def handle_indicators(self, network: str, year: int, user: str | None, **options) -> None:
        try:
            written = funding_indicators_write(owner=organisation_named(network), year=year,
                                               user=self.user_named(user))  # fmt: skip
        except (DocumentInvalid, ObservationRefused) as refused:
            raise CommandError(str(refused)) from None
        for indicator, figures in written.items():
            for slug, kroner in figures.items():
                self.stdout.write(f"{indicator} {slug} {year}: {_kroner(kroner)}")

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
        given = in_kind(stored.data, year)
        total = sum((row.amount for row in rows), Decimal(0))
        if format == "json":
            self.stdout.write(json.dumps({
                "owner": owner.slug, "year": year, "total": str(total),
                "by_kind": {kind: str(amount) for kind, amount in _by_kind(rows).items()},
                "by_rule": {rule: str(amount) for rule, amount in _by_rule(rows).items()},
                "parties": [_json(row) for row in rows],
                "in_kind": [{"party": k.party, "name": k.party_name, "what": k.what,
                             "value": str(k.value), "estimated": k.estimated}
                            for k in given],
                "notes": notes_for(stored.data, year),
            }, ensure_ascii=False, indent=1))  # fmt: skip
            return
        for row in rows:
            self.stdout.write(f"{row.party_name:<32} {_kroner(row.amount):>16}  {row.basis}")
            for note in row.notes:
                self.stdout.write(f"{'':<32} {'':>16}  ! {note}")
        for kind, amount in _by_kind(rows).items():
            self.stdout.write(f"{PARTY_KINDS.get(kind, kind)!s:<32} {_kroner(amount):>16}")
        total_label = _("Total")
        self.stdout.write(f"{total_label:<32} {_kroner(total):>16}")
        for k in given:
            label = _("In kind, %(party)s: %(what)s") % {"party": k.party_name, "what": k.what}
            self.stdout.write(f"{label} {_kroner(k.value)} ({k.estimated})")
        for note in notes_for(stored.data, year):
            self.stdout.write(f"* {note}")


def _text(amount: Decimal | None) -> str | None:
    return str(amount) if amount is not None else None


def _kroner(amount: Decimal) -> str:
    return formats.number_format(amount, 2, use_l10n=True, force_grouping=True)


def _by_kind(rows: list[Expected]) -> dict[str, Decimal]:
    return totals_by(rows, lambda row: row.party_kind)


def _by_rule(rows: list[Expected]) -> dict[str, Decimal]:
    return totals_by(rows, lambda row: f"{row.agreement}/{row.rule}")


def _json(row: Expected) -> dict:
    return {"party": row.party, "name": row.party_name, "kind": row.party_kind,
            "agreement": row.agreement, "rule": row.rule, "rule_kind": row.kind,
            "amount": str(row.amount), "basis": row.basis, "notes": row.notes}  # fmt: skip
