"""The ministry's national view (issue 16): every province's counts by star, the 5★ proposals
received and their stage, the central councils and the ministry's decisions; for national roles
only."""

import re

import pytest
from django.test import Client

from apps.accounts.choices import Role
from apps.certificates.services import ministry_propose

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]
URL = "/dashboards/national/"


def page(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def province_row(html: str, code: str) -> list[int]:
    row = re.search(rf'data-testid="province-row" data-code="{code}">(.*?)</tr>', html, re.S)
    return [int(n) for n in re.findall(r"<td>(\d+)</td>", row.group(1))]


def test_anonymous_goes_to_the_login_page():
    response = page().get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["producer", "commune", "province", "leader"])
def test_provincial_and_local_roles_are_sent_to_their_dashboard(people, role):
    response = page(people[role]).get(URL)
    assert response.status_code == 403
    assert 'href="/dashboards/"' in response.content.decode()


def test_the_ministry_and_the_administrator_open_it(people, make_user):
    admin = make_user(Role.SYSTEM_ADMIN, [], username="quantri")
    for user in (people["ministry"], admin):
        response = page(user).get(URL)
        assert response.status_code == 200
        html = response.content.decode()
        assert len(re.findall(r'data-testid="province-row"', html)) == 34
    assert URL in page(people["ministry"]).get("/").content.decode()
    assert URL not in page(people["leader"]).get("/").content.decode()


def test_counts_by_star_and_the_proposals_stage(chain, decide, people):
    decide([chain.evaluated(3, "Kẹo dừa A").pk, chain.evaluated(4, "Kẹo dừa B").pk])
    ninety = chain.evaluated(5, "Kẹo dừa C")
    ministry_propose(result_id=ninety.pk, actor=people["leader"])
    ministry = page(people["ministry"])

    html = ministry.get(URL).content.decode()
    # 3★, 4★, 5★, recognised, expiring, open dossiers, overdue, proposals
    assert province_row(html, "86")[:4] == [1, 1, 0, 2]
    assert province_row(html, "86")[-1] == 1
    assert province_row(html, "01") == [0] * 8
    assert re.search(r'data-testid="total-recognised">2<', html)
    stages = re.findall(r'data-testid="proposal-stage">([^<]+)<', html)
    assert stages == ["Chờ Hội đồng cấp trung ương"]

    central = chain.result(ninety.assignment.dossier_id, 5, level="central")
    html = ministry.get(URL).content.decode()
    assert re.findall(r'data-testid="proposal-stage">([^<]+)<', html) == [
        "Đã có kết quả cấp trung ương, chờ quyết định"
    ]
    assert 'data-testid="central-council"' in html

    decide([central.pk], actor=people["ministry"], decision_number="15/QĐ-BNNMT")
    html = ministry.get(URL).content.decode()
    assert 'data-testid="proposal-row"' not in html
    assert "15/QĐ-BNNMT" in html
    assert province_row(html, "86")[:4] == [1, 1, 1, 3]
