"""Writes of lots and traceability events.

Invariants:
- only the producer's own accounts (role producer, linked through `Producer.users`) create,
  change or delete lots and events; anyone else gets 404 when the lot is outside what they may
  read, 403 when they may read it but not write it;
- a lot's dates are ordered and its production date is not in the future;
- an event's time carries a time zone offset, is not in the future, and its point lies inside
  an administrative unit of Viet Nam; commune and province come from the point and the boundaries
  in force on the day of saving (`apps.geo.selectors.units_at`), never from the client;
- a lot with events is not deleted (delete its events first, each leaving an audit row);
- every change writes a `TraceChange` row (who, when, what) in the same transaction.

Step-order oddities (receiving with no shipping before it, packing before harvesting, an event
after the expiry date) are returned as warnings, never refused.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.choices import Role
from apps.core.exceptions import ApplicationError, ErrorCode, not_found
from apps.core.files import stored_file_delete, stored_file_or_cleanup, upload_check
from apps.core.parsing import is_ascii_digits
from apps.geo.selectors import units_at
from apps.producers.services import full_clean_or_invalid, invalid_input
from apps.products.gs1 import gtin_check_digit
from apps.products.models import Product

from .choices import ADD_STEPS, STAGE_ORDER, TRANSFER_STEPS, BizStep, ChangeAction
from .models import Lot, TraceChange, TraceEvent

# Clocks of phones and servers disagree a little: an event up to this far ahead is not "future".
CLOCK_SKEW = timedelta(minutes=5)
LOT_FIELDS = (
    "lot_number",
    "production_date",
    "expiry_date",
    "expiry_not_applicable",
    "quantity",
    "quantity_unit",
    "applied_standards",
    "brand",
)
EVENT_FIELDS = (
    "biz_step",
    "disposition",
    "event_time",
    "location",
    "party_name",
    "party_gln",
    "source_party_name",
    "source_party_gln",
    "destination_party_name",
    "destination_party_gln",
    "quantity",
    "unit",
)
IMAGE_TYPES = ("image/jpeg", "image/png")
IMAGE_MAX_BYTES = 5 * 1024 * 1024


# --- who may write ----------------------------------------------------------------------------
def _require_owner(actor, product: Product) -> None:
    if not (
        actor
        and actor.is_authenticated
        and actor.role == Role.PRODUCER
        and product.producer.users.filter(pk=actor.pk).exists()
    ):
        raise ApplicationError(
            ErrorCode.PERMISSION_DENIED,
            _("Only the producer's own accounts record its lots and traceability events."),
        )


def _lot_for_write(actor, lot_id: int) -> Lot:
    """The lot, locked, if `actor` may write it: 404 outside the read scope, 403 inside it."""
    lot = (
        Lot.objects.for_user(actor)
        .select_for_update(of=("self",))
        .select_related("product__producer")
        .filter(pk=lot_id)
        .first()
    )
    if lot is None:
        raise not_found(lot_id=lot_id)
    _require_owner(actor, lot.product)
    return lot


def _event_for_write(actor, event_id: int, lot_id: int | None = None) -> TraceEvent:
    qs = TraceEvent.objects.for_user(actor).select_related("lot__product__producer")
    if lot_id is not None:
        # `lot__pk`, not `lot_id`: Django's out-of-range guard (no row, not an overflow error
        # from the database) applies to the primary key's lookup, not the foreign key's.
        qs = qs.filter(lot__pk=lot_id)
    event = qs.select_for_update(of=("self",)).filter(pk=event_id).first()
    if event is None:
        raise not_found(event_id=event_id)
    _require_owner(actor, event.lot.product)
    return event


# --- audit --------------------------------------------------------------------------------------
def _json_value(value: Any) -> Any:
    if isinstance(value, Point):
        return [round(value.x, 7), round(value.y, 7)]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _snapshot(obj, fields) -> dict[str, Any]:
    return {f: _json_value(getattr(obj, f)) for f in fields}


def _record(*, actor, lot: Lot, action: str, changes: dict, event_id: int | None = None) -> None:
    TraceChange.objects.create(
        producer=lot.product.producer,
        lot=lot if lot.pk else None,
        lot_label=str(lot),
        event_id=event_id,
        action=action,
        actor=actor,
        changes=changes,
    )


def _diff(before: dict, after: dict) -> dict[str, list]:
    return {k: [before[k], after[k]] for k in after if before.get(k) != after[k]}


# --- lots -----------------------------------------------------------------------------------------
def _check_lot(lot: Lot) -> None:
    today = timezone.localdate()
    if lot.production_date and lot.production_date > today:
        raise invalid_input("production_date", _("The production date cannot be in the future."))
    if lot.production_date and lot.expiry_date and lot.expiry_date < lot.production_date:
        raise invalid_input(
            "expiry_date",
            _("The expiry date (%(expiry)s) is before the production date (%(production)s).")
            % {
                "expiry": lot.expiry_date.strftime("%d/%m/%Y"),
                "production": lot.production_date.strftime("%d/%m/%Y"),
            },
        )
    if lot.expiry_not_applicable and lot.expiry_date:
        raise invalid_input(
            "expiry_not_applicable",
            _("Either give an expiry date or tick “no expiry date”, not both."),
        )
    if lot.quantity is not None and lot.quantity <= 0:
        raise invalid_input("quantity", _("The quantity must be greater than zero."))
    duplicate = Lot.objects.filter(product_id=lot.product_id, lot_number=lot.lot_number)
    if lot.pk:
        duplicate = duplicate.exclude(pk=lot.pk)
    if duplicate.exists():
        raise invalid_input(
            "lot_number",
            _("This product already has a lot numbered %(lot)s.") % {"lot": lot.lot_number},
        )
    full_clean_or_invalid(lot, exclude=["created_by"])


@transaction.atomic
def lot_create(
    *,
    actor,
    product_id: int,
    lot_number: str,
    is_demo: bool = False,
    published: bool = False,
    **fields,
) -> Lot:
    """Register a lot of one of the actor's producer's products. A new lot is unpublished (no
    public page) unless `published` says otherwise; see `lot_publish`."""
    product = (
        Product.objects.for_user(actor).select_related("producer").filter(pk=product_id).first()
    )
    if product is None:
        raise not_found(product_id=product_id)
    _require_owner(actor, product)
    unknown = set(fields) - set(LOT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown lot fields: {sorted(unknown)}")
    lot = Lot(
        product=product,
        lot_number=lot_number,
        created_by=actor,
        is_demo=is_demo,
        published=published,
        **fields,
    )
    _check_lot(lot)
    lot.save()
    _record(
        actor=actor,
        lot=lot,
        action=ChangeAction.LOT_CREATED,
        changes={k: [None, v] for k, v in _snapshot(lot, LOT_FIELDS).items()},
    )
    return lot


@transaction.atomic
def lot_update(*, actor, lot_id: int, **fields) -> Lot:
    """Change some fields of a lot; records what changed."""
    unknown = set(fields) - set(LOT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown lot fields: {sorted(unknown)}")
    lot = _lot_for_write(actor, lot_id)
    before = _snapshot(lot, LOT_FIELDS)
    for key, value in fields.items():
        setattr(lot, key, value)
    _check_lot(lot)
    changes = _diff(before, _snapshot(lot, LOT_FIELDS))
    if changes:
        lot.save(update_fields=[*fields, "updated_at"])
        _record(actor=actor, lot=lot, action=ChangeAction.LOT_UPDATED, changes=changes)
    return lot


@transaction.atomic
def lot_publish(*, actor, lot_id: int, published: bool) -> Lot:
    """Put the lot's public trace page online (`published=True`) or take it offline. Until it
    is published, the trace page, the GS1 Digital Link resolver (`/01/{gtin}/10/{lot}`) and the
    lot's public image answer 404. Recorded in the audit trail."""
    lot = _lot_for_write(actor, lot_id)
    if lot.published != published:
        _record(
            actor=actor,
            lot=lot,
            action=ChangeAction.LOT_UPDATED,
            changes={"published": [lot.published, published]},
        )
        lot.published = published
        lot.save(update_fields=["published", "updated_at"])
    return lot


