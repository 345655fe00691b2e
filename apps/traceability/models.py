"""Lots (batches) of OCOP products, identified by GS1 AI (10) under the product's GTIN or, for
products without one, under a URI of this site; their traceability events (EPCIS ObjectEvent
semantics: what, when, where, why, who) and the audit trail of every change."""

import secrets
import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounts.scope import jurisdiction_filter
from apps.products.gs1 import validate_lot

from .choices import DEFAULT_TIME_ZONE_OFFSET, BizStep, ChangeAction, Disposition, Unit

TIME_ZONE_OFFSET_REGEX = r"^[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00)$"


def new_public_id() -> str:
    """A lot's public identifier: 22 URL-safe characters, 128 random bits (not guessable from
    another lot's, unlike the sequential primary key)."""
    return secrets.token_urlsafe(16)


PUBLIC_ID_REGEX = r"[A-Za-z0-9_-]{22}"


class LotQuerySet(models.QuerySet):
    def published(self) -> "LotQuerySet":
        """Lots anyone may see: the ones their producer published."""
        return self.filter(published=True)

    def for_user(self, user) -> "LotQuerySet":
        """Lots `user` may see: by the jurisdiction of the product's producer (its commune and
        province); producer accounts see the lots of the producers they are linked to."""
        return jurisdiction_filter(
            self,
            user,
            province="product__producer__province",
            commune="product__producer__commune",
            owner="product__producer__users",
        )


class Lot(models.Model):
    product = models.ForeignKey(
        "products.Product", on_delete=models.PROTECT, related_name="lots", verbose_name=_("product")
    )
    lot_number = models.CharField(_("lot number"), max_length=20, validators=[validate_lot])
    # The public trace page, its image and QR codes use this, never the sequential `pk`.
    public_id = models.CharField(
        _("public identifier"), max_length=22, unique=True, default=new_public_id, editable=False
    )
    # Unpublished lots (the default) are seen only by the producer and the officers in
    # jurisdiction: the public trace page, the GS1 resolver and the lot's image answer 404.
    published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Show the lot's public trace page (and resolve its QR code)."),
    )
    production_date = models.DateField(_("production date"), null=True, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    quantity_unit = models.CharField(_("unit"), max_length=20, blank=True)
    # Circular 02/2024/TT-BKHCN minimum items that the product record does not hold.
    expiry_not_applicable = models.BooleanField(
        _("no expiry date"),
        default=False,
        help_text=_("Tick if the product has no expiry date (e.g. handicrafts)."),
    )
    applied_standards = models.CharField(
        _("applied standards"),
        max_length=255,
        blank=True,
        help_text=_(
            "Standards the lot is made to: TCVN, QCVN, international or the producer's own (TCCS)."
        ),
    )
    brand = models.CharField(_("brand or trademark"), max_length=120, blank=True)
    image_storage_name = models.CharField(max_length=300, blank=True)
    image_content_type = models.CharField(max_length=50, blank=True)
    image_sha256 = models.CharField(max_length=64, blank=True)
    is_demo = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LotQuerySet.as_manager()

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["product", "-production_date", "lot_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "lot_number"], name="lot_unique_per_product"
            ),
            models.CheckConstraint(
                condition=models.Q(expiry_date__isnull=True)
                | models.Q(production_date__isnull=True)
                | models.Q(expiry_date__gte=models.F("production_date")),
                name="lot_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} · {self.lot_number}"


class TraceEventQuerySet(models.QuerySet):
    def for_user(self, user) -> "TraceEventQuerySet":
        return self.filter(lot__in=Lot.objects.for_user(user))


class TraceEvent(models.Model):
    """One thing that happened to a lot (an EPCIS ObjectEvent): what (the lot), when
    (`event_time` and the offset it was recorded in), where (the read point and the commune and
    province derived from it), why (business step, optional disposition) and who (a party: a
    business name and optional GLN, never a private person's data)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    lot = models.ForeignKey(
        Lot, on_delete=models.PROTECT, related_name="events", verbose_name=_("lot")
    )
    biz_step = models.CharField(_("business step"), max_length=20, choices=BizStep.choices)
    disposition = models.CharField(
        _("disposition"), max_length=30, choices=Disposition.choices, blank=True
    )
    event_time = models.DateTimeField(_("event time"), db_index=True)
    time_zone_offset = models.CharField(
        _("time zone offset"), max_length=6, default=DEFAULT_TIME_ZONE_OFFSET
    )
    location = models.PointField(_("location"), srid=4326)
    commune = models.ForeignKey(
        "geo.AdminUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    province = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    party_name = models.CharField(
        _("party"), max_length=255, help_text=_("The business that did this step.")
    )
    party_gln = models.CharField(_("party GLN"), max_length=13, blank=True)
    source_party_name = models.CharField(_("from (party)"), max_length=255, blank=True)
    source_party_gln = models.CharField(_("from (GLN)"), max_length=13, blank=True)
    destination_party_name = models.CharField(_("to (party)"), max_length=255, blank=True)
    destination_party_gln = models.CharField(_("to (GLN)"), max_length=13, blank=True)
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=3, choices=Unit.choices, blank=True)
    is_demo = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TraceEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("traceability event")
        verbose_name_plural = _("traceability events")
        ordering = ["event_time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(biz_step__in=BizStep.values), name="trace_event_biz_step"
            ),
            models.CheckConstraint(
                condition=models.Q(disposition__in=[*Disposition.values, ""]),
                name="trace_event_disposition",
            ),
            models.CheckConstraint(
                condition=models.Q(unit__in=[*Unit.values, ""]), name="trace_event_unit"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__isnull=True) | models.Q(quantity__gt=0),
                name="trace_event_quantity_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__isnull=True) | ~models.Q(unit=""),
                name="trace_event_quantity_has_unit",
            ),
            models.CheckConstraint(
                condition=models.Q(time_zone_offset__regex=TIME_ZONE_OFFSET_REGEX),
                name="trace_event_time_zone_offset",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lot} · {self.get_biz_step_display()} · {self.event_time:%Y-%m-%d %H:%M}"


class TraceChangeQuerySet(models.QuerySet):
    def for_user(self, user) -> "TraceChangeQuerySet":
        return jurisdiction_filter(
            self,
            user,
            province="producer__province",
            commune="producer__commune",
            owner="producer__users",
        )


class TraceChange(models.Model):
    """Append-only audit trail: who changed which lot or event, when, and what (field → [old,
    new]; a deletion keeps the whole record as it was). Rows are never updated or deleted, and
    outlive the lot or event they describe."""

    producer = models.ForeignKey("producers.Producer", on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey(
        Lot, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    lot_label = models.CharField(max_length=300)
    event_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=20, choices=ChangeAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True)

    objects = TraceChangeQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=ChangeAction.values), name="trace_change_action"
            ),
        ]
