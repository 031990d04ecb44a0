"""Pages for reporting rounds: the secretariat's overview, review and results; a member's
answer form and its place among its peers; survey results; exports and open data."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maalbilde.lib.norwegian import canonical_number_text, typed_number_text
from maalbilde.networks import exports
from maalbilde.networks.models import Answer, Question, Round, RoundMember
from maalbilde.networks.releases import (
    ReleaseRefused,
    counted_in,
    held_back_labels,
    latest_release,
    open_data_set,
    release_create,
    release_draft,
    release_statistics,
    release_survey,
)
from maalbilde.networks.reminders import members_waiting, reminders_for, reminders_send_now
from maalbilde.networks.results import (
    Statistic,
    SurveyResult,
    member_benchmark,
    round_statistics,
    survey_results,
)
from maalbilde.networks.rounds import RoundRefused, read_round_file, round_copy, round_import
from maalbilde.networks.selectors import (
    is_secretariat,
    members_of,
    prefills,
    rounds_for,
    work_list,
    work_list_choices,
)
from maalbilde.networks.workflow import (
    WorkflowRefused,
    answer_approve,
    answer_check,
    answer_of,
    answer_reopen,
    answer_return,
    answer_save,
    answer_submit,
    previous_numbers,
    questions_for,
)
from maalbilde.organisations.audit import audit_record
from maalbilde.organisations.models import Organisation, Role
from maalbilde.organisations.permissions import (
    has_role,
    organisations_in_reach,
    organisations_with_role,
)
from maalbilde.plans.status import format_value
from maalbilde.reports.analysis import group_name
from maalbilde.reports.charts import ChartSpec, Series, bar_chart
from maalbilde.web.confirm import ask_first, confirmed
from maalbilde.web.middleware import pasted_text_too_large


def _round(
    request: HttpRequest, slug: str, *, released_to_network: bool = False
) -> tuple[Round, bool, list[Organisation]]:
    """The round, whether the user is its secretariat, and the members they answer for;
    anyone else is refused — except, where the page shows only released figures, other
    people of the network."""
    round_ = get_object_or_404(Round.objects.select_related("network", "plan"), slug=slug)
    secretariat = is_secretariat(request.user, round_)
    own = members_of(request.user, round_)
    network_person = released_to_network and has_role(request.user, round_.network, Role.VIEWER)
    if not (secretariat or own or network_person):
        raise PermissionDenied
    return round_, secretariat, own


def round_list(request: HttpRequest) -> HttpResponse:
    rows = []
    for round_ in rounds_for(request.user).select_related("network"):
        secretariat, own = is_secretariat(request.user, round_), members_of(request.user, round_)
        # The network's other people read its released figures.
        reader = has_role(request.user, round_.network, Role.VIEWER)
        if secretariat or own or reader:
            rows.append({"round": round_, "secretariat": secretariat, "own": own})
    may_create = bool(_networks_administered(request))
    return render(request, "web/round_list.html", {"rows": rows, "may_create": may_create})


class RoundCopyForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1900, max_value=2200)
    deadline = forms.DateField(label=gettext_lazy("Deadline"),
                               help_text=gettext_lazy("For example 1.3.2027."),
                               input_formats=["%d.%m.%Y", "%Y-%m-%d"])  # fmt: skip
    instructions = forms.CharField(label=gettext_lazy("Instructions"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip


def round_copy_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Next period's round from this one: the same members and questions, new dates."""
    source, _secretariat, _own = _round(request, slug)
    if not has_role(request.user, source.network, Role.ADMINISTRATOR):
        raise PermissionDenied
    later = source.deadline.replace(year=source.deadline.year + 1)
    form = RoundCopyForm(request.POST or None, initial={
        "title": source.title.replace(str(source.year), str(source.year + 1)),
        "year": source.year + 1, "deadline": later.strftime("%d.%m.%Y"),
        "instructions": source.instructions.replace(str(source.year), str(source.year + 1)),
    })  # fmt: skip
    if request.method == "POST" and form.is_valid():
        started = _start(request, lambda: round_copy(source=source, user=request.user,
                                                     **form.cleaned_data))  # fmt: skip
        if started:
            return started
    return render(request, "web/round_copy.html", {"round": source, "form": form})


