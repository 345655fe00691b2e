"""Written opinions (QĐ 26/2026 Đ7.6.d): the council decides a re-evaluation by written opinions
and meets only when they diverge, i.e. when the submitted totals spread more than its threshold.
First evaluations and upgrades are decided in a meeting (Đ7.3.d)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.certificates.models import Certificate
from apps.criteria import engine
from apps.criteria.services import sheet_evaluate
from apps.evaluation import services
from apps.evaluation.models import Assignment
from tests.factories.accounts import recognition_people
from tests.factories.criteria import choices_for

# The recognition chain (producer → certificate; tests/fixtures/recognition.py) with its own
# people, not this package's, and its settings.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]


@pytest.fixture
def people(make_user, unit):
    """The recognition chain's people, in place of tests/evaluation/conftest.py's."""
    return recognition_people(make_user, unit)


@pytest.fixture
def written(chain, decide) -> Assignment:
    """A re-evaluation of a 4★ product, filed in its window, accepted and assigned to the
    province's council (a chair and two members, spread threshold 10)."""
    cert = decide([chain.evaluated(4).pk]).certificates.get()
    Certificate.objects.filter(pk=cert.pk).update(
        valid_until=timezone.localdate() + timedelta(days=150)
    )
    did = chain.accepted_dossier(cert.product, kind="reevaluation")
    council, _members = chain.council()
    return services.assignment_create(
        council=council, dossier_id=did, actor=chain.people["province"]
    )


def _submit(assignment: Assignment, member, star: int) -> None:
    services.scorecard_save(
        assignment_id=assignment.pk, member=member, choices=dict(choices_for(star))
    )
    services.scorecard_submit(assignment_id=assignment.pk, member=member)


def _spread(assignment: Assignment, stars: list[int]) -> Decimal:
    cards = [
        engine.Scorecard(choices=dict(choices_for(s)), member=str(i)) for i, s in enumerate(stars)
    ]
    return sheet_evaluate(sheet=assignment.dossier.sheet, scorecards=cards).spread


def test_a_reevaluation_meets_only_when_the_opinions_diverge(chain, client_for, written):
    council, (chair, member1, member2) = chain.council()
    detail = f"/api/v1/assignments/{written.pk}/"
    progress = f"/api/v1/councils/{council.pk}/progress/"

    def seen() -> tuple[dict, dict]:
        one = client_for(chair).get(detail)
        rows = client_for(chair).get(progress)
        assert one.status_code == 200 and rows.status_code == 200, (one.content, rows.content)
        row = next(r for r in rows.json()["assignments"] if r["id"] == written.pk)
        return one.json(), row

    one, row = seen()
    assert (one["written_opinions"], one["meeting_needed"]) == (True, False)  # no opinion yet
    assert (row["written_opinions"], row["meeting_needed"]) == (True, False)

    _submit(written, chair, 5)
    _submit(written, member1, 5)
    one, row = seen()
    assert one["meeting_needed"] is False and row["meeting_needed"] is False  # the same opinion

    _submit(written, member2, 3)
    spread = _spread(written, [5, 5, 3])
    assert spread > council.spread_threshold == Decimal("10")
    one, row = seen()
    assert one["meeting_needed"] is True and row["meeting_needed"] is True
    assert services.meeting_needed(assignment=written) is True


def test_the_threshold_is_the_councils_and_is_exclusive(chain, written):
    council, (chair, member1, _member2) = chain.council()
    _submit(written, chair, 3)
    _submit(written, member1, 5)
    spread = _spread(written, [3, 5])
    assert spread > 0

    council.spread_threshold = spread  # a spread equal to the threshold is not a divergence
    council.save(update_fields=["spread_threshold"])
    assert services.meeting_needed(assignment=Assignment.objects.get(pk=written.pk)) is False
    council.spread_threshold = spread - Decimal("0.01")
    council.save(update_fields=["spread_threshold"])
    assert services.meeting_needed(assignment=Assignment.objects.get(pk=written.pk)) is True


def test_a_first_evaluation_is_decided_in_a_meeting(chain, client_for):
    council, (chair, _m1, _m2) = chain.council()
    did = chain.accepted_dossier(chain.product("Mứt dừa DEMO"))
    assignment = services.assignment_create(
        council=council, dossier_id=did, actor=chain.people["province"]
    )

    body = client_for(chair).get(f"/api/v1/assignments/{assignment.pk}/").json()
    assert (body["written_opinions"], body["meeting_needed"]) == (False, True)
    row = client_for(chair).get(f"/api/v1/councils/{council.pk}/progress/").json()["assignments"][0]
    assert (row["id"], row["written_opinions"], row["meeting_needed"]) == (
        assignment.pk,
        False,
        True,
    )


def test_who_sees_the_flag(chain, client_for, people, written):
    council, (_chair, member1, _member2) = chain.council()
    detail = f"/api/v1/assignments/{written.pk}/"
    progress = f"/api/v1/councils/{council.pk}/progress/"
    assert client_for(None).get(detail).status_code in (401, 403)
    assert client_for(people["producer"]).get(detail).status_code == 404
    assert client_for(people["other_province"]).get(detail).status_code == 404
    assert client_for(people["producer"]).get(progress).status_code == 404
    # A plain member follows no progress; the provincial officer does.
    refused = client_for(member1).get(progress)
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    rows = {r["id"]: r for r in client_for(people["province"]).get(progress).json()["assignments"]}
    # The council also decided the first evaluation that led to the certificate, in a meeting.
    first = Assignment.objects.get(council=council, dossier__kind="first")
    assert {k: (r["written_opinions"], r["meeting_needed"]) for k, r in rows.items()} == {
        written.pk: (True, False),
        first.pk: (False, True),
    }
    assert client_for(people["province"]).get("/api/v1/assignments/999999/").status_code == 404
