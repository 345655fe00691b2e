import pytest
from django.contrib.gis.geos import Point

from apps.accounts.choices import Role
from apps.producers.models import Producer, ProductionArea
from tests.factories.places import PHUOC_HAU
from tests.factories.producers import ProducerFactory, ProductionAreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_producers(owner):
    an_hoi = ProducerFactory(users=[owner], name="An Hội")
    phuoc_hau = ProducerFactory(name="Phước Hậu", location=Point(*PHUOC_HAU, srid=4326))
    return an_hoi, phuoc_hau


@pytest.mark.parametrize(
    "role, units, expected",
    [
        (Role.MINISTRY_OFFICER, [], {"An Hội", "Phước Hậu"}),
        (Role.SYSTEM_ADMIN, [], {"An Hội", "Phước Hậu"}),
        (Role.PROVINCE_OFFICER, [("86", "province")], {"An Hội", "Phước Hậu"}),
        (Role.PROVINCE_LEADER, [("86", "province")], {"An Hội", "Phước Hậu"}),
        (Role.COUNCIL_MEMBER, [("86", "province")], {"An Hội", "Phước Hậu"}),
        (Role.ADVISORY_MEMBER, [("86", "province")], {"An Hội", "Phước Hậu"}),
        (Role.PROVINCE_OFFICER, [("01", "province")], set()),
        (Role.COMMUNE_OFFICER, [("28777", "commune")], {"An Hội"}),
        (Role.COMMUNE_OFFICER, [("29557", "commune")], {"Phước Hậu"}),
        (Role.PRODUCER, [("29557", "commune")], set()),  # not linked to any producer
    ],
)
def test_for_user_scope(two_producers, make_user, unit, role, units, expected):
    user = make_user(role, [unit(code, level) for code, level in units])
    assert {p.name for p in Producer.objects.for_user(user)} == expected


def test_producer_sees_only_linked_producers(two_producers, owner):
    assert [p.name for p in Producer.objects.for_user(owner)] == ["An Hội"]


def test_anonymous_sees_nothing(two_producers):
    from django.contrib.auth.models import AnonymousUser

    assert not Producer.objects.for_user(AnonymousUser()).exists()


def test_areas_follow_the_producer_scope(two_producers, make_user, unit):
    an_hoi, phuoc_hau = two_producers
    ProductionAreaFactory(producer=an_hoi, name="A")
    ProductionAreaFactory(producer=phuoc_hau, name="B")
    officer = make_user(Role.COMMUNE_OFFICER, [unit("29557")])
    assert [a.name for a in ProductionArea.objects.for_user(officer)] == ["B"]
