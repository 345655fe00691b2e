"""The OGC API - Features collections: two per map layer of the registry (apps/maps/layers/).

- `public-<layer>` (e.g. `public-products`): the public variant, open to anyone: recognised,
  non-revoked products only, no personal data.
- `<layer>` (e.g. `products`): the authenticated variant, scoped to the signed-in user's
  jurisdiction by `for_user()`; anonymous requests get 401 with `WWW-Authenticate: Basic` so
  QGIS and GDAL ask for credentials.

Both kinds are distinct ids on one landing page, so QGIS can load either from one connection.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.conf import settings
from django.contrib.gis.db.models import Extent
from django.db.models import Count, Max, Min, Q
from django.utils.translation import gettext as _

from apps.geo.choices import Level
from apps.geo.models import AdminUnit
from apps.maps.layers import REGISTRY, Layer, LayerContext

PUBLIC_PREFIX = "public-"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
# Fallback when a collection is empty and the pilot province has no boundary: Viet Nam.
VIETNAM_BBOX = (102.14, 8.18, 109.47, 23.4)


@dataclass(frozen=True)
class Collection:
    id: str
    layer: Layer
    public: bool

    def context(self, user) -> LayerContext:
        return LayerContext(user=None if self.public else user, public=self.public)

    @property
    def title(self) -> str:
        if self.public:
            return _("%(title)s (public)") % {"title": self.layer.title}
        return _("%(title)s (your jurisdiction)") % {"title": self.layer.title}

    @property
    def description(self) -> str:
        if self.public:
            return _(
                "%(description)s Public data: recognised products with a standing certificate, "
                "no personal data."
            ) % {"description": self.layer.description}
        return _("%(description)s Sign-in required; only records in your jurisdiction.") % {
            "description": self.layer.description
        }


def all_collections() -> list[Collection]:
    """Public collections first, then the authenticated ones, each in registry order."""
    public = [
        Collection(PUBLIC_PREFIX + lay.id, lay, True) for lay in REGISTRY.values() if lay.has_public
    ]
    scoped = [Collection(lay.id, lay, False) for lay in REGISTRY.values()]
    return public + scoped


def visible_collections(user) -> list[Collection]:
    signed_in = user is not None and user.is_authenticated
    return [c for c in all_collections() if c.public or signed_in]


def find_collection(collection_id: str) -> Collection | None:
    for collection in all_collections():
        if collection.id == collection_id:
            return collection
    return None


# --- extent -------------------------------------------------------------------------------
def _rfc3339(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return f"{value.isoformat()}T00:00:00Z"
    return str(value)


def pilot_bbox() -> tuple[float, float, float, float]:
    province = (
        AdminUnit.objects.filter(
            level=Level.PROVINCE,
            code=settings.OCOP_PILOT_PROVINCE_CODE,
            valid_to__isnull=True,
            geom__isnull=False,
        )
        .only("geom")
        .first()
    )
    return tuple(province.geom.extent) if province else VIETNAM_BBOX


def collection_extent(collection: Collection, user) -> dict:
    """Spatial bbox of the collection's rows (one aggregate query; the pilot province when the
    collection is empty) and, for layers with a time dimension, the interval they cover."""
    layer = collection.layer
    ctx = collection.context(user)
    qs = layer.queryset(ctx).order_by()
    aggregates = {"_extent": Extent("_geom")}
    if layer.temporal:
        start, end = layer.temporal
        aggregates["_tmin"] = Min(start)
        aggregates["_tmax"] = Max(end or start)
        if end:
            aggregates["_open"] = Count("pk", filter=Q(**{f"{end}__isnull": True}))
    values = qs.aggregate(**aggregates)
    bbox = values["_extent"] or pilot_bbox()
    extent: dict = {"spatial": {"bbox": [[round(float(v), 6) for v in bbox]], "crs": CRS84}}
    if layer.temporal and (values["_tmin"] is not None or values["_tmax"] is not None):
        end_value = None if values.get("_open") else values["_tmax"]
        extent["temporal"] = {
            "interval": [[_rfc3339(values["_tmin"]), _rfc3339(end_value)]],
            "trs": GREGORIAN,
        }
    return extent
