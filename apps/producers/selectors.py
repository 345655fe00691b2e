"""Reads of producers and production areas. Every read starts from `for_user()`; a row out of
the user's scope is a 404, never a 403."""

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404

from .models import Producer, ProductionArea

GEOJSON_PROPERTIES = (
    "id",
    "name",
    "legal_type",
    "commune_code",
    "commune_name",
    "province_code",
    "is_demo",
)


def producer_list(*, user) -> QuerySet[Producer]:
    return Producer.objects.for_user(user).select_related("commune", "province")


def producer_get(*, user, producer_id: int) -> Producer:
    return get_object_or_404(producer_list(user=user), pk=producer_id)


def producer_geojson_rows(*, user) -> QuerySet:
    """Rows for the map layer: public properties only (no personal data) and the location as
    GeoJSON text made by the database."""
    return (
        Producer.objects.for_user(user)
        .annotate(
            commune_code=F("commune__code"),
            commune_name=F("commune__full_name"),
            province_code=F("province__code"),
            geometry=AsGeoJSON("location", precision=6),
        )
        .order_by("name", "pk")
        .values(*GEOJSON_PROPERTIES, "geometry")
    )


def production_area_list(*, user, producer_id: int) -> QuerySet:
    """Areas of one producer (404 if the producer is out of scope), geometry as GeoJSON text."""
    producer = producer_get(user=user, producer_id=producer_id)
    return (
        ProductionArea.objects.for_user(user)
        .filter(producer=producer)
        .annotate(geometry=AsGeoJSON("geom", precision=7))
        .order_by("name", "pk")
        .values("id", "producer_id", "kind", "name", "area_ha", "created_at", "geometry")
    )
