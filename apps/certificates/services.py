"""Writes of the recognition stage and of what follows it: recognition decisions and the
certificates they issue, proposals to the ministry, closing without recognition, revocation,
the transitional extension, inspections, and the daily reminders.

Who decides what (QĐ 26/2026 Đ4, Đ7.3–7.4, Đ8.2):
- the provincial leader recognises 3★/4★ on the provincial council's result, or on the central
  council's result when a 5★ attempt scored below 90 there; proposes ≥90 results to the ministry;
- the ministry recognises 5★ on the central council's result;
- 1★/2★ and rejected products get no decision and no certificate;
- revocation and extension are decided by whoever recognises that many stars; a revocation case
  is opened first by the OCOP office of that level (the province's for 3★/4★, the ministry's
  for 5★) from a competent conclusion, and is due 15 days after it (Đ8.3–8.4).
Dossier statuses move only through `dossier_transition(..., internal=True)`.
"""

import calendar
import hashlib
import logging
from datetime import date, timedelta

from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.core.api.errors import ApplicationError, ErrorCode
from apps.core.files import CheckedUpload, stored_file_delete, stored_file_save
from apps.dossiers.choices import Action
from apps.dossiers.models import Dossier, Notification, Sequence
from apps.dossiers.services import dossier_transition
from apps.evaluation.choices import CouncilLevel
from apps.evaluation.models import Assignment, CouncilResult
from apps.products.choices import ProductStatus

from . import documents
from .choices import (
    INSPECTION_OUTCOMES_FOR_REVOCATION,
    CertificateStatus,
    DecisionLevel,
    InspectionKind,
    InspectionOutcome,
    InspectionScope,
    PublicStatus,
    ReminderKind,
    RevocationGround,
    RevocationStatus,
)
from .models import (
    Certificate,
    Inspection,
    MinistryProposal,
    RecognitionDecision,
    ReminderSent,
    Revocation,
    certificate_status,
    transitional_extension_applies,
)

log = logging.getLogger(__name__)

MINISTRY_ISSUER = "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"
PDF_PREFIX = "certificates"


def _error(code: ErrorCode, message: str, **extra) -> ApplicationError:
    return ApplicationError(code, message, extra=extra)


def _not_found(key: str, **extra) -> ApplicationError:
    return _error(
        ErrorCode.NOT_FOUND, _("Not found, or outside your jurisdiction."), key=key, **extra
    )


def _required(value: str, key: str) -> str:
    value = (value or "").strip()
    if not value:
        raise _error(ErrorCode.INVALID, _("This field is required."), key=key)
    return value


def _not_in_future(day: date, key: str) -> None:
    if day > timezone.localdate():
        raise _error(ErrorCode.INVALID, _("The date cannot be in the future."), key=key)


def _full_clean(obj, *, keys: dict[str, str] | None = None, **kwargs) -> None:
    """`full_clean()`, with a refusal reported as a 400 naming the first key (the caller's
    argument name, through `keys`, where it differs from the model field's)."""
    try:
        obj.full_clean(**kwargs)
    except DjangoValidationError as exc:
        key, messages = next(iter(exc.message_dict.items()))
        raise _error(ErrorCode.INVALID, messages[0], key=(keys or {}).get(key, key)) from exc


