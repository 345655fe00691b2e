"""Bad input is a 400 with a message (or, for a path id, the usual 404), never a 500.

Unicode digits: `str.isdigit()` is true for "²" (which `int()` then refuses: a 500) and for
"١٢"/"１２" (which `int()` reads as 12, and `re`'s `\\d` matches). Only ASCII digits are numbers
(apps/core/parsing.py). Also: offsets too deep for the database, JSON nested 3,000 levels,
empty, 3-D, self-intersecting and out-of-country geometries.
"""

import json
from datetime import timedelta

import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts.choices import Role
from apps.products.gs1 import gtin_check_digit
from apps.traceability import services as trace_services
from tests.factories.places import AN_HOI, square
from tests.factories.producers import ProducerFactory

pytestmark = pytest.mark.django_db

ARABIC = "١٢"  # ARABIC-INDIC DIGIT ONE, TWO: int() → 12
FULLWIDTH = "１２"  # FULLWIDTH DIGIT ONE, TWO: int() → 12
SUPERSCRIPT = "²"  # isdigit() is True, int() raises ValueError
HUGE = "9" * 30  # beyond any integer column
UNICODE_NUMBERS = [ARABIC, FULLWIDTH, SUPERSCRIPT, HUGE, "1.5", "-3", "0x10", "1e3", "1 2"]
TO_ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


# --- fixtures -------------------------------------------------------------------------------------
@pytest.fixture
def owner(make_user, unit):
    return make_user(Role.PRODUCER, [unit("28777")], username="bad_input_owner")


@pytest.fixture
def ministry(make_user):
    return make_user(Role.MINISTRY_OFFICER, [], username="bad_input_ministry")


@pytest.fixture
def producer(owner):
    return ProducerFactory(users=[owner], name="HTX Đầu Vào Xấu")


@pytest.fixture
def product(owner, producer):
    from apps.products.services import product_create

    return product_create(
        actor=owner, producer=producer, name="Kẹo dừa đầu vào", classification_code="I.3.c"
    )


@pytest.fixture
def lot(owner, product):
    return trace_services.lot_create(
        actor=owner,
        product_id=product.pk,
        lot_number="BAD-1",
        production_date=timezone.localdate() - timedelta(days=3),
    )


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def assert_envelope_400(response, key: str) -> dict:
    assert response.status_code == 400, (response.status_code, response.content[:300])
    body = response.json()
    assert body["code"] == "invalid" and body["message"], body
    assert body["extra"]["key"] == key, body
    return body


def gln(body12: str) -> str:
    return body12 + str(gtin_check_digit(body12))


# --- paging on list APIs --------------------------------------------------------------------------
@pytest.mark.parametrize("value", UNICODE_NUMBERS)
@pytest.mark.parametrize("param", ["page", "page_size"])
@pytest.mark.parametrize("path", ["/api/v1/lots/", "/api/v1/certificates/", "/api/v1/dossiers/"])
def test_list_api_paging_takes_ascii_digits_only(ministry, path, param, value):
    assert_envelope_400(api(ministry).get(path, {param: value}), param)


@pytest.mark.parametrize("path", ["/api/v1/lots/", "/api/v1/certificates/"])
def test_list_api_page_beyond_the_maximum_offset_is_400(ministry, settings, path):
    settings.OCOP_MAX_OFFSET = 1000
    assert_envelope_400(api(ministry).get(path, {"page": "12", "page_size": "100"}), "page")
    assert api(ministry).get(path, {"page": "1", "page_size": "100"}).status_code == 200


def test_list_api_ascii_paging_still_works(ministry):
    response = api(ministry).get("/api/v1/lots/", {"page": "1", "page_size": "5"})
    assert response.status_code == 200 and response.json()["count"] == 0


# --- the layer API and OGC API - Features ---------------------------------------------------------
@pytest.mark.parametrize("value", UNICODE_NUMBERS)
@pytest.mark.parametrize("param", ["limit", "offset"])
def test_layer_api_paging_takes_ascii_digits_only(client, param, value):
    response = client.get("/api/v1/public/layers/products/", {param: value})
    assert_envelope_400(response, param)


@pytest.mark.parametrize("offset", ["1000001", str(2**63), "9" * 18])
def test_layer_api_offset_beyond_the_maximum_is_400(client, offset):
    assert_envelope_400(client.get("/api/v1/public/layers/products/", {"offset": offset}), "offset")


