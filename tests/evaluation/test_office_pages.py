"""The provincial OCOP office's pages (issue 16): the province's rounds and opening the next one,
forming a council, and a council's page where accepted dossiers are assigned to it — per role
and jurisdiction, with bad input refused and nothing written.

Texts are looked up through gettext (Vietnamese), so the tests hold before and after the
catalogue gets the new msgids."""

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from apps.accounts.choices import Role
from apps.dossiers.choices import DossierStatus
from apps.dossiers.models import Dossier
from apps.evaluation import services
from apps.evaluation.models import Assignment, Council, EvaluationRound

pytestmark = pytest.mark.django_db
ROUNDS = "/evaluation/rounds/"
NEW = "/evaluation/councils/new/"


def council_url(council) -> str:
    return f"/evaluation/councils/{council.pk}/"


def progress_url(council) -> str:
    return f"/evaluation/councils/{council.pk}/progress/"


def t(msgid: str, raw: bool = False, **params) -> str:
    """`msgid` as the page shows it in Vietnamese (HTML-escaped unless `raw`); English until
    translated."""
    with translation.override("vi"):
        text = translation.gettext(msgid)
    text = text % params if params else text
    return text if raw else escape(text)


def web(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def post(user, url: str, data: dict):
    """A form post whose on-commit callbacks (notifications) run, as a real commit's would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return web(user).post(url, data)


def html(response) -> str:
    return response.content.decode()


def ids(response, testid: str, attribute: str) -> list[int]:
    """The `data-<attribute>` values of the elements marked `data-testid=testid`."""
    return [
        int(m)
        for m in re.findall(rf'data-testid="{testid}" data-{attribute}="(\d+)"', html(response))
    ]


def planned_round() -> dict:
    """The round of Vĩnh Long's plan that takes the dossiers proposed today."""
    from apps.geo.models import AdminUnit

    province = AdminUnit.objects.get(code="86", level="province", valid_to__isnull=True)
    return services.round_planned(province_id=province.pk, on=timezone.localdate())


# --- the people and the data -------------------------------------------------------------------
@pytest.fixture
def cast(people, make_user, unit):
    """The office (Vĩnh Long's officer), four council members and an adviser of Vĩnh Long, and
    the accounts that must not be offered: a council member of Hà Nội, Vĩnh Long's leader."""
    vinh_long, hanoi = unit("86", "province"), unit("01", "province")
    members = [
        make_user(
            Role.COUNCIL_MEMBER, [vinh_long], username=f"thanhvien{i}", full_name=f"Thành viên {i}"
        )
        for i in range(4)
    ]
    return SimpleNamespace(
        office=people["province"],
        hanoi_office=people["other_province"],
        members=members,
        adviser=make_user(
            Role.ADVISORY_MEMBER, [vinh_long], username="tuvan1", full_name="Tư vấn Một"
        ),
        hanoi_member=make_user(Role.COUNCIL_MEMBER, [hanoi], username="hanoi_member"),
        leader=make_user(Role.PROVINCE_LEADER, [vinh_long], username="lanhdao"),
        producer=people["producer"],
        commune=people["commune"],
    )


@pytest.fixture
def council(cast):
    """A council of today's round formed through the services (thanhvien0 the chair)."""
    round_ = services.round_create(actor=cast.office, **planned_round())
    return services.council_create(
        actor=cast.office,
        round_id=round_.pk,
        name="Hội đồng OCOP tỉnh Vĩnh Long",
        criteria_set_code="QD26/2026",
        members=[
            {"user": u.pk, "role": "chair" if i == 0 else "member"}
            for i, u in enumerate(cast.members)
        ],
        advisors=[cast.adviser.pk],
    )


@pytest.fixture
def accepted(chain, product):
    """A dossier of the product accepted by the province today, through the dossier API."""
    return chain.accepted_dossier(product)


def council_data(round_id, members, chair, advisors=(), **overrides) -> dict:
    data = {
        "name": "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh",
        "round": str(round_id),
        "criteria_set": "QD26/2026",
        "members": [str(u.pk) for u in members],
        "advisors": [str(u.pk) for u in advisors],
        "quorum_percent": "75",
        "spread_threshold": "10",
        "minimum_rule": "majority",
        "knockout_rule": "majority",
        "reveal_after_submit": "on",
        "advisory_report_required": "on",
        "conflict_rules": ["works_for_producer", "relative", "advised_product"],
    }
    for user in members:
        data[f"role_{user.pk}"] = "chair" if user == chair else "member"
    data.update(overrides)
    return data


# --- who may open the pages --------------------------------------------------------------------
def test_urls_are_the_agreed_ones():
    assert reverse("evaluation:rounds") == ROUNDS
    assert reverse("evaluation:council_new") == NEW
    assert reverse("evaluation:council", kwargs={"council_id": 7}) == "/evaluation/councils/7/"


@pytest.fixture
def pages(council):
    return [ROUNDS, NEW, council_url(council)]


def test_anonymous_goes_to_the_login_page(pages):
    for url in pages:
        response = web(None).get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


def test_a_producer_gets_404(pages, cast):
    for url in pages:
        assert web(cast.producer).get(url).status_code == 404, url
        assert post(cast.producer, url, {}).status_code == 404, url


def test_other_roles_get_a_page_that_says_who_it_is_for(pages, cast):
    for user in (cast.commune, cast.members[0], cast.adviser, cast.leader):
        for url in pages:
            response = web(user).get(url)
            assert response.status_code == 403, (user, url)
            assert t("These pages are for the provincial OCOP office.") in html(response)
            assert post(user, url, {}).status_code == 403, (user, url)
    assert Council.objects.count() == 1 and EvaluationRound.objects.count() == 1


def test_the_office_opens_every_page(pages, cast):
    for url in pages:
        assert web(cast.office).get(url).status_code == 200, url


def test_the_menu_shows_the_workspace_to_the_office_only(cast):
    label = t("Rounds and councils")
    assert label in html(web(cast.office).get("/"))
    for user in (cast.commune, cast.members[0], cast.leader, cast.producer):
        assert label not in html(web(user).get("/")), user


# --- another province's office -------------------------------------------------------------------
def test_another_province_sees_none_of_it_and_gets_404_on_it(council, cast, accepted):
    hanoi = cast.hanoi_office
    rounds = web(hanoi).get(ROUNDS)
    assert rounds.status_code == 200
    assert ids(rounds, "round-row", "round") == [] and council.name not in html(rounds)
    assert web(hanoi).get(council_url(council)).status_code == 404
    assert web(hanoi).get(progress_url(council)).status_code == 404
    assert post(hanoi, council_url(council), {"dossiers": [str(accepted)]}).status_code == 404
    assert web(hanoi).get(f"{NEW}?round={council.round_id}").status_code == 404
    new = web(hanoi).get(NEW)
    assert ids(new, "member-row", "user") == []  # no Vĩnh Long account is offered
    # Vĩnh Long's round cannot be slipped into a Hà Nội council.
    response = post(
        hanoi, NEW, council_data(council.round_id, [cast.hanoi_member], cast.hanoi_member)
    )
    assert response.status_code == 400
    assert Council.objects.count() == 1
    assert not Assignment.objects.exists()
    assert Dossier.objects.get(pk=accepted).status == DossierStatus.ACCEPTED


# --- rounds ------------------------------------------------------------------------------------
def test_the_office_opens_the_round_the_plan_suggests(cast):
    plan = planned_round()
    page = web(cast.office).get(ROUNDS)
    assert f'value="{plan["year"]}"' in html(page) and f'value="{plan["number"]}"' in html(page)
    assert f'value="{plan["proposal_deadline"]:%d/%m/%Y}"' in html(page)  # dd/mm/yyyy
    assert "no-rounds" in html(page)

    response = post(cast.office, ROUNDS, {"year": str(plan["year"]), "number": str(plan["number"])})

    assert response.status_code == 302 and response["Location"] == ROUNDS
    created = EvaluationRound.objects.get()
    assert (created.year, created.number, created.province.code) == (
        plan["year"],
        plan["number"],
        "86",
    )
    assert created.proposal_deadline == plan["proposal_deadline"]
    assert created.evaluation_deadline == plan["evaluation_deadline"]
    listed = web(cast.office).get(ROUNDS)
    assert ids(listed, "round-row", "round") == [created.pk]
    assert f"{plan['proposal_deadline']:%d/%m/%Y}" in html(listed)
    assert f"{plan['evaluation_deadline']:%d/%m/%Y}" in html(listed)
    # The form now suggests the next round of the plan.
    following = services.round_planned(
        province_id=created.province_id, on=plan["proposal_deadline"]
    )
    assert f'value="{following["number"]}"' in html(listed)


def test_a_round_with_its_own_dates_typed_dd_mm_yyyy(cast):
    response = post(
        cast.office,
        ROUNDS,
        {
            "year": "2027",
            "number": "3",
            "proposal_deadline": "15/08/2027",
            "evaluation_deadline": "15/10/2027",
        },
    )
    assert response.status_code == 302
    created = EvaluationRound.objects.get()
    assert (created.number, f"{created.proposal_deadline:%d/%m/%Y}") == (3, "15/08/2027")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"number": "1"}, "year"),
        ({"year": "2027"}, "number"),
        ({"year": "２０２７", "number": "1"}, "year"),
        ({"year": "2027", "number": "một"}, "number"),
        ({"year": "2027", "number": "1", "proposal_deadline": "31/02/2027"}, "proposal_deadline"),
    ],
)
def test_bad_round_input_is_a_400_with_the_field_error(cast, data, field):
    response = post(cast.office, ROUNDS, data)
    assert response.status_code == 400
    assert f'data-testid="error-{field}"' in html(response)
    assert t("Please correct the errors below.") in html(response)
    assert not EvaluationRound.objects.exists()


