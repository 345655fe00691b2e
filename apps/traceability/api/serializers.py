from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.parsing import AsciiIntegerSerializerField
from apps.producers.api.serializers import GeoJSONPointField
from apps.products.gs1 import LOT_REGEX

from ..choices import CBV_BIZ_STEP, BizStep, Disposition, Unit
from ..epcis import lot_class_uri
from ..selectors import decimal_text, lot_missing_items


@extend_schema_field(OpenApiTypes.DATETIME)
class OffsetDateTimeField(serializers.Field):
    """An ISO 8601 date-time that must carry its UTC offset (kept as sent, for EPCIS
    `eventTimeZoneOffset`), e.g. `2026-03-01T08:30:00+07:00`."""

    default_error_messages = {
        "invalid": _("Send an ISO 8601 date and time, e.g. 2026-03-01T08:30:00+07:00."),
        "naive": _("Include the time zone offset, e.g. +07:00."),
    }

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            value = datetime.fromisoformat(data.strip())
        except ValueError:
            self.fail("invalid")
        if value.tzinfo is None or value.utcoffset() is None:
            self.fail("naive")
        return value

    def to_representation(self, value):
        return value.isoformat()


class _NoUnknownFieldsMixin:
    def validate(self, attrs):
        unknown = set(getattr(self, "initial_data", {})) - set(self.fields)
        if unknown:
            key = sorted(unknown)[0]
            raise serializers.ValidationError(
                {key: _("Unknown or computed field; do not send it.")}
            )
        return attrs


class LotInputSerializer(_NoUnknownFieldsMixin, serializers.Serializer):
    product = AsciiIntegerSerializerField(min_value=1, help_text=_("Product id (create only)."))
    lot_number = serializers.RegexField(
        LOT_REGEX,
        max_length=20,
        error_messages={
            "invalid": _(
                "A lot number has 1 to 20 letters, digits or GS1 punctuation, without spaces."
            )
        },
    )
    production_date = serializers.DateField(required=False, allow_null=True)
    expiry_date = serializers.DateField(required=False, allow_null=True)
    expiry_not_applicable = serializers.BooleanField(required=False)
    quantity = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True
    )
    quantity_unit = serializers.CharField(max_length=20, required=False, allow_blank=True)
    applied_standards = serializers.CharField(max_length=255, required=False, allow_blank=True)
    brand = serializers.CharField(max_length=120, required=False, allow_blank=True)


class LotUpdateSerializer(LotInputSerializer):
    product = None


class LotMissingItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class LotOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    product = serializers.SerializerMethodField()
    producer = serializers.SerializerMethodField()
    lot_number = serializers.CharField()
    production_date = serializers.DateField()
    expiry_date = serializers.DateField()
    expiry_not_applicable = serializers.BooleanField()
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2)
    quantity_unit = serializers.CharField()
    applied_standards = serializers.CharField()
    brand = serializers.CharField()
    has_image = serializers.SerializerMethodField()
    class_uri = serializers.SerializerMethodField(
        help_text=_("GS1 Digital Link URI of the lot, or this site's.")
    )
    public_id = serializers.CharField(
        help_text=_(
            "The lot's random public identifier (its public page is /trace/lots/{public_id}/)."
        )
    )
    published = serializers.BooleanField(
        help_text=_("Whether the public trace page is online (POST …/publish/ or …/unpublish/).")
    )
    public_url = serializers.SerializerMethodField()
    epcis_url = serializers.SerializerMethodField()
    missing_items = serializers.SerializerMethodField(
        help_text=_("Minimum items of Circular 02/2024/TT-BKHCN this lot still lacks.")
    )
    is_demo = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "gtin": {"type": "string", "nullable": True},
            },
        }
    )
    def get_product(self, lot):
        return {"id": lot.product_id, "name": lot.product.name, "gtin": lot.product.gtin}

    @extend_schema_field(
        {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}
    )
    def get_producer(self, lot):
        return {"id": lot.product.producer_id, "name": lot.product.producer.name}

    def get_has_image(self, lot) -> bool:
        return bool(lot.image_storage_name)

    def get_class_uri(self, lot) -> str:
        return lot_class_uri(lot)

    def get_public_url(self, lot) -> str:
        return reverse("traceability:public-lot", args=[lot.public_id])

    def get_epcis_url(self, lot) -> str:
        return reverse("lot-epcis", args=[lot.pk])

    @extend_schema_field(LotMissingItemSerializer(many=True))
    def get_missing_items(self, lot):
        return [{"code": i["code"], "label": str(i["label"])} for i in lot_missing_items(lot)]


class TraceEventInputSerializer(_NoUnknownFieldsMixin, serializers.Serializer):
    biz_step = serializers.ChoiceField(choices=BizStep.choices)
    disposition = serializers.ChoiceField(
        choices=Disposition.choices, required=False, allow_blank=True
    )
    event_time = OffsetDateTimeField()
    location = GeoJSONPointField()
    party_name = serializers.CharField(max_length=255)
    party_gln = serializers.CharField(max_length=13, required=False, allow_blank=True)
    source_party_name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    source_party_gln = serializers.CharField(max_length=13, required=False, allow_blank=True)
    destination_party_name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    destination_party_gln = serializers.CharField(max_length=13, required=False, allow_blank=True)
    quantity = serializers.DecimalField(
        max_digits=12, decimal_places=3, required=False, allow_null=True
    )
    unit = serializers.ChoiceField(choices=Unit.choices, required=False, allow_blank=True)


class TraceEventOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    uuid = serializers.UUIDField()
    lot = serializers.IntegerField(source="lot_id")
    biz_step = serializers.CharField()
    biz_step_label = serializers.CharField(source="get_biz_step_display")
    cbv_biz_step = serializers.SerializerMethodField()
    disposition = serializers.CharField()
    event_time = serializers.SerializerMethodField()
    time_zone_offset = serializers.CharField()
    location = GeoJSONPointField()
    commune = serializers.SerializerMethodField()
    province = serializers.SerializerMethodField()
    party_name = serializers.CharField()
    party_gln = serializers.CharField()
    source_party_name = serializers.CharField()
    source_party_gln = serializers.CharField()
    destination_party_name = serializers.CharField()
    destination_party_gln = serializers.CharField()
    quantity = serializers.SerializerMethodField()
    unit = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_cbv_biz_step(self, e) -> str:
        return CBV_BIZ_STEP[e.biz_step]

    def get_event_time(self, e) -> str:
        from ..selectors import _fixed

        return e.event_time.astimezone(_fixed(e.time_zone_offset)).isoformat()

    @extend_schema_field({"type": "object", "nullable": True})
    def get_commune(self, e):
        return {"code": e.commune.code, "name": e.commune.full_name} if e.commune_id else None

    @extend_schema_field({"type": "object"})
    def get_province(self, e):
        return {"code": e.province.code, "name": e.province.full_name}

    def get_quantity(self, e) -> str | None:
        return decimal_text(e.quantity)


class TraceEventWithWarningsSerializer(TraceEventOutputSerializer):
    warnings = serializers.ListField(child=serializers.CharField())


class TraceChangeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    action = serializers.CharField()
    action_label = serializers.CharField(source="get_action_display")
    actor = serializers.CharField(source="actor.username")
    event_id = serializers.IntegerField(allow_null=True)
    changes = serializers.JSONField()
