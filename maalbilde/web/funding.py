"""Funding in the browser: an owner's parties with what the rules expect, what was invoiced
and what was received, the allocation and what was spent, for the owner's editors and
administrators; the forms that record an invoice, a payment or spending, import an
accounting export, and set the populations from Statistics Norway's table."""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from maalbilde.data.imports import ImportRejected
from maalbilde.funding.files import notes_for
from maalbilde.funding.models import FundingFile, LedgerImport, Payment
from maalbilde.funding.populations import PopulationsRefused
from maalbilde.funding.rules import PARTY_KINDS, in_kind
from maalbilde.funding.scenarios import parse_scenario, scenario_run
from maalbilde.funding.selectors import (
    allocation_for,
    balance_totals,
    balances,
    current_funding,
    funding_spreadsheet,
    funding_years,
    payees,
    published_years,
    spent_by_recipient,
)
from maalbilde.funding.services import (
    PaymentRefused,
    funding_import,
    funding_publication_set,
    ledger_import,
    ledger_withdraw,
    payment_record,
    populations_import,
)
from maalbilde.lib.documents import DocumentInvalid
from maalbilde.lib.norwegian import parse_date
from maalbilde.organisations.audit import audit_record
from maalbilde.organisations.models import Organisation, Role
from maalbilde.organisations.permissions import has_role
from maalbilde.web.confirm import ask_first, confirmed
from maalbilde.web.forms import TypedNumberField
from maalbilde.web.middleware import pasted_text_too_large

# A scenario names a few dozen parties; a hundred thousand characters is far beyond that.
SCENARIO_MAX_CHARACTERS = 100_000


class PaymentForm(forms.Form):
    party = forms.ChoiceField(label=gettext_lazy("Party"))
    kind = forms.ChoiceField(label=gettext_lazy("What"), choices=Payment.Kind.choices,
                             widget=forms.RadioSelect, initial=Payment.Kind.RECEIVED)  # fmt: skip
    amount = TypedNumberField(
        label=gettext_lazy("Amount (kr)"), max_length=40,
        help_text=gettext_lazy("For example 80 000 or 1 234,50."),
    )  # fmt: skip
    date = forms.CharField(label=gettext_lazy("Date"), max_length=20,
                           help_text=gettext_lazy("For example 15.03.2020."))  # fmt: skip
    reference = forms.CharField(label=gettext_lazy("Reference (invoice number, bank entry)"),
                                max_length=200, required=False)  # fmt: skip

    def __init__(self, *args, parties: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = parties

    def clean_date(self) -> datetime.date:
        day = parse_date(self.cleaned_data["date"])
        if day is None:
            raise forms.ValidationError(_("Write the date as 15.03.2020."))
        return day


class LedgerForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Accounting export (CSV or XLSX)"),
                           help_text=gettext_lazy(
                               "One row per invoice or payment, with the party (or, for "
                               "spending, the recipient), the amount and the date."))  # fmt: skip
    kind = forms.ChoiceField(label=gettext_lazy("The rows are"), choices=Payment.Kind.choices,
                             widget=forms.RadioSelect, initial=Payment.Kind.RECEIVED)  # fmt: skip
    year = forms.IntegerField(
        label=gettext_lazy("For the year"), required=False, min_value=1990, max_value=2100,
        help_text=gettext_lazy("Leave it empty if the file has a year column, or if each "
                               "row's date gives its year."),
    )  # fmt: skip


class PopulationForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Table 07459 from Statistics Norway (CSV)"),
                           help_text=gettext_lazy(
                               "Save the table from the statbank as CSV, with the "
                               "municipalities and the year."))  # fmt: skip
    year = forms.IntegerField(
        label=gettext_lazy("Population per 1 January of"), required=False, min_value=1986,
        max_value=2100, help_text=gettext_lazy("Empty: the table's latest year."),
    )  # fmt: skip


# The latest imports listed, each with a button to withdraw it.
LEDGERS_SHOWN = 20
# A refused export lists this many of its rows' problems on the page.
SHOWN_PROBLEMS = 20


def _people(count: object) -> str:
    return number_format(count, force_grouping=True) if isinstance(count, int) else "–"


