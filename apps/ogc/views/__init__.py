"""OGC API - Features, Part 1 (Core, GeoJSON, OpenAPI 3.0, HTML) at `/ogc/`.

Every resource answers JSON (on `f=json` or an Accept header naming JSON, and by default) and a
plain HTML page (on `f=html` or an Accept header preferring text/html). Links are absolute:
QGIS and GDAL do not resolve relative links. Authentication: HTTP Basic, `Authorization: Token
…` (API tokens, kept as SHA-256 digests: see `TokenApi`) or the browser session; an anonymous
request for a signed-in collection gets 401 with `WWW-Authenticate: Basic`, so QGIS and GDAL
ask for credentials. Features are read through the map-layer registry (apps/maps/layers/)
and serialised with orjson, the geometry text coming from the database as is.

- `common`: the OGC exception, authentication, the `ogc_view` decorator, content
  negotiation, links and responses, shared by the views below;
- `capabilities`: the landing page, the conformance classes and the API definition;
- `catalogue`: the collections, one collection and its queryables;
- `features`: a collection's items and one item;
- `tokens`: the API token for GIS clients.
"""

from .capabilities import api_definition, conformance, landing
from .catalogue import collection, collections, queryables
from .features import item, items
from .tokens import TokenApi

__all__ = [
    "TokenApi",
    "api_definition",
    "collection",
    "collections",
    "conformance",
    "item",
    "items",
    "landing",
    "queryables",
]
