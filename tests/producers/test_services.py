from datetime import date
from decimal import Decimal

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from apps.accounts.choices import Role
from apps.core.exceptions import ApplicationError, ErrorCode
from apps.producers.choices import AreaKind, Gender, LegalType
from apps.producers.services import (
    area_hectares,
    producer_create,
    producer_update,
    production_area_create,
)
from tests.factories.places import AN_HOI, AT_SEA, HA_NOI, PHUOC_HAU, square
from tests.factories.producers import ProducerFactory

pytestmark = pytest.mark.django_db


def _fields(**overrides):
    fields = {
        "name": "HTX Kẹo Dừa Thanh Long",
        "legal_type": LegalType.COOPERATIVE,
        "registration_number": "1300123456",
        "registration_date": date(2018, 3, 1),
        "address": "Phường An Hội",
        "location": Point(*AN_HOI, srid=4326),
        "representative_name": "Lê Thị Hoa",
    }
    return {**fields, **overrides}


def test_create_derives_commune_and_province_from_the_point(make_user):
    # given
    actor = make_user(Role.PRODUCER)
    # when
    producer = producer_create(actor=actor, **_fields())
    # then
    assert producer.commune.code == "28777"
    assert producer.commune.full_name == "Phường An Hội"
    assert producer.province.code == "86"
    assert list(producer.users.all()) == [actor]
    assert producer.created_by == actor


@pytest.mark.parametrize(
    "where, words",
    [(AT_SEA, "outside every administrative unit"), (HA_NOI, "outside the pilot province")],
)
def test_create_refuses_a_point_at_sea_or_outside_the_pilot_province(make_user, where, words):
    actor = make_user(Role.PRODUCER)
    with pytest.raises(ApplicationError) as caught, _english():
        producer_create(actor=actor, **_fields(location=Point(*where, srid=4326)))
    error = caught.value
    assert error.code == ErrorCode.INVALID and error.status_code == 400
    assert error.extra["key"] == "location"
    assert error.extra["location"] == {"lon": where[0], "lat": where[1]}
    assert words in error.message
    if where == HA_NOI:
        assert "Hà Nội" in error.message and "Vĩnh Long" in error.message


def test_messages_are_vietnamese_by_default(make_user):
    actor = make_user(Role.PRODUCER)
    with pytest.raises(ApplicationError) as caught:
        producer_create(actor=actor, **_fields(location=Point(*HA_NOI, srid=4326)))
    assert "ngoài" in caught.value.message


def test_commune_officer_registers_only_inside_the_commune(make_user, unit):
    officer = make_user(Role.COMMUNE_OFFICER, [unit("28777")])
    producer = producer_create(actor=officer, **_fields())
    assert producer.commune.code == "28777"
    assert not producer.users.exists()  # an officer acting on behalf is not linked
    with pytest.raises(ApplicationError) as caught:
        producer_create(actor=officer, **_fields(location=Point(*PHUOC_HAU, srid=4326)))
    assert caught.value.extra["key"] == "location"


def test_roles_that_do_not_register_producers_are_refused(make_user, unit):
    member = make_user(Role.COUNCIL_MEMBER, [unit("86", "province")])
    with pytest.raises(ApplicationError) as caught:
        producer_create(actor=member, **_fields())
    assert caught.value.code == ErrorCode.PERMISSION_DENIED


def test_update_of_the_location_rederives_the_units(make_user):
    actor = make_user(Role.PRODUCER)
    producer = ProducerFactory(users=[actor])
    producer_update(producer=producer, actor=actor, location=Point(*PHUOC_HAU, srid=4326))
    producer.refresh_from_db()
    assert producer.commune.code == "29557"
    assert producer.province.code == "86"


def test_update_refuses_unknown_fields(make_user):
    actor = make_user(Role.PRODUCER)
    producer = ProducerFactory(users=[actor])
    with pytest.raises(ApplicationError) as caught:
        producer_update(producer=producer, actor=actor, commune=None)
    assert caught.value.extra["key"] == "commune"


@pytest.mark.parametrize(
    "gender, ethnicity, disability, expected",
    [
        (Gender.MALE, "Kinh", False, False),
        (Gender.FEMALE, "Kinh", False, True),
        (Gender.MALE, "Khmer", False, True),
        (Gender.MALE, "Kinh", True, True),
        ("", "", False, False),  # unknown does not qualify
    ],
)
def test_criterion_3_2(gender, ethnicity, disability, expected):
    producer = ProducerFactory.build(
        representative_gender=gender,
        representative_ethnicity=ethnicity,
        representative_has_disability=disability,
    )
    assert producer.qualifies_for_criterion_3_2 is expected


def test_area_of_a_one_kilometre_square_is_100_hectares():
    hectares = area_hectares(MultiPolygon(square(106.4, 10.2), srid=4326))
    assert abs(hectares - Decimal(100)) < Decimal(1)  # within 1 %
    assert abs(hectares - Decimal(100)) < Decimal("0.1")  # in fact within 0.1 %


def test_area_is_computed_and_stored(make_user):
    actor = make_user(Role.PRODUCER)
    producer = ProducerFactory(users=[actor])
    area = production_area_create(
        producer=producer,
        actor=actor,
        kind=AreaKind.RAW_MATERIAL,
        name="Vùng dừa",
        geom=square(106.4, 10.2),
    )
    area.refresh_from_db()
    assert area.geom.geom_type == "MultiPolygon" and area.geom.srid == 4326
    assert abs(area.area_ha - Decimal(100)) < Decimal(1)


def test_self_intersecting_polygon_is_refused_not_repaired(make_user):
    actor = make_user(Role.PRODUCER)
    producer = ProducerFactory(users=[actor])
    bowtie = Polygon(
        [(106.40, 10.20), (106.41, 10.21), (106.41, 10.20), (106.40, 10.21), (106.40, 10.20)],
        srid=4326,
    )
    with pytest.raises(ApplicationError) as caught:
        production_area_create(
            producer=producer,
            actor=actor,
            kind=AreaKind.PRODUCTION_SITE,
            name="Xưởng",
            geom=bowtie,
        )
    assert caught.value.extra["key"] == "geometry"
    assert "Self-intersection" in caught.value.extra["reason"]
    assert "Self-intersection" in caught.value.message
    assert not producer.areas.exists()


class _english:
    def __enter__(self):
        from django.utils import translation

        self._cm = translation.override("en")
        self._cm.__enter__()

    def __exit__(self, *exc):
        return self._cm.__exit__(*exc)
