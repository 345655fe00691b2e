"""Forms of the decision pages: they only parse HTTP input; `services.recognition_decide` and
the others check role, jurisdiction and the law again, and their refusals show on the page."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The titles a decision is signed under (Nghị định 30/2020/NĐ-CP on administrative documents:
# the head signs, or a deputy signs "KT." for the head). Suggestions only: the field is free text.
SIGNER_TITLES = {
    "province": ("CHỦ TỊCH", "KT. CHỦ TỊCH - PHÓ CHỦ TỊCH"),
    "ministry": ("BỘ TRƯỞNG", "KT. BỘ TRƯỞNG - THỨ TRƯỞNG"),
}


class DecisionForm(forms.Form):
    """A recognition decision (quyết định công nhận) for the chosen council results."""

    results = forms.TypedMultipleChoiceField(
        label=_("Products recognised by this decision"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one council result.")},
    )
    decision_number = forms.CharField(
        label=_("Decision number"),
        max_length=60,
        help_text=_("As printed on the signed decision, e.g. 1234/QĐ-UBND."),
    )
    decision_date = forms.DateField(
        label=_("Decision date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    signer_name = forms.CharField(label=_("Signed by"), max_length=150)
    signer_title = forms.CharField(
        label=_("Signer's title"),
        max_length=150,
        widget=forms.TextInput(attrs={"list": "signer-titles"}),
    )

    def __init__(self, *args, result_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["results"].choices = [(i, i) for i in result_ids]
        if not self.is_bound:
            self.initial.setdefault("decision_date", timezone.localdate())

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "result_ids": data["results"],
            "decision_number": data["decision_number"],
            "decision_date": data["decision_date"],
            "signer_name": data["signer_name"],
            "signer_title": data["signer_title"],
        }


class CloseForm(forms.Form):
    """Closing a 1★/2★ or rejected result without recognition; the note goes to the producer
    (the council's feedback when empty)."""

    result = forms.IntegerField(min_value=1)
    note = forms.CharField(
        label=_("Note to the producer"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ResultForm(forms.Form):
    result = forms.IntegerField(min_value=1)
