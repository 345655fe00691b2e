"""Creating and editing dossiers: the producer's forms and self-assessment, the commune's
assessment, samples, and what a re-evaluation renews."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.core.exceptions import ApplicationError, ErrorCode
from apps.criteria import engine
from apps.criteria.models import Sheet
from apps.criteria.services import sheet_evaluate, sheet_evaluate_applicable

from ..choices import CLOSED, COMMUNE_CLOCK, Action, DossierKind, DossierStatus
from ..forms_schema import FORM01_FIELDS, FORM02_FIELDS, form_errors
from ..models import (
    CommuneAssessment,
    Dossier,
    EvidenceFile,
    SelfAssessment,
)
from ._common import _event, _require_editable_by_producer, _scoped, current_criteria_set

TOURISM_SHEET = 26  # Dịch vụ du lịch cộng đồng…: no product samples (QĐ 26/2026 Đ6.2)

S = DossierStatus


# --- creating and editing --------------------------------------------------------------------
@transaction.atomic
def dossier_create(*, product, kind: str, actor: User) -> Dossier:
    """Open a draft dossier for `product` under the criteria set in force today. A product has
    at most one dossier in progress (anything not yet recognised or closed).

    An upgrade or re-evaluation starts from a copy of the product's last recognised dossier
    (forms, self-assessment and evidence files), so nothing is typed twice. A re-evaluation
    renews the product's current certificate (its latest active one, whose dossier is the copy's
    source) and is refused without one; it may be prepared early but is filed only within the
    window (`_check_filing_window`).
    """
    if actor.role != Role.PRODUCER or not product.producer.users.filter(pk=actor.pk).exists():
        raise ApplicationError(
            ErrorCode.NOT_FOUND, _("This product does not exist or is not yours.")
        )
    if kind not in DossierKind.values:
        raise ApplicationError(ErrorCode.INVALID, _("Unknown dossier kind."), extra={"key": "kind"})
    if product.dossiers.exclude(status__in=CLOSED).exists():
        raise ApplicationError(
            ErrorCode.BAD_TRANSITION,
            _("This product already has a dossier in progress."),
            extra={"key": "product"},
        )
    criteria_set = current_criteria_set()
    sheet = Sheet.objects.filter(criteria_set=criteria_set, number=product.criteria_sheet).first()
    if sheet is None:
        raise ApplicationError(
            ErrorCode.INVALID, _("The product's criteria sheet is not in the current set.")
        )
    source = renews = None
    if kind == DossierKind.FIRST:
        _check_first_evaluation(product)
    if kind == DossierKind.REEVALUATION:
        renews = _current_certificate(product)
        source = renews.dossier
    elif kind != DossierKind.FIRST:
        source = product.dossiers.filter(status=S.RECOGNISED).order_by("-updated_at").first()
        if source is None:
            raise ApplicationError(
                ErrorCode.INVALID,
                _(
                    "An upgrade or re-evaluation needs an earlier recognised dossier of this "
                    "product."
                ),
                extra={"key": "kind"},
            )
    producer = product.producer
    dossier = Dossier(
        product=product,
        kind=kind,
        sheet=sheet,
        regime_code=criteria_set.regime_code,
        commune=producer.commune,
        province=producer.province,
        created_by=actor,
        samples_required=0 if sheet.number == TOURISM_SHEET else 5,
        is_demo=getattr(product, "is_demo", False),
        form01=dict(source.form01)
        if source
        else {"product_name": product.name, "unit_name": producer.name},
        form02=dict(source.form02) if source else {},
        copied_from=source,
        renews=renews,
    )
    dossier.full_clean(
        exclude=["sheet", "product", "commune", "province", "created_by", "copied_from", "renews"]
    )
    dossier.save()
    if source is not None:
        _copy_content(source, dossier, actor)
    _event(dossier, actor, "create", note=str(DossierKind(kind).label))
    return dossier


# A product's certificates not revoked, latest first, are a fact of apps.certificates, which
# sits above this app: it provides its selector at start-up (CertificatesConfig.ready), so this
# app never imports it. The first one is the certificate a re-evaluation renews (Đ7.6).
_active_certificates: Callable[[Any], QuerySet] | None = None


def provide_active_certificates(selector: Callable[[Any], QuerySet]) -> None:
    global _active_certificates
    _active_certificates = selector


# Whether a product stands recognised today (a valid certificate, in its re-evaluation window or
# extended) is also apps.certificates' fact, provided the same way: such a product is upgraded or
# re-evaluated, never evaluated for the first time again.
_standing_certificate: Callable[[Any, Any], Any] | None = None


def provide_standing_certificate(selector: Callable[[Any, Any], Any]) -> None:
    global _standing_certificate
    _standing_certificate = selector


def _check_first_evaluation(product) -> None:
    certificate = (
        _standing_certificate(product, timezone.localdate()) if _standing_certificate else None
    )
    if certificate is not None:
        raise ApplicationError(
            ErrorCode.INVALID,
            _(
                "This product holds OCOP certificate %(code)s (%(stars)s stars), valid until "
                "%(until)s: it is not evaluated for the first time again. Open an upgrade, or a "
                "re-evaluation before the certificate expires."
            )
            % {
                "code": certificate.product_code,
                "stars": certificate.stars,
                "until": f"{certificate.valid_until:%d/%m/%Y}",
            },
            extra={"key": "kind"},
        )


def _certificates_in_force(product) -> QuerySet:
    if _active_certificates is None:
        raise ImproperlyConfigured("apps.certificates is not installed: no re-evaluations.")
    return _active_certificates(product)


def _current_certificate(product):
    """The certificate a re-evaluation renews: the product's latest active one (Đ7.6)."""
    found = _certificates_in_force(product).first()
    if found is None:
        raise ApplicationError(
            ErrorCode.INVALID,
            _(
                "A re-evaluation renews the product's OCOP certificate, and this product has no "
                "active certificate. File a first evaluation instead."
            ),
            extra={"key": "kind"},
        )
    return found


