from django.contrib.gis.geos import Point
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.parsing import parse_geojson_geometry
from apps.geo.api.serializers import UnitRefSerializer
from apps.producers.choices import ETHNICITY_CHOICES, AreaKind, Gender, LegalType

PHONE_REGEX = r"^\+?[0-9 .\-()]{8,20}$"


@extend_schema_field(OpenApiTypes.OBJECT)
class GeoJSONPointField(serializers.Field):
    """A GeoJSON Point in WGS 84: `{"type": "Point", "coordinates": [lon, lat]}` (a height, as a
    third coordinate, is accepted and dropped)."""

    default_error_messages = {
        "invalid": _('Send a GeoJSON point: {{"type": "Point", "coordinates": [lon, lat]}}.'),
        "range": _("Longitude must be between -180 and 180 and latitude between -90 and 90."),
    }

    def to_internal_value(self, data):
        if not isinstance(data, dict) or data.get("type") != "Point":
            self.fail("invalid")
        coords = data.get("coordinates")
        if (
            not isinstance(coords, list | tuple)
            or len(coords) not in (2, 3)  # a third value (a GPS height) is dropped: 2-D columns
            or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords)
        ):
            self.fail("invalid")
        lon, lat = (float(c) for c in coords[:2])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            self.fail("range")
        return Point(lon, lat, srid=4326)

    def to_representation(self, value):
        return {"type": "Point", "coordinates": [round(value.x, 7), round(value.y, 7)]}


@extend_schema_field(OpenApiTypes.OBJECT)
class GeoJSONPolygonField(serializers.Field):
    """A GeoJSON Polygon or MultiPolygon in WGS 84. Validity is checked by the service."""

    def to_internal_value(self, data):
        # Shared with every GeoJSON input (apps.core.parsing): unreadable, empty or out-of-range
        # coordinates are a 400 naming the field; a third coordinate (height) is dropped.
        return parse_geojson_geometry(
            data, field=self.field_name or "geometry", types=("Polygon", "MultiPolygon")
        )


class _NoDerivedFieldsMixin:
    """Commune and province come from the location; a client that sends them is told so rather
    than silently ignored."""

    derived = ("commune", "province", "area_ha", "status")

    def validate(self, attrs):
        for key in self.derived:
            if key in getattr(self, "initial_data", {}):
                raise serializers.ValidationError(
                    {key: _("This field is computed by the system; do not send it.")}
                )
        return attrs


class ProducerInputSerializer(_NoDerivedFieldsMixin, serializers.Serializer):
    name = serializers.CharField(max_length=255)
    legal_type = serializers.ChoiceField(choices=LegalType.choices)
    registration_number = serializers.CharField(max_length=50)
    registration_date = serializers.DateField()
    address = serializers.CharField(max_length=255)
    phone = serializers.RegexField(PHONE_REGEX, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    representative_name = serializers.CharField(max_length=150)
    representative_gender = serializers.ChoiceField(
        choices=Gender.choices, required=False, allow_blank=True
    )
    representative_ethnicity = serializers.ChoiceField(
        choices=ETHNICITY_CHOICES, required=False, allow_blank=True
    )
    representative_has_disability = serializers.BooleanField(required=False)
    location = GeoJSONPointField()


class ProducerOutputSerializer(serializers.Serializer):
    """What anyone who may see the producer sees: no personal data."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    legal_type = serializers.CharField()
    legal_type_label = serializers.CharField(source="get_legal_type_display")
    registration_number = serializers.CharField()
    registration_date = serializers.DateField()
    address = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    location = GeoJSONPointField()
    commune = UnitRefSerializer()
    province = UnitRefSerializer()
    qualifies_for_criterion_3_2 = serializers.BooleanField()
    is_demo = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class ProducerPrivateOutputSerializer(ProducerOutputSerializer):
    """For officers and the producer's own users: adds the legal representative's data."""

    representative_name = serializers.CharField()
    representative_gender = serializers.CharField()
    representative_ethnicity = serializers.CharField()
    representative_has_disability = serializers.BooleanField()


class ProducerFilterSerializer(serializers.Serializer):
    commune = serializers.RegexField(r"^[0-9]{1,10}\Z", required=False, help_text=_("Commune code"))
    legal_type = serializers.ChoiceField(choices=LegalType.choices, required=False)


class ProductionAreaInputSerializer(_NoDerivedFieldsMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=AreaKind.choices)
    name = serializers.CharField(max_length=255)
    geometry = GeoJSONPolygonField()


class ProductionAreaOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    producer_id = serializers.IntegerField()
    kind = serializers.CharField()
    name = serializers.CharField()
    area_ha = serializers.DecimalField(max_digits=12, decimal_places=4, coerce_to_string=False)
    geometry = serializers.JSONField()
    created_at = serializers.DateTimeField()
