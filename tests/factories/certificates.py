"""The recognition chain built with the real services: producer and product (services), dossier
to "accepted" (the dossier API, `tests.factories.dossiers`), council scoring and conclusion
(apps.evaluation.services), then recognition (apps.certificates.services).

The fixtures built on it (`people`, `client_for`, `chain`, `decide`, `media_in_tmp`) are in
tests/fixtures/recognition.py."""

from datetime import date

from django.test import TestCase
from django.utils import timezone

from apps.accounts.choices import Role
from apps.dossiers.calendar import round_for
from apps.dossiers.models import DEFAULT_CUTOFFS
from apps.evaluation.models import Council
from apps.evaluation.services import (
    assignment_create,
    council_conclude,
    scorecard_save,
    scorecard_submit,
)
from apps.producers.services import producer_create
from apps.products.services import product_create
from tests.factories import dossiers
from tests.factories.criteria import choices_for
from tests.factories.evaluation import CouncilFactory, CouncilMemberFactory, EvaluationRoundFactory
from tests.factories.places import BEN_TRE_CITY

# The year of the round that takes the dossiers proposed today (QĐ 26/2026 Đ5.1): the year printed
# in the product codes of the certificates these tests issue.
ROUND_YEAR = round_for(timezone.localdate(), DEFAULT_CUTOFFS)[0]
# The recognition decision's fields but its date (`decide` in tests/fixtures/recognition.py).
DECISION = {
    "decision_number": "1234/QĐ-UBND",
    "signer_name": "Nguyễn Văn Ký",
    "signer_title": "CHỦ TỊCH",
}


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

    def _filers(self, commune: str) -> tuple[str, str]:
        """The keys in `people` of the producer and the commune officer of `commune`: An Hội's
        (28777) or the other commune's (Phú Khương, 28756, in these tests)."""
        return ("producer", "commune") if commune == "28777" else ("producer2", "commune2")

    # --- producers and products
    def producer(self, commune: str = "28777"):
        if commune not in self._producers:
            user = self.people[self._filers(commune)[0]]
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
        user = self.people[self._filers(commune)[0]]
        return product_create(
            actor=user, producer=self.producer(commune), name=name, classification_code="I.3.c"
        )

    # --- dossiers, through the dossier API (`tests.factories.dossiers`)
    def submitted_dossier(self, product, commune: str = "28777", kind: str = "first") -> int:
        producer, _officer = self._filers(commune)
        return dossiers.submitted_dossier(
            self.people, product, self.client_for, by=producer, kind=kind
        )

    def accepted_dossier(self, product, commune: str = "28777", kind: str = "first") -> int:
        producer, officer = self._filers(commune)
        return dossiers.accepted_dossier(
            self.people, product, self.client_for, by=(producer, officer, "province"), kind=kind
        )

    # --- councils and results, through the evaluation services
    def council(self, level: str = "province"):
        if level not in self._councils:
            vinh_long = self.unit("86", "province")
            central = level == "central"
            # The round that takes the dossiers proposed today (Đ5), at either level.
            council = CouncilFactory(
                name=f"Hội đồng {level} (thử)",
                round=EvaluationRoundFactory(level=level, province=None if central else vinh_long),
                created_by=self.people["ministry" if central else "province"],
            )
            members = []
            for i in range(3):
                # A central member still needs the province in scope to see the dossier.
                user = self.make_user(Role.COUNCIL_MEMBER, [vinh_long], username=f"{level}-hd{i}")
                CouncilMemberFactory(
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
