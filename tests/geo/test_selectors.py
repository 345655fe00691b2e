from datetime import date

import pytest
from django.contrib.gis.geos import Point

from apps.geo.choices import Level
from apps.geo.models import AdminUnit
from apps.geo.selectors import unit_translate, units_at

pytestmark = pytest.mark.django_db
BEFORE = date(2025, 6, 30)

# Real places: (lon, lat), the 2025 commune, and the pre-2025 district.
BEN_TRE_CITY_CENTRE = (106.3756, 10.2415)  # Phường An Hội; Thành phố Bến Tre
BA_TRI_TOWN = (106.5930, 10.0410)  # Xã Ba Tri; Huyện Ba Tri
VINH_LONG_CITY = (105.9720, 10.2530)  # old Vĩnh Long province capital


def test_today_a_point_in_ben_tre_city_is_in_vinh_long_province():
    location = units_at(lon=BEN_TRE_CITY_CENTRE[0], lat=BEN_TRE_CITY_CENTRE[1])
    assert location.province.code == "86"
    assert location.province.valid_to is None
    assert location.commune.full_name == "Phường An Hội"
    assert location.district is None


def test_before_the_reform_the_same_point_is_in_ben_tre_and_a_district():
    location = units_at(lon=BEN_TRE_CITY_CENTRE[0], lat=BEN_TRE_CITY_CENTRE[1], on=BEFORE)
    assert (location.province.code, location.province.full_name) == ("83", "Tỉnh Bến Tre")
    assert location.district.full_name == "Thành phố Bến Tre"
    # No pre-2025 commune polygons: the old communes that formed today's commune are offered.
    assert location.commune is None
    names = {c.full_name for c in location.commune_candidates}
    assert "Phường An Hội" in names
    assert all(c.parent_id == location.district.pk for c in location.commune_candidates)


def test_ba_tri():
    assert units_at(lon=BA_TRI_TOWN[0], lat=BA_TRI_TOWN[1]).commune.full_name == "Xã Ba Tri"
    before = units_at(lon=BA_TRI_TOWN[0], lat=BA_TRI_TOWN[1], on=BEFORE)
    assert before.district.full_name == "Huyện Ba Tri"


def test_old_vinh_long_city_is_in_old_vinh_long_province_before_the_reform():
    before = units_at(lon=VINH_LONG_CITY[0], lat=VINH_LONG_CITY[1], on=BEFORE)
    assert before.province.code == "86" and before.province.valid_to == BEFORE
    assert before.district is None  # no district polygons outside Bến Tre
    today = units_at(lon=VINH_LONG_CITY[0], lat=VINH_LONG_CITY[1])
    assert today.province.code == "86" and today.province.valid_to is None


@pytest.mark.parametrize(
    "lon, lat",
    [(107.30, 9.60), (109.5, 12.0), (104.92, 11.56), (100.5, 13.75)],
    ids=["east-sea-off-ben-tre", "east-sea", "phnom-penh", "bangkok"],
)
def test_points_at_sea_or_abroad_are_outside_every_unit(lon, lat):
    assert units_at(lon=lon, lat=lat) is None
    assert units_at(lon=lon, lat=lat, on=BEFORE) is None


def _inside_near(unit: AdminUnit, border_point: Point) -> Point:
    """A point of `unit` within ~50 m of `border_point`."""
    piece = border_point.buffer(0.0005).intersection(unit.geom)
    return piece.point_on_surface


@pytest.mark.parametrize(
    "code_a, code_b",
    [("28777", "28756"), ("28783", "28789")],
    ids=["an-hoi|phu-khuong", "son-dong|ben-tre"],
)
def test_points_on_either_side_of_a_shared_border(code_a, code_b):
    a = AdminUnit.objects.get(code=code_a, level=Level.COMMUNE, valid_to__isnull=True)
    b = AdminUnit.objects.get(code=code_b, level=Level.COMMUNE, valid_to__isnull=True)
    border = a.geom.intersection(b.geom)
    assert border.length > 0, "the two communes share a border"
    on_border = border.point_on_surface if border.geom_type != "Point" else border
    in_a, in_b = _inside_near(a, on_border), _inside_near(b, on_border)
    assert in_a.distance(in_b) < 0.002  # both within ~100 m of each other

    assert units_at(lon=in_a.x, lat=in_a.y).commune.code == code_a
    assert units_at(lon=in_b.x, lat=in_b.y).commune.code == code_b
    # A point exactly on the border still gets one of the two, deterministically.
    assert units_at(lon=on_border.x, lat=on_border.y).commune.code in {code_a, code_b}


def test_province_border_between_vinh_long_and_dong_thap():
    vinh_long = AdminUnit.objects.get(code="86", level=Level.PROVINCE, valid_to__isnull=True)
    neighbours = AdminUnit.objects.filter(level=Level.PROVINCE, valid_to__isnull=True).exclude(
        pk=vinh_long.pk
    )
    neighbour = next(p for p in neighbours if p.geom.intersection(vinh_long.geom).length > 0.05)
    border = neighbour.geom.intersection(vinh_long.geom)
    on_border = border.point_on_surface
    in_neighbour = _inside_near(neighbour, on_border)
    located = units_at(lon=in_neighbour.x, lat=in_neighbour.y)
    assert located.province.code == neighbour.code


def test_translate_an_old_commune():
    (result,) = unit_translate(code="28759")  # Phường 8, Thành phố Bến Tre
    assert result.unit.full_name == "Phường 8"
    assert [(s.unit.full_name, s.relation) for s in result.successors] == [
        ("Phường Phú Khương", "full")
    ]


def test_translate_a_split_commune_gives_every_part():
    results = unit_translate(code="29719", level=Level.COMMUNE)  # Thị trấn Tam Bình, split in two
    old = next(r for r in results if not r.current)
    assert {(s.unit.code, s.relation) for s in old.successors} == {
        ("29719", "partial"),
        ("29836", "partial"),
    }
    assert any(r.current for r in results)  # the code is reused by a current unit


def test_translate_a_unit_that_ended_in_2024_says_the_successor_is_unknown():
    (result,) = unit_translate(code="28765")  # Phường 4, merged on 2025-01-01
    assert result.successors == ()
    assert "31/12/2024" in result.reason


def test_translate_old_ben_tre_province():
    (result,) = unit_translate(code="83", level=Level.PROVINCE)
    assert [(s.unit.code, s.unit.valid_to) for s in result.successors] == [("86", None)]
