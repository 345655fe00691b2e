"""The recognition chain built with the real services: producer and product (services), dossier
to "accepted" (the dossier API, as tests/dossiers/test_workflow_api.py does), council scoring and
conclusion (apps.evaluation.services), then recognition (apps.certificates.services).

The fixtures built on it (`people`, `client_for`, `chain`, `decide`, `media_in_tmp`) are in
tests/fixtures/recognition.py."""

from datetime import date
from decimal import Decimal
from functools import cache

from django.test import TestCase
from django.utils import timezone

from apps.accounts.choices import Role
from apps.criteria import engine
from apps.criteria.models import CriteriaSet, Sheet
from apps.criteria.services import sheet_spec
from apps.dossiers.calendar import round_for
from apps.dossiers.models import DEFAULT_CUTOFFS
from apps.evaluation.models import Council, CouncilMember, EvaluationRound
from apps.evaluation.services import (
    assignment_create,
    council_conclude,
    round_planned,
    scorecard_save,
    scorecard_submit,
)
from apps.producers.services import producer_create
from apps.products.services import product_create
from tests.dossiers.helpers import BEN_TRE_CITY, FORM01, FORM02, full_choices

API = "/api/v1/dossiers/"
# The year of the round that takes the dossiers proposed today (QĐ 26/2026 Đ5.1): the year printed
# in the product codes of the certificates these tests issue.
ROUND_YEAR = round_for(timezone.localdate(), DEFAULT_CUTOFFS)[0]
BANDS = {
    1: (Decimal(0), Decimal(30)),
    2: (Decimal(30), Decimal(50)),
    3: (Decimal(50), Decimal(70)),
    4: (Decimal(70), Decimal(90)),
    5: (Decimal(90), Decimal(101)),
}
DECISION = {
    "decision_number": "1234/QĐ-UBND",
    "signer_name": "Nguyễn Văn Ký",
    "signer_title": "CHỦ TỊCH",
}


def recognition_people(make_user, unit) -> dict:
    """The recognition chain's people, by role (the `people` fixture of
    tests/fixtures/recognition.py; the dossier tests have their own, tests/dossiers/helpers.py)."""
    an_hoi, phu_khuong = unit("28777"), unit("28756")
    vinh_long, hanoi = unit("86", "province"), unit("01", "province")
    return {
        "producer": make_user(
            Role.PRODUCER, [an_hoi], username="producer", email="sx@example.test"
        ),
        "producer2": make_user(
            Role.PRODUCER, [phu_khuong], username="producer2", email="sx2@example.test"
        ),
        "commune": make_user(
            Role.COMMUNE_OFFICER, [an_hoi], username="commune", email="xa@example.test"
        ),
        "commune2": make_user(
            Role.COMMUNE_OFFICER, [phu_khuong], username="commune2", email="xa2@example.test"
        ),
        "province": make_user(
            Role.PROVINCE_OFFICER, [vinh_long], username="province", email="tinh@example.test"
        ),
        "leader": make_user(
            Role.PROVINCE_LEADER, [vinh_long], username="leader", email="ld@example.test"
        ),
        "other_leader": make_user(Role.PROVINCE_LEADER, [hanoi], username="hanoi_leader"),
        "other_province": make_user(Role.PROVINCE_OFFICER, [hanoi], username="hanoi_officer"),
        "ministry": make_user(
            Role.MINISTRY_OFFICER, [], username="ministry", email="bo@example.test"
        ),
    }


@cache
def choices_for(star: int, sheet_number: int = 7) -> tuple[tuple[str, int], ...]:
    """Choices on the sheet whose single-member result is exactly `star` (1★ or 2★: the
    lowest options). Lowers each criterion, in order, to its lowest option that keeps the
    `star` minimums and the band's lower bound; cached per star (the sheets are reference data)."""
    sheet = Sheet.objects.get(criteria_set__code="QD26/2026", number=sheet_number)
    spec = sheet_spec(sheet=sheet)
    if star <= 2:
        picked = {c.code: (2 if c.code == "5.1" else 1) for c in spec.criteria}
        return tuple(picked.items())
    low, high = BANDS[star]
    picked = dict(full_choices(sheet_number))

    def rank(choices):
        try:
            return engine.rank(spec, [engine.Scorecard(choices=choices)], engine.CouncilRules())
        except engine.InvalidScorecard:
            return None

    for criterion in spec.criteria:
        for option in sorted(criterion.options, key=lambda o: o.points):
            trial = {**picked, criterion.code: option.number}
            result = rank(trial)
            if (
                result is not None
                and not result.missing
                and result.min_star_met >= star
                and result.total >= low
            ):
                picked = trial
                break
        result = rank(picked)
        if result.total < high:
            break
    result = rank(picked)
    assert result.star == star, (star, result.total, result.star)
    return tuple(picked.items())


