import datetime
import json
from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.db import IntegrityError
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from maalbilde.data.imports import (
    ImportRejected,
    Overlapping,
    batch_import,
    batch_withdraw,
    columns_read,
    rejects_csv,
    skipped_ranges,
)
from maalbilde.data.models import Batch, Dataset
from maalbilde.lib.commands import Command as BaseCommand
from maalbilde.lib.norwegian import number_text
from maalbilde.organisations.commands import organisation_named
from maalbilde.organisations.models import Organisation
from maalbilde.plans.models import Plan
from maalbilde.plans.observations import ObservationRefused, observation_save
from maalbilde.plans.selectors import dataset_organisations

# Problems listed on the terminal; the rest are counted (and all are in --rejects).
SHOWN_PROBLEMS = 50


class Command(BaseCommand):
    help = gettext_lazy("Import activity data, withdraw batches, and type in figures.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser("import", help=_("Import a CSV or XLSX file into a dataset."))
        load.add_argument("file", metavar="FILE")
        load.add_argument("--dataset", required=True, metavar="SLUG")
        load.add_argument(
            "--organisation", metavar="SLUG", help=_("The organisation the file belongs to.")
        )
        load.add_argument(
            "--skip-bad",
            action="store_true",
            help=_("Store the good rows and write the rejected ones to a file."),
        )
        load.add_argument("--rejects", metavar="FILE", help=_("Where --skip-bad writes them."))
        load.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADER=COLUMN",
            help=_("Read the file's column HEADER as the dataset's COLUMN, e.g. "
                   "--map \"Beløp (kr)=belop\". May be given more than once; kept for the "
                   "organisation's next file."),
        )  # fmt: skip
        load.add_argument(
            "--replace",
            action="store_true",
            help=_("Where the file has days that earlier batches already count for the same "
                   "organisation, let the file's figures count for those days instead."),
        )  # fmt: skip
        load.add_argument("--user", metavar="USERNAME", help=_("Record the import as theirs."))
        withdraw = actions.add_parser("withdraw", help=_("Withdraw an imported batch."))
        withdraw.add_argument("batch", type=int, metavar="BATCH")
        withdraw.add_argument("--user", metavar="USERNAME")
        batches = actions.add_parser("batches", help=_("List imported batches."))
        batches.add_argument("--dataset", metavar="SLUG")
        actions.add_parser("datasets", help=_("List the datasets and their columns."))
        observe = actions.add_parser("observe", help=_("Type in a figure for an indicator."))
        observe.add_argument("--plan", required=True, metavar="SLUG")
        observe.add_argument("--indicator", required=True, metavar="SLUG")
        observe.add_argument("--organisation", required=True, metavar="SLUG")
        observe.add_argument("--year", required=True, type=int)
        observe.add_argument(
            "--month", type=int, default=0, help=_("1–12; leave out for the year.")
        )
        observe.add_argument("value", metavar="VALUE", help=_("The figure, e.g. 65 000 or 80,5."))
        observe.add_argument("--comment", default="")
        observe.add_argument("--source", default="")
        observe.add_argument("--user", metavar="USERNAME")

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"handle_{action}")(**options)

    def handle_import(self, file: str, dataset: str, organisation: str | None, skip_bad: bool,
                      rejects: str | None, user: str | None, map: list[str],
                      replace: bool, **options) -> None:  # fmt: skip
        target = Dataset.objects.filter(slug=dataset).first()
        if target is None:
            known = ", ".join(Dataset.objects.values_list("slug", flat=True)) or _("none")
            raise CommandError(
                _("There is no dataset “%(slug)s”. Datasets: %(known)s.")
                % {"slug": dataset, "known": known}
            )
        owner = organisation_named(organisation) if organisation else None
        allowed = dataset_organisations(target.slug)
        if owner is not None and not allowed.filter(pk=owner.pk).exists():
            raise CommandError(
                _("“%(organisation)s” is not one of the organisations of the plans that keep "
                  "the dataset “%(dataset)s”: %(allowed)s.")
                % {"organisation": owner.slug, "dataset": target.slug,
                   "allowed": ", ".join(allowed.values_list("slug", flat=True)) or _("none")}
            )  # fmt: skip
        columns = self.columns_mapped(target, map)
        path = Path(file)
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(reason)s") % {"file": file, "reason": error.strerror}
            ) from error
        bar = tqdm(total=4, desc=path.name, unit=_("step"), file=self.stderr._out, leave=False,
                   disable=options.get("verbosity", 1) == 0)  # fmt: skip

        def progress(stage: str) -> None:
            bar.set_postfix_str(stage)
            bar.update(1)

        try:
            result = batch_import(
                dataset=target,
                raw=raw,
                file_name=path.name,
                organisation=owner,
                user=self.user_named(user),
                skip_bad=skip_bad,
                progress=progress,
                columns=columns,
                replace=replace,
            )
        except ImportRejected as rejected:
            bar.close()
            if isinstance(rejected, Overlapping):
                self.stderr.write(_("Run the command again with --replace to let the file's "
                                    "figures count for those days instead."))  # fmt: skip
            for problem in rejected.problems[:SHOWN_PROBLEMS]:
                self.stderr.write(f"{file}: {problem}")
            if len(rejected.problems) > SHOWN_PROBLEMS:
                self.stderr.write(
                    _("… and %(count)s more problems.")
                    % {"count": len(rejected.problems) - SHOWN_PROBLEMS}
                )
            raise CommandError(rejected.message, returncode=1) from rejected
        except IntegrityError as error:
            bar.close()
            raise CommandError(
                _("The same file is being imported right now."), returncode=1
            ) from error
        bar.close()
        batch = result.batch
        for first, last, reason in skipped_ranges(result.skipped):
            if first == last:
                self.stdout.write(
                    _("Skipped row %(row)s: %(reason)s") % {"row": first, "reason": reason}
                )
            else:
                self.stdout.write(
                    _("Skipped rows %(first)s–%(last)s: %(reason)s")
                    % {"first": first, "last": last, "reason": reason}
                )
        if result.rejected is not None:
            rejects_path = Path(rejects or f"{path}.rejects.csv")
            rejects_path.write_bytes(rejects_csv(result.rejected))
            self.stdout.write(
                _("%(count)s rows rejected, written to %(file)s")
                % {"count": result.rejected.height, "file": rejects_path}
            )
        self.stdout.write(
            _(
                "Batch %(batch)s: %(rows)s rows stored as %(facts)s facts in “%(dataset)s” "
                "(%(kind)s, %(encoding)s)."
            )
            % {"batch": batch.pk, "rows": batch.rows_stored, "facts": batch.facts,
               "dataset": target.slug, "kind": batch.report["file_kind"],
               "encoding": batch.report["encoding"] or "–"}
        )  # fmt: skip
        for earlier, file_name, name, days, first, last in batch.report.get("replaced", []):
            self.stdout.write(
                _("  Replaced %(days)s days of batch %(batch)s (%(file)s) for %(organisation)s, "
                  "%(first)s–%(last)s: they count from this file now.")
                % {"days": days, "batch": earlier, "file": file_name, "organisation": name,
                   "first": _day(first), "last": _day(last)}
            )  # fmt: skip
        for header, stored, said in batch.report.get("totals", []):
            words = {"column": header, "stored": number_text(stored),
                     "said": number_text(said) if said is not None else "–"}  # fmt: skip
            self.stdout.write(_("  %(column)s: %(stored)s stored; the file's total row: %(said)s")
                              % words)  # fmt: skip
            if said is not None and said != stored:
                self.stderr.write(_("Warning: the stored total of “%(column)s” differs from the "
                                    "file's total row.") % words)  # fmt: skip

    def columns_mapped(self, dataset: Dataset, pairs: list[str]) -> dict[str, str]:
        """--map "HEADER=COLUMN" as {column: header}, each column one the dataset reads."""
        known = [c["name"] for c in columns_read(dataset)]
        columns = {}
        for pair in pairs:
            header, separator, column = pair.rpartition("=")
            if not separator or not header.strip() or column.strip() not in known:
                raise CommandError(
                    _("--map “%(pair)s”: write HEADER=COLUMN, where COLUMN is one of %(known)s.")
                    % {"pair": pair, "known": ", ".join(known)}
                )
            columns[column.strip()] = header.strip()
        return columns

    def handle_withdraw(self, batch: int, user: str | None, **options) -> None:
        found = Batch.objects.filter(pk=batch).select_related("dataset").first()
        if found is None:
            raise CommandError(_("There is no batch %(batch)s.") % {"batch": batch})
        try:
            restored = batch_withdraw(batch=found, user=self.user_named(user))
        except ImportRejected as rejected:
            raise CommandError(rejected.message) from rejected
        self.stdout.write(
            _("Batch %(batch)s withdrawn: its %(rows)s rows no longer count.")
            % {"batch": batch, "rows": found.rows_stored}
        )
        if restored:
            self.stdout.write(_("The days it had replaced count again in batch %(batches)s.")
                              % {"batches": ", ".join(map(str, restored))})  # fmt: skip

    def handle_batches(self, dataset: str | None, **options) -> None:
        batches = Batch.objects.select_related("dataset", "organisation").order_by("pk")
        if dataset:
            batches = batches.filter(dataset__slug=dataset)
        for b in batches:
            state = _("withdrawn") if b.withdrawn_at else _("active")
            self.stdout.write(
                f"{b.pk}\t{b.dataset.slug}\t{b.organisation.slug}\t{b.created_at:%Y-%m-%d %H:%M}"
                f"\t{b.rows_stored}\t{state}\t{b.file_name}"
            )

    def handle_datasets(self, **options) -> None:
        for dataset in Dataset.objects.order_by("slug"):
            self.stdout.write(json.dumps(
                {"slug": dataset.slug, "name": dataset.name, "columns": dataset.columns},
                ensure_ascii=False,
            ))  # fmt: skip

    def handle_observe(self, plan: str, indicator: str, organisation: str, **options) -> None:
        found_plan = Plan.objects.filter(slug=plan).first()
        found_organisation = Organisation.objects.filter(slug=organisation).first()
        if found_plan is None or found_organisation is None:
            raise CommandError(
                _("There is no plan “%(plan)s” or no organisation “%(organisation)s”.")
                % {"plan": plan, "organisation": organisation}
            )
        try:
            observation = observation_save(
                plan=found_plan,
                indicator_slug=indicator,
                organisation=found_organisation,
                year=options["year"],
                month=options["month"],
                text=options["value"],
                comment=options["comment"],
                source=options["source"],
                user=self.user_named(options["user"]),
            )
        except ObservationRefused as refused:
            raise CommandError(str(refused), returncode=1) from refused
        self.stdout.write(_("Stored: %(observation)s") % {"observation": observation})


def _day(iso: str) -> str:
    return formats.date_format(datetime.date.fromisoformat(iso), "SHORT_DATE_FORMAT")