@pytest.mark.parametrize("value", UNICODE_NUMBERS)
@pytest.mark.parametrize("param", ["limit", "offset"])
def test_ogc_items_paging_takes_ascii_digits_only(client, param, value):
    response = client.get("/ogc/collections/public-products/items", {param: value, "f": "json"})
    assert response.status_code == 400, response.content[:300]
    assert response.json()["extra"]["key"] == param


def test_ogc_items_offset_beyond_the_maximum_is_400(client):
    response = client.get(
        "/ogc/collections/public-products/items", {"offset": str(10**12), "f": "json"}
    )
    assert response.status_code == 400 and response.json()["extra"]["key"] == "offset"


@pytest.mark.parametrize("feature_id", [SUPERSCRIPT, ARABIC, FULLWIDTH, "1²"])
def test_ogc_item_with_unicode_digits_is_not_found(client, feature_id):
    response = client.get(f"/ogc/collections/public-admin-units/items/{feature_id}?f=json")
    assert response.status_code == 404


def test_layer_filter_integers_and_dates_take_ascii_digits_only(ministry):
    for params, key in (
        ({"valid_on": "٢٠٢٥-٠٦-٣٠"}, "valid_on"),
        ({"round": "٢٠٢٦-1"}, "round"),
    ):
        layer = "admin-units" if key == "valid_on" else "dossiers"
        response = api(ministry).get(f"/api/v1/layers/{layer}/", params)
        assert_envelope_400(response, key)


