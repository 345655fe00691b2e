"""Pages: the producer's lots and their events (list, create, edit, event entry on a map), and
the PUBLIC trace page of a lot (map + timeline, no personal data).

Contract for the GS1 Digital Link resolver (apps.public): `lot_trace_response(request, lot)`
renders the public page of a `Lot` found by the caller.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.gis.geos import Point
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.choices import Role
from apps.certificates.choices import PublicStatus
from apps.certificates.models import Certificate, certificate_status
from apps.core.exceptions import ApplicationError
from apps.core.files import file_response
from apps.core.parsing import parse_id
from apps.products.models import Product

from . import services
from .choices import BizStep
from .epcis import lot_class_uri
from .forms import EventForm, ImageForm, LotCreateForm, LotForm
from .models import Lot
from .selectors import lot_changes, lot_get, lot_list, lot_public_chain, lot_trace_items

LOT_FORM_FIELDS = tuple(LotForm.base_fields)
EVENT_FORM_FIELDS = (
    "biz_step",
    "event_time",
    "party_name",
    "party_gln",
    "source_party_name",
    "destination_party_name",
    "quantity",
    "unit",
    "disposition",
)


# --- public ------------------------------------------------------------------------------------
def _certificate(product):
    """The product's newest certificate, revoked ones included (shown as revoked)."""
    cert = Certificate.objects.filter(product=product).newest_first().first()
    if cert is None:
        return None
    status = certificate_status(cert, timezone.localdate())
    return {
        "code": cert.product_code,
        "stars": range(cert.stars),
        "n": cert.stars,
        "status": status,
        "status_label": PublicStatus(status).label,
        "valid_until": cert.valid_until,
    }


def lot_trace_response(request, lot: Lot) -> HttpResponse:
    """The public trace page of `lot`: product, producer (business name, address, commune), the
    lot's dates and standards, the live OCOP certificate status, the chain of events on a map
    (points joined in time order) and as a timeline, and the Circular 02/2024 items. No personal
    data: no representative, phone, e-mail or user names. Cacheable for a minute."""
    lot = Lot.objects.select_related(
        "product__producer__commune", "product__producer__province"
    ).get(pk=lot.pk)
    producer = lot.product.producer
    response = render(
        request,
        "traceability/lot_trace_public.html",
        {
            "lot": lot,
            "product": lot.product,
            "producer": {
                "name": producer.name,
                "address": producer.address,
                "commune": producer.commune.full_name,
                "province": producer.province.full_name,
                "is_demo": producer.is_demo,
            },
            "chain": lot_public_chain(lot),
            "trace_items": lot_trace_items(lot),
            "class_uri": lot_class_uri(lot),
            "certificate": _certificate(lot.product),
            "is_demo": lot.is_demo or producer.is_demo,
        },
    )
    response["Cache-Control"] = "public, max-age=60"
    return response


@require_GET
def public_lot(request, public_id: str):
    """The public trace page, by the lot's random public id; unpublished lots are a 404."""
    lot = get_object_or_404(Lot.objects.published(), public_id=public_id)
    return lot_trace_response(request, lot)


@require_GET
def public_lot_by_product(request, product_id: int, lot_number: str):
    """The fallback identifier of lots of products without a GTIN (see apps.traceability.epcis).
    Published lots only, as the GS1 resolver."""
    return lot_trace_response(
        request,
        get_object_or_404(Lot.objects.published(), product_id=product_id, lot_number=lot_number),
    )


def _image_response(lot: Lot, *, public: bool) -> HttpResponse:
    if not lot.image_storage_name:
        raise Http404("No image")
    response = file_response(
        storage_name=lot.image_storage_name,
        filename=f"lot-{lot.public_id}",
        content_type=lot.image_content_type,
        as_attachment=False,
    )
    if public:
        response["Cache-Control"] = "public, max-age=3600"
        response["Cross-Origin-Resource-Policy"] = "same-site"
    return response


@require_GET
def public_lot_image(request, public_id: str):
    lot = get_object_or_404(Lot.objects.published(), public_id=public_id)
    return _image_response(lot, public=True)


@login_required
@require_GET
def lot_image(request, lot_id: int):
    """The lot's image for the users who may see the lot (published or not)."""
    return _image_response(lot_get(user=request.user, lot_id=lot_id), public=False)


# --- producer pages ------------------------------------------------------------------------
def _own_products(user):
    if user.role != Role.PRODUCER:
        return Product.objects.none()
    return (
        Product.objects.filter(producer__users=user)
        .select_related("producer")
        .order_by("name", "pk")
    )


def _can_write(user, lot: Lot) -> bool:
    return user.role == Role.PRODUCER and lot.product.producer.users.filter(pk=user.pk).exists()


def _apply_error(form, exc: ApplicationError, mapping=None) -> None:
    key = (mapping or {}).get(exc.extra.get("key"), exc.extra.get("key"))
    form.add_error(key if key in form.fields else None, exc.message)