def funding_overview(request: HttpRequest, slug: str) -> HttpResponse:
    """The owner's funding for a year: each party's expected, invoiced and received amounts
    and what is outstanding, the allocation and what was spent; its editors record invoices,
    payments and spending here, one by one or from an accounting export, and its
    administrators set the municipalities' populations from Statistics Norway's table."""
    owner = get_object_or_404(Organisation, slug=slug)
    if not has_role(request.user, owner, Role.EDITOR):
        raise PermissionDenied
    may_administer = has_role(request.user, owner, Role.ADMINISTRATOR)
    # Which form was sent is in the address, so that it is known before the body (a file) is
    # read: only administrators may send the population table.
    action = (request.GET.get("action") or "payment") if request.method == "POST" else ""
    if action == "populations" and not may_administer:
        raise PermissionDenied
    stored = current_funding(owner)
    years = funding_years(stored.data, owner) if stored else []
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or 0)
    except ValueError:
        year = 0
    if year not in years:
        year = min(max(years), timezone.localdate().year) if years else timezone.localdate().year
    parties = payees(owner, Payment.Kind.RECEIVED)
    recipients = payees(owner, Payment.Kind.SPENT)
    choices = [(_("Parties"), list(parties.items())), (_("Spent on"), list(recipients.items()))]
    forms_by_action = {
        "payment": PaymentForm(request.POST if action == "payment" else None, parties=choices),
        "ledger": LedgerForm(*((request.POST, request.FILES) if action == "ledger" else ()),
                             prefix="ledger"),
        "populations": PopulationForm(
            *((request.POST, request.FILES) if action == "populations" else ()),
            prefix="population"),
    }  # fmt: skip
    names = {**recipients, **parties}
    done = _funding_action(request, owner, year, forms_by_action.get(action), action, names)
    if done:
        messages.success(request, done)
        return redirect(f"{request.path}?year={year}")
    rows = balances(owner, year)
    return render(request, "web/funding.html", {
        "owner": owner, "stored": stored, "year": year, "years": years, "rows": rows,
        "totals": balance_totals(rows), "form": forms_by_action["payment"],
        "ledger_form": forms_by_action["ledger"],
        "population_form": forms_by_action["populations"], "kinds": PARTY_KINDS,
        "payments": Payment.objects.filter(owner=owner, year=year).order_by("-date", "-pk")[:50],
        "names": names, "in_kind": in_kind(stored.data, year) if stored else [],
        "allocation": allocation_for(owner, year)[0], "spent": spent_by_recipient(owner, year),
        "notes": notes_for(stored.data, year) if stored else [],
        "published": year in published_years(owner), "may_publish": may_administer,
        "ledgers": LedgerImport.objects.filter(owner=owner).select_related("imported_by")[
            :LEDGERS_SHOWN], "kinds_paid": dict(Payment.Kind.choices),
    })  # fmt: skip


def _funding_action(
    request: HttpRequest, owner: Organisation, year: int, form: forms.Form | None, action: str,
    names: dict[str, str],
) -> str:  # fmt: skip
    """The posted form's work done, and what to tell the person; "" when there was none or
    it failed (the form then holds why)."""
    if form is None or not form.is_valid():
        return ""
    data = form.cleaned_data
    user = request.user
    try:
        if action == "payment":
            payment_record(owner=owner, year=year, user=user, **data)
            return _("Recorded: %(kind)s for %(party)s, %(year)s.") % {
                "kind": Payment.Kind(data["kind"]).label, "party": names[data["party"]],
                "year": year}  # fmt: skip
        raw = data["file"].read()
        if action == "ledger":
            result = ledger_import(owner=owner, raw=raw, file_name=data["file"].name,
                                   kind=data["kind"], year=data["year"], user=user)  # fmt: skip
            said = ngettext(
                "%(file)s: %(count)s row stored as %(kind)s.",
                "%(file)s: %(count)s rows stored as %(kind)s.", result.stored) % {
                "file": data["file"].name, "count": result.stored,
                "kind": Payment.Kind(data["kind"]).label}  # fmt: skip
            if result.already:
                said += " " + _("Rows already recorded, left out: %(rows)s.") % {
                    "rows": ", ".join(map(str, result.already))}  # fmt: skip
            return said
        found = populations_import(owner=owner, raw=raw, year=data["year"], user=user)
        said = _("%(count)s populations per 1 January %(year)s set from the table.") % {
            "count": len(found.changed), "year": found.year}  # fmt: skip
        said += " " + "; ".join(
            f"{name}: {_people(before)} → {_people(after)}" for name, before, after in found.changed
        )
        if found.missing:
            said += " " + _("Not in the table: %(names)s.") % {"names": ", ".join(found.missing)}
        said = " ".join([said, *found.renumbered])
        return said
    except PaymentRefused as refused:
        form.add_error("amount", refused.message)
    except ImportRejected as rejected:
        form.add_error("file", rejected.message)
        for problem in rejected.problems[:SHOWN_PROBLEMS]:
            form.add_error("file", str(problem))
        if len(rejected.problems) > SHOWN_PROBLEMS:
            form.add_error("file", _("… and %(count)s more.") % {
                "count": len(rejected.problems) - SHOWN_PROBLEMS})  # fmt: skip
    except PopulationsRefused as refused:
        form.add_error("file", refused.message)
    except DocumentInvalid as invalid:
        for problem in invalid.problems:
            form.add_error("file", str(problem))
    return ""


