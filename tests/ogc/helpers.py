"""A small OCOP world for the OGC API tests, built through the real services (the recognition
chain, tests/fixtures/recognition.py): in An Hội (28777) a 4★ product, a revoked 3★ product and
an unrecognised product of one producer; in Phú Khương (28756) a 3★ product of another producer."""

import base64
from dataclasses import dataclass

from django.utils import timezone

from apps.certificates.services import certificate_revoke

PASSWORD = "ogc-Test-pass-42"
OGC = "/ogc"


@dataclass
class World:
    people: dict
    recognised: object  # product with a standing 4★ certificate (An Hội)
    revoked: object  # product whose 3★ certificate was revoked (An Hội)
    unrecognised: object  # product without a certificate (An Hội)
    other_commune: object  # product with a standing 3★ certificate (Phú Khương)
    producer: object  # the An Hội producer


def build_world(chain, decide, people) -> World:
    four = chain.evaluated(4, "Kẹo dừa DEMO")
    revoked = chain.evaluated(3, "Bánh tráng dừa DEMO")
    other = chain.evaluated(3, "Thạch dừa DEMO", commune="28756")
    certificates = {
        c.product_id: c for c in decide([four.pk, revoked.pk, other.pk]).certificates.all()
    }
    revoked_product = revoked.assignment.dossier.product
    certificate_revoke(
        certificate_id=certificates[revoked_product.pk].pk,
        ground="a",
        decision_number="9/QĐ-UBND",
        decided_on=timezone.localdate(),
        actor=people["leader"],
        note="DEMO",
    )
    unrecognised = chain.product("Mứt dừa DEMO")
    for user in people.values():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return World(
        people=people,
        recognised=four.assignment.dossier.product,
        revoked=revoked_product,
        unrecognised=unrecognised,
        other_commune=other.assignment.dossier.product,
        producer=chain.producer(),
    )


def basic(username: str, password: str = PASSWORD) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()