@login_required
@require_http_methods(["GET", "POST"])
def lots(request):
    """The user's lots (producers: their own; officers: their jurisdiction's) and, for producer
    accounts, the form to register a lot."""
    products = list(_own_products(request.user))
    form = LotCreateForm(request.POST or None, products=products) if products else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                lot = services.lot_create(
                    actor=request.user, product_id=int(data.pop("product")), **data
                )
            except ApplicationError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, _("Lot %(lot)s registered.") % {"lot": lot.lot_number})
                return redirect("traceability:lot", lot_id=lot.pk)
        status = 400
    return render(
        request,
        "traceability/lots.html",
        {"lots": lot_list(user=request.user), "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def lot_page(request, lot_id: int):
    """One lot: its Circular 02/2024 items, its data (editable by the producer), its events on a
    map and in a table, the event entry form with a point picker, and the audit trail."""
    lot = lot_get(user=request.user, lot_id=lot_id)
    editable = _can_write(request.user, lot)
    forms = _lot_forms(lot)
    status = 200
    if request.method == "POST":
        if not editable:
            raise Http404
        action = request.POST.get("action")
        try:
            response = _lot_action(request, lot, action, forms)
            if response is not None:
                return response
        except ApplicationError as exc:
            target = forms.get(action)
            if target is None:
                messages.error(request, exc.message)
                return redirect("traceability:lot", lot_id=lot.pk)
            _apply_error(target, exc, {"location": "lon", "file": "image"})
        status = 400
    items = lot_trace_items(lot)
    return render(
        request,
        "traceability/lot.html",
        {
            "lot": lot,
            "editable": editable,
            "lot_form": forms["save_lot"],
            "event_form": forms["add_event"],
            "image_form": forms["upload_image"],
            "trace_items": items,
            "missing": [i for i in items if not i["present"]],
            "chain": lot_public_chain(lot),
            "changes": lot_changes(user=request.user, lot_id=lot.pk),
            "class_uri": lot_class_uri(lot),
            "steps": BizStep.choices,
        },
        status=status,
    )


def _lot_forms(lot) -> dict:
    """The lot page's unbound forms, keyed by the action that posts each."""
    initial = {f: getattr(lot, f) for f in LOT_FORM_FIELDS}
    return {
        "save_lot": LotForm(initial=initial),
        "add_event": EventForm(
            initial={
                "party_name": lot.product.producer.name,
                "event_time": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            }
        ),
        "upload_image": ImageForm(),
    }


def _lot_action(request, lot, action, forms: dict):
    """Run the POSTed `action` on the lot: the redirect on success, or None when a form is
    invalid (the bound form replaces the unbound one in `forms`)."""
    if action == "save_lot":
        lot_form = forms["save_lot"] = LotForm(request.POST)
        if lot_form.is_valid():
            services.lot_update(actor=request.user, lot_id=lot.pk, **lot_form.cleaned_data)
            messages.success(request, _("Lot saved."))
            return redirect("traceability:lot", lot_id=lot.pk)
    elif action == "add_event":
        event_form = forms["add_event"] = EventForm(request.POST)
        if event_form.is_valid():
            data = event_form.cleaned_data
            fields = {f: data[f] for f in EVENT_FORM_FIELDS if data.get(f) not in (None, "")}
            _event, warnings = services.trace_event_create(
                actor=request.user,
                lot_id=lot.pk,
                location=Point(data["lon"], data["lat"], srid=4326),
                **fields,
            )
            messages.success(request, _("Event recorded."))
            for warning in warnings:
                messages.warning(request, warning)
            return redirect("traceability:lot", lot_id=lot.pk)
    elif action == "delete_event":
        services.trace_event_delete(
            actor=request.user,
            lot_id=lot.pk,
            event_id=parse_id(request.POST.get("event"), field="event"),
        )
        messages.success(request, _("Event deleted."))
        return redirect("traceability:lot", lot_id=lot.pk)
    elif action == "upload_image":
        image_form = forms["upload_image"] = ImageForm(request.POST, request.FILES)
        if image_form.is_valid():
            services.lot_image_set(
                actor=request.user, lot_id=lot.pk, file=image_form.cleaned_data["image"]
            )
            messages.success(request, _("Image saved."))
            return redirect("traceability:lot", lot_id=lot.pk)
    elif action in ("publish", "unpublish"):
        services.lot_publish(actor=request.user, lot_id=lot.pk, published=action == "publish")
        messages.success(
            request,
            _("The lot's public trace page is online.")
            if action == "publish"
            else _("The lot's public trace page is offline."),
        )
        return redirect("traceability:lot", lot_id=lot.pk)
    elif action == "delete_lot":
        services.lot_delete(actor=request.user, lot_id=lot.pk)
        messages.success(request, _("Lot deleted."))
        return redirect("traceability:lots")
    return None
