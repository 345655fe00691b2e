"""OGC API - Features Part 1 Core, ported from the OGC ETS (ets-ogcapi-features10: LandingPage,
Conformance, ApiDefinition, FeatureCollections, FeatureCollection, Features, FeaturesBBox,
FeaturesLimit, FeaturesTime, FeaturesErrorConditions, Feature, GeneralHttp). These run on the
public administrative units (reference data), so they need no OCOP records."""

import orjson
import pytest
from django.test import Client

from apps.maps.layers import REGISTRY, LayerContext
from apps.ogc.openapi import MAX_LIMIT

from .helpers import OGC

pytestmark = pytest.mark.django_db

HOST = "http://testserver"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
CONF = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"
UNITS = "/collections/public-admin-units"
AN_HOI = (106.3756, 10.2415)  # a point in Phường An Hội (28777)


def _json(response, status=200, content_type="application/json"):
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith(content_type), response["Content-Type"]
    return orjson.loads(response.content)


def _fetch(url: str, accept="application/json", **extra):
    assert url.startswith(HOST + OGC), url  # absolute links only: QGIS and GDAL need them
    return Client().get(url.removeprefix(HOST), HTTP_ACCEPT=accept, **extra)


def _rel(links, rel, media_type=None):
    found = [
        lk for lk in links if lk["rel"] == rel and (media_type is None or lk["type"] == media_type)
    ]
    assert found, (rel, media_type, links)
    return found[0]


# --- landing page, conformance -------------------------------------------------------------
def test_landing_page_links(ogc):
    body = _json(ogc("/"))
    assert body["title"] and body["description"]
    links = body["links"]
    for link in links:
        assert link["href"].startswith(HOST + OGC + "/")
        assert link["type"] and link["rel"]
    assert _rel(links, "self")["type"] == "application/json"
    assert _rel(links, "service-desc")["type"] == OPENAPI
    assert _rel(links, "conformance")["href"] == f"{HOST}{OGC}/conformance"
    assert _rel(links, "data")["href"] == f"{HOST}{OGC}/collections"
    # every link resolves, in the type it announces
    for link in links:
        response = _fetch(link["href"], accept=link["type"])
        assert response.status_code == 200, link
        assert response["Content-Type"].split(";")[0] == link["type"].split(";")[0], link


def test_conformance_declares_core_geojson_oas30_html_only(ogc):
    body = _json(ogc("/conformance"))
    assert set(body["conformsTo"]) == {CONF + c for c in ("core", "geojson", "oas30", "html")}
    assert not any("features-2" in uri or "features-3" in uri for uri in body["conformsTo"])


def test_json_on_accept_and_on_f_html_for_browsers(ogc):
    assert ogc("/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")[
        "Content-Type"
    ].startswith("text/html")
    assert ogc("/?f=json", HTTP_ACCEPT="text/html")["Content-Type"] == "application/json"
    assert ogc("/", HTTP_ACCEPT="*/*")["Content-Type"] == "application/json"
    page = ogc("/collections?f=html")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert "public-admin-units" in page.content.decode()
    bad = _json(ogc("/?f=xml"), 400)
    assert (
        bad["code"] == "InvalidParameterValue" and bad["description"] and bad["extra"]["key"] == "f"
    )


# --- API definition ------------------------------------------------------------------------
def test_api_definition_is_openapi_30_with_every_collection_and_its_parameters(ogc):
    service_desc = _rel(_json(ogc("/"))["links"], "service-desc")["href"]
    response = _fetch(service_desc, accept=OPENAPI)
    doc = _json(response, content_type=OPENAPI)
    assert doc["openapi"].startswith("3.0.")
    assert doc["servers"][0]["url"] == HOST + OGC
    for path in ("/", "/conformance", "/api", "/collections"):
        assert "get" in doc["paths"][path]
    parameters = doc["components"]["parameters"]
    assert parameters["limit"]["schema"]["maximum"] == MAX_LIMIT
    assert parameters["limit"]["schema"]["minimum"] == 1

    collections = _json(ogc("/collections"))["collections"]
    assert collections
    ctx = LayerContext(public=True)
    for collection in collections:
        layer = REGISTRY[collection["id"].removeprefix("public-")]
        items = doc["paths"][f"/collections/{collection['id']}/items"]["get"]
        refs = {p["$ref"].rsplit("/", 1)[1] for p in items["parameters"] if "$ref" in p}
        assert {"limit", "bbox", "offset"} <= refs
        assert ("datetime" in refs) == (layer.temporal is not None)
        filters = {p["name"]: p for p in items["parameters"] if "$ref" not in p}
        assert set(filters) == {p.name for p in layer.visible_params(ctx)}
        assert all(p["in"] == "query" and p["schema"] for p in filters.values())
        assert f"/collections/{collection['id']}/items/{{featureId}}" in doc["paths"]
        assert "200" in items["responses"] and "400" in items["responses"]
    # every $ref resolves inside the document
    for ref in _refs(doc):
        node = doc
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
    assert ogc("/api?f=html")["Content-Type"].startswith("text/html")


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


