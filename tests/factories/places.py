"""Real places as (lon, lat) in WGS 84, in the pilot province (86, Vĩnh Long since 1 July 2025)
and outside it, and `square`, a polygon of a given size at a place. No database."""

import math

from django.contrib.gis.geos import Point, Polygon

AN_HOI = (106.3756, 10.2415)  # Phường An Hội (28777), the former Bến Tre city centre
PHUOC_HAU = (105.97, 10.25)  # Phường Phước Hậu (29557)
AT_SEA = (107.3, 9.6)
HA_NOI = (105.85, 21.03)
# An Hội as a point: where the dossier and recognition tests' producers are.
BEN_TRE_CITY = Point(*AN_HOI, srid=4326)


def square(lon: float, lat: float, side_m: float = 1000.0) -> Polygon:
    """A `side_m` × `side_m` square with its south-west corner at (lon, lat), sized with the
    WGS 84 meridian and prime-vertical radii of curvature (independent of any projection)."""
    a, f = 6378137.0, 1 / 298.257223563
    e2 = f * (2 - f)
    phi = math.radians(lat)
    w = 1 - e2 * math.sin(phi) ** 2
    meridian = a * (1 - e2) / w**1.5
    normal = a / math.sqrt(w)
    dlat = math.degrees(side_m / meridian)
    dlon = math.degrees(side_m / (normal * math.cos(phi)))
    ring = [(lon, lat), (lon + dlon, lat), (lon + dlon, lat + dlat), (lon, lat + dlat), (lon, lat)]
    return Polygon(ring, srid=4326)