def test_the_services_refusals_show_with_what_was_typed(cast):
    plan = planned_round()
    typed = {"year": str(plan["year"]), "number": str(plan["number"])}
    assert post(cast.office, ROUNDS, typed).status_code == 302

    again = post(cast.office, ROUNDS, typed)
    assert again.status_code == 400
    assert t("This round already exists.") in html(again)
    assert 'data-testid="error-number"' in html(again)

    backwards = post(
        cast.office,
        ROUNDS,
        {
            "year": "2028",
            "number": "1",
            "proposal_deadline": "30/06/2028",
            "evaluation_deadline": "30/04/2028",
        },
    )
    assert backwards.status_code == 400
    assert t("The proposal deadline must come before the end of the evaluation.") in html(backwards)
    assert 'value="30/06/2028"' in html(backwards)
    assert EvaluationRound.objects.count() == 1


def test_an_officer_of_two_provinces_is_told_why_no_round_opens(make_user, unit):
    both = make_user(Role.PROVINCE_OFFICER, [unit("86", "province"), unit("01", "province")])
    response = post(both, ROUNDS, {"year": "2027", "number": "1"})
    assert response.status_code == 403
    assert t("Only a provincial OCOP officer of one province sets up rounds.") in html(response)
    assert not EvaluationRound.objects.exists()


