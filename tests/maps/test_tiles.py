"""Vector tiles (PostGIS ST_AsMVT) decoded by real clients: GDAL's MVT driver (`ogrinfo`, on the
tile bytes and through /vsicurl/ against a live server) and QGIS's `vectortile` provider. The
tiles must say what the GeoJSON layer says: same rows, same filters, same scoping."""

import base64
import math
import os
import subprocess
import textwrap

import pytest
from django.contrib.gis.geos import Polygon
from django.db import connection
from rest_framework.test import APIClient

from apps.accounts.choices import Role
from apps.accounts.services import api_token_create
from apps.maps.tiles import CLUSTER_BELOW_ZOOM, tiles_available
from apps.products.models import Product
from tests.factories.accounts import PASSWORD
from tests.factories.producers import ProducerFactory

from .conftest import ogrinfo_features, save_tile, tile_of

POSTGIS = pytest.mark.skipif(
    not tiles_available(), reason="vector tiles need PostGIS (ST_AsMVT); SpatiaLite has none"
)
pytestmark = pytest.mark.django_db
MVT = "application/vnd.mapbox-vector-tile"


def lonlat_bounds(z, x, y):
    """The tile's lon/lat box (inverse Web Mercator), written independently of apps.maps.tiles."""
    n = 2**z

    def lat(row):
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    return x / n * 360 - 180, lat(y + 1), (x + 1) / n * 360 - 180, lat(y)


def tile_features(client, tmp_path, url, z, x, y, **headers):
    response = client.get(f"{url}/{z}/{x}/{y}.pbf", **headers)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == MVT
    if not response.content:
        return []
    return ogrinfo_features(str(save_tile(tmp_path, response.content, z, x, y)))


