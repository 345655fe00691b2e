"""Every dossier endpoint: the allowed role, the wrong role, the wrong jurisdiction (404),
anonymous, and bad input."""

import pytest
from django.utils import timezone

from apps.dossiers.models import Dossier
from tests.factories.criteria import best_choices
from tests.factories.dossiers import FORM01, FORM02
from tests.factories.products import ProductFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/dossiers/"


@pytest.fixture
def draft(people, product, client_for):
    response = client_for(people["producer"]).post(API, {"product": product.pk})
    assert response.status_code == 201
    return response.json()["id"]


@pytest.fixture
def submitted(draft, people, client_for):
    producer = client_for(people["producer"])
    producer.patch(f"{API}{draft}/forms/", {"form01": FORM01, "form02": FORM02}, format="json")
    producer.put(f"{API}{draft}/self-assessment/", {"choices": best_choices()}, format="json")
    assert producer.post(f"{API}{draft}/submit/").status_code == 200
    return draft


def test_anonymous_gets_nothing(client_for, draft):
    anon = client_for(None)
    for method, url in [
        ("get", API),
        ("post", API),
        ("get", f"{API}{draft}/"),
        ("post", f"{API}{draft}/submit/"),
        ("put", f"{API}{draft}/self-assessment/"),
    ]:
        assert getattr(anon, method)(url).status_code in (401, 403), url


@pytest.mark.parametrize(
    "who, visible",
    [
        ("producer", True),
        ("commune", True),
        ("province", True),
        ("council", False),
        ("other_producer", False),
        ("other_commune", False),
        ("other_province", False),
    ],
)
def test_list_and_detail_are_scoped(people, client_for, draft, who, visible):
    api = client_for(people[who])
    assert (api.get(API).json()["count"] == 1) is visible
    assert api.get(f"{API}{draft}/").status_code == (200 if visible else 404)


def test_out_of_scope_detail_is_404_without_details(people, client_for, draft):
    body = client_for(people["other_commune"]).get(f"{API}{draft}/").json()
    assert body["code"] == "not_found"
    assert str(draft) not in body.get("extra", {}).values()


def test_create_needs_an_own_product(people, product, client_for):
    assert (
        client_for(people["other_producer"]).post(API, {"product": product.pk}).status_code == 404
    )
    assert client_for(people["commune"]).post(API, {"product": product.pk}).status_code == 404


@pytest.mark.parametrize(
    "body, key",
    [({}, "product"), ({"product": "x"}, "product"), ({"product": 1, "kind": "lần đầu"}, "kind")],
)
def test_create_bad_input(people, client_for, body, key):
    response = client_for(people["producer"]).post(API, body, format="json")
    assert response.status_code == 400 and response.json()["extra"]["key"] == key


def test_list_bad_filter(people, client_for):
    response = client_for(people["commune"]).get(API, {"status": "done"})
    assert response.status_code == 400 and response.json()["extra"]["key"] == "status"


def test_forms_only_by_the_producer_while_editable(people, client_for, draft, submitted):
    url = f"{API}{draft}/forms/"
    assert (
        client_for(people["commune"])
        .patch(url, {"form01": {"phone": "1"}}, format="json")
        .status_code
        == 403
    )
    assert (
        client_for(people["other_producer"])
        .patch(url, {"form01": {"phone": "1"}}, format="json")
        .status_code
        == 404
    )
    locked = client_for(people["producer"]).patch(url, {"form01": {"phone": "1"}}, format="json")
    assert locked.status_code == 409  # submitted: no longer editable
    assert Dossier.objects.get(pk=draft).form01["phone"] == FORM01["phone"]


