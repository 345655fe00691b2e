"""Revocation (QĐ 26/2026 Đ8): a case opened by the OCOP office of the competent level from
a conclusion, decided by the authority within 15 days, or closed without revoking."""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.core.exceptions import ErrorCode

from ..choices import (
    INSPECTION_OUTCOMES_FOR_REVOCATION,
    CertificateStatus,
    RevocationGround,
    RevocationStatus,
)
from ..models import Certificate, Inspection, Revocation
from .notifications import _notify_after_commit
from .shared import (
    _authority_role,
    _certificate_get,
    _check_authority,
    _error,
    _full_clean,
    _not_found,
    _not_in_future,
    _required,
)

log = logging.getLogger(__name__)


def _opener_role(stars: int) -> str:
    """Who opens a revocation case (Đ8.3.a: the OCOP office of the competent level): the
    ministry's for 5★, the province's for 3★/4★."""
    return Role.MINISTRY_OFFICER if stars == 5 else Role.PROVINCE_OFFICER


def _check_ground(ground: str | None) -> None:
    if ground not in RevocationGround.values:
        raise _error(
            ErrorCode.INVALID,
            _("Choose a ground of Article 8.1."),
            key="ground",
            choices=list(RevocationGround.values),
        )


def _check_decision(cert: Certificate, decision_number: str, decided_on: date) -> str:
    """The decision's number (cleaned) and date: today or earlier, not before the certificate."""
    decision_number = _required(decision_number, "decision_number")
    _not_in_future(decided_on, "decided_on")
    if decided_on < cert.valid_from:
        raise _error(
            ErrorCode.INVALID, _("The revocation cannot predate the certificate."), key="decided_on"
        )
    return decision_number


def _revocation_get(actor: User, revocation_id: int) -> tuple[Certificate, Revocation]:
    """A case in the actor's jurisdiction (404 otherwise) and its certificate, both locked: the
    certificate first, the order every revocation service takes."""
    row = (
        Revocation.objects.for_user(actor).filter(pk=revocation_id).values("certificate_id").first()
    )
    if row is None:
        raise _not_found("revocation_id")
    cert = Certificate.objects.select_for_update().get(pk=row["certificate_id"])
    return cert, Revocation.objects.select_for_update().get(pk=revocation_id)


def _inspecting_body(inspection: Inspection) -> str:
    """The body whose inspection concluded (Đ9.4): the ministry's OCOP office or the
    province's. The name of a state body, not interface text: not translated."""
    if inspection.inspector.role == Role.MINISTRY_OFFICER:
        return "Cơ quan tham mưu quản lý OCOP, Bộ Nông nghiệp và Môi trường"
    province = inspection.certificate.dossier.province
    return f"Cơ quan tham mưu quản lý OCOP, {province.full_name or province.name}"


def _open_case(
    cert: Certificate,
    actor: User,
    *,
    ground: str | None,
    concluded_on: date | None,
    concluded_by_body: str,
    evidence: str,
    inspection_id: int | None,
    body_required: bool = True,
) -> Revocation:
    """Open a case on the locked certificate `cert` (the checks of `revocation_open` after
    scope and role)."""
    inspection = None
    if inspection_id is not None:
        inspection = _grounding_inspection(cert, inspection_id, concluded_on)
        concluded_on = inspection.inspected_on
        ground = ground or RevocationGround.CRITERIA_NOT_MET
        concluded_by_body = (concluded_by_body or "").strip() or _inspecting_body(inspection)
        evidence = (evidence or "").strip() or inspection.findings
    _check_ground(ground)
    _check_conclusion(cert, concluded_on)
    if body_required:
        concluded_by_body = _required(concluded_by_body, "concluded_by_body")
    _check_no_case(cert)
    case = Revocation(
        certificate=cert,
        ground=ground,
        concluded_on=concluded_on,
        concluded_by_body=(concluded_by_body or "").strip(),
        evidence=(evidence or "").strip(),
        inspection=inspection,
        deadline=concluded_on + timedelta(days=settings.OCOP_REVOCATION_DAYS),
        opened_by=actor,
    )
    _full_clean(case, exclude=["certificate"])  # one open case: checked above, the DB decides
    case.save()
    return case


def _grounding_inspection(
    cert: Certificate, inspection_id: int, concluded_on: date | None
) -> Inspection:
    """The inspection of `cert` a case is opened from: non-compliant or a violation, and the
    conclusion's date, if given, is the inspection's."""
    inspection = (
        Inspection.objects.select_related("inspector", "certificate__dossier__province")
        .filter(pk=inspection_id, certificate=cert)
        .first()
    )
    if inspection is None:
        raise _error(
            ErrorCode.INVALID,
            _("Choose an inspection of this certificate."),
            key="inspection_id",
        )
    if inspection.outcome not in INSPECTION_OUTCOMES_FOR_REVOCATION:
        raise _error(
            ErrorCode.INVALID,
            _("Only a non-compliant or violation inspection can ground a revocation."),
            key="inspection_id",
        )
    if concluded_on is not None and concluded_on != inspection.inspected_on:
        raise _error(
            ErrorCode.INVALID,
            _("A case opened from an inspection rests on the inspection's date (%(date)s).")
            % {"date": f"{inspection.inspected_on:%d/%m/%Y}"},
            key="concluded_on",
        )
    return inspection


