"""The chart endpoint: counts against the database, the same rows as the map layers, bad input
answered 400 with the field named, and a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

SUMMARY = "/dashboards/api/summary"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def summary(user, **params):
    response = api(user).get(SUMMARY, params)
    assert response.status_code == 200, response.content[:400]
    return response.json()


def test_counts_match_the_database(province):
    s = summary(province.people["province"])
    year = province.certificate.valid_from.year
    assert s["products"]["total"] == 3
    assert s["products"]["by_group"]["I"] == 3 and sum(s["products"]["by_group"].values()) == 3
    assert s["products"]["by_star"] == {"3": 0, "4": 1, "5": 0}
    assert s["products"]["recognised"] == 1
    assert s["dossiers"]["total"] == 3
    assert s["dossiers"]["by_status"]["recognised"] == 1
    assert s["dossiers"]["by_status"]["accepted"] == 1
    assert s["dossiers"]["by_status"]["submitted"] == 1
    assert s["dossiers"]["open"] == 2 and s["dossiers"]["overdue"] == 1
    assert s["recognitions_by_year"] == [{"year": year, "count": 1}]
    communes = {row["code"]: row for row in s["by_commune"]}
    assert communes["28777"] == {
        "code": "28777",
        "name": "An Hội",
        "products": 1,
        "recognised": 1,
        "dossiers_open": 0,
        "dossiers_overdue": 0,
    }
    assert communes["28756"]["products"] == 2 and communes["28756"]["dossiers_open"] == 2
    assert communes["28756"]["dossiers_overdue"] == 1 and communes["28756"]["recognised"] == 0
    assert s["by_commune"][0]["code"] == "28777"  # most recognised first


def test_filters_narrow_every_count(province):
    officer = province.people["province"]
    by_star = summary(officer, star="4")
    assert by_star["products"]["total"] == 1 and by_star["recognitions_by_year"][0]["count"] == 1
    assert by_star["dossiers"]["total"] == 3  # stars do not filter dossiers
    by_unit = summary(officer, unit="28756")
    assert by_unit["products"]["total"] == 2 and by_unit["products"]["recognised"] == 0
    assert by_unit["dossiers"]["total"] == 2 and by_unit["recognitions_by_year"] == []
    by_status = summary(officer, status="submitted")
    assert by_status["dossiers"]["total"] == 1 and by_status["dossiers"]["overdue"] == 1
    assert by_status["products"]["total"] == 3  # status filters dossiers only
    by_group = summary(officer, group="II")
    assert by_group["products"]["total"] == 0 and by_group["dossiers"]["total"] == 0
    accepted = province.accepted
    by_round = summary(officer, round=f"{accepted.round_year}-{accepted.round_number}")
    assert by_round["dossiers"]["by_status"]["accepted"] == 1
    assert by_round["dossiers"]["by_status"]["submitted"] == 0  # no round yet
    future = summary(officer, **{"from": "2999-01-01"})
    assert future["products"]["total"] == 0 and future["dossiers"]["total"] == 0
    assert future["filters"] == {"datetime": "2999-01-01/.."}


def test_same_rows_as_the_map_layers(province):
    """A filter means the same on the map (GeoJSON layer API) and in the charts."""
    officer = province.people["province"]
    for params in ({}, {"star": "4"}, {"unit": "28756"}, {"status": "submitted"}, {"group": "I"}):
        s = summary(officer, **params)
        layer_params = {k: v for k, v in params.items() if k != "status"}
        products = api(officer).get("/api/v1/layers/products/", layer_params).json()
        assert products["numberMatched"] == s["products"]["total"], params
        dossier_params = {k: v for k, v in params.items() if k != "star"}
        dossiers = api(officer).get("/api/v1/layers/dossiers/", dossier_params).json()
        assert dossiers["numberMatched"] == s["dossiers"]["total"], params
        assert (
            sum(1 for f in dossiers["features"] if f["properties"]["overdue"])
            == s["dossiers"]["overdue"]
        )


def test_scoped_to_the_user(province, make_user, unit):
    commune = summary(province.people["commune"])  # An Hội's officer
    assert commune["products"]["total"] == 1 and commune["dossiers"]["total"] == 1
    assert [row["code"] for row in commune["by_commune"]] == ["28777"]
    hanoi = summary(province.people["other_province"])
    assert (
        hanoi["products"]["total"] == 0
        and hanoi["dossiers"]["total"] == 0
        and hanoi["by_commune"] == []
    )
    # A council member sees only the dossiers assigned to the council.
    member = summary(province.members[0])
    assert member["dossiers"]["total"] == 1 and member["dossiers"]["by_status"]["recognised"] == 1


@pytest.mark.parametrize(
    ("params", "key"),
    [
        ({"star": "7"}, "star"),
        ({"star": "four"}, "star"),
        ({"status": "bogus"}, "status"),
        ({"group": "VII"}, "group"),
        ({"unit": "99999"}, "unit"),
        ({"unit": "abc"}, "unit"),
        ({"round": "next"}, "round"),
        ({"from": "2026-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2026-02-01", "to": "2026-01-01"}, "to"),
    ],
)
def test_bad_filters_are_400_with_a_message(people, params, key):
    response = api(people["province"]).get(SUMMARY, params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["message"] and body["extra"]["key"] == key


def test_unknown_keys_are_ignored(province):
    assert summary(province.people["province"], colour="red")["products"]["total"] == 3


def test_anonymous_gets_401_and_producer_403(people):
    anonymous = APIClient().get(SUMMARY)
    assert anonymous.status_code == 401 and "Basic" in anonymous["WWW-Authenticate"]
    assert api(people["producer"]).get(SUMMARY).status_code == 403


def test_constant_number_of_queries(province, chain, django_assert_max_num_queries):
    officer = province.people["province"]
    client = api(officer)

    def count(params):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(SUMMARY, params).status_code == 200
        return len(ctx.captured_queries)

    before = count({}), count({"unit": "28756", "group": "I", "star": "4"})
    # More rows of every kind, in more communes, add no query.
    chain.accepted_dossier(chain.product("Nước mắm DEMO", "28756"), "28756")
    chain.accepted_dossier(chain.product("Bánh tráng DEMO", "28777"), "28777")
    after = count({}), count({"unit": "28756", "group": "I", "star": "4"})
    assert before == after
    with django_assert_max_num_queries(12):
        client.get(
            SUMMARY,
            {"unit": "28756", "group": "I", "star": "4", "status": "accepted", "round": "2026"},
        )