@transaction.atomic
def lot_delete(*, actor, lot_id: int) -> None:
    """Delete a lot that has no events (its audit rows stay, pointing at nothing)."""
    lot = _lot_for_write(actor, lot_id)
    if lot.events.exists():
        raise ApplicationError(
            ErrorCode.BAD_TRANSITION,
            _("This lot has traceability events; delete them first."),
            extra={"events": lot.events.count()},
        )
    _record(
        actor=actor,
        lot=lot,
        action=ChangeAction.LOT_DELETED,
        changes={k: [v, None] for k, v in _snapshot(lot, LOT_FIELDS).items()},
    )
    image = lot.image_storage_name
    lot.delete()
    if image:
        transaction.on_commit(lambda: stored_file_delete(storage_name=image))


def lot_image_set(*, actor, lot_id: int, file) -> Lot:
    """Attach the product image of a lot (JPEG or PNG, checked by content, at most 5 MB); the
    previous image, if any, is deleted after the change commits."""
    with transaction.atomic():
        _lot_for_write(actor, lot_id)  # scope and right, before reading the upload
    checked = upload_check(file=file, max_bytes=IMAGE_MAX_BYTES)
    if checked.content_type not in IMAGE_TYPES:
        raise ApplicationError(
            ErrorCode.INVALID_FILE,
            _("The product image must be a JPEG or PNG picture."),
            extra={"key": "image", "detected": checked.extension},
        )
    with stored_file_or_cleanup(checked=checked, file=file, prefix="trace/images") as name:
        with transaction.atomic(durable=True):
            lot = _lot_for_write(actor, lot_id)
            old = lot.image_storage_name
            lot.image_storage_name = name
            lot.image_content_type = checked.content_type
            lot.image_sha256 = checked.sha256
            lot.save(
                update_fields=[
                    "image_storage_name",
                    "image_content_type",
                    "image_sha256",
                    "updated_at",
                ]
            )
            _record(
                actor=actor,
                lot=lot,
                action=ChangeAction.LOT_UPDATED,
                changes={"image_sha256": [None if not old else "…", checked.sha256]},
            )
    if old:
        stored_file_delete(storage_name=old)
    return lot


