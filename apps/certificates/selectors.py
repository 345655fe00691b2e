"""Reads of the certificates context; every read starts from a `for_user(user)` queryset."""

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    Expression,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.choices import Role
from apps.core.exceptions import ApplicationError, ErrorCode
from apps.dossiers.choices import DossierStatus
from apps.dossiers.models import Dossier
from apps.evaluation.choices import CouncilLevel
from apps.evaluation.models import Assignment, CouncilResult

from .choices import CertificateStatus, PublicStatus, RevocationStatus
from .models import Certificate, Inspection, RecognitionDecision, Revocation

# Who works on revocation cases (open, decide, close) and so may read them: the OCOP offices,
# the provincial leader, and the system administrator. Producers and communes see the decision
# only (on the certificate, and notified).
REVOCATION_CASE_ROLES = frozenset(
    {Role.PROVINCE_OFFICER, Role.PROVINCE_LEADER, Role.MINISTRY_OFFICER, Role.SYSTEM_ADMIN}
)


def _not_found() -> ApplicationError:
    return ApplicationError(ErrorCode.NOT_FOUND, _("Not found, or outside your jurisdiction."))


# --- a product's current certificate and its standing ----------------------------------------
# The one owner of this fact: maps, dashboards, public pages and traceability read it from here
# (the queryset methods of `CertificateQuerySet` and the product expressions below), never by
# filtering certificates on their dates themselves (tests/certificates/test_standing_owner.py).
def current_certificate_value(name: str, today: date, product_ref: str = "pk") -> Expression:
    """The product's current certificate's field `name` (stars, valid_until, product_code, …,
    or `public_status`), as an SQL expression over a product queryset (`product_ref` names the
    product's key there). The current certificate is the newest one not revoked; its
    `public_status` is "revoked" when every certificate the product had was revoked, and null
    when it never had one."""
    if name == "public_status":
        return Coalesce(
            Subquery(
                Certificate.objects.current(today)
                .filter(product=OuterRef(product_ref))
                .values(name)[:1]
            ),
            Case(
                When(
                    Exists(Certificate.objects.revoked().filter(product=OuterRef(product_ref))),
                    then=Value(PublicStatus.REVOKED.value),
                ),
                default=Value(None),
                output_field=CharField(),
            ),
        )
    # The plain fields need no status annotation: a lighter subquery, faster to compile.
    return Subquery(
        Certificate.objects.filter(product=OuterRef(product_ref))
        .not_revoked()
        .newest_first()
        .values(name)[:1]
    )


def with_certificate_standing(products: QuerySet, today: date) -> QuerySet:
    """`products` annotated with their current certificate: `certificate_status`,
    `certificate_stars`, `certificate_valid_until` and `certificate_product_code`."""
    return products.annotate(
        certificate_status=current_certificate_value("public_status", today),
        certificate_stars=current_certificate_value("stars", today),
        certificate_valid_until=current_certificate_value("valid_until", today),
        certificate_product_code=current_certificate_value("product_code", today),
    )


def filter_by_certificate_status(products: QuerySet, status: str, today: date) -> QuerySet:
    """`products` whose current certificate has public status `status`; "revoked": every
    certificate was revoked; "none": never recognised."""
    mine = Certificate.objects.filter(product=OuterRef("pk"))
    if status == "none":
        return products.filter(~Exists(mine))
    if status == PublicStatus.REVOKED:
        return products.filter(
            Exists(mine.revoked()),
            ~Exists(Certificate.objects.current(today).filter(product=OuterRef("pk"))),
        )
    return products.annotate(
        _current_status=Subquery(
            Certificate.objects.current(today)
            .filter(product=OuterRef("pk"))
            .values("public_status")[:1]
        )
    ).filter(_current_status=status)


def recognised(products: QuerySet, today: date) -> QuerySet:
    """`products` that stand recognised on `today` (a standing certificate)."""
    return products.filter(
        Exists(Certificate.objects.standing(today).filter(product=OuterRef("pk")))
    )


def active_certificates(product) -> QuerySet[Certificate]:
    """The product's certificates not revoked, latest first: the first is the one a
    re-evaluation renews (Đ7.6). Given to `apps.dossiers` at start-up
    (`CertificatesConfig.ready`), since that app sits below this one."""
    return (
        product.certificates.filter(status=CertificateStatus.ACTIVE)
        .select_related("dossier")
        .order_by("-valid_from", "-pk")
    )


def standing_certificate(product, today: date) -> Certificate | None:
    """The newest certificate under which `product` stands recognised on `today` (valid, in its
    re-evaluation window, or extended; `CertificateQuerySet.standing`), or None. Given to
    `apps.dossiers` at start-up: such a product is not evaluated for the first time again."""
    return product.certificates.standing(today).newest_first().first()


def certificate_list(
    *, user, status: str | None = None, stars: int | None = None, today: date | None = None
) -> QuerySet[Certificate]:
    """Certificates the user may see, each with its `public_status` for `today`."""
    qs = (
        Certificate.objects.for_user(user)
        .with_public_status(today or timezone.localdate())
        .select_related(
            "product__producer", "dossier__commune", "dossier__province", "decision", "revocation"
        )
    )
    if status:
        qs = qs.filter(public_status=status)
    if stars:
        qs = qs.filter(stars=stars)
    return qs.order_by("-valid_from", "-pk")


def certificate_get(*, user, certificate_id: int, today: date | None = None) -> Certificate:
    certificate = certificate_list(user=user, today=today).filter(pk=certificate_id).first()
    if certificate is None:
        raise _not_found()
    return certificate


def inspection_list(*, user, certificate_id: int) -> QuerySet[Inspection]:
    certificate_get(user=user, certificate_id=certificate_id)  # scope: 404 when out of it
    return (
        Inspection.objects.filter(certificate_id=certificate_id)
        .select_related("inspector")
        .order_by("-inspected_on", "-pk")
    )


