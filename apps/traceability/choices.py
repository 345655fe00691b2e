"""Vocabularies of traceability events and their mapping to GS1 CBV 2.0.

The business steps a producer records are ours (the words of an OCOP chain); each maps to exactly
one CBV 2.0 business step, so an export is CBV-compliant and loses nothing. CBV 2.0 has no
"harvesting" and no "processing" step (its 41 steps are listed in the EPCIS 2.0 JSON schema):

- harvesting → `commissioning`: the first event of a lot, when its class-level identifier (GTIN +
  lot) is first used for the harvested goods;
- processing → `creating_class_instance`: CBV's step for producing an instance or an increased
  quantity of an object class (a lot of the finished product).

Both are exported with action ADD; every other step with action OBSERVE.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BizStep(models.TextChoices):
    HARVESTING = "harvesting", _("Harvesting")
    PROCESSING = "processing", _("Processing")
    PACKING = "packing", _("Packing")
    STORING = "storing", _("Storing")
    INSPECTING = "inspecting", _("Inspecting")
    SHIPPING = "shipping", _("Shipping")
    RECEIVING = "receiving", _("Receiving")


# Our step → CBV 2.0 bizStep (bare word, expanded by the EPCIS 2.0 JSON-LD context).
CBV_BIZ_STEP = {
    BizStep.HARVESTING: "commissioning",
    BizStep.PROCESSING: "creating_class_instance",
    BizStep.PACKING: "packing",
    BizStep.STORING: "storing",
    BizStep.INSPECTING: "inspecting",
    BizStep.SHIPPING: "shipping",
    BizStep.RECEIVING: "receiving",
}
# Steps that bring (more of) the lot into being: EPCIS action ADD.
ADD_STEPS = frozenset({BizStep.HARVESTING, BizStep.PROCESSING})
# The usual order of a chain; an event of an earlier stage recorded after a later one is worth a
# warning (never a refusal: real chains repack, re-inspect and return goods).
STAGE_ORDER = {
    BizStep.HARVESTING: 0,
    BizStep.PROCESSING: 1,
    BizStep.PACKING: 2,
    BizStep.STORING: 3,
    BizStep.INSPECTING: 3,
    BizStep.SHIPPING: 4,
    BizStep.RECEIVING: 5,
}
# Steps that carry a source and destination party (who hands over, who takes over).
TRANSFER_STEPS = frozenset({BizStep.SHIPPING, BizStep.RECEIVING})


class Disposition(models.TextChoices):
    """A subset of the 33 CBV 2.0 dispositions: the ones an OCOP chain uses."""

    ACTIVE = "active", _("Active (commissioned)")
    IN_PROGRESS = "in_progress", _("In progress")
    IN_TRANSIT = "in_transit", _("In transit")
    SELLABLE_ACCESSIBLE = "sellable_accessible", _("Sellable")
    CONFORMANT = "conformant", _("Conformant")
    NON_CONFORMANT = "non_conformant", _("Non-conformant")
    RECALLED = "recalled", _("Recalled")
    DESTROYED = "destroyed", _("Destroyed")


class Unit(models.TextChoices):
    """Units of measure as UN/ECE Recommendation 20 codes, which EPCIS `uom` requires."""

    KGM = "KGM", _("kilogram")
    TNE = "TNE", _("tonne")
    GRM = "GRM", _("gram")
    LTR = "LTR", _("litre")
    H87 = "H87", _("piece")


class ChangeAction(models.TextChoices):
    LOT_CREATED = "lot_created", _("Lot created")
    LOT_UPDATED = "lot_updated", _("Lot changed")
    LOT_DELETED = "lot_deleted", _("Lot deleted")
    EVENT_CREATED = "event_created", _("Event recorded")
    EVENT_UPDATED = "event_updated", _("Event changed")
    EVENT_DELETED = "event_deleted", _("Event deleted")


# Time zone offset of events entered without one (the pilot is in Viet Nam, UTC+7, no DST).
DEFAULT_TIME_ZONE_OFFSET = "+07:00"