# --- deep JSON ------------------------------------------------------------------------------------
DEEP = "[" * 3000 + "]" * 3000
DEEP_OBJECT = '{"a":' * 3000 + "1" + "}" * 3000


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT])
def test_deeply_nested_json_is_400(owner, body):
    response = api(owner).post("/api/v1/lots/", data=body, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert response.json()["code"] == "invalid"


def test_deeply_nested_json_to_an_anonymous_endpoint_is_400(client):
    response = client.post(
        "/api/v1/public/scans/location/", data=DEEP, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid"


# --- the dossier wizard ---------------------------------------------------------------------------
@pytest.fixture
def dossier(owner, product):
    from apps.dossiers.services import dossier_create

    return dossier_create(product=product, kind="first", actor=owner)


@pytest.mark.parametrize("value", [SUPERSCRIPT, ARABIC, FULLWIDTH, HUGE])
def test_wizard_self_assessment_takes_ascii_digits_only(client, owner, dossier, value):
    code = dossier.sheet.criteria.order_by("order").values_list("code", flat=True).first()
    client.force_login(owner)
    response = client.post(f"/dossiers/{dossier.pk}/edit/criteria/", {f"c:{code}": value})
    assert response.status_code == 400
    assert not dossier.self_assessment.exists()


def test_officer_inbox_page_number_is_never_a_500(client, make_user, unit):
    # The inbox ignores bad filter values with a message (tests/dossiers); a bad page number
    # shows the first page.
    client.force_login(make_user(Role.COMMUNE_OFFICER, [unit("28777")], username="inbox_officer"))
    for value in ("1", SUPERSCRIPT, ARABIC, FULLWIDTH, HUGE):
        assert client.get("/dossiers/inbox/", {"page": value}).status_code == 200


# --- the lot: GLN, ids ----------------------------------------------------------------------------
def _event(**overrides) -> dict:
    body = {
        "biz_step": "harvesting",
        "event_time": (timezone.now() - timedelta(days=1)).isoformat(),
        "location": {"type": "Point", "coordinates": list(AN_HOI)},
        "party_name": "HTX Đầu Vào Xấu",
    }
    body.update(overrides)
    return body


@pytest.mark.parametrize(
    "value",
    [
        SUPERSCRIPT * 13,
        gln("893123400001").translate(TO_ARABIC),  # a valid GLN, in Arabic-Indic digits
        gln("893123400001").translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    ],
)
@pytest.mark.parametrize("field", ["party_gln", "source_party_gln", "destination_party_gln"])
def test_lot_event_gln_takes_ascii_digits_only(owner, lot, field, value):
    response = api(owner).post(
        f"/api/v1/lots/{lot.pk}/events/", _event(**{field: value}), format="json"
    )
    assert_envelope_400(response, field)
    assert not lot.events.exists()


def test_lot_event_ascii_gln_is_accepted(owner, lot):
    response = api(owner).post(
        f"/api/v1/lots/{lot.pk}/events/", _event(party_gln=gln("893123400001")), format="json"
    )
    assert response.status_code == 201, response.json()


def test_lot_page_event_id_takes_ascii_digits_only(client, owner, lot):
    client.force_login(owner)
    for value in (SUPERSCRIPT, ARABIC, "abc", ""):
        response = client.post(
            f"/trace/lots/{lot.pk}/edit/", {"action": "delete_event", "event": value}
        )
        assert response.status_code in (302, 400), response.status_code


@pytest.mark.parametrize("value", [SUPERSCRIPT, ARABIC, FULLWIDTH, HUGE, "x"])
def test_scans_page_product_and_days_take_ascii_digits_only(client, owner, value):
    client.force_login(owner)
    assert client.get("/product-pages/scans/").status_code == 200
    assert client.get("/product-pages/scans/", {"product": value}).status_code == 400
    assert client.get("/product-pages/scans/", {"days": value}).status_code == 400


@pytest.mark.parametrize("field", ["link_id", "photo_id"])
def test_product_page_editor_ids_take_ascii_digits_only(client, owner, product, field):
    client.force_login(owner)
    action = "link-delete" if field == "link_id" else "photo-delete"
    for value in (SUPERSCRIPT, ARABIC, "abc"):
        response = client.post(f"/product-pages/{product.pk}/", {"action": action, field: value})
        assert response.status_code == 400, response.status_code


# --- geometry of production areas -----------------------------------------------------------------
def _area(owner, producer, geometry):
    return api(owner).post(
        f"/api/v1/producers/{producer.pk}/areas/",
        {"kind": "raw_material", "name": "Vùng", "geometry": geometry},
        format="json",
    )


def _square(lon=106.4, lat=10.2) -> dict:
    return json.loads(square(lon, lat).json)


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Polygon", "coordinates": []},
        {"type": "MultiPolygon", "coordinates": []},
        {"type": "Polygon", "coordinates": [[]]},
        {"type": "Polygon"},
        {"type": "Polygon", "coordinates": "106,10"},
        {"type": "Polygon", "coordinates": [[["a", "b"], [1, 2], [3, 4], ["a", "b"]]]},
        {"type": "GeometryCollection", "geometries": []},
        None,
        "POLYGON((106 10, 107 10, 107 11, 106 10))",
    ],
)
def test_empty_or_malformed_area_is_400(owner, producer, geometry):
    assert_envelope_400(_area(owner, producer, geometry), "geometry")
    assert not producer.areas.exists()


def test_self_intersecting_area_is_400_not_repaired(owner, producer):
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[106.40, 10.20], [106.41, 10.21], [106.41, 10.20], [106.40, 10.21], [106.40, 10.20]]
        ],
    }
    body = assert_envelope_400(_area(owner, producer, bowtie), "geometry")
    assert "Self-intersection" in body["message"]
    assert not producer.areas.exists()


@pytest.mark.parametrize(
    "lon, lat",
    [(100.5, 13.7), (-74.0, 40.7), (106.4, 30.0), (120.0, 10.0), (106.4, 2.0)],
)
def test_area_outside_vietnam_is_400(owner, producer, lon, lat):
    body = assert_envelope_400(_area(owner, producer, _square(lon, lat)), "geometry")
    assert "Viet Nam" in body["message"] or "Việt Nam" in body["message"]
    assert not producer.areas.exists()


def test_area_outside_vietnam_follows_the_setting(owner, producer, settings):
    settings.OCOP_VIETNAM_BBOX = (106.5, 10.0, 107.0, 11.0)  # excludes 106.4
    assert_envelope_400(_area(owner, producer, _square()), "geometry")


def test_3d_area_is_accepted_as_2d(owner, producer):
    geometry = _square()
    geometry["coordinates"] = [[[x, y, 2.5] for x, y in geometry["coordinates"][0]]]
    response = _area(owner, producer, geometry)
    assert response.status_code == 201, response.content
    area = producer.areas.get()
    assert not area.geom.hasz
    assert float(area.area_ha) == pytest.approx(100, rel=0.01)
    assert all(len(c) == 2 for c in response.json()["geometry"]["coordinates"][0][0])