def test_the_rounds_page_is_a_few_queries(council, cast, django_assert_max_num_queries):
    services.round_create(actor=cast.office, year=2028, number=1)
    client = web(cast.office)
    with django_assert_max_num_queries(10):  # 8 today: session, user, jurisdiction, plan, list
        response = client.get(ROUNDS)
    assert len(ids(response, "round-row", "round")) == 2
    assert ids(response, "council-link", "council") == [council.pk]


# --- a new council -----------------------------------------------------------------------------
@pytest.fixture
def open_round(cast):
    return services.round_create(actor=cast.office, **planned_round())


def test_the_form_offers_the_provinces_accounts_by_role(open_round, cast, people):
    page = web(cast.office).get(NEW)
    offered = ids(page, "member-row", "user")
    assert set(offered) == {u.pk for u in cast.members} | {people["council"].pk}
    assert cast.hanoi_member.pk not in offered and cast.adviser.pk not in offered
    assert f'id="advisor-{cast.adviser.pk}"' in html(page)
    assert 'value="QD26/2026" selected' in html(page)
    assert f'value="{open_round.pk}" selected' in html(page)


def test_the_office_forms_a_council_of_four_with_one_chair(open_round, cast):
    chair = cast.members[2]
    data = council_data(open_round.pk, cast.members, chair, advisors=[cast.adviser])
    data[f"role_{cast.members[1].pk}"] = "secretary"
    data[f"organisation_{chair.pk}"] = "Sở Nông nghiệp và Môi trường"
    data["quorum_percent"] = "80"
    data["conflict_rules"] = ["relative"]
    del data["reveal_after_submit"]

    response = post(cast.office, NEW, data)

    created = Council.objects.get()
    assert response.status_code == 302 and response["Location"] == council_url(created)
    assert created.round == open_round and created.criteria_set.code == "QD26/2026"
    assert created.regime_code == created.criteria_set.regime_code
    assert created.quorum == Decimal("0.80") and created.conflict_rules == ["relative"]
    assert created.reveal_after_submit is False and created.advisory_report_required is True
    seats = {m.user_id: (m.role, m.organisation) for m in created.members.all()}
    assert seats[chair.pk] == ("chair", "Sở Nông nghiệp và Môi trường")
    assert seats[cast.members[1].pk][0] == "secretary" and len(seats) == 4
    assert list(created.advisors.all()) == [cast.adviser]
    page = web(cast.office).get(council_url(created))
    assert ids(page, "seat", "user")[0] == chair.pk  # the chair first
    assert "Tư vấn Một" in html(page)