def _start(request: HttpRequest, start: Callable[[], Round]) -> HttpResponse | None:
    """Start a round and go to it; None, with the problems said, when it is refused."""
    try:
        round_ = start()
    except RoundRefused as refused:
        for problem in refused.problems[:50]:
            messages.error(request, problem)
        return None
    messages.success(request, _("The round is ready: %(members)s members are asked.")
                     % {"members": round_.members.count()})  # fmt: skip
    return redirect("web:round", slug=round_.slug)


class RoundFileForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Round file (YAML)"),
                           widget=forms.Textarea(attrs={"rows": 30}))  # fmt: skip


def _networks_administered(request: HttpRequest) -> list[Organisation]:
    networks = organisations_in_reach(request.user).filter(kind=Organisation.Kind.NETWORK)
    return organisations_with_role(request.user, networks, Role.ADMINISTRATOR)


def round_new(request: HttpRequest) -> HttpResponse:
    """A network administrator starts a round from a round file, often last year's copied.
    Anybody else is refused before the file is read."""
    if not _networks_administered(request):
        raise PermissionDenied
    if pasted_text_too_large(request, settings.ROUND_FILE_MAX_BYTES):
        messages.error(request, _("The round file is larger than %(limit)s bytes.")
                       % {"limit": settings.ROUND_FILE_MAX_BYTES})  # fmt: skip
        return render(request, "web/round_new.html", {"form": RoundFileForm()}, status=413)
    copied = Round.objects.filter(slug=request.GET.get("from", "")).first()
    initial = {"text": copied.source} if copied and is_secretariat(request.user, copied) else {}
    form = RoundFileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]

        def start() -> Round:
            # The network the file is read as naming, the same reading the import uses.
            network = Organisation.objects.filter(slug=read_round_file(text)["network"]).first()
            if network is None or not has_role(request.user, network, Role.ADMINISTRATOR):
                raise PermissionDenied
            return round_import(text=text, user=request.user)

        started = _start(request, start)
        if started:
            return started
    return render(request, "web/round_new.html", {"form": form})


STATE_CHOICES = [
    ("waiting", gettext_lazy("not answered (not sent)")),
    ("not-started", gettext_lazy("not started")),
    *((state.value, state.label) for state in (Answer.State.DRAFT, Answer.State.RETURNED,
                                              Answer.State.SUBMITTED, Answer.State.APPROVED)),
]  # fmt: skip
ORDER_CHOICES = [
    ("member", gettext_lazy("Member")), ("state", gettext_lazy("State")),
    ("region", gettext_lazy("Region")), ("size", gettext_lazy("Size group")),
    ("changed", gettext_lazy("Last changed")),
]  # fmt: skip


def round_detail(request: HttpRequest, slug: str) -> HttpResponse:
    round_, secretariat, own = _round(request, slug, released_to_network=True)
    if not secretariat and not own:
        return redirect("web:round-results", slug=round_.slug)
    if not secretariat:
        if len(own) == 1:
            return redirect("web:round-answer", slug=round_.slug, member=own[0].slug)
        return render(request, "web/round_members.html", {"round": round_, "own": own})
    filters = {name: request.GET.get(name, "") for name in ("state", "region", "size")}
    order = request.GET.get("order", "member")
    rows = work_list(round_, **filters, order=order)
    counts = dict(Answer.objects.filter(round=round_).values_list("state").annotate(Count("pk")))
    asked = RoundMember.objects.filter(round=round_).count()
    return render(request, "web/round_detail.html", {
        "round": round_, "rows": rows, "counts": counts, "asked": asked,
        "not_started": asked - sum(counts.values()), "filters": filters, "order": order,
        "filtered": any(filters.values()), **work_list_choices(round_),
        "state_choices": STATE_CHOICES, "order_choices": ORDER_CHOICES,
        "waiting_shown": [row.organisation.slug for row in rows if row.waiting],
        "may_publish": has_role(request.user, round_.network, Role.ADMINISTRATOR),
        "releases": [(r, held_back_labels(round_, r))
                     for r in round_.releases.select_related("created_by")],
    })  # fmt: skip


