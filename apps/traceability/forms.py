from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.products.gs1 import LOT_REGEX

from .choices import BizStep, Disposition, Unit


class LotForm(forms.Form):
    lot_number = forms.RegexField(
        LOT_REGEX,
        label=_("Lot number"),
        max_length=20,
        error_messages={
            "invalid": _(
                "A lot number has 1 to 20 letters, digits or GS1 punctuation, without spaces."
            )
        },
    )
    production_date = forms.DateField(
        label=_("Production date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    expiry_date = forms.DateField(
        label=_("Expiry date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    expiry_not_applicable = forms.BooleanField(label=_("No expiry date"), required=False)
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=12, decimal_places=2, required=False, min_value=0
    )
    quantity_unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    applied_standards = forms.CharField(
        label=_("Applied standards"),
        max_length=255,
        required=False,
        help_text=_("e.g. TCVN 12850:2019; TCCS 01:2026/HTX"),
    )
    brand = forms.CharField(label=_("Brand or trademark"), max_length=120, required=False)


class LotCreateForm(LotForm):
    product = forms.ChoiceField(label=_("Product"))

    field_order = ["product"]

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [(p.pk, f"{p.name} · {p.producer.name}") for p in products]


class EventForm(forms.Form):
    biz_step = forms.ChoiceField(label=_("Business step"), choices=BizStep.choices)
    event_time = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        help_text=_("Viet Nam time (UTC+7)."),
    )
    party_name = forms.CharField(label=_("Business that did this step"), max_length=255)
    party_gln = forms.CharField(label=_("Its GLN (optional)"), max_length=13, required=False)
    source_party_name = forms.CharField(
        label=_("Sent by (shipping, receiving)"), max_length=255, required=False
    )
    destination_party_name = forms.CharField(
        label=_("Sent to (shipping, receiving)"), max_length=255, required=False
    )
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=12, decimal_places=3, required=False
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=[("", "—"), *Unit.choices], required=False)
    disposition = forms.ChoiceField(
        label=_("Condition after the step (optional)"),
        choices=[("", "—"), *Disposition.choices],
        required=False,
    )
    lon = forms.FloatField(
        widget=forms.HiddenInput(),
        min_value=-180,
        max_value=180,
        error_messages={"required": _("Click the map to place this step.")},
    )
    lat = forms.FloatField(
        widget=forms.HiddenInput(),
        min_value=-90,
        max_value=90,
        error_messages={"required": _("Click the map to place this step.")},
    )

    def clean_event_time(self):
        value = self.cleaned_data["event_time"]
        # A datetime-local has no offset: it is Viet Nam time (the project's TIME_ZONE).
        return timezone.localtime(value) if timezone.is_aware(value) else timezone.make_aware(value)


class ImageForm(forms.Form):
    image = forms.FileField(label=_("Product image (JPEG or PNG)"))
