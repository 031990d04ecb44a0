from django import forms
from django.utils.translation import gettext_lazy as _

MONTHS = [(0, _("The whole year"))] + [(m, str(m)) for m in range(1, 13)]


class ObservationForm(forms.Form):
    """A typed-in figure. The number is read the Norwegian way (65 000, 80,5) by the service,
    which also says what is wrong with it."""

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


class RegisterRowForm(forms.Form):
    """A register row: the organisation, then one field per declared column. Values are read
    the Norwegian way and checked by the register service, which says what is wrong."""

    organisation = forms.ChoiceField(label=_("Organisation"))

    def __init__(self, *args, columns: list[dict], organisations: list[tuple[str, str]],
                 **kwargs):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisations
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
                field = forms.CharField(
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
