"""Reports in the browser: a plan's reports page (choose the report, the year and the
organisation), the report as a page, and the same report as PDF, DOCX or XLSX. Everyone who
sees the plan may make its reports, each with only the figures they may see (the rows the
plan page shows them).

An organisation's reports page: the official returns filled from its data (for those who see
its figures), and, for a network, the yearly analysis of each series of its rounds (for
those who read the rounds' releases; the public reads the rounds published as open data)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from maalbilde.lib.spreadsheets import rows_csv, xlsx_bytes
from maalbilde.networks.models import Round
from maalbilde.networks.selectors import may_read_releases
from maalbilde.organisations.models import Organisation, Role
from maalbilde.organisations.permissions import has_role, organisations_in_reach, paths_above
from maalbilde.plans.models import Plan
from maalbilde.plans.selectors import plan_organisations
from maalbilde.reports.analysis import analysis_rounds, network_analysis
from maalbilde.reports.build import Report, report_for
from maalbilde.reports.delivery import DeliveryRefused, subscription_add, subscription_end
from maalbilde.reports.files import report_names, shipped_reports
from maalbilde.reports.making import MakingRefused, report_file_start
from maalbilde.reports.models import Delivery, MadeReport, Subscription
from maalbilde.reports.render import (
    ANALYSIS_FORMATS,
    FORMATS,
    analysis_bytes,
    analysis_html,
    report_bytes,
    report_html,
)
from maalbilde.reports.returns import return_fill, return_plan, return_table, shipped_returns
from maalbilde.reports.seen import sites_in_reach
from maalbilde.web.views import (
    figures_reach,
    query_number,
    viewable_plan,
    year_asked,
)


def report_list(request: HttpRequest, slug: str) -> HttpResponse:
    plan = viewable_plan(request, slug)
    return render(request, "web/report_list.html", _list_context(request, plan))


def _list_context(request: HttpRequest, plan: Plan, form: "SubscriptionForm | None" = None) -> dict:
    """The reports page: the reports to make, and for the owner's administrators who gets
    them by e-mail."""
    version = plan.current
    sends = has_role(request.user, plan.owner, Role.ADMINISTRATOR)
    return {
        "plan": plan, "reports": shipped_reports().values(), "year": year_asked(request, version),
        "years": version.years, "sites": sites_in_reach(version, figures_reach(request)),
        "made_formats": MADE_IN_BACKGROUND, "sends": sends,
        **(_deliveries(plan, form or SubscriptionForm(plan)) if sends else {}),
    }  # fmt: skip


def _deliveries(plan: Plan, form: "SubscriptionForm") -> dict:
    return {
        "form": form,
        "subscriptions": plan.subscriptions.filter(ended_at__isnull=True).select_related(
            "recipient", "organisation"),
        "deliveries": Delivery.objects.filter(plan=plan).select_related("recipient")[:20],
        "report_names": report_names(),
    }  # fmt: skip


# Said without the value chosen: a hostile one may be thousands of characters long.
LISTED_ONLY = {"invalid_choice": gettext_lazy("Choose one of those listed.")}


class SubscriptionForm(forms.Form):
    recipient = forms.ChoiceField(label=gettext_lazy("Send to"), error_messages=LISTED_ONLY)
    report = forms.ChoiceField(label=gettext_lazy("Report"), error_messages=LISTED_ONLY)
    frequency = forms.ChoiceField(label=gettext_lazy("How often"), error_messages=LISTED_ONLY,
                                  choices=Subscription.Frequency.choices)  # fmt: skip
    organisation = forms.ChoiceField(label=gettext_lazy("Organisation"), required=False,
                                     error_messages=LISTED_ONLY)  # fmt: skip

    def __init__(self, plan: Plan, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        owner = plan.owner
        people = User.objects.filter(
            Q(memberships__organisation__path__startswith=owner.path)
            | Q(memberships__organisation__path__in=paths_above(owner.path)),
            is_active=True,
        ).exclude(email="").distinct().order_by("email")  # fmt: skip
        self.fields["recipient"].choices = [(u.pk, u.email) for u in people]
        self.fields["report"].choices = list(report_names().items())
        self.fields["organisation"].choices = [("", _("All the recipient sees"))] + [
            (o.slug, o.name) for o in plan_organisations(plan.current) if o != owner]  # fmt: skip


@require_POST
def report_subscriptions(request: HttpRequest, slug: str) -> HttpResponse:
    """An administrator of the plan's owner sends someone a report by e-mail, or stops it."""
    plan = viewable_plan(request, slug)
    if not has_role(request.user, plan.owner, Role.ADMINISTRATOR):
        raise PermissionDenied
    back = reverse("web:reports", args=[plan.slug])
    if "end" in request.POST:
        found = plan.subscriptions.filter(pk=query_number(request.POST["end"]) or 0).first()
        if found is None:
            raise Http404
        subscription_end(found, by=request.user, reason="administrator")
        messages.success(request, _("%(email)s no longer gets the report.")
                         % {"email": found.recipient.email})  # fmt: skip
        return redirect(back)
    form = SubscriptionForm(plan, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            subscription_add(
                plan=plan, report=data["report"], frequency=data["frequency"], by=request.user,
                recipient=User.objects.get(pk=data["recipient"]),
                organisation=Organisation.objects.filter(slug=data["organisation"]).first(),
            )  # fmt: skip
        except DeliveryRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The report will be sent by e-mail, the first time "
                                        "within a day."))  # fmt: skip
            return redirect(back)
    return render(request, "web/report_list.html", _list_context(request, plan, form), status=400)