@require_POST
def round_remind(request: HttpRequest, slug: str) -> HttpResponse:
    """The secretariat reminds the members it chose that have not sent their answers, after
    seeing the e-mail and who gets it."""
    round_, secretariat, _own = _round(request, slug)
    if not secretariat:
        raise PermissionDenied
    # As many as the request may carry (DATA_UPLOAD_MAX_NUMBER_FIELDS).
    chosen = [m.organisation for m in RoundMember.objects.filter(
        round=round_, organisation__slug__in=request.POST.getlist("member"),
    ).select_related("organisation")]  # fmt: skip
    # Back to the work list as it was filtered and sorted.
    shown = {k: v for k, v in request.POST.items() if k in ("state", "region", "size", "order")}
    back = reverse("web:round", args=[round_.slug]) + (f"?{urlencode(shown)}" if shown else "")
    reminders = reminders_for(round_, chosen)
    reached = [r for r in reminders if r.addresses]
    if not reached:
        messages.error(request, _("None of the members chosen is waiting for a reminder "
                                  "that can be sent: nobody to send it to."))  # fmt: skip
        return redirect(back)
    if not confirmed(request):
        unreachable = [r.member.name for r in reminders if not r.addresses]
        consequences = [ngettext(
            "%(count)s member gets the e-mail below.",
            "%(count)s members get the e-mail below, each its own.", len(reached),
        ) % {"count": len(reached)}]  # fmt: skip
        if round_.deadline < timezone.localdate() and not round_.late_answers:
            consequences.append(_("The deadline has passed and the round takes no late "
                                  "answers: only members whose answer was returned for "
                                  "correction can still send it, and only they are "
                                  "reminded."))  # fmt: skip
        if unreachable:
            consequences.append(
                _("No e-mail address for: %(members)s. Give them a contact e-mail or a reporter.")
                % {"members": ", ".join(unreachable)}
            )
        consequences.append(_("An e-mail cannot be taken back once sent."))
        return ask_first(request, title=_("Send reminders?"), consequences=consequences,
                         button=ngettext("Send %(mails)s reminder", "Send %(mails)s reminders",
                                         len(reached)) % {"mails": len(reached)},
                         back=back, preview="web/reminder_preview.html",
                         preview_context={"reminders": reached})  # fmt: skip
    sent = reminders_send_now(round_=round_, organisations=chosen, user=request.user)
    messages.success(
        request,
        ngettext("%(count)s reminder is sent.", "%(count)s reminders are sent.", sent)
        % {"count": sent},
    )
    return redirect(back)


def _answer_form(questions: list[Question], data=None, initial=None) -> forms.Form:
    """A field for each question, and a comment field beside each number."""
    form = forms.Form(data, initial=initial)
    for q in questions:
        if q.kind == Question.Kind.NUMBER:
            field = forms.CharField(max_length=40, widget=forms.TextInput(
                attrs={"inputmode": "decimal"}))  # fmt: skip
        elif q.kind == Question.Kind.SCALE:
            field = forms.ChoiceField(choices=[(str(s), str(s)) for s in range(1, 6)],
                                      widget=forms.RadioSelect)  # fmt: skip
        elif q.kind == Question.Kind.SINGLE:
            field = forms.ChoiceField(choices=[(c, c) for c in q.choices], widget=forms.RadioSelect)
        elif q.kind == Question.Kind.MULTIPLE:
            field = forms.MultipleChoiceField(choices=[(c, c) for c in q.choices],
                                              widget=forms.CheckboxSelectMultiple)  # fmt: skip
        else:
            field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
        field.required = False
        field.label = q.label
        field.help_text = q.help
        form.fields[f"q_{q.slug}"] = field
        if q.kind == Question.Kind.NUMBER:
            form.fields[f"c_{q.slug}"] = forms.CharField(
                label=_("Comment to “%(question)s”") % {"question": q.label}, required=False,
                max_length=1000)  # fmt: skip
    return form


def _initial(answer: Answer | None) -> dict:
    if answer is None or answer.pk is None:
        return {}
    initial = {}
    for value in answer.values.select_related("question"):
        q = value.question
        if q.kind == Question.Kind.MULTIPLE:
            initial[f"q_{q.slug}"] = value.choices
        elif q.kind == Question.Kind.SINGLE:
            initial[f"q_{q.slug}"] = value.choices[0] if value.choices else ""
        elif value.number is not None:
            initial[f"q_{q.slug}"] = typed_number_text(value.number, get_language())
        else:
            initial[f"q_{q.slug}"] = value.text
        if value.comment:
            initial[f"c_{q.slug}"] = value.comment
    return initial