BAD_COUNCILS = {
    "missing name": (lambda c, r: council_data(r.pk, c.members, c.members[0], name=""), "name"),
    "two chairs": (
        lambda c, r: council_data(
            r.pk, c.members, c.members[0], **{f"role_{c.members[1].pk}": "chair"}
        ),
        "members",
    ),
    "no chair": (lambda c, r: council_data(r.pk, c.members, None), "members"),
    "no member": (lambda c, r: council_data(r.pk, [], None), "members"),
    "a member of another province": (
        lambda c, r: council_data(r.pk, [*c.members, c.hanoi_member], c.members[0]),
        "members",
    ),
    "an adviser as a member": (
        lambda c, r: council_data(r.pk, [*c.members, c.adviser], c.members[0]),
        "members",
    ),
    "a council member as an adviser": (
        lambda c, r: council_data(r.pk, c.members[1:], c.members[1], advisors=[c.members[0]]),
        "advisors",
    ),
    "a non-numeric member id": (
        lambda c, r: (
            council_data(r.pk, c.members, c.members[0])
            | {"members": [str(u.pk) for u in c.members] + ["abc"]}
        ),
        "members",
    ),
    "a non-numeric round": (
        lambda c, r: council_data(r.pk, c.members, c.members[0], round="１"),
        "round",
    ),
    "an unknown seat": (
        lambda c, r: council_data(
            r.pk, c.members, c.members[0], **{f"role_{c.members[1].pk}": "president"}
        ),
        None,
    ),
    "a quorum over 100 %": (
        lambda c, r: council_data(r.pk, c.members, c.members[0], quorum_percent="101"),
        "quorum_percent",
    ),
    "an unknown conflict rule": (
        lambda c, r: council_data(r.pk, c.members, c.members[0], conflict_rules=["friend"]),
        "conflict_rules",
    ),
}


@pytest.mark.parametrize("case", BAD_COUNCILS, ids=list(BAD_COUNCILS))
def test_bad_council_input_is_a_400_with_the_field_error_and_nothing_formed(open_round, cast, case):
    build, field = BAD_COUNCILS[case]
    data = build(cast, open_round)

    response = post(cast.office, NEW, data)

    assert response.status_code == 400
    assert t("Please correct the errors below.") in html(response)
    if field:
        assert f'data-testid="error-{field}"' in html(response)
    assert 'role="alert"' in html(response)
    assert not Council.objects.exists()
    # What was typed is kept.
    if data["name"]:
        assert escape(data["name"]) in html(response)


def test_two_chairs_are_named_as_the_error(open_round, cast):
    data = council_data(
        open_round.pk, cast.members, cast.members[0], **{f"role_{cast.members[3].pk}": "chair"}
    )
    response = post(cast.office, NEW, data)
    assert t("Choose exactly one chair among the members.") in html(response)
    other = post(
        cast.office, NEW, council_data(open_round.pk, [*cast.members, cast.hanoi_member], None)
    )
    message = t("Account %(value)s is not a council-member account of your province.")
    assert message % {"value": cast.hanoi_member.pk} in html(other)


def test_a_round_of_another_province_or_unknown_is_404_in_the_link(open_round, cast):
    assert web(cast.office).get(f"{NEW}?round={open_round.pk}").status_code == 200
    assert web(cast.office).get(f"{NEW}?round=999999").status_code == 404
    assert web(cast.office).get(f"{NEW}?round=abc").status_code == 404