def _check_filing_window(dossier: Dossier) -> None:
    """A re-evaluation is filed with the commune no earlier than 180 and no later than 120 days
    before its certificate expires, both days included (Đ7.6.a); later filings are refused (the
    certificate may still be extended, Đ12.3). Only the first filing counts: a dossier returned
    for changes is resubmitted at any time."""
    if dossier.kind != DossierKind.REEVALUATION or dossier.status != S.DRAFT:
        return
    cert = dossier.renews
    if cert is None or not _certificates_in_force(dossier.product).filter(pk=cert.pk).exists():
        raise ApplicationError(
            ErrorCode.BAD_TRANSITION,
            _(
                "This re-evaluation names no active certificate to renew: the certificate was "
                "revoked or is missing."
            ),
            extra={"key": "renews"},
        )
    opens, closes = dossier.filing_window
    today = timezone.localdate()
    if opens <= today <= closes:
        return
    values = {
        "opens": f"{opens:%d/%m/%Y}",
        "closes": f"{closes:%d/%m/%Y}",
        "until": f"{cert.valid_until:%d/%m/%Y}",
        "number": cert.number,
    }
    if today < opens:
        message = (
            _(
                "Too early: a re-evaluation is filed from %(opens)s to %(closes)s, 180 to 120 "
                "days before "
                "certificate %(number)s expires on %(until)s."
            )
            % values
        )
    else:
        message = (
            _(
                "The filing window of this re-evaluation closed on %(closes)s (it ran from "
                "%(opens)s, 180 to "
                "120 days before certificate %(number)s expires on %(until)s)."
            )
            % values
        )
    raise ApplicationError(
        ErrorCode.BAD_TRANSITION,
        message,
        extra={
            "key": "window",
            "window_opens": opens.isoformat(),
            "window_closes": closes.isoformat(),
            "valid_until": cert.valid_until.isoformat(),
        },
    )


def _start_decision_clock(dossier: Dossier, action: str, to_status: str) -> list[str]:
    """Đ7.6.g: a re-evaluation is decided within 45 days (OCOP_REEVALUATION_DAYS, calendar days)
    of the complete dossier reaching the province from the commune (or again from the producer
    after the province returned it), or the ministry from the province (5★)."""
    if dossier.kind != DossierKind.REEVALUATION or to_status not in (
        S.FORWARDED,
        S.PROPOSED_CENTRAL,
    ):
        return []
    received = (
        timezone.localdate(dossier.forwarded_at)
        if action == Action.COMMUNE_FORWARD
        else timezone.localdate()
    )
    dossier.decision_deadline = received + timedelta(days=settings.OCOP_REEVALUATION_DAYS)
    return ["decision_deadline"]


def _copy_content(source: Dossier, target: Dossier, actor: User) -> None:
    valid_codes = set(target.sheet.criteria.values_list("code", flat=True))
    SelfAssessment.objects.bulk_create(
        SelfAssessment(
            dossier=target,
            criterion_code=a.criterion_code,
            option_number=a.option_number,
            explanation=a.explanation,
        )
        for a in source.self_assessment.all()
        if a.criterion_code in valid_codes
    )
    # Stored files are immutable, so the copy points at the same objects.
    EvidenceFile.objects.bulk_create(
        EvidenceFile(
            dossier=target,
            annex_type=f.annex_type,
            criterion_code=f.criterion_code,
            title=f.title,
            original_name=f.original_name,
            storage_name=f.storage_name,
            content_type=f.content_type,
            size=f.size,
            sha256=f.sha256,
            version=f.version,
            uploaded_by=f.uploaded_by,
        )
        for f in source.files.filter(replaced_by__isnull=True)
    )
    _refresh_self_score(target)