class Chain:
    """Builds products, dossiers, councils and results for one test."""

    def __init__(self, people, unit, make_user, client_for):
        self.people, self.unit, self.make_user, self.client_for = (
            people,
            unit,
            make_user,
            client_for,
        )
        self._councils: dict[str, tuple[Council, list]] = {}
        self._producers: dict[str, object] = {}

    # --- producers and products
    def producer(self, commune: str = "28777"):
        if commune not in self._producers:
            user = self.people["producer"] if commune == "28777" else self.people["producer2"]
            location = (
                BEN_TRE_CITY if commune == "28777" else self.unit(commune).geom.point_on_surface
            )
            self._producers[commune] = producer_create(
                actor=user,
                name=f"DEMO HTX Dừa {commune}",
                legal_type="cooperative",
                registration_number=f"DEMO-{commune}",
                registration_date=date(2015, 3, 1),
                address=f"Xã {commune}",
                location=location,
                representative_name="Nguyễn Thị Demo",
                email="htx@example.test",
            )
        return self._producers[commune]

    def product(self, name: str = "Kẹo dừa DEMO", commune: str = "28777"):
        user = self.people["producer"] if commune == "28777" else self.people["producer2"]
        return product_create(
            actor=user, producer=self.producer(commune), name=name, classification_code="I.3.c"
        )

    # --- dossier to "accepted", through the dossier API
    def accepted_dossier(self, product, commune: str = "28777", kind: str = "first") -> int:
        producer = self.client_for(
            self.people["producer"] if commune == "28777" else self.people["producer2"]
        )
        officer = self.client_for(
            self.people["commune"] if commune == "28777" else self.people["commune2"]
        )
        province = self.client_for(self.people["province"])
        did = _ok(producer.post(API, {"product": product.pk, "kind": kind}), 201)["id"]
        _ok(
            producer.patch(
                f"{API}{did}/forms/", {"form01": FORM01, "form02": FORM02}, format="json"
            )
        )
        _ok(
            producer.put(f"{API}{did}/self-assessment/", {"choices": full_choices()}, format="json")
        )
        _ok(producer.post(f"{API}{did}/submit/"))
        _ok(officer.post(f"{API}{did}/commune-start-review/"))
        _ok(
            officer.put(
                f"{API}{did}/commune-assessment/",
                {
                    k: "Đạt"
                    for k in (
                        "raw_material",
                        "local_labour",
                        "product_idea",
                        "local_identity",
                        "proposal",
                    )
                },
                format="json",
            )
        )
        _ok(officer.post(f"{API}{did}/commune-assess/"))
        _ok(officer.post(f"{API}{did}/samples/", {"received": 5, "on": str(timezone.localdate())}))
        _ok(officer.post(f"{API}{did}/commune-forward/"))
        _ok(province.post(f"{API}{did}/province-start-check/"))
        _ok(province.post(f"{API}{did}/province-accept/"))
        return did

    # --- councils and results, through the evaluation services
    def council(self, level: str = "province"):
        if level not in self._councils:
            vinh_long = self.unit("86", "province")
            central = level == "central"
            # The round that takes the dossiers proposed today (Đ5), at either level.
            round_ = EvaluationRound.objects.create(
                level=level,
                province=None if central else vinh_long,
                **round_planned(province_id=vinh_long.pk, on=timezone.localdate()),
            )
            council = Council.objects.create(
                name=f"Hội đồng {level} (thử)",
                round=round_,
                criteria_set=CriteriaSet.objects.get(code="QD26/2026"),
                regime_code="QD26/2026",
                created_by=self.people["ministry" if central else "province"],
            )
            members = []
            for i in range(3):
                # A central member still needs the province in scope to see the dossier.
                user = self.make_user(Role.COUNCIL_MEMBER, [vinh_long], username=f"{level}-hd{i}")
                CouncilMember.objects.create(
                    council=council, user=user, role="chair" if i == 0 else "member"
                )
                members.append(user)
            self._councils[level] = (council, members)
        return self._councils[level]

    def result(
        self,
        dossier_id: int,
        star: int | None,
        level: str = "province",
        feedback: str = "",
        choices: dict[str, int] | None = None,
    ):
        """The council's result on the dossier: every member scores `star` (or the `choices`)."""
        council, members = self.council(level)
        assigner = self.people["ministry" if level == "central" else "province"]
        with TestCase.captureOnCommitCallbacks(execute=True):
            assignment = assignment_create(council=council, dossier_id=dossier_id, actor=assigner)
            for member in members:
                scorecard_save(
                    assignment_id=assignment.pk,
                    member=member,
                    choices=dict(choices) if choices else dict(choices_for(star)),
                )
                scorecard_submit(assignment_id=assignment.pk, member=member)
            return council_conclude(
                assignment_id=assignment.pk, chair=members[0], feedback=feedback
            )

    def evaluated(
        self, star: int, name: str = "Kẹo dừa DEMO", commune: str = "28777", feedback: str = ""
    ):
        product = self.product(name, commune)
        return self.result(self.accepted_dossier(product, commune), star, feedback=feedback)


def _ok(response, code: int = 200) -> dict:
    assert response.status_code == code, (response.status_code, response.content[:600])
    return response.json() if response.content else {}
