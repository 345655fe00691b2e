"""The notifications page and the header's unread counter (issue 16): each signed-in user sees
their own notices about dossiers, opens a dossier from one (marking it read), and marks all read.
The recognition chain's people and dossiers, whose steps notify the producer and the commune."""

import re

import pytest
from django.test import Client

from apps.dossiers.models import Notification

pytestmark = pytest.mark.django_db
URL = "/dossiers/notifications/"


def page(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def unread_badge(html: str) -> int:
    found = re.search(r'data-testid="unread-count">(\d+)<', html)
    return int(found.group(1)) if found else 0


@pytest.fixture
def dossier_id(chain):
    """A dossier taken to "accepted" through the API: the producer and the commune are told."""
    return chain.accepted_dossier(chain.product())


def test_anonymous_goes_to_the_login_page():
    response = page().get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_header_counts_the_unread_and_the_page_lists_them(people, dossier_id):
    producer = people["producer"]
    unread = Notification.objects.filter(recipient=producer, read_at__isnull=True).count()
    assert unread >= 2
    html = page(producer).get("/").content.decode()
    assert unread_badge(html) == unread
    listed = page(producer).get(URL)
    assert listed.status_code == 200
    assert listed.content.decode().count('data-testid="notification"') == unread
    assert "Kẹo dừa DEMO" in listed.content.decode()


def test_each_sees_only_their_own(people, dossier_id):
    html = page(people["commune2"]).get(URL).content.decode()
    assert 'data-testid="no-notifications"' in html
    assert unread_badge(page(people["commune2"]).get("/").content.decode()) == 0
    assert 'data-testid="notification"' in page(people["commune"]).get(URL).content.decode()


def test_opening_a_notice_marks_it_read_and_opens_the_dossier(people, dossier_id):
    producer, officer = people["producer"], people["commune"]
    mine = Notification.objects.filter(recipient=producer).first()
    response = page(producer).post(URL, {"op": "open", "id": mine.pk})
    assert response.status_code == 302 and response["Location"] == f"/dossiers/{dossier_id}/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    theirs = Notification.objects.filter(recipient=officer).first()
    response = page(officer).post(URL, {"op": "open", "id": theirs.pk})
    assert response["Location"] == f"/dossiers/{dossier_id}/review/"


def test_another_users_notice_is_neither_opened_nor_marked(people, dossier_id):
    theirs = Notification.objects.filter(recipient=people["commune"]).first()
    response = page(people["producer2"]).post(URL, {"op": "open", "id": theirs.pk})
    assert response.status_code == 302 and response["Location"] == URL
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("bad", ["abc", "", "١٢", "-1", "0", "9" * 40])
def test_a_bad_id_changes_nothing(people, dossier_id, bad):
    before = Notification.objects.filter(read_at__isnull=True).count()
    response = page(people["producer"]).post(URL, {"op": "open", "id": bad})
    assert response.status_code == 302
    assert Notification.objects.filter(read_at__isnull=True).count() == before


def test_mark_all_read_and_the_unread_filter(people, dossier_id):
    producer = people["producer"]
    assert 'data-testid="notification"' in page(producer).get(URL, {"unread": "1"}).content.decode()
    response = page(producer).post(URL, {"op": "read_all"})
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=producer, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=people["commune"], read_at__isnull=True).exists()
    assert unread_badge(page(producer).get("/").content.decode()) == 0
    only_unread = page(producer).get(URL, {"unread": "1"}).content.decode()
    assert 'data-testid="no-notifications"' in only_unread
    # Read ones stay listed.
    assert 'data-read="1"' in page(producer).get(URL).content.decode()


@pytest.mark.parametrize("query", [{"page": "abc"}, {"page": "99999999"}, {"unread": "x"}])
def test_odd_queries_still_show_the_page(people, dossier_id, query):
    assert page(people["producer"]).get(URL, query).status_code == 200


def test_a_user_without_notices_sees_an_empty_page(people):
    response = page(people["ministry"]).get(URL)
    assert response.status_code == 200
    assert "Chưa có thông báo" in response.content.decode()
