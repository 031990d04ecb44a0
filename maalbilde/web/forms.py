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
