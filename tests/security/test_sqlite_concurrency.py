"""SQLite under concurrent requests (apps/core/sqlite.py): parallel writers queue instead of
failing with "database is locked", and a lock still held after the busy timeout is a 503 with
Retry-After, never a 500 and never a wait without end. SQLite only: PostgreSQL has row locks."""

import sqlite3
import threading
from datetime import date

import pytest
from django.contrib.gis.geos import Point
from django.db import connection, connections
from rest_framework.test import APIClient

from apps.accounts.choices import Role
from apps.producers.services import producer_create
from apps.products.services import product_create

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's locking only"),
]

API = "/api/v1/dossiers/"
WRITERS = 8
FORM01 = {
    "unit_name": "DEMO HTX Dừa Xanh",
    "representative": "Nguyễn Thị Demo",
    "position": "Giám đốc",
    "address": "Phường An Hội, tỉnh Vĩnh Long",
    "phone": "0275 000 000",
    "product_name": "Kẹo dừa DEMO",
}


@pytest.fixture
def drafts(boundaries, make_user, unit):
    """A producer with WRITERS draft dossiers, one per product."""
    user = make_user(Role.PRODUCER, [unit("28777")], username="producer")
    producer = producer_create(
        actor=user,
        name="DEMO HTX Dừa Xanh",
        legal_type="cooperative",
        registration_number="DEMO-001",
        registration_date=date(2015, 3, 1),
        address="An Hội",
        location=Point(106.3756, 10.2415, srid=4326),
        representative_name="Nguyễn Thị Demo",
        email="htx@example.test",
    )
    api = APIClient()
    api.force_authenticate(user)
    ids = []
    for n in range(WRITERS):
        product = product_create(
            actor=user, producer=producer, name=f"Kẹo dừa DEMO {n}", classification_code="I.3.c"
        )
        response = api.post(API, {"product": product.pk, "kind": "first"}, format="json")
        assert response.status_code == 201, response.content
        ids.append(response.json()["id"])
    return user, ids


def test_the_database_is_a_wal_file_with_immediate_writes():
    assert not connection.is_in_memory_db()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    options = connection.settings_dict["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] > 0


def test_parallel_writes_all_succeed(drafts):
    user, ids = drafts
    start = threading.Barrier(len(ids))
    codes: dict[int, list[int]] = {}

    def write(dossier_id: int) -> None:
        api = APIClient()
        api.force_authenticate(user)
        try:
            start.wait()
            for round_ in range(3):
                form = {**FORM01, "phone": f"0275 000 {round_:03d}"}
                response = api.patch(f"{API}{dossier_id}/forms/", {"form01": form}, format="json")
                codes.setdefault(dossier_id, []).append(response.status_code)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=write, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert codes == {i: [200, 200, 200] for i in ids}
    api = APIClient()
    api.force_authenticate(user)
    for i in ids:
        assert api.get(f"{API}{i}/").json()["form01"]["phone"] == "0275 000 002"


@pytest.fixture
def short_busy_timeout():
    """The busy timeout at 0.3 s for this test's connections (read when a connection opens)."""
    options = connection.settings_dict["OPTIONS"]
    saved = options["timeout"]
    options["timeout"] = 0.3
    connection.close()
    yield
    options["timeout"] = saved
    connection.close()


def test_a_lock_held_past_the_busy_timeout_is_a_503_with_retry_after(drafts, short_busy_timeout):
    user, ids = drafts
    api = APIClient()
    api.force_authenticate(user)
    url = f"{API}{ids[0]}/forms/"
    other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        response = api.patch(url, {"form01": {**FORM01, "phone": "0275 111 111"}}, format="json")
        assert response.status_code == 503
        assert response["Retry-After"].isdigit() and int(response["Retry-After"]) > 0
        body = response.json()
        assert body["code"] == "busy" and body["message"]
    finally:
        other.execute("ROLLBACK")
        other.close()
    # Nothing half-written: the same request now goes through.
    response = api.patch(url, {"form01": {**FORM01, "phone": "0275 111 111"}}, format="json")
    assert response.status_code == 200
    assert api.get(f"{API}{ids[0]}/").json()["form01"]["phone"] == "0275 111 111"


def test_a_page_gets_the_busy_page_not_a_500(drafts, short_busy_timeout, client):
    """Signing in writes (last login, django-axes' log): with the lock held, the page says busy."""
    other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        response = client.post(
            "/accounts/login/",
            {"username": "producer", "password": "Mật-khẩu-thử-1"},
            headers={"accept": "text/html"},
        )
        assert response.status_code == 503 and int(response["Retry-After"]) > 0
        assert response["Content-Type"].startswith("text/html")
        assert "<h1>" in response.content.decode()
    finally:
        other.execute("ROLLBACK")
        other.close()
    response = client.post(
        "/accounts/login/", {"username": "producer", "password": "Mật-khẩu-thử-1"}
    )
    assert response.status_code == 302
