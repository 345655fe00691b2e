"""After recognition the product may file again; an upgrade starts from the recognised dossier."""

import pytest

pytestmark = pytest.mark.django_db


def test_upgrade_starts_from_a_copy_of_the_last_recognised_dossier(
    chain, decide, people, client_for
):
    result = chain.evaluated(4)
    decide([result.pk])
    recognised = result.assignment.dossier
    recognised.refresh_from_db()
    assert recognised.status == "recognised"

    producer = client_for(people["producer"])
    response = producer.post(
        "/api/v1/dossiers/", {"product": recognised.product_id, "kind": "upgrade"}
    )
    assert response.status_code == 201, response.content
    upgrade = response.json()
    assert upgrade["kind"] == "upgrade" and upgrade["status"] == "draft"
    assert upgrade["copied_from_id"] == recognised.pk
    assert upgrade["form01"] == recognised.form01 and upgrade["form02"] == recognised.form02
    assert upgrade["form01"]["product_name"]  # the forms were filed, not empty
    assert upgrade["self_assessment"] == {
        a.criterion_code: a.option_number for a in recognised.self_assessment.all()
    }