def round_answer(request: HttpRequest, slug: str, member: str) -> HttpResponse:
    round_, secretariat, own = _round(request, slug)
    organisation = next((o for o in own if o.slug == member), None)
    if organisation is None:
        if not secretariat:
            raise PermissionDenied
        asked = RoundMember.objects.filter(round=round_, organisation__slug=member).first()
        if asked is None:
            raise Http404
        organisation = asked.organisation
    answering = organisation in own and has_role(request.user, organisation, Role.REPORTER)
    questions = questions_for(round_, organisation)
    answer = Answer.objects.filter(round=round_, organisation=organisation).first()
    initial = _initial(answer)
    # An answer not given yet is filled in from the member's own data, for it to confirm.
    filled = {slug: found for slug, found in prefills(round_, organisation, questions).items()
              if f"q_{slug}" not in initial} if (answering or secretariat) and (
        answer is None or answer.state in ("draft", "returned")) else {}  # fmt: skip
    initial |= {f"q_{slug}": typed_number_text(found.value, get_language())
                for slug, found in filled.items()}  # fmt: skip
    form = _answer_form(questions, request.POST or None, initial=initial)
    action = request.POST.get("action", "")
    if request.method == "POST":
        if action not in ("save", "submit", "approve", "return", "reopen"):
            raise Http404
        if action in ("approve", "return", "reopen") and not secretariat:
            raise PermissionDenied
        if action in ("save", "submit") and not (answering or secretariat):
            raise PermissionDenied
        if _act(request, action, form, round_, organisation, questions, answering):
            return redirect(request.path)
    check = answer_check(answer, questions) if answer else None
    before = previous_numbers(round_, organisation)
    numbers = dict(answer.values.values_list("question__slug", "number")) if answer else {}
    sections: dict[str, list] = {}
    for q in questions:
        number, earlier = numbers.get(q.slug), before.get(q.slug)
        sections.setdefault(q.section, []).append({
            "question": q, "field": form[f"q_{q.slug}"], "number": number, "before": earlier,
            "comment": form[f"c_{q.slug}"] if q.kind == Question.Kind.NUMBER else None,
            "warning": check.warnings.get(q.slug) if check else "",
            "prefilled": filled[q.slug].source if q.slug in filled else "",
            "problem": check.errors.get(q.slug) if check and request.method == "GET" else "",
        })  # fmt: skip
    state = answer.state if answer else Answer.State.DRAFT
    return render(request, "web/round_answer.html", {
        "round": round_, "organisation": organisation, "answer": answer, "form": form,
        "sections": sections, "secretariat": secretariat,
        "editable": (answering or secretariat) and state in ("draft", "returned"),
        "events": list(answer.events.select_related("user")) if answer else [],
        "previous": round_.previous,
    })  # fmt: skip


def _act(request, action, form, round_, organisation, questions, answering) -> bool:
    """Take the step asked for; False (with the reasons on the form) when it is refused."""
    if not form.is_valid():
        return False
    note = "" if answering else request.POST.get("note", "").strip() or _(
        "Filled in by the secretariat.")  # fmt: skip
    comment = request.POST.get("comment", "")
    try:
        answer = answer_of(round_, organisation)
        if action in ("save", "submit"):
            values = {q.slug: form.cleaned_data[f"q_{q.slug}"] for q in questions}
            # Numbers as the services read them, whichever language the page is in.
            values |= {q.slug: canonical_number_text(values[q.slug], get_language())
                       for q in questions if q.kind in (Question.Kind.NUMBER,
                                                        Question.Kind.SCALE)}  # fmt: skip
            comments = {q.slug: form.cleaned_data[f"c_{q.slug}"] for q in questions
                        if q.kind == Question.Kind.NUMBER}  # fmt: skip
            answer_save(answer=answer, values=values, comments=comments, user=request.user,
                        on_behalf=note)  # fmt: skip
            if action == "submit":
                answer_submit(answer=answer, user=request.user, on_behalf=note)
                messages.success(request, _("The answer is submitted to the secretariat."))
            else:
                messages.success(request, _("The draft is saved."))
        elif action == "approve":
            answer_approve(answer=answer, user=request.user)
            messages.success(request, _("The answer is approved."))
        elif action == "return":
            answer_return(answer=answer, user=request.user, comment=comment)
            messages.success(request, _("The answer is returned to the member."))
        elif action == "reopen":
            answer_reopen(answer=answer, user=request.user, reason=comment)
            messages.success(request, _("The answer is open for correction again."))
        else:
            raise Http404
    except WorkflowRefused as refused:
        for slug, problem in refused.errors.items():
            if slug and f"q_{slug}" in form.fields:
                form.add_error(f"q_{slug}", problem)
            else:
                messages.error(request, problem)
        return False
    return True


