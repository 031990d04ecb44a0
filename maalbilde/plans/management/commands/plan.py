import json
import sys
from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from maalbilde.lib.commands import Command as BaseCommand
from maalbilde.organisations.models import Organisation
from maalbilde.organisations.tree import entries_above_and_of
from maalbilde.plans.draft.building import plan_draft
from maalbilde.plans.draft.text import DocumentRefused, document_text
from maalbilde.plans.export import plan_export_yaml
from maalbilde.plans.files import PlanFileInvalid, plan_file_schema, read_plan_file
from maalbilde.plans.models import Plan
from maalbilde.plans.services import PlanImportRefused, plan_import


class Command(BaseCommand):
    help = gettext_lazy("Validate, import and export plan files.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        validate = actions.add_parser(
            "validate", help=_("Check plan files and print every problem.")
        )
        validate.add_argument("files", nargs="+", metavar="FILE")
        load = actions.add_parser(
            "import", help=_("Import plan files; a changed file makes a new version.")
        )
        load.add_argument("files", nargs="+", metavar="FILE")
        export = actions.add_parser("export", help=_("Write a plan as a plan file."))
        export.add_argument("slug", metavar="SLUG")
        export.add_argument("-o", "--output", metavar="FILE", help=_("Write here, not to stdout."))
        export.add_argument(
            "--version", type=int, dest="version_number", help=_("An older version's number.")
        )
        actions.add_parser("schema", help=_("Print the plan file's JSON Schema."))
        draft = actions.add_parser(
            "draft", help=_("Draft a plan file from a strategy document (PDF, Word or text).")
        )
        draft.add_argument("document", metavar="FILE")
        draft.add_argument("-o", "--output", metavar="FILE", help=_("Write here, not to stdout."))
        draft.add_argument(
            "--organisation", default="", metavar="SLUG",
            help=_("The organisation whose plan it is (its slug in Målbilde, or a new one); "
                   "else guessed from the document's first sentence."),
        )  # fmt: skip

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"handle_{action}")(**options)

    def _read_all(self, files: list[str]) -> list:
        documents, failed = [], False
        for name in files:
            try:
                documents.append(read_plan_file(name))
            except PlanFileInvalid as invalid:
                failed = True
                count = len(invalid.problems)
                self.stderr.write(
                    ngettext("%(file)s: %(count)s problem", "%(file)s: %(count)s problems", count)
                    % {"file": name, "count": count}
                )
                for problem in invalid.problems:
                    self.stderr.write(f"{name}:{problem}")
        if failed:
            raise CommandError(_("Nothing was stored."), returncode=1)
        return documents

    def handle_validate(self, files: list[str], **options) -> None:
        for name, document in zip(files, self._read_all(files), strict=True):
            self.stdout.write(
                _("%(file)s: valid (plan “%(slug)s”)") % {"file": name, "slug": document.slug}
            )

    def handle_import(self, files: list[str], **options) -> None:
        messages = {
            "created": _("%(file)s: plan “%(slug)s” created (version %(number)s)"),
            "new_version": _("%(file)s: plan “%(slug)s” changed, stored as version %(number)s"),
            "unchanged": _("%(file)s: plan “%(slug)s” unchanged (version %(number)s)"),
        }
        documents = self._read_all(files)
        try:
            # Several files are one import: all of them are stored, or none.
            with transaction.atomic():
                results = [plan_import(document=document) for document in documents]
        except PlanImportRefused as refused:
            raise CommandError(
                _("%(reason)s Nothing was stored.") % {"reason": refused}, returncode=1
            ) from refused
        for name, result in zip(files, results, strict=True):
            self.stdout.write(
                messages[result.outcome]
                % {"file": name, "slug": result.plan.slug, "number": result.version.number}
            )

    def handle_draft(self, document: str, output: str | None, organisation: str,
                     **options) -> None:  # fmt: skip
        try:
            raw = Path(document).read_bytes()
        except OSError as error:
            reason = error.strerror
            raise CommandError(_("Cannot read %(file)s: %(reason)s")
                               % {"file": document, "reason": reason}) from error  # fmt: skip
        try:
            known = _stored(organisation)
            draft = plan_draft(document_text(raw, document), owner=organisation,
                               owner_name=known.name if known else "",
                               file_name=Path(document).name,
                               known=entries_above_and_of(known) if known else None)  # fmt: skip
        except DocumentRefused as refused:
            raise CommandError(f"{document}: {refused.message}", returncode=1) from None
        self._write(draft.yaml, output)
        self.stderr.write(
            _("Found: focus areas %(areas)s, goals %(goals)s, indicators %(indicators)s, "
              "targets %(targets)s, milestones %(milestones)s; not placed %(unplaced)s "
              "(listed at the top of the file).")
            % {"areas": draft.counts["focus_areas"], "goals": draft.counts["goals"],
               "indicators": draft.counts["indicators"], "targets": draft.counts["targets"],
               "milestones": draft.counts["milestones"], "unplaced": len(draft.unplaced)}
        )  # fmt: skip

    def _write(self, text: str, output: str | None) -> None:
        if output:
            try:
                Path(output).write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(
                    _("Cannot write %(file)s: %(reason)s")
                    % {"file": output, "reason": error.strerror}
                ) from error
            self.stdout.write(_("Wrote %(file)s") % {"file": output})
        else:
            sys.stdout.write(text)

    def handle_export(
        self, slug: str, output: str | None, version_number: int | None, **options
    ) -> None:
        plan = Plan.objects.select_related("current_version", "owner").filter(slug=slug).first()
        if plan is None:
            known = ", ".join(Plan.objects.values_list("slug", flat=True)) or _("none")
            raise CommandError(
                _("There is no plan “%(slug)s”. Plans: %(known)s.") % {"slug": slug, "known": known}
            )
        version = plan.current_version
        if version_number is not None:
            version = plan.versions.filter(number=version_number).first()
            if version is None:
                raise CommandError(
                    _("Plan “%(slug)s” has no version %(number)s.")
                    % {"slug": slug, "number": version_number}
                )
        self._write(plan_export_yaml(version), output)

    def handle_schema(self, **options) -> None:
        self.stdout.write(json.dumps(plan_file_schema(), indent=2, ensure_ascii=False))


def _stored(slug: str) -> Organisation | None:
    """The organisation, if it is stored (a draft is made without a database, too)."""
    try:
        return Organisation.objects.filter(slug=slug).first() if slug else None
    except DatabaseError:
        return None
