"""The provincial OCOP office runs a round from the pages in headless Chromium: it logs in, opens
the round the plan suggests, forms a council of four with one chair and an advisory team,
assigns an accepted dossier, and finds it on the council's progress page."""

import pytest

from apps.accounts.choices import Role
from apps.dossiers.choices import DossierStatus
from apps.dossiers.models import Dossier
from apps.evaluation.models import Assignment, Council, EvaluationRound
from tests.factories.accounts import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_opens_a_round_forms_a_council_and_assigns_a_dossier(
    browser_page, live_server, boundaries, people, product, chain, make_user, unit
):
    vinh_long = unit("86", "province")
    members = [
        make_user(
            Role.COUNCIL_MEMBER, [vinh_long], username=f"thanhvien{i}", full_name=f"Thành viên {i}"
        )
        for i in range(4)
    ]
    adviser = make_user(Role.ADVISORY_MEMBER, [vinh_long], username="tuvan1")
    dossier_id = chain.accepted_dossier(product)
    page = browser_page.page

    page.goto(f"{live_server.url}/accounts/login/?next=/")
    page.fill("#id_username", people["province"].username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.click("nav a[href='/evaluation/rounds/']")

    # The round the plan suggests (the one taking today's proposals), as suggested.
    page.wait_for_selector("[data-testid=round-form]")
    page.get_by_test_id("open-round").click()
    page.wait_for_selector(".messages li.success")
    created = EvaluationRound.objects.get()
    row = page.locator(f"[data-testid=round-row][data-round='{created.pk}']")
    assert row.get_by_test_id("round-proposals").inner_text() == (
        f"{created.proposal_deadline:%d/%m/%Y}"
    )
    browser_page.screenshot("office-rounds")

    # A council of four, the third member its chair, with an adviser.
    row.get_by_test_id("round-new-council").click()
    page.wait_for_selector("[data-testid=council-form]")
    page.fill("#id_name", "Hội đồng OCOP tỉnh Vĩnh Long")
    for member in members:
        page.check(f"#member-{member.pk}")
    page.select_option(f"#id_role_{members[2].pk}", "chair")
    page.select_option(f"#id_role_{members[3].pk}", "secretary")
    page.check(f"#advisor-{adviser.pk}")
    browser_page.screenshot("office-council-form")
    page.get_by_test_id("create-council").click()
    page.wait_for_selector("[data-testid=council-members]")
    council = Council.objects.get()
    assert council.round == created and council.members.count() == 4
    assert council.members.get(role="chair").user == members[2]
    assert page.locator("[data-testid=seat]").first.get_attribute("data-user") == str(members[2].pk)

    # The accepted dossier waits for a council: tick it and assign it.
    page.check(f"#dossier-{dossier_id}")
    page.get_by_test_id("assign").click()
    page.wait_for_selector("[data-testid=assigned-row]")
    assignment = Assignment.objects.get()
    assert (assignment.council, assignment.dossier_id) == (council, dossier_id)
    assert Dossier.objects.get(pk=dossier_id).status == DossierStatus.UNDER_EVALUATION
    browser_page.screenshot("office-council")

    page.get_by_test_id("assigned-progress").click()
    page.wait_for_selector("[data-testid=progress-table]")
    assert page.locator(
        f"[data-testid=progress-row][data-assignment='{assignment.pk}']"
    ).is_visible()
    assert browser_page.outside == []