def test_without_an_open_round_the_page_says_to_open_one(cast):
    page = web(cast.office).get(NEW)
    assert page.status_code == 200 and 'data-testid="no-open-round"' in html(page)
    assert 'data-testid="council-form"' not in html(page)


# --- a council's page: assignment ----------------------------------------------------------------
def test_the_council_page_shows_its_people_and_the_dossiers_waiting(council, cast, accepted):
    page = web(cast.office).get(council_url(council))
    assert page.status_code == 200
    assert sorted(ids(page, "seat", "user")) == sorted(u.pk for u in cast.members)
    assert "Tư vấn Một" in html(page)
    assert ids(page, "waiting-row", "dossier") == [accepted]
    assert 'data-testid="none-assigned"' in html(page)


def test_the_office_assigns_a_dossier_and_the_progress_page_lists_it(council, cast, accepted):
    response = post(cast.office, council_url(council), {"dossiers": [str(accepted)]})

    assert response.status_code == 302 and response["Location"] == council_url(council)
    assignment = Assignment.objects.get()
    assert (assignment.council, assignment.dossier_id) == (council, accepted)
    assert Dossier.objects.get(pk=accepted).status == DossierStatus.UNDER_EVALUATION
    page = web(cast.office).get(council_url(council))
    assert ids(page, "assigned-row", "assignment") == [assignment.pk]
    assert ids(page, "waiting-row", "dossier") == []
    assert f'href="{progress_url(council)}#assignment-{assignment.pk}"' in html(page)
    progress = web(cast.office).get(progress_url(council))
    assert progress.status_code == 200
    assert f'data-testid="progress-row" data-assignment="{assignment.pk}"' in html(progress)
    # The chair sees it too, on the same page.
    chair = web(cast.members[0]).get(progress_url(council))
    assert f'data-testid="progress-row" data-assignment="{assignment.pk}"' in html(chair)


@pytest.mark.parametrize(
    "dossiers",
    [[], ["abc"], ["٣"], ["999999"], ["draft"]],
    ids=["none", "non-numeric", "arabic-indic digit", "unknown", "not offered"],
)
def test_a_dossier_not_offered_is_a_400_and_nothing_is_assigned(
    council, cast, accepted, chain, people, dossiers
):
    if dossiers == ["draft"]:  # a dossier of the province that is still with the commune
        dossiers = [str(chain.submitted_dossier(chain.product("Thạch dừa DEMO")))]
    response = post(cast.office, council_url(council), {"dossiers": dossiers})
    assert response.status_code == 400
    assert 'data-testid="error-dossiers"' in html(response)
    assert not Assignment.objects.exists()
    assert Dossier.objects.get(pk=accepted).status == DossierStatus.ACCEPTED


def test_a_council_of_another_round_is_refused_with_the_services_reason(cast, accepted):
    plan = planned_round()
    services.round_create(actor=cast.office, **plan)
    later = services.round_create(
        actor=cast.office,
        **services.round_planned(
            province_id=Dossier.objects.get(pk=accepted).province_id,
            on=plan["proposal_deadline"],
        ),
    )
    wrong = services.council_create(
        actor=cast.office,
        round_id=later.pk,
        name="Hội đồng vòng sau",
        criteria_set_code="QD26/2026",
        members=[{"user": cast.members[0].pk, "role": "chair"}],
    )

    response = post(cast.office, council_url(wrong), {"dossiers": [str(accepted)]})

    assert response.status_code == 400
    reason = t(
        "This dossier, proposed on %(day)s, belongs to round %(n)s/%(y)s (proposals before "
        "%(cutoff)s), not to this council's round %(cn)s/%(cy)s.",
        raw=True,
        day=f"{timezone.localdate():%d/%m/%Y}",
        n=plan["number"],
        y=plan["year"],
        cutoff=f"{plan['proposal_deadline']:%d/%m/%Y}",
        cn=later.number,
        cy=later.year,
    )
    message = t(
        "Nothing was assigned. %(product)s: %(reason)s", product="Kẹo dừa DEMO", reason=reason
    )
    assert message in html(response)
    assert f'id="dossier-{accepted}" checked' in html(response)  # what was ticked is kept
    assert not Assignment.objects.exists()
    assert Dossier.objects.get(pk=accepted).status == DossierStatus.ACCEPTED