@transaction.atomic
def dossier_forms_update(
    *, dossier_id: int, actor: User, form01: dict | None = None, form02: dict | None = None
) -> Dossier:
    """Save (partial) Mẫu 01 / Mẫu 02 fields. Unknown keys and non-text values are refused;
    completeness is checked only at submission, so a draft can be saved half-filled."""
    dossier = _scoped(actor, dossier_id, lock=True)
    _require_editable_by_producer(dossier, actor)
    errors = {}
    for name, fields, data in (
        ("form01", FORM01_FIELDS, form01),
        ("form02", FORM02_FIELDS, form02),
    ):
        if data is None:
            continue
        if not isinstance(data, dict):
            errors[name] = _("Must be an object.")
            continue
        errors.update(
            {f"{name}.{k}": v for k, v in form_errors(fields, data, complete=False).items()}
        )
    if errors:
        key = next(iter(errors))
        raise ApplicationError(ErrorCode.INVALID, errors[key], extra={"key": key, "errors": errors})
    if form01 is not None:
        dossier.form01 = {**dossier.form01, **form01}
    if form02 is not None:
        dossier.form02 = {**dossier.form02, **form02}
    dossier.save(update_fields=["form01", "form02", "updated_at"])
    return dossier


@transaction.atomic
def dossier_self_assess(
    *,
    dossier_id: int,
    actor: User,
    choices: dict[str, int],
    explanations: dict[str, str] | None = None,
) -> engine.RankingResult:
    """Record Mẫu 02 part III choices (merged into those already saved) and recompute the
    self-score with the ranking engine. A bad choice is refused and nothing is saved."""
    dossier = _scoped(actor, dossier_id, lock=True)
    _require_editable_by_producer(dossier, actor)
    if not isinstance(choices, dict) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in choices.values()
    ):
        raise ApplicationError(
            ErrorCode.INVALID,
            _("Choices must map criterion codes to option numbers."),
            extra={"key": "choices"},
        )
    merged = {a.criterion_code: a.option_number for a in dossier.self_assessment.all()}
    merged.update(choices)
    # Choices that stopped applying (5.2 once 5.1 says "no story") are dropped, not refused.
    result, merged = sheet_evaluate_applicable(sheet=dossier.sheet, choices=merged)
    explanations = explanations or {}
    dossier.self_assessment.exclude(criterion_code__in=merged).delete()
    for code, number in merged.items():
        SelfAssessment.objects.update_or_create(
            dossier=dossier,
            criterion_code=code,
            defaults={
                "option_number": number,
                **({"explanation": explanations[code]} if code in explanations else {}),
            },
        )
    _store_score(dossier, result)
    return result


def _refresh_self_score(dossier: Dossier) -> None:
    choices = {a.criterion_code: a.option_number for a in dossier.self_assessment.all()}
    _store_score(
        dossier, sheet_evaluate(sheet=dossier.sheet, scorecards=[engine.Scorecard(choices=choices)])
    )


def _store_score(dossier: Dossier, result: engine.RankingResult) -> None:
    dossier.self_score = result.total
    dossier.self_star = result.star
    dossier.save(update_fields=["self_score", "self_star", "updated_at"])


@transaction.atomic
def commune_assessment_save(*, dossier_id: int, actor: User, **fields) -> CommuneAssessment:
    """Write or rewrite Mẫu 03 while the commune is reviewing the dossier."""
    dossier = _scoped(actor, dossier_id, lock=True)
    if actor.role != Role.COMMUNE_OFFICER:
        raise ApplicationError(ErrorCode.PERMISSION_DENIED, _("Only the commune writes Form 03."))
    if dossier.status != S.COMMUNE_REVIEWING:
        raise ApplicationError(
            ErrorCode.BAD_TRANSITION,
            _("Form 03 is written while the commune reviews the dossier."),
            extra={"status": dossier.status},
        )
    assessment = getattr(dossier, "commune_assessment", None) or CommuneAssessment(
        dossier=dossier, author=actor
    )
    for key, value in fields.items():
        setattr(assessment, key, value)
    assessment.author = actor
    assessment.full_clean(exclude=["dossier", "author"])
    assessment.save()
    _event(dossier, actor, "form03_saved")
    return assessment


@transaction.atomic
def samples_record(*, dossier_id: int, actor: User, received: int, on: date) -> Dossier:
    """The commune records the product samples it received (5, none for tourism)."""
    dossier = _scoped(actor, dossier_id, lock=True)
    if actor.role != Role.COMMUNE_OFFICER:
        raise ApplicationError(ErrorCode.PERMISSION_DENIED, _("Only the commune records samples."))
    if dossier.status not in COMMUNE_CLOCK | {S.COMMUNE_ASSESSED}:
        raise ApplicationError(
            ErrorCode.BAD_TRANSITION, _("Samples are recorded while the commune has the dossier.")
        )
    if not 0 <= received <= 20:
        raise ApplicationError(
            ErrorCode.INVALID,
            _("The number of samples must be between 0 and 20."),
            extra={"key": "received"},
        )
    dossier.samples_received, dossier.samples_received_on = received, on
    dossier.save(update_fields=["samples_received", "samples_received_on", "updated_at"])
    _event(dossier, actor, "samples_recorded", note=str(received))
    return dossier