# --- collections -----------------------------------------------------------------------------
def test_collections_anonymous_lists_public_collections_with_links_and_extent(ogc):
    body = _json(ogc("/collections"))
    assert _rel(body["links"], "self")["href"].startswith(HOST + OGC + "/collections")
    ids = [c["id"] for c in body["collections"]]
    assert ids == [f"public-{lay.id}" for lay in REGISTRY.values() if lay.has_public]
    for collection in body["collections"]:
        items = _rel(collection["links"], "items", "application/geo+json")
        assert items["href"] == f"{HOST}{OGC}/collections/{collection['id']}/items"
        assert collection["itemType"] == "feature"
        assert collection["crs"] == ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"]
        (bbox,) = collection["extent"]["spatial"]["bbox"]
        assert len(bbox) == 4 and bbox[0] <= bbox[2] and bbox[1] <= bbox[3]
        assert -180 <= bbox[0] and bbox[2] <= 180
        single = _json(_fetch(_rel(collection["links"], "self")["href"]))
        assert single["id"] == collection["id"] and single["title"] == collection["title"]
        assert single["extent"] == collection["extent"]
    units = next(c for c in body["collections"] if c["id"] == "public-admin-units")
    assert units["extent"]["temporal"]["interval"][0][0].startswith("2025-07-01")


def test_unknown_collection_is_404(ogc):
    for path in ("/collections/nope", "/collections/nope/items", "/collections/nope/items/1"):
        body = _json(ogc(path), 404)
        assert body["code"] == "NotFound" and body["description"]


# --- items -----------------------------------------------------------------------------------
def test_items_are_a_geojson_feature_collection(ogc):
    response = ogc(f"{UNITS}/items?level=province&limit=5", HTTP_ACCEPT="application/geo+json")
    body = _json(response, content_type="application/geo+json")
    assert body["type"] == "FeatureCollection"
    assert body["numberMatched"] == 34 and body["numberReturned"] == 5 == len(body["features"])
    feature = body["features"][0]
    assert feature["type"] == "Feature" and isinstance(feature["id"], int)
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert feature["properties"]["level"] == "province"
    assert _rel(body["links"], "self", "application/geo+json")["href"].startswith(HOST)
    assert _rel(body["links"], "collection")["href"] == f"{HOST}{OGC}{UNITS}"


def test_paging_follows_absolute_next_links_to_the_end(ogc):
    url = f"{HOST}{OGC}{UNITS}/items?level=province&limit=10"
    seen, pages = [], 0
    while url:
        body = _json(
            _fetch(url, accept="application/geo+json"), content_type="application/geo+json"
        )
        assert body["numberMatched"] == 34
        seen += [f["id"] for f in body["features"]]
        nxt = [lk for lk in body["links"] if lk["rel"] == "next"]
        assert all(lk["type"] == "application/geo+json" for lk in nxt)
        url = nxt[0]["href"] if nxt else None
        pages += 1
    assert pages == 4 and len(seen) == len(set(seen)) == 34
    prev = _json(
        ogc(f"{UNITS}/items?level=province&limit=10&offset=10"), content_type="application/geo+json"
    )
    assert "offset=0" in _rel(prev["links"], "prev")["href"]


def test_limit_above_the_maximum_is_lowered_not_rejected(ogc):
    body = _json(
        ogc(f"{UNITS}/items?level=province&limit={MAX_LIMIT * 100}"),
        content_type="application/geo+json",
    )
    assert body["numberReturned"] == 34


@pytest.mark.parametrize("value", ["0", "-1", "abc", "1.5", ""])
def test_bad_limit_is_400_with_a_message(ogc, value):
    if value == "":
        assert ogc(f"{UNITS}/items?limit=").status_code == 200  # empty means the default
        return
    body = _json(ogc(f"{UNITS}/items?limit={value}"), 400)
    assert (
        body["code"] == "InvalidParameterValue"
        and body["extra"]["key"] == "limit"
        and body["description"]
    )


def test_bad_offset_is_400(ogc):
    assert _json(ogc(f"{UNITS}/items?offset=x"), 400)["extra"]["key"] == "offset"