def add_months(day: date, months: int) -> date:
    """`day` plus `months` calendar months; the 29–31st becomes the month's last day if needed."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def certificate_valid_until(valid_from: date) -> date:
    """The expiry of a certificate issued on `valid_from`: 36 months later (QĐ 26/2026 Đ4.3).
    A period in months ends on the corresponding day of the last month (Civil Code Đ148)."""
    return add_months(valid_from, settings.OCOP_CERTIFICATE_MONTHS)


def public_url(product_code: str) -> str:
    return settings.OCOP_PUBLIC_PRODUCT_URL.format(code=product_code)


# --- scope helpers ---------------------------------------------------------------------------
def _results_in_scope(actor: User):
    return CouncilResult.objects.filter(
        assignment__dossier__in=Dossier.objects.for_user(actor)
    ).select_related(
        "assignment__council__round",
        "assignment__council__criteria_set",
        "assignment__dossier__product__producer",
        "assignment__dossier__province",
        "assignment__dossier__commune",
    )


def _result_get(actor: User, result_id: int) -> CouncilResult:
    result = _results_in_scope(actor).filter(pk=result_id).first()
    if result is None:
        raise _not_found("result_id")
    return result


def _certificate_get(actor: User, certificate_id: int, *, lock: bool = False) -> Certificate:
    if not Certificate.objects.for_user(actor).filter(pk=certificate_id).exists():
        raise _not_found("certificate_id")
    if lock:
        # Lock only the certificate row (for_user's joins would make PostgreSQL lock those too).
        return Certificate.objects.select_for_update().get(pk=certificate_id)
    return Certificate.objects.select_related("product").get(pk=certificate_id)


def _is_latest(result: CouncilResult) -> bool:
    """A result is the one to act on only if no later assignment (e.g. to the central council)
    superseded it."""
    latest = (
        Assignment.objects.filter(dossier_id=result.assignment.dossier_id)
        .order_by("-pk")
        .values("pk")
        .first()
    )
    return latest is not None and latest["pk"] == result.assignment_id


def _level(result: CouncilResult) -> str:
    return result.assignment.council.round.level


def _authority_role(stars: int) -> str:
    """Who decides on a certificate of `stars` (Đ8.2): the ministry for 5★, else the province."""
    return Role.MINISTRY_OFFICER if stars == 5 else Role.PROVINCE_LEADER


# --- recognition ------------------------------------------------------------------------------
def _check_recognisable(result: CouncilResult, actor: User) -> None:
    """Refuse a result that the actor may not recognise, with the reason."""
    key = {"key": "result_ids", "result": result.pk}
    if hasattr(result, "certificate"):
        raise _error(ErrorCode.BAD_TRANSITION, _("This result has already been recognised."), **key)
    if not _is_latest(result):
        raise _error(
            ErrorCode.BAD_TRANSITION,
            _("The dossier was evaluated again after this result; decide on the latest result."),
            **key,
        )
    if result.rejected or result.star is None or result.star < 3:
        raise _error(
            ErrorCode.INVALID,
            _(
                "Products ranked 1 or 2 stars, or rejected, get no recognition decision and no "
                "certificate: close the dossier without recognition."
            ),
            **key,
        )
    level = _level(result)
    if actor.role == Role.MINISTRY_OFFICER:
        if level != CouncilLevel.CENTRAL or result.star != 5:
            raise _error(
                ErrorCode.PERMISSION_DENIED,
                _("The ministry recognises 5-star products on the central council's result only."),
                **key,
            )
        return
    # Province leader
    if level == CouncilLevel.CENTRAL and result.star == 5:
        raise _error(
            ErrorCode.PERMISSION_DENIED,
            _("5-star products are recognised by the ministry."),
            **key,
        )
    if result.star == 5 or (level == CouncilLevel.PROVINCE and result.propose_to_ministry):
        raise _error(
            ErrorCode.INVALID,
            _(
                "A result of 90 points or more goes to the ministry (Article 7.3.e): propose it "
                "for 5 stars instead."
            ),
            **key,
        )
    if level not in (CouncilLevel.PROVINCE, CouncilLevel.CENTRAL):
        raise _error(
            ErrorCode.INVALID,
            _("This council's results cannot be recognised under the current rules."),
            **key,
        )


def _take(key: str) -> int:
    """Next value of a gap-free counter, under a row lock held until the transaction ends."""
    Sequence.objects.get_or_create(key=key)
    counter = Sequence.objects.select_for_update().get(key=key)
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value


def _product_code(dossier: Dossier, year: int) -> str:
    """`(province code)-(commune code)-(serial kept by the commune, 3 digits)-(year)`, the code
    printed on every criteria sheet (QĐ 26/2026 Phụ lục II)."""
    serial = _take(f"ocop_product_code:{dossier.commune.code}")
    return f"{dossier.province.code}-{dossier.commune.code}-{serial:03d}-{year}"


def _issuer(decision: RecognitionDecision) -> str:
    if decision.level == DecisionLevel.MINISTRY:
        return MINISTRY_ISSUER
    return f"ỦY BAN NHÂN DÂN {decision.province.full_name or decision.province.name}".upper()


def _store_pdf(pdf: bytes, product_code: str) -> tuple[str, str]:
    sha256 = hashlib.sha256(pdf).hexdigest()
    checked = CheckedUpload(
        content_type="application/pdf",
        extension="pdf",
        size=len(pdf),
        sha256=sha256,
        original_name=f"{product_code}.pdf",
    )
    return stored_file_save(checked=checked, file=ContentFile(pdf), prefix=PDF_PREFIX), sha256


def recognition_decide(
    *,
    result_ids: list[int],
    decision_number: str,
    decision_date: date,
    signer_name: str,
    signer_title: str,
    actor: User,
) -> RecognitionDecision:
    """Record one recognition decision for one or more council results, and issue a certificate
    for each: a unique product code from the commune's locked counter, validity 36 months from
    the decision date, the PDF (QR to the public product page) stored with its SHA-256. Each
    dossier moves to "recognised" and its product becomes active.

    The provincial leader recognises 3★/4★ of their province (on the provincial result, or on the
    central result of a 5★ attempt that scored below 90); the ministry recognises 5★ on the
    central result. All or nothing: any refused result refuses the decision, and PDFs already
    stored are deleted again."""
    if actor.role not in (Role.PROVINCE_LEADER, Role.MINISTRY_OFFICER):
        raise _error(
            ErrorCode.PERMISSION_DENIED,
            _("Only the provincial leader or the ministry records recognition decisions."),
        )
    decision_number = _required(decision_number, "decision_number")
    signer_name = _required(signer_name, "signer_name")
    signer_title = _required(signer_title, "signer_title")
    _not_in_future(decision_date, "decision_date")
    ids = list(dict.fromkeys(int(i) for i in result_ids or []))
    if not ids:
        raise _error(ErrorCode.INVALID, _("Choose at least one council result."), key="result_ids")
    stored: list[str] = []
    try:
        with transaction.atomic():
            return _decide(
                ids, decision_number, decision_date, signer_name, signer_title, actor, stored
            )
    except BaseException:
        for name in stored:
            try:
                stored_file_delete(storage_name=name)
            except Exception:  # noqa: BLE001 — the original error matters more; a sweep finds orphans
                log.exception("could not delete %s after a refused decision", name)
        raise


def _decide(
    ids, decision_number, decision_date, signer_name, signer_title, actor, stored
) -> RecognitionDecision:
    results = {r.pk: r for r in _results_in_scope(actor).filter(pk__in=ids)}
    missing = [i for i in ids if i not in results]
    if missing:
        raise _not_found("result_ids", missing=missing)
    ministry = actor.role == Role.MINISTRY_OFFICER
    provinces = {r.assignment.dossier.province_id for r in results.values()}
    if not ministry and len(provinces) != 1:
        raise _error(
            ErrorCode.INVALID,
            _("A provincial decision covers products of one province only."),
            key="result_ids",
        )
    province = None if ministry else next(iter(results.values())).assignment.dossier.province
    level = DecisionLevel.MINISTRY if ministry else DecisionLevel.PROVINCE

    # Lock order, to stay free of deadlocks between concurrent decisions: the issuer's
    # certificate counter first (it serialises the issuer's decisions, so the checks below hold
    # until commit), then the communes' product-code counters in code order, then each dossier
    # (in dossier_transition).
    issuer_key = (
        f"ocop_certificate:{'ministry' if ministry else province.code}:{decision_date.year}"
    )
    Sequence.objects.get_or_create(key=issuer_key)
    issuer_counter = Sequence.objects.select_for_update().get(key=issuer_key)

    for result in results.values():
        _check_recognisable(result, actor)
    if RecognitionDecision.objects.filter(
        number=decision_number, level=level, province=province
    ).exists():
        raise _error(
            ErrorCode.INVALID,
            _("A decision with this number already exists."),
            key="decision_number",
        )

    decision = RecognitionDecision(
        number=decision_number,
        date=decision_date,
        level=level,
        province=province,
        signer_name=signer_name,
        signer_title=signer_title,
        created_by=actor,
    )
    _full_clean(decision, keys={"number": "decision_number", "date": "decision_date"})
    decision.save()
    suffix = "GCN-BNNMT" if ministry else "GCN-UBND"
    ordered = sorted(results.values(), key=lambda r: (r.assignment.dossier.commune.code, r.pk))
    for result in ordered:
        dossier = result.assignment.dossier
        product = dossier.product
        code = _product_code(dossier, result.assignment.council.round.year)
        issuer_counter.value += 1
        number = f"{issuer_counter.value}/{suffix}"
        valid_until = certificate_valid_until(decision_date)
        is_demo = bool(dossier.is_demo or product.producer.is_demo)
        pdf = documents.certificate_pdf(
            documents.CertificateData(
                certificate_number=number,
                decision_number=decision_number,
                decision_date=decision_date,
                issuer=_issuer(decision),
                signer_title=signer_title,
                signer_name=signer_name,
                product_name=product.name,
                product_code=code,
                producer_name=product.producer.name,
                producer_address=product.producer.address,
                stars=result.star,
                criteria_set_code=result.assignment.council.criteria_set.code,
                valid_from=decision_date,
                valid_until=valid_until,
                public_url=public_url(code),
                is_demo=is_demo,
            )
        )
        storage_name, sha256 = _store_pdf(pdf, code)
        stored.append(storage_name)
        certificate = Certificate(
            product=product,
            dossier=dossier,
            result=result,
            decision=decision,
            number=number,
            product_code=code,
            stars=result.star,
            criteria_set_code=result.assignment.council.criteria_set.code,
            regime_code=result.assignment.council.regime_code,
            valid_from=decision_date,
            valid_until=valid_until,
            pdf_storage_name=storage_name,
            sha256=sha256,
            is_demo=is_demo,
        )
        _full_clean(certificate, exclude=["product_code"])  # uniqueness: the DB constraint decides
        certificate.save()
        dossier_transition(
            dossier_id=dossier.pk,
            action=Action.RECOGNISE,
            actor=actor,
            internal=True,
            note=_("Recognised %(stars)s★ by decision %(number)s, product code %(code)s.")
            % {"stars": result.star, "number": decision_number, "code": code},
        )
        _notify_after_commit(
            dossier.pk,
            _("OCOP product recognised"),
            _(
                "%(product)s is recognised as a %(stars)s-star OCOP product by decision "
                "%(number)s of %(date)s; "
                "product code %(code)s, certificate valid until %(until)s."
            )
            % {
                "product": product.name,
                "stars": result.star,
                "number": decision_number,
                "date": f"{decision_date:%d/%m/%Y}",
                "code": code,
                "until": f"{valid_until:%d/%m/%Y}",
            },
        )
        if product.status != ProductStatus.ACTIVE:
            product.status = ProductStatus.ACTIVE
            product.save(update_fields=["status", "updated_at"])
    issuer_counter.save(update_fields=["value"])
    return decision


@transaction.atomic
def ministry_propose(*, result_id: int, actor: User) -> MinistryProposal:
    """The provincial leader proposes a provincial result of 90 points or more that stands (not
    rejected; `propose_to_ministry`) to the ministry for 5★, whatever its star (Đ7.3.e: "các
    sản phẩm có tiềm năng đạt 5 sao (đạt từ 90 trở lên)"): one proposal per result, and the
    dossier moves to "proposed to the ministry"."""
    result = _result_get(actor, result_id)
    if actor.role != Role.PROVINCE_LEADER:
        raise _error(
            ErrorCode.PERMISSION_DENIED,
            _("Only the provincial leader proposes products to the ministry."),
        )
    if _level(result) != CouncilLevel.PROVINCE or not result.propose_to_ministry:
        raise _error(
            ErrorCode.INVALID,
            _(
                "Only a provincial result of 90 points or more, not rejected, is proposed to the "
                "ministry."
            ),
            key="result_id",
        )
    if (
        hasattr(result, "ministry_proposal")
        or hasattr(result, "certificate")
        or not _is_latest(result)
    ):
        raise _error(
            ErrorCode.BAD_TRANSITION, _("This result has already been decided."), key="result_id"
        )
    proposal = MinistryProposal.objects.create(
        dossier=result.assignment.dossier, result=result, proposed_by=actor
    )
    note = _("Mean %(total)s: proposed to the ministry for 5 stars.") % {"total": result.total}
    dossier_transition(
        dossier_id=result.assignment.dossier_id,
        action=Action.PROPOSE_CENTRAL,
        actor=actor,
        internal=True,
        note=note,
    )
    _notify_after_commit(
        result.assignment.dossier_id,
        _("OCOP evaluation result"),
        _("%(product)s: %(note)s")
        % {"product": result.assignment.dossier.product.name, "note": note},
    )
    return proposal


@transaction.atomic
def result_close_unrecognised(*, result_id: int, actor: User, note: str = "") -> Dossier:
    """Close the dossier of a 1★/2★ or rejected result without a decision or certificate
    (QĐ 26/2026 Đ4): the dossier moves to "not recognised", and the council's feedback (or the
    note) goes to the producer with the notification."""
    result = _result_get(actor, result_id)
    if actor.role not in (Role.PROVINCE_LEADER, Role.PROVINCE_OFFICER):
        raise _error(
            ErrorCode.PERMISSION_DENIED,
            _("Only the provincial OCOP office or leader closes a dossier without recognition."),
        )
    if result.star is not None and result.star >= 3 and not result.rejected:
        raise _error(
            ErrorCode.INVALID,
            _(
                "A result of 3 stars or more is recognised (or proposed to the ministry), "
                "not closed."
            ),
            key="result_id",
        )
    if hasattr(result, "certificate") or not _is_latest(result):
        raise _error(
            ErrorCode.BAD_TRANSITION, _("This result has already been decided."), key="result_id"
        )
    note = (note or "").strip() or result.feedback
    dossier = dossier_transition(
        dossier_id=result.assignment.dossier_id,
        action=Action.CLOSE_UNRECOGNISED,
        actor=actor,
        internal=True,
        note=note,
    )
    ranking = (
        _("rejected")
        if result.rejected or result.star is None
        else _("%(star)s stars") % {"star": result.star}
    )
    message = _(
        "%(product)s was not recognised as an OCOP product: mean %(total)s, %(ranking)s."
    ) % {"product": dossier.product.name, "total": result.total, "ranking": ranking}
    if note:
        message += " " + _("The council's feedback: %(feedback)s") % {"feedback": note}
    _notify_after_commit(dossier.pk, _("OCOP evaluation result"), message)
    return dossier


# --- after recognition ------------------------------------------------------------------------
def _check_authority(cert: Certificate, actor: User) -> None:
    if actor.role != _authority_role(cert.stars):
        raise _error(
            ErrorCode.PERMISSION_DENIED,
            _(
                "5-star certificates are decided by the ministry; 3- and 4-star certificates "
                "by the provincial leader."
            ),
        )


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
        concluded_on = inspection.inspected_on
        ground = ground or RevocationGround.CRITERIA_NOT_MET
        concluded_by_body = (concluded_by_body or "").strip() or _inspecting_body(inspection)
        evidence = (evidence or "").strip() or inspection.findings
    _check_ground(ground)
    if concluded_on is None:
        raise _error(ErrorCode.INVALID, _("This field is required."), key="concluded_on")
    _not_in_future(concluded_on, "concluded_on")
    if concluded_on < cert.valid_from:
        raise _error(
            ErrorCode.INVALID,
            _("The conclusion cannot predate the certificate."),
            key="concluded_on",
        )
    if body_required:
        concluded_by_body = _required(concluded_by_body, "concluded_by_body")
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


@transaction.atomic
def certificate_extend(
    *, certificate_id: int, until: date, actor: User, note: str = ""
) -> Certificate:
    """Extend an active certificate after its expiry, to at most 180 days after it (the
    transition of QĐ 26/2026 Đ12.3), by the competent authority. Only a certificate in force on
    the day QĐ 26/2026 took effect qualifies (`transitional_extension_applies`). An extension
    may be moved later, never past the limit."""
    cert = _certificate_get(actor, certificate_id, lock=True)
    _check_authority(cert, actor)
    if cert.status == CertificateStatus.REVOKED:
        raise _error(
            ErrorCode.BAD_TRANSITION,
            _("A revoked certificate cannot be extended."),
            key="certificate_id",
        )
    if not transitional_extension_applies(cert):
        effective = settings.OCOP_QD26_EFFECTIVE_ON
        raise _error(
            ErrorCode.BAD_TRANSITION,
            _(
                "The transitional extension (Article 12.3) applies only to certificates in force "
                "on %(day)s, the day Decision 26/2026/QĐ-TTg took effect."
            )
            % {"day": f"{effective:%d/%m/%Y}"},
            key="certificate_id",
            effective_on=effective.isoformat(),
        )
    limit = cert.valid_until + timedelta(days=settings.OCOP_TRANSITION_EXTENSION_DAYS)
    if not cert.valid_until < until <= limit:
        raise _error(
            ErrorCode.INVALID,
            _(
                "The extension must end after the expiry (%(expiry)s) and at most %(days)s "
                "days after it "
                "(%(limit)s)."
            )
            % {
                "expiry": f"{cert.valid_until:%d/%m/%Y}",
                "days": settings.OCOP_TRANSITION_EXTENSION_DAYS,
                "limit": f"{limit:%d/%m/%Y}",
            },
            key="until",
            limit=limit.isoformat(),
        )
    cert.extended_until = until
    cert.extension_note = (note or "").strip()
    cert.save(update_fields=["extended_until", "extension_note"])
    return cert


INSPECTOR_ROLES = frozenset({Role.PROVINCE_OFFICER, Role.PROVINCE_LEADER, Role.MINISTRY_OFFICER})


@transaction.atomic
def inspection_record(
    *,
    certificate_id: int,
    inspected_on: date,
    kind: str,
    scope: str,
    outcome: str,
    location: Point,
    findings: str,
    actor: User,
    follow_up: str = "",
) -> Inspection:
    """Record a post-recognition inspection (Đ9) of a certificate in the actor's jurisdiction:
    periodic or ad hoc (Đ9.2.a), of the criteria and/or of the use of the OCOP mark (Đ9.3), with
    its outcome. By the provincial OCOP office or leader for the products of their province,
    whatever the stars (Đ9.4.a), or by the ministry, for 5★ and, when needed, 3★/4★ (Đ9.4.b).
    The date lies between the certificate's issue and today; the location is a WGS 84 point."""
    cert = _certificate_get(actor, certificate_id)
    if actor.role not in INSPECTOR_ROLES:
        raise _error(
            ErrorCode.PERMISSION_DENIED,
            _("Only the provincial OCOP office or leader, or the ministry, records inspections."),
        )
    for key, value, choices in (
        ("kind", kind, InspectionKind),
        ("scope", scope, InspectionScope),
        ("outcome", outcome, InspectionOutcome),
    ):
        if value not in choices.values:
            raise _error(
                ErrorCode.INVALID,
                _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)},
                key=key,
                choices=list(choices.values),
            )
    findings = _required(findings, "findings")
    _not_in_future(inspected_on, "inspected_on")
    if inspected_on < cert.valid_from:
        raise _error(
            ErrorCode.INVALID,
            _("The inspection cannot predate the certificate."),
            key="inspected_on",
        )
    if not isinstance(location, Point) or (location.srid or 4326) != 4326:
        raise _error(ErrorCode.INVALID, _("Send the location as a WGS 84 point."), key="location")
    location.srid = 4326
    inspection = Inspection(
        certificate=cert,
        inspected_on=inspected_on,
        kind=kind,
        scope=scope,
        outcome=outcome,
        location=location,
        findings=findings,
        follow_up=(follow_up or "").strip(),
        inspector=actor,
    )
    _full_clean(inspection)
    inspection.save()
    return inspection