@pytest.mark.parametrize(
    "location",
    [
        {"type": "Point", "coordinates": []},
        {"type": "Point", "coordinates": [106.3756]},
        {"type": "LineString", "coordinates": [[106.3, 10.2], [106.4, 10.3]]},
    ],
)
def test_field_visit_bad_points_are_refused_by_the_parser(location):
    from apps.core.parsing import InvalidInput, parse_geojson_geometry

    with pytest.raises(InvalidInput):
        parse_geojson_geometry(location, field="location", types=("Point",))


def test_3d_point_loses_its_height():
    from apps.core.parsing import parse_geojson_geometry

    point = parse_geojson_geometry(
        {"type": "Point", "coordinates": [106.3756, 10.2415, 12.0]},
        field="location",
        types=("Point",),
    )
    assert not point.hasz and point.srid == 4326
    assert GEOSGeometry(point.wkt).coords == pytest.approx((106.3756, 10.2415))


# --- the helper itself ----------------------------------------------------------------------------
@pytest.mark.parametrize("value", [*UNICODE_NUMBERS, None, True, 1.0, "", "+", "١"])
def test_parse_ascii_int_refuses_anything_but_ascii_digits(value):
    from apps.core.parsing import InvalidInput, parse_ascii_int

    if value == "-3":
        assert parse_ascii_int(value, field="n") == -3
        return
    with pytest.raises(InvalidInput) as caught:
        parse_ascii_int(value, field="n")
    assert caught.value.extra["key"] == "n" and caught.value.status_code == 400


def test_parse_ascii_int_bounds():
    from apps.core.parsing import InvalidInput, parse_ascii_int

    assert parse_ascii_int(" 42 ", field="n", minimum=1, maximum=42) == 42
    with pytest.raises(InvalidInput):
        parse_ascii_int("0", field="n", minimum=1)
    with pytest.raises(InvalidInput):
        parse_ascii_int("43", field="n", maximum=42)


@pytest.mark.parametrize("value", [ARABIC, FULLWIDTH, SUPERSCRIPT, HUGE])
def test_lot_create_product_id_takes_ascii_digits_only(owner, product, value):
    response = api(owner).post(
        "/api/v1/lots/", {"product": value, "lot_number": "U-1"}, format="json"
    )
    assert_envelope_400(response, "product")


@pytest.mark.parametrize("value", [ARABIC, FULLWIDTH, SUPERSCRIPT])
def test_wizard_replaced_file_id_takes_ascii_digits_only(client, owner, dossier, value):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(owner)
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    response = client.post(
        f"/dossiers/{dossier.pk}/edit/files/",
        {"file": SimpleUploadedFile("a.pdf", pdf), "annex_type": "lab_test", "replaces": value},
    )
    assert response.status_code == 400
    assert not dossier.files.exists()


def test_3d_event_point_is_accepted_as_2d(owner, lot):
    location = {"type": "Point", "coordinates": [*AN_HOI, 3.0]}
    response = api(owner).post(
        f"/api/v1/lots/{lot.pk}/events/", _event(location=location), format="json"
    )
    assert response.status_code == 201, response.json()
    assert not lot.events.get().location.hasz
    assert response.json()["location"]["coordinates"] == pytest.approx(list(AN_HOI))


# --- numbers beyond a 64-bit integer ----------------------------------------------------------
HUGE = "31431566954455864664772640243712"  # found by schemathesis: SQLite cannot bind it


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/products/?producer={HUGE}",
        f"/api/v1/products/?producer=-{HUGE}",
    ],
)
def test_integer_filters_beyond_64_bits_are_a_400(ministry, path):
    api = APIClient()
    api.force_authenticate(ministry)
    response = api.get(path)
    assert response.status_code == 400
    assert response.json()["extra"]["key"] == "producer"


def test_integer_inputs_beyond_64_bits_are_a_400(owner, product):
    api = APIClient()
    api.force_authenticate(owner)
    response = api.post("/api/v1/dossiers/", {"product": HUGE, "kind": "first"}, format="json")
    assert response.status_code == 400
    assert response.json()["extra"]["key"] == "product"
