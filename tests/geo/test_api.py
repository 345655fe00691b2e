import json
import subprocess

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db
URL = "/api/v1/admin-units/"


@pytest.fixture
def api():
    return APIClient()


def test_lists_units_valid_today_with_parent_codes(api):
    response = api.get(URL, {"level": "commune", "parent": "86", "page_size": 50})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 124
    assert len(body["results"]) == 50
    assert body["next"]
    first = body["results"][0]
    assert {"code", "name", "level", "parent_code"} <= set(first)
    assert first["parent_code"] == "86" and first["level"] == "commune"


def test_valid_on_filter_gives_the_old_map(api):
    body = api.get(URL, {"level": "province", "valid_on": "2025-06-30"}).json()
    assert body["count"] == 63
    body = api.get(URL, {"level": "district", "parent": "83", "valid_on": "2025-06-30"}).json()
    assert body["count"] == 9


def test_code_filter(api):
    today = api.get(URL, {"code": "86"}).json()["results"]
    assert [(u["full_name"], u["valid_to"]) for u in today] == [("Tỉnh Vĩnh Long", None)]


@pytest.mark.parametrize("how", ["query", "accept"])
def test_geojson_feature_collection(api, how):
    params = {"level": "province", "page_size": 100}
    if how == "query":
        response = api.get(URL, {**params, "format": "geojson"})
    else:
        response = api.get(URL, params, HTTP_ACCEPT="application/geo+json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    collection = json.loads(response.content)
    assert collection["type"] == "FeatureCollection"
    assert collection["numberMatched"] == 34 == len(collection["features"])
    feature = collection["features"][0]
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert {"code", "name", "level", "parent_code"} <= set(feature["properties"])


def test_geojson_of_an_old_commune_has_a_null_geometry(api):
    collection = json.loads(
        api.get(URL, {"code": "28759", "valid_on": "2025-06-30", "format": "geojson"}).content
    )
    (feature,) = collection["features"]
    assert feature["geometry"] is None
    assert feature["properties"]["full_name"] == "Phường 8"


@pytest.mark.parametrize(
    "params, key",
    [
        ({"level": "village"}, "level"),
        ({"valid_on": "30/06/2025"}, "valid_on"),
        ({"parent": "86; drop"}, "parent"),
        ({"page": "0"}, "page"),  # not a page number: 400 (apps.core.api.pagination)
        ({"page": "9999"}, None),
    ],
)
def test_bad_filters_are_400_or_404_with_the_key(api, params, key):
    response = api.get(URL, params)
    body = response.json()
    if key is None:  # an out-of-range page is DRF's 404
        assert response.status_code == 404 and body["code"] == "not_found"
        return
    assert response.status_code == 400
    assert body["code"] == "invalid"
    assert body["extra"]["key"] == key
    assert body["message"]


def test_list_query_count_does_not_grow_with_page_size(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        api.get(URL, {"level": "commune", "page_size": 400, "format": "geojson"})


def test_locate(api):
    response = api.get(URL + "locate/", {"lon": 106.3756, "lat": 10.2415})
    assert response.status_code == 200
    body = response.json()
    assert body["province"] == {"code": "86", "name": "Vĩnh Long", "full_name": "Tỉnh Vĩnh Long"}
    assert body["commune"]["full_name"] == "Phường An Hội"
    assert body["district"] is None


def test_locate_on_an_old_date(api):
    body = api.get(URL + "locate/", {"lon": 106.3756, "lat": 10.2415, "on": "2025-06-30"}).json()
    assert body["province"]["code"] == "83"
    assert body["district"]["full_name"] == "Thành phố Bến Tre"
    assert body["commune"] is None
    assert body["commune_candidates"]


def test_locate_at_sea_is_a_clear_404(api):
    response = api.get(URL + "locate/", {"lon": 107.3, "lat": 9.6})
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "outside_all_units"
    assert "ngoài" in body["message"] or "outside" in body["message"]


@pytest.mark.parametrize(
    "params, key",
    [
        ({"lon": "abc", "lat": 10}, "lon"),
        ({"lon": 200, "lat": 10}, "lon"),
        ({"lon": 106, "lat": -91}, "lat"),
        ({"lon": 106}, "lat"),
        ({"lon": 106, "lat": 10, "on": "yesterday"}, "on"),
    ],
)
def test_locate_bad_coordinates_are_400(api, params, key):
    response = api.get(URL + "locate/", params)
    assert response.status_code == 400
    assert response.json()["extra"]["key"] == key


def test_translate(api):
    response = api.get(URL + "translate/", {"code": "28759"})
    assert response.status_code == 200
    (item,) = response.json()
    assert item["successor_known"] is True
    assert item["successors"] == [
        {
            "code": "28756",
            "name": "Phú Khương",
            "full_name": "Phường Phú Khương",
            "level": "commune",
            "relation": "full",
        }
    ]


def test_translate_unknown_successor_is_said_not_guessed(api):
    (item,) = api.get(URL + "translate/", {"code": "28765"}).json()
    assert item["successor_known"] is False
    assert item["successors"] == []
    assert item["reason"]


def test_translate_errors(api):
    assert api.get(URL + "translate/", {"code": "99999"}).status_code == 404
    response = api.get(URL + "translate/", {"code": "abc"})
    assert response.status_code == 400 and response.json()["extra"]["key"] == "code"


def test_schema_documents_the_endpoints(api):
    response = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"] if response["Content-Type"].endswith("json") else None
    if paths is None:
        import yaml  # drf-spectacular depends on PyYAML

        paths = yaml.safe_load(response.content)["paths"]
    for path in (
        "/api/v1/admin-units/",
        "/api/v1/admin-units/locate/",
        "/api/v1/admin-units/translate/",
    ):
        assert path in paths


@pytest.mark.gis_client
@pytest.mark.django_db(transaction=True)
def test_gdal_reads_the_geojson_layer(live_server, boundaries, tmp_path):
    """Debian GDAL's own GeoJSON driver reads the endpoint: right count, fields and geometry."""
    url = f"{live_server.url}{URL}?level=commune&parent=86&page_size=200&format=geojson"
    info = subprocess.run(
        ["ogrinfo", "-ro", "-so", "-al", f"GeoJSON:{url}"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert "Feature Count: 124" in info
    assert "Geometry: Multi Polygon" in info
    assert "code: String" in info and "parent_code: String" in info

    out = tmp_path / "communes.gpkg"
    subprocess.run(
        ["ogr2ogr", "-f", "GPKG", str(out), f"GeoJSON:{url}"],
        check=True,
        timeout=120,
        capture_output=True,
    )
    count = subprocess.run(
        ["ogrinfo", "-ro", "-sql", "SELECT COUNT(*) AS n FROM OGRGeoJSON", str(out)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "n (Integer) = 124" in count
