"""EPCIS 2.0 JSON-LD export of a lot's events (GS1 EPCIS 2.0 §9 / JSON binding).

Each event is an ObjectEvent about the lot as a class (`quantityList`, one element):

- what: `epcClass` is the lot's GS1 Digital Link URI `https://id.gs1.org/01/{gtin14}/10/{lot}`
  when the product has a GTIN; otherwise an https URI of this site,
  `{site}/trace/p/{product_id}/10/{lot}`, where `{site}` is the scheme and host of the
  `OCOP_PUBLIC_PRODUCT_URL` setting (the public origin the QR codes already use). That URI
  resolves to the lot's public trace page.
- when: `eventTime` with the offset the event was recorded in, and `eventTimeZoneOffset`;
  `recordTime` is when it was saved.
- where: `readPoint` is a `geo:` URI (RFC 5870) of the point; `bizLocation` is the party's GLN as
  `https://id.gs1.org/414/{gln}` when given, else the same `geo:` URI.
- why: `bizStep` in CBV 2.0 (see `choices.CBV_BIZ_STEP`), `disposition` when recorded; action ADD
  for harvesting and processing (the lot comes into being), OBSERVE otherwise.
- who: parties with a GLN appear as `sourceList`/`destinationList` (`owning_party`,
  `https://id.gs1.org/417/{gln}`); names, which EPCIS has no field for, go in extension fields of
  this site's namespace (`ocop:partyName` …), declared in `@context`.

The ADD event carries the lot's ILMD (`cbvmda:lotNumber`, `cbvmda:itemExpirationDate`).
"""

from __future__ import annotations

from datetime import UTC
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.utils import timezone

from .choices import ADD_STEPS, CBV_BIZ_STEP, TRANSFER_STEPS
from .models import Lot, TraceEvent
from .selectors import _fixed, decimal_text

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
CONTENT_TYPE = "application/ld+json"
# GS1 Digital Link path segments: AI values are percent-encoded except unreserved characters.
_DL_SAFE = "-._~"


def site_origin() -> str:
    parts = urlsplit(settings.OCOP_PUBLIC_PRODUCT_URL)
    return f"{parts.scheme}://{parts.netloc}"


def lot_class_uri(lot: Lot) -> str:
    """The class-level identifier of the lot (GTIN + AI 10, or this site's fallback URI)."""
    number = quote(lot.lot_number, safe=_DL_SAFE)
    if lot.product.gtin:
        return f"https://id.gs1.org/01/{lot.product.gtin}/10/{number}"
    return f"{site_origin()}/trace/p/{lot.product_id}/10/{number}"


def _geo(event: TraceEvent) -> str:
    return f"geo:{event.location.y:.6f},{event.location.x:.6f}"


def _event(lot: Lot, e: TraceEvent, class_uri: str, ns: str) -> dict:
    moment = timezone.localtime(e.event_time, timezone=_fixed(e.time_zone_offset))
    quantity = {"epcClass": class_uri}
    if e.quantity is not None:
        quantity["quantity"] = float(decimal_text(e.quantity))
        if e.unit:
            quantity["uom"] = e.unit
    add = e.biz_step in ADD_STEPS
    doc: dict = {
        "type": "ObjectEvent",
        "eventID": f"urn:uuid:{e.uuid}",
        "eventTime": moment.isoformat(timespec="seconds"),
        "eventTimeZoneOffset": e.time_zone_offset,
        "recordTime": e.created_at.astimezone(UTC)
        .isoformat(timespec="seconds")
        .replace("+00:00", "Z"),
        "action": "ADD" if add else "OBSERVE",
        "quantityList": [quantity],
        "bizStep": CBV_BIZ_STEP[e.biz_step],
        "readPoint": {"id": _geo(e)},
        "bizLocation": {"id": f"https://id.gs1.org/414/{e.party_gln}" if e.party_gln else _geo(e)},
    }
    if e.disposition:
        doc["disposition"] = e.disposition
    if e.biz_step in TRANSFER_STEPS:
        if e.source_party_gln:
            doc["sourceList"] = [
                {"type": "owning_party", "source": f"https://id.gs1.org/417/{e.source_party_gln}"}
            ]
        if e.destination_party_gln:
            doc["destinationList"] = [
                {
                    "type": "owning_party",
                    "destination": f"https://id.gs1.org/417/{e.destination_party_gln}",
                }
            ]
    if add:
        ilmd = {"cbvmda:lotNumber": lot.lot_number}
        if lot.expiry_date:
            ilmd["cbvmda:itemExpirationDate"] = lot.expiry_date.isoformat()
        doc["ilmd"] = ilmd
    doc["ocop:partyName"] = e.party_name
    if e.source_party_name:
        doc["ocop:sourcePartyName"] = e.source_party_name
    if e.destination_party_name:
        doc["ocop:destinationPartyName"] = e.destination_party_name
    if e.commune_id:
        doc["ocop:commune"] = {"ocop:code": e.commune.code, "ocop:name": e.commune.full_name}
    return doc


def lot_epcis_document(lot: Lot) -> dict:
    """The EPCISDocument of all events of `lot`, in time order."""
    ns = f"{site_origin()}/trace/ns#"
    class_uri = lot_class_uri(lot)
    events = lot.events.select_related("commune").order_by("event_time", "pk")
    return {
        "@context": [EPCIS_CONTEXT, {"ocop": ns}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": timezone.now()
        .astimezone(UTC)
        .isoformat(timespec="seconds")
        .replace("+00:00", "Z"),
        "epcisBody": {"eventList": [_event(lot, e, class_uri, ns) for e in events]},
    }