def report_delivery(request: HttpRequest, slug: str, delivery: int) -> HttpResponse:
    """The copy of a report sent by e-mail, exactly as it went out, for the owner's
    administrators."""
    plan = viewable_plan(request, slug)
    if not has_role(request.user, plan.owner, Role.ADMINISTRATOR):
        raise PermissionDenied
    found = get_object_or_404(Delivery, pk=delivery, plan=plan, state=Delivery.State.SENT)
    response = HttpResponse(bytes(found.message), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="{plan.slug}-{found.pk}.eml"'
    return response


@login_not_required
@csrf_exempt  # the token is the key; a mail program's one-click unsubscribe has no cookie
def report_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every report sent by e-mail: asks, then stops it (a mail program's
    one-click unsubscribe posts straight away)."""
    found = get_object_or_404(
        Subscription.objects.select_related("plan__current_version", "recipient"), token=token
    )
    if request.method == "POST" and found.ended_at is None:
        subscription_end(found, by=None, reason="unsubscribe link")
        found.refresh_from_db()
    name = report_names().get(found.report, found.report)
    return render(request, "web/report_unsubscribe.html", {"subscription": found,
                                                           "report_name": name})  # fmt: skip


def report_view(request: HttpRequest, slug: str, kind: str, fmt: str = "html") -> HttpResponse:
    """The report as a page (`html`) or a file to download."""
    plan = viewable_plan(request, slug)
    spec = shipped_reports().get(kind)
    if spec is None or fmt not in FORMATS:
        raise Http404
    report = _report(request, plan, spec)
    if fmt == "html":
        back = reverse("web:reports", args=[plan.slug]) + f"?year={report.year}"
        content = report_html(report, back=back).encode("utf-8")
    else:
        content = report_bytes(report, fmt)
    if fmt == "html":
        return HttpResponse(content, content_type=FORMATS[fmt])
    return _attachment(content, fmt, f"{plan.slug}-{spec['slug']}-{report.year}.{fmt}")


def _report(request: HttpRequest, plan: Plan, spec: dict) -> Report:
    return report_for(request.user, spec, plan, year=year_asked(request, plan.current),
                      organisation=request.GET.get("organisation") or "",
                      today=timezone.localdate())  # fmt: skip


# Made in the background from the reports page: they take seconds for a large plan.
MADE_IN_BACKGROUND = ("pdf", "docx")


@require_POST
def report_make(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """Start making a report file; the page that follows shows how far it has come."""
    plan = viewable_plan(request, slug)
    fmt = request.POST.get("format", "")
    if kind not in shipped_reports() or fmt not in MADE_IN_BACKGROUND:
        raise Http404
    try:
        made = report_file_start(
            user=request.user,
            plan=plan,
            report=kind,
            fmt=fmt,
            year=year_asked(request, plan.current, request.POST),
            organisation=request.POST.get("organisation", "")[:80],
        )
    except MakingRefused as refused:
        messages.error(request, refused.message)
        return redirect(reverse("web:reports", args=[plan.slug]))
    return redirect("web:report-made", plan.slug, made.pk)


def report_made(request: HttpRequest, slug: str, made: int, download: bool = False) -> HttpResponse:
    """A report file being made for the person who asked: how far it has come, and the file
    when it is ready. Nobody else's."""
    plan = viewable_plan(request, slug)
    found = get_object_or_404(MadeReport, pk=made, plan=plan, user=request.user)
    if download:
        if found.state != MadeReport.State.DONE:
            raise Http404
        return _attachment(bytes(found.content), found.format, found.file_name)
    if request.GET.get("format") == "json":
        working = found.state in (MadeReport.State.WAITING, MadeReport.State.RUNNING)
        return JsonResponse({"state": "running" if working else found.state,
                             "stage": found.stage})  # fmt: skip
    name = report_names().get(found.report, found.report)
    return render(request, "web/report_made.html", {"plan": plan, "made": found, "name": name})


def _attachment(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=RETURN_FORMATS.get(fmt) or FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


RETURN_FORMATS = {"xlsx": FORMATS["xlsx"], "csv": "text/csv; charset=utf-8"}


def _organisation_seen(request: HttpRequest, slug: str) -> Organisation:
    """The organisation, if the user sees its figures (a network's own figures add its
    members' up: its secretariat's only)."""
    if slug not in figures_reach(request):
        raise PermissionDenied
    return get_object_or_404(Organisation, slug=slug)


def _return_year(request: HttpRequest) -> int:
    """The year asked, else the year before this one (returns are made for a closed year)."""
    asked = query_number(request.GET.get("year"))
    return min(max(asked or timezone.localdate().year - 1, 1900), 2200)


def organisation_reports(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisations_in_reach(request.user).filter(slug=slug).first()
    if organisation is None:
        raise PermissionDenied
    figures = slug in figures_reach(request)
    returns = [(t, plan) for t in shipped_returns().values()
               if figures and (plan := return_plan(t, organisation))]  # fmt: skip
    # Each series of rounds by its latest round: one no later round follows.
    followed = Round.objects.filter(network=organisation, previous__isnull=False).values(
        "previous")  # fmt: skip
    series = [r for r in Round.objects.filter(network=organisation).exclude(pk__in=followed)
              if may_read_releases(request.user, r)]  # fmt: skip
    return render(request, "web/organisation_reports.html", {
        "organisation": organisation, "returns": returns, "series": series,
        "year": _return_year(request), "formats": list(RETURN_FORMATS),
        "analysis_formats": [f for f in ANALYSIS_FORMATS if f != "html"],
    })  # fmt: skip


def organisation_return(
    request: HttpRequest, slug: str, template: str, fmt: str = "html"
) -> HttpResponse:  # fmt: skip
    """An official return filled for the organisation and a year: every field with its
    source, as a page or as the form's XLSX or CSV."""
    organisation = _organisation_seen(request, slug)
    form = shipped_returns().get(template)
    plan = return_plan(form, organisation) if form else None
    if plan is None or (fmt != "html" and fmt not in RETURN_FORMATS):
        raise Http404
    year = _return_year(request)
    filled = return_fill(form, plan, organisation, year)
    if fmt != "html":
        header, rows = return_table(filled)
        content = xlsx_bytes(header, rows, sheet=template) if fmt == "xlsx" else rows_csv(
            header, rows)  # fmt: skip
        return _attachment(content, fmt, f"{template}-{organisation.slug}-{year}.{fmt}")
    return render(request, "web/organisation_return.html", {
        "organisation": organisation, "form": form, "plan": plan, "year": year,
        "fields": filled, "formats": list(RETURN_FORMATS),
    })  # fmt: skip


@login_not_required
def round_analysis(request: HttpRequest, slug: str, fmt: str = "html") -> HttpResponse:
    """The yearly analysis of the round and the rounds before it, from their releases."""
    round_ = get_object_or_404(Round.objects.select_related("network"), slug=slug)
    if not may_read_releases(request.user, round_):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    if fmt not in ANALYSIS_FORMATS:
        raise Http404
    rounds = analysis_rounds(request.user, round_)
    if not rounds:
        raise Http404("No release yet")
    analysis = network_analysis(rounds, today=timezone.localdate())
    if fmt != "html":
        return _attachment(analysis_bytes(analysis, fmt), fmt,
                           f"{round_.slug}-analyse.{fmt}")  # fmt: skip
    # The public reaches it from the open data list; the network's people from its reports.
    back = (reverse("web:organisation-reports", args=[round_.network.slug])
            if request.user.is_authenticated else reverse("web:public-index"))  # fmt: skip
    downloads = tuple((f, reverse("web:round-analysis-file", args=[round_.slug, f]))
                      for f in ANALYSIS_FORMATS if f != "html")  # fmt: skip
    return HttpResponse(analysis_html(analysis, back=back, downloads=downloads),
                        content_type=FORMATS["html"])  # fmt: skip