# --- reminders ----------------------------------------------------------------------------------
def _recipients(dossier: Dossier) -> list[User]:
    """The producer's accounts and the commune officers of the dossier's commune."""
    return list(
        User.objects.filter(is_active=True)
        .filter(
            Q(producers=dossier.product.producer_id)
            | Q(role=Role.COMMUNE_OFFICER, units=dossier.commune_id)
        )
        .distinct()
    )


def _notify_dossier(dossier_id: int, subject: str, message: str) -> int:
    """In-app notification (on the dossier) and one email to the producer's accounts and the
    commune officers. Returns how many were notified. Raises if the email cannot be sent."""
    dossier = Dossier.objects.select_related("product").get(pk=dossier_id)
    people = _recipients(dossier)
    Notification.objects.bulk_create(
        Notification(recipient=u, dossier=dossier, message=message) for u in people
    )
    emails = sorted({u.email for u in people if u.email})
    if emails:
        send_mail(subject, message, settings.DEFAULT_FROM_EMAIL, emails)
    return len(people)


def _notify_after_commit(dossier_id: int, subject: str, message: str) -> None:
    """Notify once the transaction commits; a mail failure is logged, the decision stands."""

    def send():
        try:
            _notify_dossier(dossier_id, subject, message)
        except Exception:  # noqa: BLE001 — the decision is committed; report and go on
            log.exception("could not notify dossier %s", dossier_id)

    transaction.on_commit(send)


