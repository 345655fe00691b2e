"""Layer downloads (GeoPackage, GeoJSON, CSV, XLSX, standalone HTML map), read back with GDAL:
same rows, filters and scoping as the GeoJSON layer API, the data sources' attribution inside
every file, and an HTML map that opens from disk without a single outside request."""

import base64
import json
import re
import subprocess

import folium
import pytest
from rest_framework.test import APIClient

from apps.accounts.choices import Role
from apps.maps import exports
from tests.factories.accounts import PASSWORD
from tests.factories.producers import ProducerFactory

from .conftest import ogrinfo_features

pytestmark = pytest.mark.django_db
TABULAR = ("geojson", "gpkg", "csv", "xlsx")


def signed_in(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def download(client, url, tmp_path, **query):
    response = client.get(url, query)
    assert response.status_code == 200, response.content[:400]
    disposition = response["Content-Disposition"]
    match = re.match(r'attachment; filename="([A-Za-z0-9_.\-]+)"$', disposition)
    assert match, disposition
    path = tmp_path / match.group(1)
    path.write_bytes(response.content)
    return response, path


def ogrinfo(path, *args):
    done = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-so", *args, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def feature_count(summary: str, layer_index: int = 0) -> int:
    return [int(n) for n in re.findall(r"Feature Count: (\d+)", summary)][layer_index]


def field_names(summary: str) -> set[str]:
    """Fields of the first layer in an `ogrinfo -so` summary."""
    first = summary.split("Layer name:")[1]
    return set(re.findall(r"^(\w+): (?:String|Integer|Real|Date)", first, flags=re.M))


def test_public_products_in_every_format(maps_world, client, tmp_path):
    for fmt in TABULAR:
        response, path = download(client, f"/exports/public/products.{fmt}", tmp_path)
        assert path.name.startswith("ocop_products_public_") and path.suffix == f".{fmt}"
        assert response["Cache-Control"] == "public, max-age=60"
        open_options = ("-oo", "HEADERS=FORCE") if fmt == "xlsx" else ()
        summary = ogrinfo(path, *open_options)
        assert feature_count(summary) == 2, (fmt, summary)
        rows = ogrinfo_features(str(path), *open_options)
        data = [r for r in rows if "name" in r]
        assert {r["name"] for r in data} == {"Kẹo dừa A", "Bánh phồng B"}, fmt
        a = next(r for r in data if r["name"] == "Kẹo dừa A")
        assert str(a["stars"]) == "4" and a["product_code"].startswith("86-28777-")
        # Public: no private property, no personal data.
        assert "status" not in field_names(summary) and "certificate_status" in field_names(summary)
        assert maps_world.a.producer.representative_name not in path.read_bytes().decode(
            "utf-8", "ignore"
        )
        text = summary if fmt != "csv" else path.read_text(encoding="utf-8-sig")
        if fmt == "geojson":
            text = json.dumps(json.loads(path.read_text()), ensure_ascii=False)
        if fmt == "xlsx":
            text = subprocess.run(
                ["ogrinfo", "-ro", "-al", "-oo", "HEADERS=FORCE", str(path), "attribution"],
                capture_output=True,
                text=True,
            ).stdout
        assert "sapnhap.bando.com.vn" in text and "dvhcvn" in text, fmt

    geojson = json.loads((tmp_path / path.name.replace(".xlsx", ".geojson")).read_text())
    assert geojson["source"] == {
        "layer": "products",
        "variant": "public",
        "filters": {},
        "exported_on": geojson["source"]["exported_on"],
    }
    assert len(geojson["attribution"]) == 4
    gpkg = ogrinfo(tmp_path / path.name.replace(".xlsx", ".gpkg"))
    assert "ATTRIBUTION=" in gpkg and "DESCRIPTION=" in gpkg and "Geometry: Point" in gpkg
    csv_head = (
        (tmp_path / path.name.replace(".xlsx", ".csv"))
        .read_text(encoding="utf-8-sig")
        .splitlines()[0]
    )
    assert csv_head.startswith("X,Y,id,name,") and csv_head.endswith(",attribution")
    xlsx = ogrinfo(tmp_path / path.name, "-oo", "HEADERS=FORCE")
    assert (
        "longitude: Real" in xlsx and "latitude: Real" in xlsx and "Layer name: attribution" in xlsx
    )


def test_filters_apply_and_name_the_file(maps_world, client, tmp_path):
    response, path = download(
        client, "/exports/public/products.geojson", tmp_path, star="4", group="I"
    )
    assert re.match(r"ocop_products_public_\d{4}-\d{2}-\d{2}_star-4_group-I\.geojson$", path.name)
    body = json.loads(response.content)
    assert [f["properties"]["name"] for f in body["features"]] == ["Kẹo dừa A"]
    assert body["source"]["filters"] == {"star": "4", "group": "I"}
    _, gpkg = download(client, "/exports/public/products.gpkg", tmp_path, unit="28756")
    assert [r["name"] for r in ogrinfo_features(str(gpkg))] == ["Bánh phồng B"]
    # Polygons: communes with their indicators, as WKT in CSV.
    _, csv_path = download(
        client, "/exports/public/admin-units.csv", tmp_path, level="commune", parent="86"
    )
    assert feature_count(ogrinfo(csv_path)) == 124
    assert csv_path.read_text(encoding="utf-8-sig").splitlines()[0].startswith("WKT,id,code,")
    an_hoi = [r for r in ogrinfo_features(str(csv_path)) if r.get("code") == "28777"]
    assert (
        an_hoi and an_hoi[0]["products_recognised"] == "1" and an_hoi[0]["products_star_4"] == "1"
    )


def test_scoped_exports_follow_the_jurisdiction(maps_world, tmp_path):
    people = maps_world.people
    _, mine = download(signed_in(people["producer"]), "/exports/products.csv", tmp_path)
    names = {r["name"] for r in ogrinfo_features(str(mine))}
    assert names == {"Kẹo dừa A", "Mứt dừa D"}  # own products, draft included; not producer2's
    assert "status" in ogrinfo(mine)
    assert "_scoped_" in mine.name

    _, everything = download(signed_in(people["province"]), "/exports/products.xlsx", tmp_path)
    rows = [r for r in ogrinfo_features(str(everything), "-oo", "HEADERS=FORCE") if "name" in r]
    assert {r["name"] for r in rows} == {"Kẹo dừa A", "Bánh phồng B", "Mứt dừa D"}
    assert all(10 < float(r["latitude"]) < 11 and 106 < float(r["longitude"]) < 107 for r in rows)

    _, dossiers = download(signed_in(people["producer2"]), "/exports/dossiers.gpkg", tmp_path)
    assert {r["product_name"] for r in ogrinfo_features(str(dossiers))} == {"Bánh phồng B"}
    hanoi = signed_in(people["other_province"]).get("/exports/producers.geojson")
    assert hanoi.status_code == 200 and json.loads(hanoi.content)["features"] == []


def test_producer_export_over_basic_auth_has_private_fields_for_the_owner(
    client, make_user, unit, tmp_path
):
    owner = make_user(Role.PRODUCER, [unit("28777")], username="owner")
    ProducerFactory(users=[owner], name="HTX Của Tôi", registration_number="1300999999")
    ProducerFactory(name="HTX Người Khác")
    basic = base64.b64encode(f"owner:{PASSWORD}".encode()).decode()
    response = client.get("/exports/producers.geojson", HTTP_AUTHORIZATION=f"Basic {basic}")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    features = json.loads(response.content)["features"]
    assert [f["properties"]["name"] for f in features] == ["HTX Của Tôi"]
    assert features[0]["properties"]["registration_number"] == "1300999999"
    # Nothing is recognised: the public producers layer is empty, and says where data come from.
    public = json.loads(client.get("/exports/public/producers.geojson").content)
    assert public["features"] == [] and public["attribution"]


@pytest.mark.parametrize(
    ("url", "status", "key"),
    [
        ("/exports/public/products.pdf", 404, "format"),
        ("/exports/public/nothing.geojson", 404, None),
        ("/exports/public/dossiers.csv", 404, None),
        ("/exports/public/products.csv?star=2", 400, "star"),
        ("/exports/public/products.gpkg?group=X", 400, "group"),
        ("/exports/public/products.xlsx?bbox=1,2,3", 400, "bbox"),
        ("/exports/public/products.html?unit=99999", 400, "unit"),
        ("/exports/public/certificates.geojson?datetime=tomorrow", 400, "datetime"),
    ],
)
def test_bad_input(client, url, status, key):
    response = client.get(url)
    assert response.status_code == status, response.content[:300]
    if key:
        assert response.json()["extra"]["key"] == key


def test_anonymous_cannot_download_the_scoped_variant(client):
    for fmt in ("geojson", "gpkg", "html"):
        response = client.get(f"/exports/producers.{fmt}")
        assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Basic")


def test_exports_above_the_cap_are_refused(client, make_user, unit, monkeypatch):
    officer = make_user(Role.PROVINCE_OFFICER, [unit("86", "province")])
    ProducerFactory.create_batch(3)
    monkeypatch.setattr(exports, "EXPORT_MAX_FEATURES", 2)
    response = signed_in(officer).get("/exports/producers.gpkg")
    assert response.status_code == 400
    assert response.json()["extra"] == {"key": "limit", "count": 3, "maximum": 2}
    narrowed = signed_in(officer).get("/exports/producers.gpkg", {"legal_type": "sme"})
    assert narrowed.status_code == 200


OUTSIDE_URL = re.compile(r"https?://[^\s\"'<>)]+")
# URLs that are not requests: the SVG namespace (Leaflet's own code) and the link in Leaflet's
# default attribution prefix (switched off with setPrefix(false)).
NOT_REQUESTS = {"http://www.w3.org/2000/svg", "https://leafletjs.com"}


def test_html_map_is_one_self_contained_file(maps_world, client, tmp_path):
    before = (list(folium.Map.default_js), list(folium.Map.default_css))
    response, path = download(client, "/exports/public/products.html", tmp_path)
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert set(OUTSIDE_URL.findall(html)) <= NOT_REQUESTS, (
        set(OUTSIDE_URL.findall(html)) - NOT_REQUESTS
    )
    assert not re.search(r"<(script|link)[^>]+(src|href)=", html)  # everything inlined
    assert "L.map(" in html and "setPrefix(false)" in html and "sapnhap.bando.com.vn" in html
    for name in ("Kẹo dừa A", "Bánh phồng B"):  # in the embedded GeoJSON, JSON-escaped
        assert name in html or json.dumps(name)[1:-1] in html
    # folium's CDN defaults were switched off on that map only, not for everyone.
    assert (list(folium.Map.default_js), list(folium.Map.default_css)) == before
    assert any("cdn.jsdelivr.net" in url for _, url in folium.Map.default_js)


def test_html_map_uses_the_basemap_setting_when_given(maps_world, client, settings):
    settings.OCOP_BASEMAP_URL = "https://tiles.example.invalid/{z}/{x}/{y}.png"
    settings.OCOP_BASEMAP_ATTRIBUTION = "© Bản đồ nền thử"
    html = client.get("/exports/public/products.html").content.decode()
    assert "https://tiles.example.invalid/{z}/{x}/{y}.png" in html
    assert (
        json.dumps("© Bản đồ nền thử")[1:-1] in html
    )  # the tile layer's attribution, JSON-escaped


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_html_map_opened_from_disk_draws_the_features_offline(
    browser_page, boundaries, chain, decide, tmp_path
):
    a = chain.evaluated(4, name="Kẹo dừa A")
    b = chain.evaluated(3, name="Bánh phồng B", commune="28756")
    decide([a.pk, b.pk])
    html = APIClient().get("/exports/public/products.html").content
    path = tmp_path / "map.html"
    path.write_bytes(html)

    page = browser_page.page
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    # The fixture's guard lets through only the live server; the file itself is allowed here
    # (page routes run before the context's guard, which still blocks anything else).
    page.route(lambda url: url.startswith("file:"), lambda route: route.continue_())
    page.goto(path.as_uri())
    page.wait_for_selector("path.leaflet-interactive")
    assert page.locator("path.leaflet-interactive").count() == 2  # the two circle markers
    credits = page.locator(".leaflet-control-attribution").inner_text()
    assert "sapnhap.bando.com.vn" in credits and "Leaflet" not in credits
    page.locator("path.leaflet-interactive").first.hover()
    page.wait_for_selector(".leaflet-tooltip")
    browser_page.screenshot("export-html-map")
    assert browser_page.outside == []
    assert [url for url in requested if not url.startswith(("file:", "data:"))] == []
