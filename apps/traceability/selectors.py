"""Reads of lots and events. Scoped reads start from `for_user()` (404 out of scope); the public
chain (`lot_public_chain`) and the Circular 02/2024 items are computed for a lot already found."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import ADD_STEPS
from .models import Lot, TraceChange, TraceEvent


def lot_list(*, user) -> QuerySet[Lot]:
    return (
        Lot.objects.for_user(user)
        .select_related("product__producer")
        .annotate(event_count=Count("events"))
        # The Circular 02/2024 check needs each lot's steps: one query for the whole page.
        .prefetch_related(
            Prefetch("events", queryset=TraceEvent.objects.only("id", "lot_id", "biz_step"))
        )
        .order_by("-created_at", "-pk")
    )


def lot_get(*, user, lot_id: int) -> Lot:
    return get_object_or_404(
        Lot.objects.for_user(user).select_related(
            "product__producer__commune", "product__producer__province"
        ),
        pk=lot_id,
    )


def trace_event_list(*, user, lot_id: int) -> QuerySet[TraceEvent]:
    lot = lot_get(user=user, lot_id=lot_id)
    return lot.events.select_related("commune", "province").order_by("event_time", "pk")


def trace_event_get(*, user, lot_id: int, event_id: int) -> TraceEvent:
    return get_object_or_404(
        TraceEvent.objects.for_user(user).select_related("commune", "province", "lot"),
        pk=event_id,
        lot__pk=lot_id,  # a path id beyond BIGINT matches nothing (`lot_id=` overflows in SQLite)
    )


def lot_changes(*, user, lot_id: int) -> QuerySet[TraceChange]:
    """The audit trail of one lot and its events, oldest first."""
    lot = lot_get(user=user, lot_id=lot_id)
    return (
        TraceChange.objects.for_user(user)
        .filter(lot=lot)
        .select_related("actor")
        .order_by("at", "pk")
    )


# --- Circular 02/2024/TT-BKHCN minimum items -----------------------------------------------------
def lot_trace_items(lot: Lot) -> list[dict]:
    """The minimum traceability information of Thông tư 02/2024/TT-BKHCN for one lot, each with
    whether it is present: product name and image; producer name and address; the traceability
    code; production date; production stages and their times; the place of each stage; expiry
    date (or "none"); applied standards. Brand or serial is asked for only "if any", so it is
    not required."""
    product = lot.product
    producer = product.producer
    events = list(lot.events.all())  # uses the prefetch of lot_list when there is one
    return [
        {"code": "product_name", "label": _("Product name"), "present": bool(product.name)},
        {
            "code": "product_image",
            "label": _("Product image"),
            "present": bool(lot.image_storage_name),
        },
        {
            "code": "producer_name",
            "label": _("Name of the producer"),
            "present": bool(producer.name),
        },
        {
            "code": "producer_address",
            "label": _("Address of the producer"),
            "present": bool(producer.address),
        },
        # The lot's identifier (GS1 Digital Link with the GTIN, or this site's lot URI) always
        # exists once the lot does.
        {"code": "trace_code", "label": _("Traceability code"), "present": True},
        {
            "code": "production_date",
            "label": _("Production date"),
            "present": lot.production_date is not None,
        },
        {
            "code": "production_stages",
            "label": _("Production stages and their times (a harvesting or processing event)"),
            "present": any(e.biz_step in ADD_STEPS for e in events),
        },
        {
            "code": "stage_places",
            "label": _("Place of each stage (events on the map)"),
            "present": bool(events),
        },
        {
            "code": "expiry_date",
            "label": _("Expiry date (or “no expiry date”)"),
            "present": lot.expiry_date is not None or lot.expiry_not_applicable,
        },
        {
            "code": "applied_standards",
            "label": _("Applied standards (TCVN, QCVN, international or own)"),
            "present": bool(lot.applied_standards.strip()),
        },
    ]


def lot_missing_items(lot: Lot) -> list[dict]:
    """The Circular 02/2024 minimum items this lot lacks: [{"code", "label"}], empty when
    complete."""
    return [
        {"code": i["code"], "label": i["label"]} for i in lot_trace_items(lot) if not i["present"]
    ]


# --- the public chain ----------------------------------------------------------------------------
def lot_public_chain(lot: Lot) -> list[dict]:
    """The lot's events in time order as plain JSON-safe dicts, for the public trace page and the
    GS1 Digital Link resolver. Only business data: the party is a business name and GLN; nothing
    about a private person (no user names, no representative, no phone or address)."""
    rows = []
    for e in lot.events.select_related("commune", "province").order_by("event_time", "pk"):
        local = timezone.localtime(e.event_time, timezone=_fixed(e.time_zone_offset))
        rows.append(
            {
                "id": e.pk,
                "event_time": local.isoformat(),
                "time_zone_offset": e.time_zone_offset,
                "when": local.strftime("%d/%m/%Y %H:%M"),
                "biz_step": e.biz_step,
                "biz_step_label": str(e.get_biz_step_display()),
                "disposition": e.disposition,
                "disposition_label": str(e.get_disposition_display()) if e.disposition else "",
                "party_name": e.party_name,
                "party_id": e.party_gln,
                "source_party_name": e.source_party_name,
                "destination_party_name": e.destination_party_name,
                "quantity": decimal_text(e.quantity),
                "unit": e.unit,
                "unit_label": str(e.get_unit_display()) if e.unit else "",
                "lon": round(e.location.x, 6),
                "lat": round(e.location.y, 6),
                "commune_code": e.commune.code if e.commune else "",
                "commune_name": e.commune.full_name if e.commune else "",
                "province_name": e.province.full_name,
            }
        )
    return rows


def decimal_text(value) -> str | None:
    """1000.000 → "1000", 2.500 → "2.5" (never "1E+3")."""
    if value is None:
        return None
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _fixed(offset: str):
    from datetime import timedelta
    from datetime import timezone as dt_timezone

    sign = -1 if offset.startswith("-") else 1
    hours, minutes = offset[1:].split(":")
    return dt_timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))