def _reminder_due(cert: Certificate, today: date) -> str | None:
    """The reminder a certificate is due on `today`, if any. A run that missed days still sends
    a reminder while its period lasts (the window's opening until it closes; expiry anytime)."""
    opens = cert.valid_until - timedelta(days=settings.OCOP_REEVALUATION_WINDOW_OPENS_DAYS)
    closes = cert.valid_until - timedelta(days=settings.OCOP_REEVALUATION_WINDOW_CLOSES_DAYS)
    if closes - timedelta(days=30) <= today <= closes:
        return ReminderKind.WINDOW_CLOSING
    if opens <= today <= closes:
        return ReminderKind.WINDOW_OPEN
    if certificate_status(cert, today) == PublicStatus.EXPIRED:
        return ReminderKind.EXPIRED
    return None


def _reminder_text(cert: Certificate, kind: str) -> tuple[str, str]:
    closes = cert.valid_until - timedelta(days=settings.OCOP_REEVALUATION_WINDOW_CLOSES_DAYS)
    values = {
        "product": cert.product.name,
        "code": cert.product_code,
        "until": f"{cert.valid_until:%d/%m/%Y}",
        "closes": f"{closes:%d/%m/%Y}",
    }
    if kind == ReminderKind.WINDOW_OPEN:
        return (
            _("OCOP re-evaluation: the filing window is open"),
            _(
                "The OCOP certificate of %(product)s (code %(code)s) expires on %(until)s. "
                "File the "
                "re-evaluation dossier with the commune by %(closes)s."
            )
            % values,
        )
    if kind == ReminderKind.WINDOW_CLOSING:
        return (
            _("OCOP re-evaluation: the filing window closes in 30 days"),
            _(
                "The re-evaluation dossier of %(product)s (code %(code)s) must be filed by "
                "%(closes)s; the "
                "certificate expires on %(until)s."
            )
            % values,
        )
    return (
        _("OCOP certificate expired"),
        _(
            "The OCOP certificate of %(product)s (code %(code)s) expired on %(until)s. "
            "The product may no "
            "longer use the OCOP mark until it is recognised again."
        )
        % values,
    )


