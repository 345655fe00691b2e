"""Forms of the officer pages: they only parse HTTP input; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import DossierStatus

YES, NO = "yes", "no"


class InboxFilterForm(forms.Form):
    """GET filters of the inbox. Invalid values are reported and ignored, never a 500."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    overdue = forms.ChoiceField(
        label=_("Overdue"),
        required=False,
        choices=[("", _("All")), (YES, _("Overdue only")), (NO, _("Not overdue"))],
    )
    commune = forms.ChoiceField(label=_("Commune"), required=False)

    def __init__(self, *args, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All statuses"))] + [
            (value, label) for value, label in DossierStatus.choices if value != DossierStatus.DRAFT
        ]
        self.fields["commune"].choices = [("", _("All communes"))] + [
            (c.code, c.name) for c in communes
        ]

    def filters(self) -> dict:
        """The valid filters as `dossier_list` keyword arguments (invalid fields are dropped)."""
        data = getattr(self, "cleaned_data", {})
        overdue = {YES: True, NO: False}.get(data.get("overdue") or "")
        return {
            "status": data.get("status") or None,
            "overdue": overdue,
            "commune_code": data.get("commune") or None,
        }


class TransitionForm(forms.Form):
    """One workflow action. The reason is checked by `dossier_transition`, so its message shows."""

    action = forms.CharField(max_length=40)
    note = forms.CharField(
        label=_("Reason for returning the dossier"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommuneAssessmentForm(forms.Form):
    """Mẫu 03: the commune's pre-assessment of the four contents and its proposal."""

    raw_material = forms.CharField(
        label=_("1. Use of local raw materials"), widget=forms.Textarea(attrs={"rows": 3})
    )
    local_labour = forms.CharField(
        label=_("2. Use of local labour"), widget=forms.Textarea(attrs={"rows": 3})
    )
    product_idea = forms.CharField(
        label=_("3. Origin of the product idea"), widget=forms.Textarea(attrs={"rows": 3})
    )
    local_identity = forms.CharField(
        label=_("4. Local identity and knowledge"), widget=forms.Textarea(attrs={"rows": 3})
    )
    proposal = forms.CharField(
        label=_("Proposal to the provincial People's Committee"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consultation_held = forms.BooleanField(label=_("consultation meeting held"), required=False)


class SamplesForm(forms.Form):
    received = forms.IntegerField(label=_("Samples received"), min_value=0, max_value=20)
    on = forms.DateField(
        label=_("Received on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