def signed_in(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


@POSTGIS
def test_public_product_tile_matches_the_database(maps_world, client, tmp_path):
    lon, lat = maps_world.a.producer.location.coords
    z, x, y = tile_of(lon, lat, 12)
    features = tile_features(client, tmp_path, "/tiles/public/products", z, x, y)

    box = Polygon.from_bbox(lonlat_bounds(z, x, y))
    expected = {
        p.name: p
        for p in Product.objects.filter(producer__location__within=box)
        if p.name in ("Kẹo dừa A", "Bánh phồng B")
    }  # the recognised ones; D is a draft
    assert expected, "the tile around A's producer holds A"
    assert {f["name"] for f in features} == set(expected)
    a = next(f for f in features if f["name"] == "Kẹo dừa A")
    assert a["mvt_id"] == maps_world.a.pk
    assert a["stars"] == 4 and a["certificate_status"] == "valid" and a["group"] == "I"
    assert a["producer_name"] == maps_world.a.producer.name and a["commune_code"] == "28777"
    # The public variant carries no private properties (the product's workflow status).
    assert all("status" not in f for f in features)

    # Signed in, the province officer also sees the draft product and its status.
    scoped = tile_features(
        signed_in(maps_world.people["province"]), tmp_path / "s", "/tiles/products", z, x, y
    )
    assert "Mứt dừa D" in {f["name"] for f in scoped}
    assert {f["status"] for f in scoped if f["name"] == "Mứt dừa D"} == {"draft"}


@POSTGIS
def test_low_zoom_points_are_aggregated_with_star_counts(maps_world, client, tmp_path):
    lon, lat = maps_world.a.producer.location.coords
    z, x, y = tile_of(lon, lat, 5)
    assert z < CLUSTER_BELOW_ZOOM
    features = tile_features(client, tmp_path, "/tiles/public/products", z, x, y)
    # A and B are a few km apart: one grid cell, one feature with the counts only.
    assert len(features) == 1
    cluster = features[0]
    assert (
        cluster["count"] == 2
        and cluster["star_3"] == 1
        and cluster["star_4"] == 1
        and cluster["star_5"] == 0
    )
    assert "name" not in cluster

    only_4 = tile_features(
        client, tmp_path / "f", "/tiles/public/products", z, x, y, QUERY_STRING="star=4"
    )
    assert [(f["count"], f["star_4"], f["star_3"]) for f in only_4] == [(1, 1, 0)]

    # Producers have no stars: clusters carry `count` only; the producer sees just their own.
    mine = tile_features(
        signed_in(maps_world.people["producer"]), tmp_path / "p", "/tiles/producers", z, x, y
    )
    assert [f["count"] for f in mine] == [1] and "star_3" not in mine[0]


@POSTGIS
def test_filters_change_the_tile(maps_world, client, tmp_path):
    lon, lat = maps_world.a.producer.location.coords
    z, x, y = tile_of(lon, lat, 12)
    url = f"/tiles/public/products/{z}/{x}/{y}.pbf"
    everything = client.get(url).content
    star3 = client.get(url, {"star": "3"})
    star4 = client.get(url, {"star": "4"})
    group_ii = client.get(url, {"group": "II"})
    assert star3.content != everything and star4.content != star3.content
    assert "Bánh phồng B" not in {
        f["name"] for f in ogrinfo_features(str(save_tile(tmp_path, star4.content, z, x, y)))
    }
    # Nothing left: an empty 200 (a valid MVT without layers), still cached by ETag.
    assert group_ii.status_code == 200 and group_ii.content == b"" and group_ii["ETag"]
    unit = client.get(url, {"unit": "28756"})  # B's commune only
    assert {
        f["name"] for f in ogrinfo_features(str(save_tile(tmp_path / "u", unit.content, z, x, y)))
    } <= {"Bánh phồng B"}


@POSTGIS
def test_tiles_follow_the_jurisdiction(maps_world, client, tmp_path):
    people = maps_world.people
    lon, lat = maps_world.a.producer.location.coords
    z, x, y = tile_of(lon, lat, 12)

    own = tile_features(signed_in(people["producer"]), tmp_path / "1", "/tiles/products", z, x, y)
    assert {f["name"] for f in own} <= {"Kẹo dừa A", "Mứt dừa D"} and "Kẹo dừa A" in {
        f["name"] for f in own
    }
    other = tile_features(
        signed_in(people["producer2"]), tmp_path / "2", "/tiles/products", z, x, y
    )
    assert "Kẹo dừa A" not in {f["name"] for f in other}
    dossiers = tile_features(
        signed_in(people["producer"]), tmp_path / "3", "/tiles/dossiers", z, x, y
    )
    assert {f["product_name"] for f in dossiers} <= {"Kẹo dừa A"}
    hanoi = tile_features(
        signed_in(people["other_province"]), tmp_path / "4", "/tiles/products", z, x, y
    )
    assert hanoi == []

    # Anonymous on the signed-in URL: 401 with a Basic challenge; Basic and Token both work.
    anonymous = client.get(f"/tiles/products/{z}/{x}/{y}.pbf")
    assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"].startswith("Basic")
    basic = base64.b64encode(f"producer:{PASSWORD}".encode()).decode()
    assert (
        client.get(
            f"/tiles/products/{z}/{x}/{y}.pbf", HTTP_AUTHORIZATION=f"Basic {basic}"
        ).status_code
        == 200
    )
    _token, key = api_token_create(user=people["producer"])
    by_token = client.get(f"/tiles/products/{z}/{x}/{y}.pbf", HTTP_AUTHORIZATION=f"Token {key}")
    assert by_token.status_code == 200 and by_token["Cache-Control"] == "private, no-cache"


@POSTGIS
def test_etag_and_cache_headers(maps_world, client):
    lon, lat = maps_world.a.producer.location.coords
    z, x, y = tile_of(lon, lat, 10)
    url = f"/tiles/public/products/{z}/{x}/{y}.pbf"
    first = client.get(url)
    assert first.status_code == 200 and first.content
    assert first["Cache-Control"] == "public, max-age=60" and first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200
    # A client asking for protobuf (or anything) gets the tile, not a 406.
    assert client.get(url, HTTP_ACCEPT="application/x-protobuf").status_code == 200


@POSTGIS
@pytest.mark.parametrize(
    ("path", "status", "key"),
    [
        ("/tiles/public/products/23/0/0.pbf", 400, "z"),
        ("/tiles/public/products/3/8/0.pbf", 400, "x"),
        ("/tiles/public/products/3/0/8.pbf", 400, "y"),
        ("/tiles/public/products/-1/0/0.pbf", 400, "z"),
        ("/tiles/public/products/2/-1/0.pbf", 400, "x"),
        ("/tiles/public/products/5/25/15.pbf?star=9", 400, "star"),
        ("/tiles/public/products/5/25/15.pbf?group=VII", 400, "group"),
        ("/tiles/public/products/5/25/15.pbf?unit=abc", 400, "unit"),
        ("/tiles/public/products/5/25/15.pbf?datetime=yesterday", 400, "datetime"),
        ("/tiles/public/nothing/5/25/15.pbf", 404, None),
        ("/tiles/public/dossiers/5/25/15.pbf", 404, None),
        ("/tiles/public/nothing.json", 404, None),
        ("/tiles/public/products/a/b/c.pbf", 404, None),
    ],
)
def test_bad_tile_requests(client, path, status, key):
    response = client.get(path)
    assert response.status_code == status, response.content[:300]
    if key:
        assert response.json()["code"] == "invalid" and response.json()["extra"]["key"] == key


@POSTGIS
def test_tilejson_describes_the_layer_for_maplibre(maps_world, client):
    response = client.get("/tiles/public/products.json", {"star": "4"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    doc = response.json()
    assert doc["tilejson"] == "3.0.0" and doc["scheme"] == "xyz"
    assert doc["tiles"] == ["http://testserver/tiles/public/products/{z}/{x}/{y}.pbf?star=4"]
    assert doc["minzoom"] == 0 and doc["maxzoom"] == 14
    west, south, east, north = doc["bounds"]
    lon, lat = maps_world.a.producer.location.coords
    assert west <= lon <= east and south <= lat <= north and east - west < 1
    assert "sapnhap.bando.com.vn" in doc["attribution"] and "dvhcvn" in doc["attribution"]
    (vector_layer,) = doc["vector_layers"]
    assert vector_layer["id"] == "products"
    fields = vector_layer["fields"]
    assert (
        fields["name"] == "String" and fields["stars"] == "Number" and fields["count"] == "Number"
    )
    assert fields["star_5"] == "Number" and fields["at_site"] == "Boolean"
    assert "status" not in fields  # private property, public variant
    assert response["ETag"] and response["Cache-Control"] == "public, max-age=60"

    anonymous = client.get("/tiles/products.json")
    assert anonymous.status_code == 401
    scoped = signed_in(maps_world.people["province"]).get("/tiles/products.json").json()
    assert scoped["tiles"] == ["http://testserver/tiles/products/{z}/{x}/{y}.pbf"]
    assert scoped["vector_layers"][0]["fields"]["status"] == "String"
    units = client.get("/tiles/public/admin-units.json").json()
    assert units["vector_layers"][0]["fields"]["products_star_4"] == "Number"
    assert "count" not in units["vector_layers"][0]["fields"]  # polygons are never aggregated


@pytest.mark.skipif(tiles_available(), reason="the fallback is what SpatiaLite answers")
def test_spatialite_answers_501_and_points_to_geojson(client, make_user, unit):
    assert connection.vendor == "sqlite" and tiles_available() is False
    response = client.get("/tiles/public/products/10/814/481.pbf")
    assert response.status_code == 501
    body = response.json()
    assert body["code"] == "tiles_unavailable" and "PostGIS" in body["message"]
    assert body["extra"]["geojson"] == "http://testserver/api/v1/public/layers/products/"
    assert client.get("/tiles/public/products.json").status_code == 501
    officer = make_user(Role.PROVINCE_OFFICER, [unit("86", "province")])
    scoped = signed_in(officer).get("/tiles/producers/10/814/481.pbf")
    assert scoped.status_code == 501 and scoped.json()["extra"]["geojson"].endswith(
        "/api/v1/layers/producers/"
    )
    # Unknown layers and missing public variants are still 404, anonymous still 401.
    assert client.get("/tiles/public/nothing/1/0/0.pbf").status_code == 404
    assert client.get("/tiles/producers/1/0/0.pbf").status_code == 401


# --- real clients against a live server -----------------------------------------------------
def _unit_codes_in_tile(z, x, y):
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT code FROM geo_adminunit
               WHERE geom IS NOT NULL AND (valid_to IS NULL OR valid_to >= CURRENT_DATE)
                 AND valid_from <= CURRENT_DATE
                 AND ST_Intersects(ST_Transform(geom, 3857), ST_TileEnvelope(%s, %s, %s))""",
            [z, x, y],
        )
        return sorted(row[0] for row in cursor.fetchall())


@POSTGIS
@pytest.mark.gis_client
@pytest.mark.django_db(transaction=True)
def test_gdal_reads_tiles_over_http(live_server, boundaries, make_user, unit):
    z, x, y = tile_of(106.3756, 10.2415, 11)  # Bến Tre city
    url = f"/vsicurl/{live_server.url}/tiles/public/admin-units/{z}/{x}/{y}.pbf"
    features = ogrinfo_features(url)
    codes = sorted(f["code"] for f in features)
    # The units whose boundary meets the tile (the 64-unit buffer may add a neighbour).
    inside = _unit_codes_in_tile(z, x, y)
    assert set(inside) <= set(codes) and len(codes) - len(inside) <= 4
    an_hoi = next(f for f in features if f["code"] == "28777")
    assert an_hoi["full_name"] == "Phường An Hội" and an_hoi["level"] == "commune"
    assert an_hoi["products_recognised"] == 0 and "dossiers_open" not in an_hoi

    # Signed in with HTTP Basic, a producer sees only their own producer.
    owner = make_user(Role.PRODUCER, [unit("28777")], username="owner")
    ProducerFactory(users=[owner], name="HTX Của Tôi")
    ProducerFactory(name="HTX Người Khác")
    env = {**os.environ, "GDAL_HTTP_AUTH": "BASIC", "GDAL_HTTP_USERPWD": f"owner:{PASSWORD}"}
    mine = ogrinfo_features(
        f"/vsicurl/{live_server.url}/tiles/producers/14/{tile_of(106.3756, 10.2415, 14)[1]}/"
        f"{tile_of(106.3756, 10.2415, 14)[2]}.pbf",
        env=env,
    )
    assert [f["name"] for f in mine] == ["HTX Của Tôi"]
    assert mine[0]["registration_number"]  # scoped variant: the owner's own registration


QGIS_SCRIPT = textwrap.dedent(
    """
    import sys
    from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem,
                           QgsMapRendererSequentialJob, QgsMapSettings, QgsRectangle,
                           QgsVectorTileLayer)
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor

    app = QgsApplication([], False)
    app.initQgis()
    layer = QgsVectorTileLayer("type=xyz&url=" + sys.argv[1] + "&zmin=0&zmax=14", "ocop")
    print("VALID", layer.isValid())
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    settings.setExtent(QgsRectangle(11830000, 1140000, 11850000, 1155000))  # Bến Tre city
    settings.setOutputSize(QSize(256, 192))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    drawn = sum(1 for i in range(image.width()) for j in range(image.height())
                if image.pixelColor(i, j).name() != "#ffffff")
    image.save(sys.argv[2])
    print("DRAWN", drawn)
    del job
    del layer
    app.exitQgis()
    """
)


def _qgis_missing() -> bool:
    try:
        done = subprocess.run(
            ["/usr/bin/python3", "-c", "import qgis.core"], capture_output=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired):
        return True
    return done.returncode != 0


@POSTGIS
@pytest.mark.gis_client
@pytest.mark.skipif(
    _qgis_missing(), reason="PyQGIS is not installed (/usr/bin/python3 -c 'import qgis.core' fails)"
)
@pytest.mark.django_db(transaction=True)
def test_qgis_loads_and_draws_the_vector_tiles(live_server, boundaries, tmp_path):
    from django.conf import settings

    script = tmp_path / "qgis_tiles.py"
    script.write_text(QGIS_SCRIPT)
    artifacts = settings.BASE_DIR / "var" / "test-artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [
            "/usr/bin/python3",
            str(script),
            f"{live_server.url}/tiles/public/admin-units/{{z}}/{{x}}/{{y}}.pbf",
            str(artifacts / "qgis-vector-tiles.png"),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": ""},
    )
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr[-2000:])
    assert "VALID True" in done.stdout
    drawn = int(done.stdout.split("DRAWN")[1].split()[0])
    assert drawn > 500, done.stdout  # commune boundaries were drawn