def _check_conclusion(cert: Certificate, concluded_on: date | None) -> None:
    """The conclusion's date: given, today or earlier, not before the certificate."""
    if concluded_on is None:
        raise _error(ErrorCode.INVALID, _("This field is required."), key="concluded_on")
    _not_in_future(concluded_on, "concluded_on")
    if concluded_on < cert.valid_from:
        raise _error(
            ErrorCode.INVALID,
            _("The conclusion cannot predate the certificate."),
            key="concluded_on",
        )


def _check_no_case(cert: Certificate) -> None:
    """A certificate is revoked once, and has one open case at a time."""
    if cert.status == CertificateStatus.REVOKED:
        raise _error(
            ErrorCode.BAD_TRANSITION,
            _("This certificate is already revoked."),
            key="certificate_id",
        )
    already = Revocation.objects.filter(certificate=cert, status=RevocationStatus.OPEN).first()
    if already is not None:
        raise _error(
            ErrorCode.BAD_TRANSITION,
            _("A revocation case is already open for this certificate."),
            key="certificate_id",
            revocation_id=already.pk,
        )


def _decide_case(
    cert: Certificate,
    case: Revocation,
    actor: User,
    *,
    decision_number: str,
    decided_on: date,
    signer_name: str,
    signer_title: str,
    note: str,
) -> Revocation:
    """Record the decision on the open `case` and revoke `cert` (both locked); the decision goes
    to the producer and the commune (Đ8.3.c)."""
    if decided_on < case.concluded_on:
        raise _error(
            ErrorCode.INVALID,
            _("The decision cannot predate the conclusion it rests on (%(date)s).")
            % {"date": f"{case.concluded_on:%d/%m/%Y}"},
            key="decided_on",
        )
    case.status = RevocationStatus.REVOKED
    case.decision_number = decision_number
    case.decided_on = decided_on
    case.signer_name = signer_name
    case.signer_title = signer_title
    case.note = (note or "").strip()
    case.decided_by = actor
    _full_clean(case, exclude=["certificate"])
    case.save(
        update_fields=[
            "status",
            "decision_number",
            "decided_on",
            "signer_name",
            "signer_title",
            "note",
            "decided_by",
        ]
    )
    cert.status = CertificateStatus.REVOKED
    cert.revocation = case
    cert.save(update_fields=["status", "revocation"])
    signer = " ".join(f"{signer_title} {signer_name}".split())
    message = _(
        "The OCOP certificate %(number)s of %(product)s (code %(code)s) is revoked by "
        "decision %(decision)s of %(date)s, signed by %(signer)s, on the ground of "
        "Article 8.1 of Decision 26/2026/QĐ-TTg: %(ground)s."
    ) % {
        "number": cert.number,
        "product": cert.product.name,
        "code": cert.product_code,
        "decision": decision_number,
        "date": f"{decided_on:%d/%m/%Y}",
        "signer": signer,
        "ground": RevocationGround(case.ground).label,
    }
    _notify_after_commit(cert.dossier_id, _("OCOP certificate revoked"), message)
    return case


@transaction.atomic
def revocation_open(
    *,
    certificate_id: int,
    actor: User,
    ground: str | None = None,
    concluded_on: date | None = None,
    concluded_by_body: str = "",
    evidence: str = "",
    inspection_id: int | None = None,
) -> Revocation:
    """Open a revocation case (Đ8.3.a) on a ground of Đ8.1, from the conclusion of a competent
    body (for ground đ, the commune People's Committee's confirmation that production stopped)
    on `concluded_on`: by the provincial OCOP office for 3★/4★ certificates of its province, by
    the ministry for 5★. The decision is due within OCOP_REVOCATION_DAYS (15) days of the
    conclusion (Đ8.4). From a non-compliant or violation inspection (`inspection_id`), the
    conclusion date is the inspection's, the ground defaults to b), the body and the evidence to
    the inspecting office and its findings. One open case per certificate; none once revoked."""
    cert = _certificate_get(actor, certificate_id, lock=True)
    if actor.role != _opener_role(cert.stars):
        raise _error(
            ErrorCode.PERMISSION_DENIED,
            _(
                "Revocation cases are opened by the provincial OCOP office for 3- and 4-star "
                "certificates, by the ministry for 5-star certificates."
            ),
        )
    return _open_case(
        cert,
        actor,
        ground=ground,
        concluded_on=concluded_on,
        concluded_by_body=concluded_by_body,
        evidence=evidence,
        inspection_id=inspection_id,
    )


