import uuid

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from maalbilde.lib.norwegian import canonical_number_text, parse_date, parse_typed_number
from maalbilde.plans.assessments import TEXT_MAX_CHARACTERS
from maalbilde.plans.models import Assessment, Indicator, Initiative, Target

MONTHS = [(0, _("The whole year"))] + [(m, str(m)) for m in range(1, 13)]


class ObservationForm(forms.Form):
    """A typed-in figure, typed as the page's language writes numbers (65 000 and 80,5, or
    65,000 and 80.5 in English); the service reads it and says what is wrong with it."""

    organisation = forms.ChoiceField(label=_("Organisation"))
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2200)
    month = forms.TypedChoiceField(label=_("Month"), choices=MONTHS, coerce=int, initial=0)
    value = forms.CharField(label=_("Figure"), max_length=40)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, organisations: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisations

    def clean_value(self) -> str:
        return canonical_number_text(self.cleaned_data["value"], get_language())


class AssessmentForm(forms.Form):
    """A written assessment of an indicator or goal for a year."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    verdict = forms.ChoiceField(
        label=_("Assessment"), required=False,
        choices=[("", _("– (the figures decide)")), *Assessment.Verdict.choices],
        help_text=_("Choose one where no number gives a verdict: a goal without a measurable "
                    "indicator, or a qualitative indicator."),
    )  # fmt: skip
    text = forms.CharField(
        label=_("Comment"), max_length=TEXT_MAX_CHARACTERS,
        help_text=_("Why it stands where it does, and what is being done."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    public = forms.BooleanField(
        label=_("Public"), required=False,
        help_text=_("Shown on the public page when the year's figures are published."),
    )  # fmt: skip

    def __init__(self, *args, years: range, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]


class UploadForm(forms.Form):
    dataset = forms.ChoiceField(label=_("Dataset"))
    organisation = forms.ChoiceField(
        label=_("Organisation"), help_text=_("The organisation the file's rows belong to.")
    )
    file = forms.FileField(label=_("File (CSV or XLSX)"))

    def __init__(self, *args, datasets: list[tuple[str, str]],
                 organisations: list[tuple[str, str]], **kwargs):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["dataset"].choices = datasets
        self.fields["organisation"].choices = organisations


class TypedNumberField(forms.CharField):
    """A number typed as the page's language writes numbers, passed on as the services read
    numbers (the text as typed where it is none, for the service to say why)."""

    def clean(self, value: str) -> str:
        text = super().clean(value)
        return canonical_number_text(text, get_language()) if text else text


class RegisterRowForm(forms.Form):
    """A register row: the organisation, then one field per declared column. Values are read
    the Norwegian way and checked by the register service, which says what is wrong."""

    organisation = forms.ChoiceField(label=_("Organisation"))
    # A new token each time the form is shown: the same form sent twice adds one row.
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(self, *args, columns: list[dict], organisations: list[tuple[str, str]],
                 **kwargs):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisations
        self.fields["token"].initial = uuid.uuid4().hex
        for column in columns:
            label = column.get("label") or column["name"]
            role = column["role"]
            if role == "date":
                # Typed as Norwegians write dates; a date picker is harder by keyboard and
                # screen reader, and reads differently in every browser.
                field = forms.CharField(
                    label=label, max_length=40, help_text=_("For example 23.11.2026.")
                )
            elif column.get("choices"):
                choices = [("", "–"), *((c, c) for c in column["choices"])]
                field = forms.ChoiceField(label=label, choices=choices)
            elif role == "measure":
                field = TypedNumberField(
                    label=label,
                    required=False,
                    max_length=40,
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                )
            else:
                field = forms.CharField(label=label, required=False, max_length=1000)
            self.fields[f"column_{column['name']}"] = field

    def cells(self) -> dict[str, str]:
        return {
            name.removeprefix("column_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("column_")
        }


class PlanTextsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    introduction = forms.CharField(label=_("Introduction"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    vision = forms.CharField(label=_("Vision"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    mission = forms.CharField(label=_("Mission"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Goal"), max_length=500)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class IndicatorAddForm(forms.Form):
    name = forms.CharField(label=_("New indicator"), max_length=300)
    unit = forms.ChoiceField(label=_("Unit"), choices=Indicator.Unit.choices)
    direction = forms.ChoiceField(label=_("Direction"), choices=Indicator.Direction.choices)


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class TargetForm(forms.Form):
    """One target. The years say: for one year, the year (both the same); for every year,
    the first and the last; for a total, the year counting starts and the deadline; for a
    level or a change by a deadline, the first year judged and the deadline."""

    PERIODS = [
        ("year", _("in one year")),
        ("each_year", _("every year")),
        ("deadline", _("in total by a deadline")),
        ("by", _("a level to reach by a deadline, each year on the path there")),
        ("change_by", _("a change in per cent from a baseline by a deadline")),
    ]

    organisation = forms.ChoiceField(label=_("Organisation"))
    # Initial values, so that the blank form for a new target counts as unchanged if left.
    comparator = forms.ChoiceField(label=_("Comparator"), choices=Target.Comparator.choices,
                                   initial=Target.Comparator.AT_LEAST)  # fmt: skip
    value = forms.CharField(label=_("Target"), max_length=40)
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, initial="each_year")
    first_year = forms.IntegerField(label=_("From year"), min_value=1900, max_value=2200)
    last_year = forms.IntegerField(label=_("To year"), min_value=1900, max_value=2200)
    baseline_year = forms.IntegerField(
        label=_("Baseline year"), min_value=1900, max_value=2200, required=False,
        help_text=_("Where a path to a deadline starts; without a value, that year's figure."),
    )  # fmt: skip
    baseline_value = forms.CharField(label=_("Baseline value"), max_length=40, required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)

    def __init__(self, *args, organisations: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "–"), *organisations]

    def clean_value(self) -> float:
        return self._number(self.cleaned_data["value"])

    def clean_baseline_value(self) -> float | None:
        text = self.cleaned_data["baseline_value"]
        return self._number(text) if text.strip() else None

    @staticmethod
    def _number(text: str) -> float:
        value = parse_typed_number(text, get_language())
        if value is None:
            raise forms.ValidationError(_("Write a number, for example 65,000 or 80.5."))
        return value

    def clean(self) -> dict:
        data = super().clean()
        first, last = data.get("first_year"), data.get("last_year")
        if first and last and first > last:
            self.add_error("last_year", _("The last year comes before the first."))
        if data.get("period") == "year" and first and last and first != last:
            self.add_error("last_year", _("A target for one year has the same year twice."))
        if data.get("baseline_value") is not None and not data.get("baseline_year"):
            self.add_error("baseline_year", _("Give the year the baseline value is for."))
        if data.get("period") == "change_by" and not data.get("baseline_year"):
            self.add_error("baseline_year", _("A change is measured from a baseline year."))
        return data

    def target(self) -> dict:
        """The target as a plan file writes it."""
        data = self.cleaned_data
        period = {
            "year": {"year": data["last_year"]},
            "each_year": {"each_year": True, "from": data["first_year"], "to": data["last_year"]},
            "deadline": {"deadline": data["last_year"], "since": data["first_year"]},
            "by": {"by": data["last_year"], "from": data["first_year"]},
            # A change's comparator follows its sign: a fall is a ceiling on the path.
            "change_by": {"kind": "change_by", "by": data["last_year"],
                          "from": data["first_year"]},
        }[data["period"]]  # fmt: skip
        comparator = {} if data["period"] == "change_by" else {"comparator": data["comparator"]}
        baseline = None
        if data.get("baseline_year"):
            baseline = {"year": data["baseline_year"]}
            if data.get("baseline_value") is not None:
                baseline["value"] = data["baseline_value"]
        return {"organisation": data["organisation"], **comparator, "value": data["value"],
                **period, "baseline": baseline, "note": data["note"]}  # fmt: skip


class TargetFormSet(forms.BaseFormSet):
    def __init__(self, *args, organisations: list[tuple[str, str]], **kwargs):
        self.organisations = organisations
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict:
        return {"organisations": self.organisations}


TargetForms = forms.formset_factory(
    TargetForm, formset=TargetFormSet, extra=1, can_delete=True, max_num=50, validate_max=True
)


class PlanFileForm(forms.Form):
    text = forms.CharField(label=_("Plan file (YAML)"), widget=forms.Textarea(attrs={"rows": 30}))


class InitiativeForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Initiative.Status.choices)
    responsible = forms.CharField(label=_("Responsible"), required=False, max_length=300)
    due = forms.CharField(label=_("Due"), required=False, max_length=40,
                          help_text=_("For example 23.11.2026."))  # fmt: skip

    def clean_due(self) -> str | None:
        text = self.cleaned_data["due"].strip()
        if not text:
            return None
        day = parse_date(text)
        if day is None:
            raise forms.ValidationError(_("not a date (write 23.11.2026)"))
        return day.isoformat()