def _released_view(request: HttpRequest, round_: Round, secretariat: bool) -> dict:
    """Whether the page shows the latest release — always to others than the secretariat, to
    the secretariat when it asks to see what members see — and what to say about it."""
    release = latest_release(round_)
    live = secretariat and request.GET.get("view") != "release"
    return {"release": release, "live": live,
            "held_labels": held_back_labels(round_, release) if release else []}  # fmt: skip


def round_results(request: HttpRequest, slug: str) -> HttpResponse:
    """The secretariat sees every statistic as it stands; members and the network's other
    people see the latest release, a member its own figures against its peers' there."""
    round_, secretariat, own = _round(request, slug, released_to_network=True)
    view = _released_view(request, round_, secretariat)
    questions = {q.slug: q for q in round_.questions.order_by("position")}
    statistics: dict[str, list] = {slug: [] for slug in questions}
    released = release_statistics(round_, view["release"])
    shown = round_statistics(round_, for_member=False) if view["live"] else released
    for s in shown:
        statistics[s.question].append(s)
    states = dict(Answer.objects.filter(round=round_, organisation__in=own)
                  .values_list("organisation_id", "state"))  # fmt: skip
    benchmarks = [
        (o, member_benchmark(round_, o, released), counted_in(view["release"], o.pk),
         states.get(o.pk, ""))
        for o in own
    ] if released else []  # fmt: skip
    return render(request, "web/round_results.html", {
        "round": round_, "secretariat": secretariat, "questions": questions, **view,
        "statistics": [(questions[k], v, _statistics_chart(questions[k], v))
                       for k, v in statistics.items() if v],
        "benchmarks": benchmarks,
        "least_for_quartiles": max(settings.NETWORK_MIN_ANSWERS,
                                   settings.NETWORK_MIN_ANSWERS_FOR_QUARTILES),
    })  # fmt: skip


def _statistics_chart(question: Question, rows: list[Statistic]) -> dict[str, Any] | None:
    """The median of each group that shows one, as bars; none when no group has a median
    to show. The table below the chart gives every figure of every group."""
    shown = [s for s in rows if s.median is not None]
    if not shown:
        return None
    return bar_chart(
        question.label,
        _("Bars: the median of each group that has enough answers to show one. "
          "The table below gives every figure."),
        [group_name(s.dimension, s.group) for s in shown], [s.median for s in shown],
        question.unit or "count",
    )  # fmt: skip


def _survey_chart(result: SurveyResult) -> dict[str, Any] | None:
    """How many chose each option, as bars, with the counts and shares beside them."""
    if not result.counts:
        return None
    group = result.group or _("all respondents")
    spec = ChartSpec(
        title=f"{result.question.label} ({group})",
        description=_("Bars: how many chose each answer, of %(answered)s who answered.")
        % {"answered": result.answered},
        labels=[option for option, _count in result.counts],
        series=[Series(_("Count"), [count for _option, count in result.counts], "bar")],
    )  # fmt: skip
    table = [{"year": option, "actual": count,
              "target": format_value(count / result.answered * 100 if result.answered else None,
                                     "percent")}
             for option, count in result.counts]  # fmt: skip
    return {"spec": spec, "geometry": spec.geometry(), "rows": table,
            "columns": (_("Answer"), _("Count"), _("Share of those who answered"))}  # fmt: skip