@transaction.atomic
def revocation_open_from_inspection(
    *,
    inspection_id: int,
    actor: User,
    ground: str | None = None,
    concluded_by_body: str = "",
    evidence: str = "",
) -> Revocation:
    """Open a revocation case on the certificate of a non-compliant or violation inspection
    (Đ8.1.b, Đ9): `revocation_open` with the inspection."""
    certificate_id = (
        Inspection.objects.filter(
            pk=inspection_id, certificate__in=Certificate.objects.for_user(actor)
        )
        .values_list("certificate_id", flat=True)
        .first()
    )
    if certificate_id is None:
        raise _not_found("inspection_id")
    return revocation_open(
        certificate_id=certificate_id,
        actor=actor,
        ground=ground,
        concluded_by_body=concluded_by_body,
        evidence=evidence,
        inspection_id=inspection_id,
    )


@transaction.atomic
def revocation_decide(
    *,
    revocation_id: int,
    decision_number: str,
    decided_on: date,
    signer_name: str,
    signer_title: str,
    actor: User,
    note: str = "",
) -> Revocation:
    """Decide an open revocation case (Đ8.2, Đ8.3.b): the provincial leader for 3★/4★, the
    ministry for 5★. The certificate is revoked and its public status is "revoked" at once; the
    decision goes to the producer's accounts and the commune's officers (Đ8.3.c). A decision
    after the deadline (Đ8.4) is not refused, the violation stands: it is recorded as late."""
    cert, case = _revocation_get(actor, revocation_id)
    _check_authority(cert, actor)
    decision_number = _check_decision(cert, decision_number, decided_on)
    signer_name = _required(signer_name, "signer_name")
    signer_title = _required(signer_title, "signer_title")
    if case.status != RevocationStatus.OPEN:
        raise _error(
            ErrorCode.BAD_TRANSITION,
            _("This revocation case is already decided or closed."),
            key="revocation_id",
            status=case.status,
        )
    return _decide_case(
        cert,
        case,
        actor,
        decision_number=decision_number,
        decided_on=decided_on,
        signer_name=signer_name,
        signer_title=signer_title,
        note=note,
    )


@transaction.atomic
def revocation_close(*, revocation_id: int, reason: str, actor: User) -> Revocation:
    """Close an open revocation case without revoking (the conclusion was withdrawn, or the
    authority decided not to revoke), with the reason: by the OCOP office that opens such cases
    or by the authority that decides them. Who closed it, when and why stay on the case; the
    certificate is unchanged, and a later conclusion may open a new case."""
    cert, case = _revocation_get(actor, revocation_id)
    if actor.role not in (_opener_role(cert.stars), _authority_role(cert.stars)):
        raise _error(
            ErrorCode.PERMISSION_DENIED,
            _("Only the OCOP office or the authority of this certificate closes its cases."),
        )
    reason = _required(reason, "reason")
    if case.status != RevocationStatus.OPEN:
        raise _error(
            ErrorCode.BAD_TRANSITION,
            _("This revocation case is already decided or closed."),
            key="revocation_id",
            status=case.status,
        )
    case.status = RevocationStatus.CLOSED
    case.close_reason = reason
    case.closed_by = actor
    case.closed_at = timezone.now()
    _full_clean(case, exclude=["certificate"])
    case.save(update_fields=["status", "close_reason", "closed_by", "closed_at"])
    log.info(
        "revocation case %s of certificate %s closed without revocation by user %s",
        case.pk,
        cert.pk,
        actor.pk,
    )
    return case


@transaction.atomic
def certificate_revoke(
    *,
    certificate_id: int,
    ground: str,
    decision_number: str,
    decided_on: date,
    actor: User,
    note: str = "",
    concluded_on: date | None = None,
    concluded_by_body: str = "",
    signer_name: str = "",
    signer_title: str = "",
) -> Revocation:
    """Open and decide a revocation case in one step, by the competent authority (the
    provincial leader for 3★/4★, the ministry for 5★): for a conclusion and decision recorded
    together. The conclusion date defaults to the decision's, the signer to the actor. Same
    rules as `revocation_open` and `revocation_decide`; a certificate is revoked once, and a
    case the office already opened is decided with `revocation_decide`."""
    cert = _certificate_get(actor, certificate_id, lock=True)
    _check_authority(cert, actor)
    _check_ground(ground)
    decision_number = _check_decision(cert, decision_number, decided_on)
    case = _open_case(
        cert,
        actor,
        ground=ground,
        concluded_on=concluded_on or decided_on,
        concluded_by_body=concluded_by_body,
        evidence="",
        inspection_id=None,
        body_required=False,
    )
    return _decide_case(
        cert,
        case,
        actor,
        decision_number=decision_number,
        decided_on=decided_on,
        signer_name=(signer_name or "").strip() or actor.full_name.strip() or actor.get_username(),
        signer_title=(signer_title or "").strip(),
        note=note,
    )
