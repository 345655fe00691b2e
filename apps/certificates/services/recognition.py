"""Recognition (QĐ 26/2026 Đ4, Đ7.3–7.4): the decision and the certificates it issues, the
proposal of a 90-point provincial result to the ministry, and closing a dossier without
recognition."""

import hashlib
import logging
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.core.exceptions import ErrorCode
from apps.core.files import CheckedUpload, stored_file_delete, stored_file_save
from apps.core.sequences import sequence_lock, sequence_next
from apps.dossiers.choices import Action
from apps.dossiers.models import Dossier
from apps.dossiers.services import dossier_transition
from apps.evaluation.choices import CouncilLevel
from apps.evaluation.models import CouncilResult
from apps.products.choices import ProductStatus

from .. import documents
from ..choices import DecisionLevel
from ..models import Certificate, MinistryProposal, RecognitionDecision
from .notifications import _notify_after_commit
from .shared import (
    _error,
    _full_clean,
    _is_latest,
    _level,
    _not_found,
    _not_in_future,
    _required,
    _result_get,
    _results_in_scope,
    certificate_valid_until,
    public_url,
)

log = logging.getLogger(__name__)

MINISTRY_ISSUER = "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"
PDF_PREFIX = "certificates"


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


def _product_code(dossier: Dossier, year: int) -> str:
    """`(province code)-(commune code)-(serial kept by the commune, 3 digits)-(year)`, the code
    printed on every criteria sheet (QĐ 26/2026 Phụ lục II)."""
    serial = sequence_next(f"ocop_product_code:{dossier.commune.code}")
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
    """The decision, inside `recognition_decide`'s transaction: the results, the issuer's
    counter locked, the checks, the decision row, then one certificate per result."""
    results = _results_for_decision(actor, ids)
    ministry = actor.role == Role.MINISTRY_OFFICER
    province = None if ministry else _decision_province(results)
    level = DecisionLevel.MINISTRY if ministry else DecisionLevel.PROVINCE

    # Lock order, to stay free of deadlocks between concurrent decisions: the issuer's
    # certificate counter first (it serialises the issuer's decisions, so the checks below hold
    # until commit), then the communes' product-code counters in code order, then each dossier
    # (in dossier_transition).
    issuer_key = (
        f"ocop_certificate:{'ministry' if ministry else province.code}:{decision_date.year}"
    )
    issuer_counter = sequence_lock(issuer_key)

    for result in results.values():
        _check_recognisable(result, actor)
    _check_number_free(decision_number, level, province)

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
    for result in ordered:  # each locks its commune's counter, then its dossier
        issuer_counter.value += 1
        _certificate_issue(
            decision, result, number=f"{issuer_counter.value}/{suffix}", actor=actor, stored=stored
        )
    issuer_counter.save(update_fields=["value"])
    return decision


def _results_for_decision(actor: User, ids: list[int]) -> dict[int, CouncilResult]:
    """The results to decide on, by id; a 404 naming those outside the actor's scope."""
    results = {r.pk: r for r in _results_in_scope(actor).filter(pk__in=ids)}
    missing = [i for i in ids if i not in results]
    if missing:
        raise _not_found("result_ids", missing=missing)
    return results


def _decision_province(results: dict[int, CouncilResult]):
    """The province of a provincial decision: the one province of all its results."""
    provinces = {r.assignment.dossier.province_id for r in results.values()}
    if len(provinces) != 1:
        raise _error(
            ErrorCode.INVALID,
            _("A provincial decision covers products of one province only."),
            key="result_ids",
        )
    return next(iter(results.values())).assignment.dossier.province


def _check_number_free(decision_number: str, level: str, province) -> None:
    """A decision number is used once per issuer."""
    if RecognitionDecision.objects.filter(
        number=decision_number, level=level, province=province
    ).exists():
        raise _error(
            ErrorCode.INVALID,
            _("A decision with this number already exists."),
            key="decision_number",
        )


def _certificate_issue(
    decision: RecognitionDecision,
    result: CouncilResult,
    *,
    number: str,
    actor: User,
    stored: list[str],
) -> Certificate:
    """Issue the certificate `number` of `decision` for `result`: the product code (locking the
    commune's counter), the PDF (its storage name added to `stored`), the certificate row; then
    the dossier moves to "recognised", the producer is told, and the product becomes active."""
    dossier = result.assignment.dossier
    product = dossier.product
    code = _product_code(dossier, result.assignment.council.round.year)
    valid_until = certificate_valid_until(decision.date)
    is_demo = bool(dossier.is_demo or product.producer.is_demo)
    pdf = documents.certificate_pdf(
        _certificate_data(
            decision, result, number=number, code=code, valid_until=valid_until, is_demo=is_demo
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
        valid_from=decision.date,
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
        % {"stars": result.star, "number": decision.number, "code": code},
    )
    _notify_recognised(certificate)
    if product.status != ProductStatus.ACTIVE:
        product.status = ProductStatus.ACTIVE
        product.save(update_fields=["status", "updated_at"])
    return certificate


def _certificate_data(
    decision: RecognitionDecision,
    result: CouncilResult,
    *,
    number: str,
    code: str,
    valid_until: date,
    is_demo: bool,
) -> documents.CertificateData:
    """What the certificate's PDF prints."""
    product = result.assignment.dossier.product
    return documents.CertificateData(
        certificate_number=number,
        decision_number=decision.number,
        decision_date=decision.date,
        issuer=_issuer(decision),
        signer_title=decision.signer_title,
        signer_name=decision.signer_name,
        product_name=product.name,
        product_code=code,
        producer_name=product.producer.name,
        producer_address=product.producer.address,
        stars=result.star,
        criteria_set_code=result.assignment.council.criteria_set.code,
        valid_from=decision.date,
        valid_until=valid_until,
        public_url=public_url(code),
        is_demo=is_demo,
    )


def _notify_recognised(certificate: Certificate) -> None:
    """Tell the producer and the commune, once the decision commits."""
    decision = certificate.decision
    _notify_after_commit(
        certificate.dossier.pk,
        _("OCOP product recognised"),
        _(
            "%(product)s is recognised as a %(stars)s-star OCOP product by decision "
            "%(number)s of %(date)s; "
            "product code %(code)s, certificate valid until %(until)s."
        )
        % {
            "product": certificate.product.name,
            "stars": certificate.stars,
            "number": decision.number,
            "date": f"{decision.date:%d/%m/%Y}",
            "code": certificate.product_code,
            "until": f"{certificate.valid_until:%d/%m/%Y}",
        },
    )


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