def funding_export(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """The year's money in and where it went, as XLSX or CSV, for the same people as the
    page."""
    owner = get_object_or_404(Organisation, slug=slug)
    if not has_role(request.user, owner, Role.EDITOR):
        raise PermissionDenied
    if kind not in ("xlsx", "csv"):
        raise Http404
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        raise Http404 from None
    audit_record(user=request.user, action="funding-export", subject=f"funding/{owner.slug}",
                 organisation=owner, after={"year": year, "kind": kind})  # fmt: skip
    name = f"{owner.slug}-finansiering-{year}.{kind}"
    content_type = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "csv": "text/csv; charset=utf-8"}[kind]  # fmt: skip
    response = HttpResponse(funding_spreadsheet(owner, year, kind), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
def funding_publish(request: HttpRequest, slug: str) -> HttpResponse:
    """Administrators make a year of the funding public, or take it down, after being told
    what that means."""
    owner = get_object_or_404(Organisation, slug=slug)
    if not has_role(request.user, owner, Role.ADMINISTRATOR):
        raise PermissionDenied
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        raise Http404 from None
    publish = request.POST.get("action") == "publish"
    stored = current_funding(owner)
    if publish and (stored is None or year not in funding_years(stored.data, owner)):
        raise Http404  # a year its agreements do not cover and nothing was paid in
    back = reverse("web:funding", args=[owner.slug]) + f"?year={year}"
    if not confirmed(request):
        if publish:
            return ask_first(request, title=_("Publish the funding of %(year)s?") % {
                "year": year}, back=back, button=_("Publish %(year)s") % {"year": year},
                consequences=[
                    _("Anyone, without logging in, can read at %(address)s what each party "
                      "was expected to pay and paid in %(year)s, and where the money went.")
                    % {"address": reverse("web:funding-public", args=[owner.slug, year]),
                       "year": year},
                    _("To undo, take it down; copies already read or saved stay where they "
                      "are."),
                ])  # fmt: skip
        return ask_first(
            request, title=_("Take the funding of %(year)s down?") % {"year": year}, back=back,
            button=_("Take it down"),
            consequences=[_("Nobody without a login can read it any more. It can be "
                            "published again.")],
        )  # fmt: skip
    funding_publication_set(owner=owner, year=year, published=publish, user=request.user)
    done = _("The funding of %(year)s is published.") if publish else _(
        "The funding of %(year)s is taken down.")  # fmt: skip
    messages.success(request, done % {"year": year})
    return redirect(back)


@require_POST
def funding_ledger_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The owner's editors take an imported accounting export back, with its payments, after
    being told what that means."""
    owner = get_object_or_404(Organisation, slug=slug)
    if not has_role(request.user, owner, Role.EDITOR):
        raise PermissionDenied
    ledger = get_object_or_404(LedgerImport, owner=owner, pk=pk)
    back = reverse("web:funding", args=[owner.slug])
    if not confirmed(request):
        return ask_first(request, title=_("Withdraw %(file)s?") % {"file": ledger.file_name},
                         back=back, button=_("Withdraw the import"), consequences=[
            _("Its %(rows)s payments (%(kind)s) are deleted, and the balances and the plan's "
              "figures are as they were before it.") % {
                "rows": ledger.rows, "kind": Payment.Kind(ledger.kind).label},
            _("The file can be imported again afterwards, as the right kind."),
        ])  # fmt: skip
    count = ledger_withdraw(ledger=ledger, user=request.user)
    messages.success(request, ngettext(
        "%(file)s withdrawn: %(count)s payment deleted.",
        "%(file)s withdrawn: %(count)s payments deleted.", count) % {
        "file": ledger.file_name, "count": count})  # fmt: skip
    return redirect(back)


@login_not_required
def funding_public(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """A published year of an owner's funding, for anyone: each party's expected and paid
    amounts and where the money went. Nothing of a year not published."""
    owner = get_object_or_404(Organisation, slug=slug)
    if year not in published_years(owner):
        raise Http404
    stored = current_funding(owner)
    rows = balances(owner, year)
    return render(request, "web/funding_public.html", {
        "owner": owner, "year": year, "rows": rows, "totals": balance_totals(rows),
        "allocation": allocation_for(owner, year)[0], "spent": spent_by_recipient(owner, year),
        "published": year in published_years(owner),
        "may_publish": has_role(request.user, owner, Role.ADMINISTRATOR), "kinds": PARTY_KINDS,
        "notes": notes_for(stored.data, year) if stored else [],
    })  # fmt: skip


class ScenarioForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Scenario (YAML)"),
                           widget=forms.Textarea(attrs={"rows": 16}),
                           max_length=SCENARIO_MAX_CHARACTERS)  # fmt: skip


def funding_scenario(request: HttpRequest, slug: str) -> HttpResponse:
    """What if: a scenario typed or pasted in, worked out on a copy of the funding file and
    shown; nothing is stored (docs/funding.md)."""
    owner = get_object_or_404(Organisation, slug=slug)
    if not has_role(request.user, owner, Role.EDITOR):
        raise PermissionDenied
    stored = current_funding(owner)
    if pasted_text_too_large(request, SCENARIO_MAX_CHARACTERS * 4):
        messages.error(request, _("The scenario is longer than %(limit)s characters.")
                       % {"limit": SCENARIO_MAX_CHARACTERS})  # fmt: skip
        return render(request, "web/funding_scenario.html", {
            "owner": owner, "stored": stored, "form": ScenarioForm()}, status=413)  # fmt: skip
    form = ScenarioForm(request.POST or None, initial={"text": _scenario_example(owner, stored)})
    result = None
    if request.method == "POST" and form.is_valid() and stored is not None:
        try:
            scenario = parse_scenario(form.cleaned_data["text"].encode("utf-8"))
            if scenario["owner"] != owner.slug:
                form.add_error("text", _("The scenario is for “%(other)s”, not “%(owner)s”.")
                               % {"other": scenario["owner"], "owner": owner.slug})  # fmt: skip
            else:
                result = scenario_run(stored.data, scenario)
        except DocumentInvalid as invalid:
            for problem in invalid.problems[:20]:
                form.add_error("text", str(problem))
    return render(request, "web/funding_scenario.html", {
        "owner": owner, "stored": stored, "form": form, "result": result, "kinds": PARTY_KINDS,
    })  # fmt: skip


class FundingFileForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Funding file (YAML)"),
                           widget=forms.Textarea(attrs={"rows": 30}))  # fmt: skip
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)


def funding_file_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Administrators edit the owner's funding file — parties, facts, rules, index rates,
    allocations — checked as any funding file is, and stored as the new one."""
    owner = get_object_or_404(Organisation, slug=slug)
    if not has_role(request.user, owner, Role.ADMINISTRATOR):
        raise PermissionDenied
    stored = current_funding(owner)
    if pasted_text_too_large(request, settings.PLAN_FILE_MAX_BYTES):
        messages.error(request, _("A funding file may be at most %(limit)s bytes.")
                       % {"limit": settings.PLAN_FILE_MAX_BYTES})  # fmt: skip
        return redirect("web:funding-file", slug=owner.slug)
    initial = {"text": stored.source, "based_on": stored.pk} if stored else {"based_on": 0}
    form = FundingFileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _stored, new = funding_import(
                raw=form.cleaned_data["text"].encode("utf-8"), user=request.user,
                owner_expected=owner, based_on=form.cleaned_data["based_on"] or 0,
            )  # fmt: skip
        except DocumentInvalid as invalid:
            for problem in invalid.problems[:50]:
                form.add_error("text", str(problem))
        else:
            messages.success(request, _("The funding file is stored.") if new
                             else _("The funding file is unchanged."))  # fmt: skip
            return redirect("web:funding", slug=owner.slug)
    return render(request, "web/funding_file.html", {"owner": owner, "form": form})


def _scenario_example(owner: Organisation, stored: FundingFile | None) -> str:
    year = max(funding_years(stored.data)) if stored else timezone.localdate().year
    return (
        f"format: maalbilde-funding-scenario/1\ntitle: \nowner: {owner.slug}\nyear: {year}\n"
        "pupils: {before: 1000, after: 1200}\nadd_parties: []\nadd_to_rules: {}\n"
    )