def test_bbox_selects_intersecting_features(ogc):
    x, y = AN_HOI
    near = f"{x - 0.001},{y - 0.001},{x + 0.001},{y + 0.001}"
    body = _json(
        ogc(f"{UNITS}/items?level=commune&bbox={near}"), content_type="application/geo+json"
    )
    assert "28777" in [f["properties"]["code"] for f in body["features"]]
    assert body["numberMatched"] == len(body["features"]) <= 3
    six = f"{x - 0.001},{y - 0.001},0,{x + 0.001},{y + 0.001},10"
    assert (
        _json(ogc(f"{UNITS}/items?level=commune&bbox={six}"), content_type="application/geo+json")[
            "numberMatched"
        ]
        == body["numberMatched"]
    )
    far = _json(ogc(f"{UNITS}/items?bbox=0,0,1,1"), content_type="application/geo+json")
    assert far["numberMatched"] == 0 and far["features"] == []
    crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
    assert ogc(f"{UNITS}/items?bbox={near}&bbox-crs={crs84}&crs={crs84}").status_code == 200


@pytest.mark.parametrize(
    "bbox",
    ["1,2,3", "a,b,c,d", "106,10,105,11", "0,-91,1,1", "200,0,201,1", "1,2,3,4,5", "nan,0,1,1"],
)
def test_bad_bbox_is_400_with_a_message(ogc, bbox):
    body = _json(ogc(f"{UNITS}/items?bbox={bbox}"), 400)
    assert body["extra"]["key"] == "bbox" and body["description"]


def test_datetime_selects_the_units_in_force(ogc):
    today = _json(ogc(f"{UNITS}/items?level=province&limit=1"), content_type="application/geo+json")
    before = _json(
        ogc(f"{UNITS}/items?level=province&limit=1&datetime=2025-06-30"),
        content_type="application/geo+json",
    )
    assert (today["numberMatched"], before["numberMatched"]) == (34, 63)
    interval = _json(
        ogc(f"{UNITS}/items?level=province&limit=1&datetime=../2025-06-30T12:00:00Z"),
        content_type="application/geo+json",
    )
    assert interval["numberMatched"] == 63


@pytest.mark.parametrize("value", ["yesterday", "2025-13-01", "2026-01-01/2025-01-01", "../.."])
def test_bad_datetime_is_400(ogc, value):
    assert _json(ogc(f"{UNITS}/items?datetime={value}"), 400)["extra"]["key"] == "datetime"


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("foo=1", "foo"),
        ("level=county", "level"),
        ("valid_on=30-06-2025", "valid_on"),
        ("crs=http://www.opengis.net/def/crs/EPSG/0/4326", "crs"),
        ("bbox-crs=EPSG:3857", "bbox-crs"),
        ("dossiers_open=1", "dossiers_open"),
    ],
)
def test_unknown_or_invalid_query_parameters_are_400(ogc, query, key):
    body = _json(ogc(f"{UNITS}/items?{query}"), 400)
    assert body["code"] == "InvalidParameterValue" and body["extra"]["key"] == key


# --- single feature --------------------------------------------------------------------------
def test_single_feature_and_its_errors(ogc):
    listed = _json(
        ogc(f"{UNITS}/items?level=province&limit=1"), content_type="application/geo+json"
    )
    first = listed["features"][0]
    response = ogc(f"{UNITS}/items/{first['id']}")
    feature = _json(response, content_type="application/geo+json")
    assert feature["type"] == "Feature" and feature["id"] == first["id"]
    assert feature["properties"] == first["properties"]
    assert (
        _rel(feature["links"], "self")["href"] == f"{HOST}{OGC}{UNITS}/items/{first['id']}?f=json"
    )
    assert _rel(feature["links"], "collection")["href"] == f"{HOST}{OGC}{UNITS}"
    assert ogc(f"{UNITS}/items/{first['id']}?f=html")["Content-Type"].startswith("text/html")
    for missing in ("999999999", "abc", "1.5", "-1", "9" * 30):
        body = _json(ogc(f"{UNITS}/items/{missing}"), 404)
        assert body["code"] == "NotFound"


# --- HTTP --------------------------------------------------------------------------------------
def test_etag_cache_control_and_conditional_get(ogc):
    response = ogc(f"{UNITS}/items?level=province&limit=2")
    assert response["Cache-Control"] == "public, max-age=60"
    etag = response["ETag"]
    assert ogc(f"{UNITS}/items?level=province&limit=2", HTTP_IF_NONE_MATCH=etag).status_code == 304
    for path in ("/", "/conformance", "/api", "/collections", UNITS):
        assert ogc(path)["ETag"]
    assert ogc("/collections/nope")["Cache-Control"] == "no-store"


def test_only_get(ogc):
    response = Client().post(f"{OGC}/collections")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"


def test_gdal_style_double_slash_urls_resolve(ogc):
    assert ogc("//collections").status_code == 200
    assert ogc(f"/{UNITS}/items?limit=1&f=json").status_code == 200


def test_queryables_list_the_filters(ogc):
    body = _json(ogc(f"{UNITS}/queryables"), content_type="application/schema+json")
    assert set(body["properties"]) == {"level", "parent", "valid_on"}
    assert body["properties"]["level"]["enum"] == ["province", "district", "commune"]