# --- events -------------------------------------------------------------------------------------
def _offset_text(moment: datetime) -> str:
    offset = moment.utcoffset()
    total = int(offset.total_seconds() // 60)
    sign = "-" if total < 0 else "+"
    hours, minutes = divmod(abs(total), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def _check_gln(key: str, value: str) -> None:
    if value and (
        # ASCII digits only: str.isdigit() accepts "²", on which int() fails
        len(value) != 13
        or not is_ascii_digits(value)
        or int(value[-1]) != gtin_check_digit(value[:-1])
    ):
        raise invalid_input(
            key,
            _("A GLN has 13 digits and a valid check digit; leave it empty if the party has none."),
        )


def _check_event(event: TraceEvent) -> None:
    moment = event.event_time
    if moment is None or timezone.is_naive(moment):
        raise invalid_input(
            "event_time",
            _("Give the event time with its time zone offset, e.g. 2026-03-01T08:30:00+07:00."),
        )
    if moment > timezone.now() + CLOCK_SKEW:
        raise invalid_input("event_time", _("The event time cannot be in the future."))
    if not (event.party_name or "").strip():
        raise invalid_input("party_name", _("Name the business that did this step."))
    for key in ("party_gln", "source_party_gln", "destination_party_gln"):
        _check_gln(key, getattr(event, key))
    if event.quantity is not None and event.quantity <= 0:
        raise invalid_input("quantity", _("The quantity must be greater than zero."))
    if event.quantity is not None and not event.unit:
        raise invalid_input("unit", _("Give the unit of the quantity."))
    if event.biz_step not in TRANSFER_STEPS and (
        event.source_party_name or event.destination_party_name
    ):
        raise invalid_input(
            "destination_party_name",
            _("Only shipping and receiving events have a sending and a receiving party."),
        )


def _place(event: TraceEvent) -> None:
    """Derive commune and province from the point (boundaries in force today)."""
    point = event.location
    if point is None:
        raise invalid_input("location", _("Put the place of this step on the map."))
    if point.srid not in (None, 4326):
        point = point.transform(4326, clone=True)
        event.location = point
    found = units_at(lon=point.x, lat=point.y)
    if found is None:
        raise invalid_input(
            "location",
            _(
                "This point is outside every administrative unit of Viet Nam (at sea or abroad). "
                "Put the point where the step took place."
            ),
            location={"lon": point.x, "lat": point.y},
        )
    event.commune = found.commune
    event.province = found.province


def trace_event_warnings(event: TraceEvent) -> list[str]:
    """Oddities of the chain around `event` that are worth a second look, never refusals."""
    warnings: list[str] = []
    others = list(event.lot.events.exclude(pk=event.pk).only("biz_step", "event_time"))
    label = event.get_biz_step_display()
    if event.biz_step == BizStep.RECEIVING and not any(
        o.biz_step == BizStep.SHIPPING and o.event_time <= event.event_time for o in others
    ):
        warnings.append(_("Receiving is recorded with no shipping event before it."))
    stage = STAGE_ORDER[event.biz_step]
    later_earlier = [
        o for o in others if o.event_time < event.event_time and STAGE_ORDER[o.biz_step] > stage
    ]
    earlier_later = [
        o for o in others if o.event_time > event.event_time and STAGE_ORDER[o.biz_step] < stage
    ]
    for other in later_earlier[:1] + earlier_later[:1]:
        warnings.append(
            _("%(step)s on %(when)s is out of the usual order with %(other)s on %(other_when)s.")
            % {
                "step": label,
                "when": timezone.localtime(event.event_time).strftime("%d/%m/%Y %H:%M"),
                "other": other.get_biz_step_display(),
                "other_when": timezone.localtime(other.event_time).strftime("%d/%m/%Y %H:%M"),
            }
        )
    day = timezone.localtime(event.event_time).date()
    lot = event.lot
    if lot.production_date and event.biz_step not in ADD_STEPS and day < lot.production_date:
        warnings.append(_("This event is before the lot's production date."))
    if lot.expiry_date and day > lot.expiry_date:
        warnings.append(_("This event is after the lot's expiry date."))
    return warnings


@transaction.atomic
def trace_event_create(
    *,
    actor,
    lot_id: int,
    biz_step: str,
    event_time: datetime,
    location: Point,
    party_name: str,
    is_demo: bool = False,
    **fields,
) -> tuple[TraceEvent, list[str]]:
    """Record one event of a lot. Returns the event and the warnings about the chain."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown event fields: {sorted(unknown)}")
    lot = _lot_for_write(actor, lot_id)
    event = TraceEvent(
        lot=lot,
        biz_step=biz_step,
        event_time=event_time,
        location=location,
        party_name=(party_name or "").strip(),
        created_by=actor,
        is_demo=is_demo,
        **fields,
    )
    _check_event(event)
    _place(event)
    event.time_zone_offset = _offset_text(event_time)
    full_clean_or_invalid(event, exclude=["created_by", "lot", "commune", "province"])
    event.save()
    _record(
        actor=actor,
        lot=lot,
        action=ChangeAction.EVENT_CREATED,
        event_id=event.pk,
        changes={k: [None, v] for k, v in _snapshot(event, EVENT_FIELDS).items()},
    )
    return event, trace_event_warnings(event)


@transaction.atomic
def trace_event_update(
    *, actor, event_id: int, lot_id: int | None = None, **fields
) -> tuple[TraceEvent, list[str]]:
    """Change some fields of an event; a new point re-derives commune and province."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown event fields: {sorted(unknown)}")
    event = _event_for_write(actor, event_id, lot_id)
    before = _snapshot(event, EVENT_FIELDS)
    for key, value in fields.items():
        setattr(event, key, value)
    _check_event(event)
    update = set(fields) | {"updated_at"}
    if "location" in fields:
        _place(event)
        update |= {"commune", "province"}
    if "event_time" in fields:
        event.time_zone_offset = _offset_text(event.event_time)
        update.add("time_zone_offset")
    full_clean_or_invalid(event, exclude=["created_by", "lot", "commune", "province"])
    changes = _diff(before, _snapshot(event, EVENT_FIELDS))
    if changes:
        event.save(update_fields=sorted(update))
        _record(
            actor=actor,
            lot=event.lot,
            action=ChangeAction.EVENT_UPDATED,
            event_id=event.pk,
            changes=changes,
        )
    return event, trace_event_warnings(event)


@transaction.atomic
def trace_event_delete(*, actor, event_id: int, lot_id: int | None = None) -> None:
    event = _event_for_write(actor, event_id, lot_id)
    _record(
        actor=actor,
        lot=event.lot,
        action=ChangeAction.EVENT_DELETED,
        event_id=event.pk,
        changes={k: [v, None] for k, v in _snapshot(event, EVENT_FIELDS).items()},
    )
    event.delete()
