"""The dashboard pages: who may open them (anonymous → login, producer, commune officer of another
commune, provincial officer of another province), the commune progress page's content and ranks,
the product page's links onward to a council member's scorecard, and the dossier "open" link."""

from datetime import timedelta

import pytest
from django.urls import reverse

from apps.accounts.choices import Role
from apps.certificates.models import Certificate

DASHBOARD = "/dashboards/"


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


def commune_url(code):
    return reverse("dashboards:commune", args=[code])


@pytest.mark.parametrize(
    "url",
    [
        "/dashboards/",
        "/dashboards/communes/28777/",
        "/dashboards/products/1/",
        "/dashboards/dossiers/1/open/",
    ],
)
def test_anonymous_is_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_who_gets_the_provincial_dashboard(client, people, make_user, unit):
    for role in ("province", "leader", "ministry", "other_province"):
        response = page(client, people[role], DASHBOARD)
        assert response.status_code == 200, role
        assert b'data-testid="province-dashboard"' in response.content
    member = make_user(Role.COUNCIL_MEMBER, [unit("86", "province")])
    assert page(client, member, DASHBOARD).status_code == 200
    # The dashboard opens on the user's own province; the Hà Nội officer gets Hà Nội.
    assert page(client, people["other_province"], DASHBOARD).context["province"].code == "01"
    # A commune officer is sent to their commune, a producer to their dossiers.
    response = page(client, people["commune"], DASHBOARD)
    assert response.status_code == 302 and response["Location"] == commune_url("28777")
    response = page(client, people["producer"], DASHBOARD)
    assert response.status_code == 302 and response["Location"] == reverse("dossiers:mine")
    # A commune officer without a commune has nowhere to go.
    assert page(client, make_user(Role.COMMUNE_OFFICER, []), DASHBOARD).status_code == 403


def test_commune_page_access(client, people):
    assert page(client, people["commune"], commune_url("28777")).status_code == 200
    assert page(client, people["province"], commune_url("28777")).status_code == 200
    assert page(client, people["ministry"], commune_url("28777")).status_code == 200
    assert (
        page(client, people["commune"], commune_url("28756")).status_code == 404
    )  # another commune
    assert page(client, people["other_province"], commune_url("28777")).status_code == 404
    assert page(client, people["producer"], commune_url("28777")).status_code == 404
    assert page(client, people["province"], commune_url("99999")).status_code == 404
    assert (
        page(client, people["province"], commune_url("86")).status_code == 404
    )  # a province, not a commune


def test_commune_progress_content_and_ranks(client, province):
    # The certificate enters its last 180 days.
    Certificate.objects.filter(pk=province.certificate.pk).update(
        valid_until=province.today + timedelta(days=90)
    )
    response = page(client, province.people["province"], commune_url("28756"))
    assert response.status_code == 200
    progress = response.context["progress"]
    assert [d.pk for d in progress.overdue] == [province.late.pk]
    assert dict((s, n) for s, _label, n in progress.status_counts)["accepted"] == 1
    assert {p.name for p in progress.producers} == {"DEMO HTX Dừa 28756"}
    assert progress.expiring == []  # the certificate is An Hội's
    assert (progress.ranks["open"].position, progress.ranks["open"].value) == (1, 2)
    assert (progress.ranks["overdue"].position, progress.ranks["overdue"].value) == (1, 1)
    recognised = progress.ranks["recognised"]
    assert recognised.value == 0 and recognised.position == 2 and recognised.of == 124
    html = response.content.decode()
    assert f'data-testid="overdue-row" data-dossier="{province.late.pk}"' in html

    an_hoi = page(client, province.people["commune"], commune_url("28777")).context["progress"]
    assert [c.pk for c in an_hoi.expiring] == [province.certificate.pk]
    assert (an_hoi.ranks["recognised"].position, an_hoi.ranks["recognised"].value) == (1, 1)
    assert (
        an_hoi.ranks["open"].value == 0 and an_hoi.ranks["open"].position == 2
    )  # ties share the place


def test_product_page_links_the_council_member_to_the_scorecard(client, province):
    url = reverse("dashboards:product", args=[province.recognised.pk])
    score = reverse("evaluation:score", args=[province.assignment.pk])
    member = page(client, province.members[0], url)
    assert member.status_code == 200
    assert f'href="{score}" data-testid="score-link"'.encode() in member.content
    officer = page(client, province.people["province"], url)
    review = reverse("dossiers:review", args=[province.recognised_dossier.pk])
    assert (
        f'href="{review}"'.encode() in officer.content
        and b'data-testid="score-link"' not in officer.content
    )
    # Scope: the Hà Nội officer and another producer get a 404.
    assert page(client, province.people["other_province"], url).status_code == 404
    assert page(client, province.people["producer2"], url).status_code == 404
    assert page(client, province.people["producer"], url).status_code == 200  # their own product


def test_dossier_open_link(client, province):
    recognised = province.recognised_dossier.pk
    url = reverse("dashboards:dossier-open", args=[recognised])
    response = page(client, province.members[0], url)
    assert response["Location"] == reverse("evaluation:score", args=[province.assignment.pk])
    response = page(client, province.people["province"], url)
    assert response["Location"] == reverse("dossiers:review", args=[recognised])
    response = page(client, province.people["producer"], url)
    assert response["Location"] == reverse("dossiers:detail", args=[recognised])
    # Not assigned to the member's council, another commune, another province: 404.
    not_assigned = reverse("dashboards:dossier-open", args=[province.accepted.pk])
    assert page(client, province.members[0], not_assigned).status_code == 404
    assert page(client, province.people["commune"], not_assigned).status_code == 404
    assert page(client, province.people["other_province"], url).status_code == 404