def inspection_get(*, user, inspection_id: int) -> Inspection:
    """An inspection of a certificate the user may see; 404 otherwise."""
    inspection = (
        Inspection.objects.filter(certificate__in=Certificate.objects.for_user(user))
        .filter(pk=inspection_id)
        .first()
    )
    if inspection is None:
        raise _not_found()
    return inspection


def revocation_list(
    *,
    user,
    status: str | None = None,
    overdue: bool | None = None,
    certificate_id: int | None = None,
    today: date | None = None,
) -> QuerySet[Revocation]:
    """Revocation cases in the user's jurisdiction, each with `overdue` for `today` (an open
    case past its deadline, Đ8.4), the oldest deadline first among open cases."""
    if user.role not in REVOCATION_CASE_ROLES:
        raise ApplicationError(
            ErrorCode.PERMISSION_DENIED,
            _("Only the OCOP offices and the authorities see revocation cases."),
        )
    qs = (
        Revocation.objects.for_user(user)
        .with_overdue(today or timezone.localdate())
        .select_related("certificate__product", "opened_by", "decided_by", "closed_by")
    )
    if certificate_id is not None:
        certificate_get(user=user, certificate_id=certificate_id)  # scope: 404 when out of it
        qs = qs.filter(certificate_id=certificate_id)
    if status:
        qs = qs.filter(status=status)
    if overdue is not None:
        qs = qs.filter(overdue=overdue)
    return (
        qs.order_by("deadline", "pk")
        if status == RevocationStatus.OPEN
        else qs.order_by("-concluded_on", "-pk")
    )


def revocation_get(*, user, revocation_id: int, today: date | None = None) -> Revocation:
    revocation = revocation_list(user=user, today=today).filter(pk=revocation_id).first()
    if revocation is None:
        raise _not_found()
    return revocation


def results_awaiting_decision(*, user) -> QuerySet[CouncilResult]:
    """Council results whose dossier waits for a recognition decision (status "evaluated"),
    in the user's jurisdiction: the leader's to-do list."""
    return (
        CouncilResult.objects.filter(
            assignment__dossier__in=Dossier.objects.for_user(user),
            assignment__dossier__status=DossierStatus.EVALUATED,
        )
        .exclude(
            Exists(
                Assignment.objects.filter(
                    dossier=OuterRef("assignment__dossier"), pk__gt=OuterRef("assignment")
                )
            )
        )
        .select_related(
            "assignment__council__round",
            "assignment__dossier__product__producer",
            "assignment__dossier__commune",
        )
        .order_by("-total", "pk")
    )


# --- the decision pages (apps/certificates/views.py) ------------------------------------------
# Who opens the decision pages: the leader decides, the OCOP office prepares the list and closes
# results without recognition, the ministry recognises 5★ on the central council's result.
DECISION_PAGE_ROLES = frozenset(
    {Role.PROVINCE_LEADER, Role.PROVINCE_OFFICER, Role.MINISTRY_OFFICER}
)


@dataclass(frozen=True)
class DecisionWorklist:
    """The results waiting for the user's decision, by what the law does with them
    (QĐ 26/2026 Đ4, Đ7.3.e): recognised with a decision (3★/4★ by the province, 5★ on the
    central result by the ministry); proposed to the ministry (a provincial result of 90 points
    or more); or closed without recognition (1★/2★, or rejected)."""

    recognise: list[CouncilResult]
    propose: list[CouncilResult]
    close: list[CouncilResult]

    def __bool__(self) -> bool:
        return bool(self.recognise or self.propose or self.close)


def decision_worklist(*, user) -> DecisionWorklist:
    """`results_awaiting_decision`, sorted for the user's role: the ministry sees the central
    council's 5★ results only (its decisions); the province sees everything else in its
    jurisdiction. The services check each action again."""
    ministry = user.role == Role.MINISTRY_OFFICER
    recognise, propose, close = [], [], []
    for result in results_awaiting_decision(user=user).select_related(
        "assignment__dossier__province"
    ):
        central = result.assignment.council.round.level == CouncilLevel.CENTRAL
        ministry_owns = central and result.star == 5
        if ministry != ministry_owns:
            continue
        if result.rejected or result.star is None or result.star < 3:
            close.append(result)
        elif not central and result.propose_to_ministry:
            propose.append(result)
        else:
            recognise.append(result)
    return DecisionWorklist(recognise=recognise, propose=propose, close=close)


def decision_list(*, user) -> QuerySet[RecognitionDecision]:
    """Recognition decisions with a certificate the user may see, the newest first, each with
    `certificate_count`."""
    visible = Certificate.objects.for_user(user)
    return (
        RecognitionDecision.objects.filter(Exists(visible.filter(decision=OuterRef("pk"))))
        .select_related("province", "created_by")
        .annotate(
            certificate_count=Count("certificates", distinct=True),
            scan_count=Count("scans", distinct=True),
        )
        .order_by("-date", "-pk")
    )


def decision_get(*, user, decision_id: int) -> RecognitionDecision:
    """One decision the user may see (404 otherwise), with its certificates in the user's
    jurisdiction and their standing today (`with_public_status`), and its signed copies
    (`scan_list`, the newest first)."""
    decision = decision_list(user=user).filter(pk=decision_id).first()
    if decision is None:
        raise _not_found()
    decision.visible_certificates = list(
        Certificate.objects.for_user(user)
        .filter(decision=decision)
        .with_public_status(timezone.localdate())
        .select_related("product__producer", "dossier__commune")
        .order_by("dossier__commune__code", "product_code")
    )
    decision.scan_list = list(decision.scans.select_related("uploaded_by"))
    return decision