@pytest.mark.parametrize(
    "body, key",
    [
        ({"form01": {"colour": "đỏ"}}, "form01.colour"),
        ({"form01": {"phone": 123}}, "form01.phone"),
        ({"form02": {"plan": "x" * 3000}}, "form02.plan"),
        ({"form01": "text"}, "form01"),
    ],
)
def test_forms_bad_input(people, client_for, draft, body, key):
    response = client_for(people["producer"]).patch(f"{API}{draft}/forms/", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["extra"]["key"] == key


@pytest.mark.parametrize(
    "choices, key, code",
    [
        ({"99.9": 1}, "99.9", "unknown_criterion"),
        ({"1.1": 9}, "1.1", "option_out_of_range"),
        ({"1.1": 0}, "choices.1.1", "invalid"),
        ({"1.1": "ba"}, "choices.1.1", "invalid"),
    ],
)
def test_self_assessment_bad_input_saves_nothing(people, client_for, draft, choices, key, code):
    response = client_for(people["producer"]).put(
        f"{API}{draft}/self-assessment/", {"choices": choices}, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["extra"]["key"] == key and response.json()["code"] == code
    assert not Dossier.objects.get(pk=draft).self_assessment.exists()


def test_self_assessment_drops_choices_that_stop_applying(people, client_for, draft):
    api = client_for(people["producer"])
    api.put(f"{API}{draft}/self-assessment/", {"choices": {"5.1": 3, "5.2": 2}}, format="json")
    result = api.put(
        f"{API}{draft}/self-assessment/", {"choices": {"5.1": 1}}, format="json"
    ).json()
    assert "5.2" not in result["missing"]
    assert "5.2" not in api.get(f"{API}{draft}/").json()["self_assessment"]


@pytest.mark.parametrize(
    "slug, allowed",
    [("commune-start-review", "commune"), ("commune-return", "commune")],
)
def test_commune_actions_roles_and_scope(people, client_for, submitted, slug, allowed):
    url = f"{API}{submitted}/{slug}/"
    body = {"note": "Lý do"}
    assert client_for(people["producer"]).post(url, body).status_code == 403
    assert client_for(people["province"]).post(url, body).status_code == 403
    assert client_for(people["other_commune"]).post(url, body).status_code == 404
    assert client_for(people[allowed]).post(url, body).status_code == 200


def test_province_actions_roles_and_scope(people, client_for, submitted):
    url = f"{API}{submitted}/province-start-check/"
    # Wrong status first: a refused action changes nothing.
    refused = client_for(people["province"]).post(url)
    assert refused.status_code == 409 and refused.json()["extra"]["from"] == "submitted"
    assert client_for(people["other_province"]).post(url).status_code == 404
    assert client_for(people["commune"]).post(url).status_code == 403
    assert Dossier.objects.get(pk=submitted).status == "submitted"
    assert (
        not Dossier.objects.get(pk=submitted).events.filter(action="province_start_check").exists()
    )


def test_commune_assessment_permissions_and_bad_input(people, client_for, submitted):
    url = f"{API}{submitted}/commune-assessment/"
    body = {
        k: "Nội dung"
        for k in ("raw_material", "local_labour", "product_idea", "local_identity", "proposal")
    }
    commune = client_for(people["commune"])
    assert commune.put(url, body, format="json").status_code == 409  # not reviewing yet
    commune.post(f"{API}{submitted}/commune-start-review/")
    assert client_for(people["producer"]).put(url, body, format="json").status_code == 403
    assert client_for(people["other_commune"]).put(url, body, format="json").status_code == 404
    missing = commune.put(url, {**body, "proposal": ""}, format="json")
    assert missing.status_code == 400 and missing.json()["extra"]["key"] == "proposal"
    assert commune.put(url, body, format="json").status_code == 200


def test_samples_permissions_and_bad_input(people, client_for, submitted):
    url = f"{API}{submitted}/samples/"
    today = str(timezone.localdate())
    commune = client_for(people["commune"])
    assert client_for(people["producer"]).post(url, {"received": 5, "on": today}).status_code == 403
    assert (
        client_for(people["other_commune"]).post(url, {"received": 5, "on": today}).status_code
        == 404
    )
    for body, key in (
        ({"received": 50, "on": today}, "received"),
        ({"received": 5, "on": "hôm nay"}, "on"),
    ):
        response = commune.post(url, body)
        assert response.status_code == 400 and response.json()["extra"]["key"] == key
    assert commune.post(url, {"received": 5, "on": today}).status_code == 200


def test_notifications_are_personal(people, client_for, submitted):
    mine = client_for(people["commune"]).get("/api/v1/notifications/").json()
    assert mine["count"] == 1 and mine["results"][0]["dossier_id"] == submitted
    assert client_for(people["other_commune"]).get("/api/v1/notifications/").json()["count"] == 0
    assert client_for(None).get("/api/v1/notifications/").status_code in (401, 403)


def test_list_query_count_is_constant(people, client_for, product, django_assert_max_num_queries):
    producer = client_for(people["producer"])
    for i in range(5):
        p = ProductFactory(producer=product.producer, name=f"SP {i}")
        producer.post(API, {"product": p.pk})
    with django_assert_max_num_queries(6):
        assert client_for(people["province"]).get(API).json()["count"] == 5
