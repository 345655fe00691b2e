"""The producer's portal: register a producer on the map, place it, draw its production areas."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.gis.geos import Point
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from apps.core.exceptions import ApplicationError

from .choices import AreaKind, LegalType
from .permissions import can_create_producer, can_edit_producer
from .selectors import producer_get, producer_list
from .services import producer_create


class ProducerRegistrationForm(forms.Form):
    name = forms.CharField(label=_("Name of the producer"), max_length=255)
    legal_type = forms.ChoiceField(label=_("Legal type"), choices=LegalType.choices)
    registration_number = forms.CharField(label=_("Business registration number"), max_length=50)
    registration_date = forms.DateField(
        label=_("Registration date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    address = forms.CharField(label=_("Address"), max_length=255)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    representative_name = forms.CharField(label=_("Legal representative"), max_length=150)
    lon = forms.FloatField(
        widget=forms.HiddenInput(),
        min_value=-180,
        max_value=180,
        error_messages={"required": _("Click the map to place the producer.")},
    )
    lat = forms.FloatField(
        widget=forms.HiddenInput(),
        min_value=-90,
        max_value=90,
        error_messages={"required": _("Click the map to place the producer.")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def portal(request):
    """The user's producers on a map, and the registration form (commune and province are
    derived from the point; a point outside the province is refused with the reason)."""
    form = (
        ProducerRegistrationForm(request.POST or None)
        if can_create_producer(request.user)
        else None
    )
    status = 200
    if request.method == "POST" and form is not None:
        if form.is_valid():
            data = dict(form.cleaned_data)
            location = Point(data.pop("lon"), data.pop("lat"), srid=4326)
            try:
                producer = producer_create(actor=request.user, location=location, **data)
            except ApplicationError as exc:
                key = exc.extra.get("key")
                form.add_error(
                    "lon" if key == "location" else (key if key in form.fields else None),
                    exc.message,
                )
            else:
                messages.success(
                    request,
                    _("Producer registered in %(commune)s.") % {"commune": producer.commune},
                )
                return redirect("producers:profile", producer_id=producer.pk)
        status = 400
    producers = list(producer_list(user=request.user).select_related("commune", "province"))
    return render(
        request, "producers/portal.html", {"form": form, "producers": producers}, status=status
    )


@login_required
def profile(request, producer_id: int):
    producer = producer_get(user=request.user, producer_id=producer_id)
    return render(
        request,
        "producers/profile.html",
        {
            "producer": producer,
            "editable": can_edit_producer(request.user, producer),
            "products": producer.products.all(),
            "area_kinds": AreaKind.choices,
            "area_kind_labels": {value: str(label) for value, label in AreaKind.choices},
        },
    )