def round_survey(request: HttpRequest, slug: str) -> HttpResponse:
    round_, secretariat, _own = _round(request, slug, released_to_network=True)
    view = _released_view(request, round_, secretariat)
    results = (survey_results(round_, for_member=False) if view["live"]
               else release_survey(round_, view["release"]))  # fmt: skip
    if request.GET.get("format") == "csv":
        _exported(request, round_, "survey-csv")
        response = HttpResponse(exports.survey_csv(results), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{round_.slug}-resultater.csv"'
        return response
    return render(request, "web/round_survey.html", {
        "round": round_, "secretariat": secretariat, **view,
        "results": [(r, _survey_chart(r)) for r in results],
        "least": settings.NETWORK_MIN_ANSWERS})  # fmt: skip


def _exported(request: HttpRequest, round_: Round, kind: str) -> None:
    audit_record(
        user=request.user if request.user.is_authenticated else None,
        action="round-export",
        subject=f"rounds/{round_.slug}",
        about=round_,
        organisation=round_.network,
        after={"kind": kind},
    )


def round_export(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """Every answer, for the secretariat only."""
    round_, secretariat, _own = _round(request, slug)
    if not secretariat:
        raise PermissionDenied
    if kind not in ("xlsx", "csv"):
        raise Http404
    _exported(request, round_, kind)
    if kind == "xlsx":
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(exports.answers_xlsx(round_), content_type=content_type)
    else:
        response = HttpResponse(exports.answers_csv(round_), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{round_.slug}-svar.{kind}"'
    return response


@require_POST
def round_publish(request: HttpRequest, slug: str) -> HttpResponse:
    round_, _secretariat, _own = _round(request, slug)
    if not has_role(request.user, round_.network, Role.ADMINISTRATOR):
        raise PermissionDenied
    publish = request.POST.get("action") == "publish"
    if not confirmed(request):
        return ask_first(request, **_open_data_question(round_, publish))
    try:
        open_data_set(round_=round_, user=request.user, published=publish)
    except ReleaseRefused as refused:
        messages.error(request, refused.message)
    else:
        if publish:
            messages.success(request, _("The latest release is published as open data."))
        else:
            messages.success(request, _("The open data are taken down."))
    return redirect("web:round", slug=round_.slug)


def _open_data_question(round_: Round, publish: bool) -> dict[str, Any]:
    back = reverse("web:round", args=[round_.slug])
    if not publish:
        return {"title": _("Take the open data down?"), "back": back,
                "button": _("Take the open data down"), "consequences": [
                    _("Nobody without a login can read or download the round's figures any "
                      "more; copies already downloaded stay where they are. The data can be "
                      "published again.")]}  # fmt: skip
    release = latest_release(round_)
    members = RoundMember.objects.filter(round=round_).count()
    waiting = len(members_waiting(round_))
    return {"title": _("Publish the open data?"), "back": back,
            "button": _("Publish release %(number)s as open data")
            % {"number": release.number if release else "–"}, "consequences": [
                _("Release %(number)s, made %(made)s, can be read and downloaded by anyone, "
                  "without logging in.")
                % {"number": release.number if release else "–",
                   "made": date_format(release.created_at, "SHORT_DATE_FORMAT") if release
                   else "–"},
                _("%(waiting)s of %(members)s members have not sent their answers: the "
                  "release holds only what was sent and approved when it was made.")
                % {"waiting": waiting, "members": members},
                _("To undo, take the open data down; copies already downloaded stay where "
                  "they are."),
            ]}  # fmt: skip


def round_release(request: HttpRequest, slug: str) -> HttpResponse:
    """The secretariat's preview of a new release: what changed since the latest, what is
    held back to keep members' answers private, and the decision to release a held-back
    figure all the same; then the release."""
    round_, _secretariat, _own = _round(request, slug)
    if not has_role(request.user, round_.network, Role.ADMINISTRATOR):
        raise PermissionDenied
    draft = release_draft(round_)
    if request.method == "POST":
        overrides = {cell: request.POST.get(f"reason-{cell}", "")
                     for cell in request.POST.getlist("release-anyway")}  # fmt: skip
        try:
            release = release_create(
                round_=round_, user=request.user, notes=request.POST.get("notes", "")[:5000],
                overrides=overrides, publish=request.POST.get("publish") == "on",
            )  # fmt: skip
        except ReleaseRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Release %(number)s is made.") % {"number": release.number})
            return redirect("web:round", slug=round_.slug)
    statistics, survey = draft.rows()
    labels = {q.slug: q for q in round_.questions.all()}
    network = sorted(((labels[r["question"]], r) for r in statistics if r["grouping"] == "all"),
                     key=lambda pair: pair[0].position)  # fmt: skip
    counts = [(labels[r["question"]], r) for r in survey if r["counts"] or r.get("held_back")]
    return render(request, "web/round_release.html", {
        "round": round_, "draft": draft, "latest": draft.latest, "network": network,
        "counts": counts, "next": draft.latest.number + 1 if draft.latest else 1,
        "posted": request.POST if request.method == "POST" else {},
    })  # fmt: skip


@login_not_required
def round_open_data(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """Approved, aggregated figures of a round its network has published; nothing else."""
    round_ = get_object_or_404(Round, slug=slug, open_data=True)
    if kind not in ("json", "csv"):
        raise Http404
    _exported(request, round_, f"open-{kind}")
    if kind == "json":
        return HttpResponse(exports.open_data_json(round_), content_type="application/json")
    response = HttpResponse(exports.open_data_csv(round_), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{round_.slug}.csv"'
    return response
