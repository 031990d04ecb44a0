"""Demo money for UngMusikk's 2020: the invoices, the payments received (a few of them late,
one still outstanding) and the money paid out to central management, the regions and the
schools, written as accounting exports and imported through the same importer as any
export. The amounts follow the funding file's rules and allocation, so the differences the
pages show are the ones made here on purpose."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from maalbilde.demo.exports import DemoFile, Row, render
from maalbilde.funding.allocation import CENTRAL
from maalbilde.funding.models import LedgerImport, Payment
from maalbilde.funding.rules import expected_amounts
from maalbilde.funding.selectors import allocation_for, current_funding
from maalbilde.funding.services import (
    funding_indicators_write,
    funding_publication_set,
    ledger_import,
)
from maalbilde.organisations.models import Organisation

YEAR = 2020
day = datetime.date
# Who paid late or not in full: Sarpsborg in January the year after, Indre Østfold after it
# joined in August, Kongsberg half of it so far.
PAID = {
    "viken-fylkeskommune": [(day(2020, 3, 16), Decimal("0.5")), (day(2020, 9, 15), Decimal("0.5"))],
    "sarpsborg": [(day(2021, 1, 14), Decimal(1))],
    "indre-ostfold": [(day(2020, 10, 15), Decimal(1))],
    "kongsberg": [(day(2020, 5, 20), Decimal("0.5"))],
    "nmh": [(day(2020, 6, 30), Decimal(1))],
}  # fmt: skip
# The second half of the year's money to Kongsberg's school is not paid out yet.
NOT_PAID_OUT = {"um-kongsberg-kulturskole"}


def funding_demo_load(folder: Path) -> int:
    """Write and import the demo's accounting exports once (a file imported before, by its
    name, is left as it is); the plan's figure of contributions received and a published
    2020 follow. The number of rows stored."""
    owner = Organisation.objects.filter(slug="ungmusikk").first()
    stored = current_funding(owner) if owner else None
    if owner is None or stored is None:
        return 0
    names = {p["slug"]: p["name"] for p in stored.data["parties"]}
    expected = expected_amounts(stored.data, YEAR)
    invoices: list[Row] = [
        [day(2020, 9, 1) if row.party == "indre-ostfold" else day(2020, 1, 15),
         f"F-{2020_000 + number}", names[row.party], str(YEAR), row.amount]
        for number, row in enumerate(expected, start=1)
    ]  # fmt: skip
    received: list[Row] = []
    for number, row in enumerate(expected, start=1):
        # The others paid in full, a few days apart, from the middle of February.
        on_time = [(day(2020, 2, 14) + datetime.timedelta(days=3 * number), Decimal(1))]
        for date, share in PAID.get(row.party, on_time):
            amount = (row.amount * share).quantize(Decimal("0.01"))
            received.append([date, f"B-{len(received) + 1:04d}", names[row.party], str(YEAR),
                             amount])  # fmt: skip
    allocation, _unknown = allocation_for(owner, YEAR)
    spent: list[Row] = []
    for row in allocation.rows if allocation else []:
        name = owner.name if row.recipient == CENTRAL else row.name
        first = (row.amount / 2).quantize(Decimal("0.01"))
        spent.append([day(2020, 6, 15), f"U-{len(spent) + 1:04d}", name, str(YEAR), first])
        if row.recipient not in NOT_PAID_OUT:
            spent.append([day(2020, 12, 15), f"U-{len(spent) + 1:04d}", name, str(YEAR),
                          row.amount - first])  # fmt: skip
    exports = [
        (Payment.Kind.INVOICED, "ungmusikk-fakturaer", "csv-1252",
         ["Fakturadato", "Fakturanr", "Kunde", "Gjelder år", "Beløp"], invoices),
        (Payment.Kind.RECEIVED, "ungmusikk-innbetalinger", "xlsx",
         ["Bilagsdato", "Bilagsnr", "Kunde", "Gjelder år", "Beløp"], received),
        (Payment.Kind.SPENT, "ungmusikk-utbetalinger", "csv-utf8",
         ["Bilagsdato", "Bilagsnr", "Mottaker", "Gjelder år", "Beløp"], spent),
    ]  # fmt: skip
    rows = 0
    with transaction.atomic():
        for kind, name, file_kind, header, content in exports:
            demo = DemoFile(name, owner.slug, YEAR, header, content, file_kind)
            raw = render(demo)
            (folder / demo.name).write_bytes(raw)
            if LedgerImport.objects.filter(owner=owner, file_name=demo.name).exists():
                continue
            rows += ledger_import(owner=owner, raw=raw, file_name=demo.name, kind=kind).stored
        if rows:
            funding_indicators_write(owner=owner, year=YEAR)
            funding_publication_set(owner=owner, year=YEAR, published=True)
    return rows
