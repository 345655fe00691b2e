"""The EPCIS 2.0 JSON-LD export validates against the vendored EPCIS 2.0 JSON schema
(tests/traceability/data/README.md says exactly which file), and a broken document does not."""

import copy
import json
from pathlib import Path

import jsonschema
import pytest

from apps.traceability.epcis import lot_epcis_document

from .helpers import gtin_for

pytestmark = pytest.mark.django_db
SCHEMA = json.loads((Path(__file__).parent / "data" / "epcis-2.0-json-schema.json").read_text())


def validator():
    # Without rfc3986-validator / rfc3339-validator, jsonschema silently skips these formats.
    checkers = jsonschema.Draft7Validator.FORMAT_CHECKER.checkers
    assert {"uri", "date-time"} <= set(checkers), "pip install rfc3986-validator rfc3339-validator"
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    return jsonschema.Draft7Validator(
        SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )


def errors(document) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(document)]


def test_export_validates_and_carries_what_when_where_why_who(client_for, chain, people):
    response = client_for(people["owner"]).get(f"/api/v1/lots/{chain.pk}/epcis")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    document = json.loads(response.content)
    assert errors(document) == []
    assert (
        document["@context"][0] == "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
    )
    assert document["type"] == "EPCISDocument" and document["schemaVersion"] == "2.0"
    events = document["epcisBody"]["eventList"]
    assert [e["bizStep"] for e in events] == [
        "commissioning",
        "creating_class_instance",
        "packing",
        "shipping",
        "receiving",
    ]
    assert [e["action"] for e in events] == ["ADD", "ADD", "OBSERVE", "OBSERVE", "OBSERVE"]
    first = events[0]
    assert first["type"] == "ObjectEvent" and first["eventTimeZoneOffset"] == "+07:00"
    assert first["eventTime"].endswith("+07:00")
    assert first["quantityList"] == [
        {
            "epcClass": f"https://ocop.example.test/trace/p/{chain.product_id}/10/L2026-01",
            "quantity": 1200.0,
            "uom": "KGM",
        }
    ]
    assert first["readPoint"]["id"].startswith("geo:10.") and first["bizLocation"]["id"].startswith(
        "https://id.gs1.org/414/"
    )
    assert first["ilmd"]["cbvmda:lotNumber"] == "L2026-01"
    assert first["ocop:commune"]["ocop:code"] == "28777"
    assert events[1]["disposition"] == "in_progress"
    assert events[3]["ocop:destinationPartyName"] == "Cửa hàng Ba Tri"
    assert len({e["eventID"] for e in events}) == 5


def test_product_with_gtin_uses_gs1_digital_link(client_for, gtin_product, people):
    from apps.traceability import services

    from .helpers import record

    lot = services.lot_create(actor=people["owner"], product_id=gtin_product.pk, lot_number="A/B1")
    record(lot, people["owner"], "packing", 1)
    document = lot_epcis_document(lot)
    assert errors(document) == []
    epc_class = document["epcisBody"]["eventList"][0]["quantityList"][0]["epcClass"]
    assert epc_class == f"https://id.gs1.org/01/{gtin_for('893123456789')}/10/A%2FB1"


def test_offset_other_than_vietnam_round_trips(chain, people):
    from .helpers import at, record

    record(chain, people["owner"], "inspecting", 4, event_time=at(4, offset_hours=-5))
    document = lot_epcis_document(chain)
    assert errors(document) == []
    inspected = [e for e in document["epcisBody"]["eventList"] if e["bizStep"] == "inspecting"][0]
    assert inspected["eventTimeZoneOffset"] == "-05:00" and inspected["eventTime"].endswith(
        "-05:00"
    )


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: d["epcisBody"]["eventList"][0].pop("eventTimeZoneOffset"),
        lambda d: d["epcisBody"]["eventList"][0].update(action="MOVE"),
        lambda d: d["epcisBody"]["eventList"][0].update(eventTimeZoneOffset="7h"),
        lambda d: d["epcisBody"]["eventList"][0].pop("quantityList"),
        lambda d: d["epcisBody"]["eventList"][0]["quantityList"][0].update(uom="kilogram"),
        lambda d: d.pop("schemaVersion"),
        lambda d: d.pop("@context"),
        lambda d: d["epcisBody"]["eventList"][0].update(bizStep="harvest ing"),
        lambda d: d["epcisBody"]["eventList"][0].update(eventTime="28/11/2026 08:00"),
    ],
)
def test_broken_document_fails_the_schema(chain, breakage):
    document = copy.deepcopy(lot_epcis_document(chain))
    assert errors(document) == []
    breakage(document)
    assert errors(document), "the schema should refuse this document"


def test_empty_lot_exports_an_empty_valid_document(lot):
    document = lot_epcis_document(lot)
    assert document["epcisBody"]["eventList"] == [] and errors(document) == []