def daily_run(*, today: date) -> dict[str, int]:
    """Send the reminders due on `today`: the re-evaluation window opens (180 days before
    expiry), it closes in 30 days, the certificate expired. Each certificate gets each kind of
    reminder once (`ReminderSent` is unique per certificate and kind, and is written in the same
    transaction as the email is sent), so reruns and overlapping runs send nothing twice.
    Revoked certificates and certificates replaced by a newer one of the product get none.
    Nothing else is written: statuses are computed. Returns counts per kind."""
    summary = {kind.value: 0 for kind in ReminderKind} | {"failed": 0}
    horizon = today + timedelta(days=settings.OCOP_REEVALUATION_WINDOW_OPENS_DAYS)
    newer = Certificate.objects.filter(
        product=OuterRef("product"),
        valid_from__gt=OuterRef("valid_from"),
        status=CertificateStatus.ACTIVE,
    )
    candidates = (
        Certificate.objects.filter(status=CertificateStatus.ACTIVE, valid_until__lte=horizon)
        .exclude(Exists(newer))
        .with_public_status(today)
        .select_related("product", "dossier")
        .order_by("pk")
    )
    with translation.override(settings.LANGUAGE_CODE):
        for cert in candidates:
            kind = _reminder_due(cert, today)
            if kind is None or ReminderSent.objects.filter(certificate=cert, kind=kind).exists():
                continue
            subject, message = _reminder_text(cert, kind)
            try:
                with transaction.atomic():
                    reminder = ReminderSent.objects.create(
                        certificate=cert, kind=kind, sent_on=today
                    )
                    reminder.recipients = _notify_dossier(cert.dossier_id, subject, message)
                    reminder.save(update_fields=["recipients"])
            except IntegrityError:  # another run recorded it first
                continue
            except Exception:  # noqa: BLE001 — one failed email must not stop the others; retried tomorrow
                log.exception("could not send the %s reminder of certificate %s", kind, cert.pk)
                summary["failed"] += 1
                continue
            summary[kind] += 1
    return summary
