"""Helpers of the dashboard tests (their `province` is in tests/fixtures/dashboards.py)."""

from tests.dossiers.helpers import FORM01, FORM02, full_choices

PASSWORD = "Mật-khẩu-thử-1"  # tests/conftest.py make_user's default
API = "/api/v1/dossiers/"


def submitted_dossier(chain, product, commune: str) -> int:
    """A dossier filed by the producer and submitted to the commune (its clock runs)."""
    producer = chain.client_for(
        chain.people["producer"] if commune == "28777" else chain.people["producer2"]
    )
    did = producer.post(API, {"product": product.pk, "kind": "first"}).json()["id"]
    assert (
        producer.patch(
            f"{API}{did}/forms/", {"form01": FORM01, "form02": FORM02}, format="json"
        ).status_code
        == 200
    )
    assert (
        producer.put(
            f"{API}{did}/self-assessment/", {"choices": full_choices()}, format="json"
        ).status_code
        == 200
    )
    assert producer.post(f"{API}{did}/submit/").status_code == 200
    return did
