import pytest

from apps.accounts.choices import Role
from apps.producers.models import Producer

pytestmark = pytest.mark.django_db

FORM = {
    "name": "HTX Thử Bản Đồ",
    "legal_type": "cooperative",
    "registration_number": "BD-01",
    "registration_date": "2019-05-01",
    "address": "An Hội",
    "representative_name": "Chị Bản Đồ",
}


@pytest.fixture
def producer_user(make_user, unit):
    return make_user(Role.PRODUCER, [unit("28777")], username="chuthe_bd")


def test_registration_derives_commune_and_province(client, producer_user):
    client.force_login(producer_user)
    response = client.post("/producers/", {**FORM, "lon": "106.3756", "lat": "10.2415"})
    producer = Producer.objects.get(registration_number="BD-01")
    assert response.status_code == 302 and response["Location"] == f"/producers/{producer.pk}/"
    assert (producer.commune.code, producer.province.code) == ("28777", "86")
    assert producer.users.filter(pk=producer_user.pk).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Phường An Hội" in page and "Tỉnh Vĩnh Long" in page


@pytest.mark.parametrize("lon, lat", [("107.3", "9.6"), ("105.85", "21.03")], ids=["sea", "ha-noi"])
def test_registration_outside_the_province_is_refused_and_keeps_the_form(
    client, producer_user, lon, lat
):
    client.force_login(producer_user)
    response = client.post("/producers/", {**FORM, "lon": lon, "lat": lat})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="location-error"' in html
    assert 'value="HTX Thử Bản Đồ"' in html
    assert not Producer.objects.filter(registration_number="BD-01").exists()


def test_registration_without_a_point_asks_for_a_click(client, producer_user):
    client.force_login(producer_user)
    response = client.post("/producers/", FORM)
    assert response.status_code == 400 and "Hãy bấm vào bản đồ" in response.content.decode()


def test_profile_scope(client, producer_user, make_user, unit):
    client.force_login(producer_user)
    client.post("/producers/", {**FORM, "lon": "106.3756", "lat": "10.2415"})
    producer = Producer.objects.get(registration_number="BD-01")
    other = make_user(Role.PRODUCER, [unit("28777")])
    client.force_login(other)
    assert client.get(f"/producers/{producer.pk}/").status_code == 404
    officer = make_user(Role.COMMUNE_OFFICER, [unit("28777")])
    client.force_login(officer)  # officers may act on the producer's behalf
    assert 'data-editable="1"' in client.get(f"/producers/{producer.pk}/").content.decode()
    council = make_user(Role.COUNCIL_MEMBER, [unit("86", "province")])
    client.force_login(council)  # sees the producer, cannot change it
    assert 'data-editable="0"' in client.get(f"/producers/{producer.pk}/").content.decode()


def test_portal_needs_login(client):
    assert client.get("/producers/")["Location"].startswith("/accounts/login/")
