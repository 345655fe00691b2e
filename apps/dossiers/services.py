"""Writes of the dossier context. Every status change goes through `dossier_transition`."""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.certificates.choices import CertificateStatus  # choices only: no import cycle
from apps.core.api.errors import ApplicationError, ErrorCode
from apps.criteria import engine
from apps.criteria.models import CriteriaSet, SetStatus, Sheet
from apps.criteria.services import sheet_evaluate, sheet_evaluate_applicable

from .calendar import add_working_days, round_for
from .choices import CLOSED, COMMUNE_CLOCK, EDITABLE, Action, DossierKind, DossierStatus
from .forms_schema import FORM01_FIELDS, FORM02_FIELDS, form_errors
from .models import (
    CommuneAssessment,
    Dossier,
    DossierEvent,
    EvidenceFile,
    Notification,
    ProvinceRules,
    PublicHoliday,
    SelfAssessment,
    Sequence,
)

log = logging.getLogger(__name__)
TOURISM_SHEET = 26  # Dịch vụ du lịch cộng đồng…: no product samples (QĐ 26/2026 Đ6.2)

S = DossierStatus


@dataclass(frozen=True)
class Transition:
    sources: dict[str, str]  # from status -> to status
    roles: frozenset[str]
    note_required: bool = False
    # Internal transitions are made by another context's service (which checks its own rules,
    # e.g. that the actor chairs the council), never through the dossier endpoints or pages.
    internal: bool = False


TRANSITIONS: dict[str, Transition] = {
    Action.SUBMIT: Transition(
        {
            S.DRAFT: S.SUBMITTED,
            S.RETURNED_BY_COMMUNE: S.SUBMITTED,
            S.RETURNED_BY_PROVINCE: S.FORWARDED,
        },
        frozenset({Role.PRODUCER}),
    ),
    Action.COMMUNE_START_REVIEW: Transition(
        {S.SUBMITTED: S.COMMUNE_REVIEWING}, frozenset({Role.COMMUNE_OFFICER})
    ),
    Action.COMMUNE_RETURN: Transition(
        {S.SUBMITTED: S.RETURNED_BY_COMMUNE, S.COMMUNE_REVIEWING: S.RETURNED_BY_COMMUNE},
        frozenset({Role.COMMUNE_OFFICER}),
        note_required=True,
    ),
    Action.COMMUNE_ASSESS: Transition(
        {S.COMMUNE_REVIEWING: S.COMMUNE_ASSESSED}, frozenset({Role.COMMUNE_OFFICER})
    ),
    Action.COMMUNE_FORWARD: Transition(
        {S.COMMUNE_ASSESSED: S.FORWARDED}, frozenset({Role.COMMUNE_OFFICER})
    ),
    Action.PROVINCE_START_CHECK: Transition(
        {S.FORWARDED: S.PROVINCE_CHECKING}, frozenset({Role.PROVINCE_OFFICER})
    ),
    Action.PROVINCE_RETURN: Transition(
        {S.FORWARDED: S.RETURNED_BY_PROVINCE, S.PROVINCE_CHECKING: S.RETURNED_BY_PROVINCE},
        frozenset({Role.PROVINCE_OFFICER}),
        note_required=True,
    ),
    Action.PROVINCE_ACCEPT: Transition(
        {S.PROVINCE_CHECKING: S.ACCEPTED}, frozenset({Role.PROVINCE_OFFICER})
    ),
    # Evaluation stage: called by apps.evaluation.services, never by a dossier endpoint.
    # From "evaluated": the province evaluates again a product the central council did not rank
    # 5★ (Đ7.4.g); apps.evaluation.services checks that this is the case.
    Action.ASSIGN_TO_COUNCIL: Transition(
        {
            S.ACCEPTED: S.UNDER_EVALUATION,
            S.PROPOSED_CENTRAL: S.UNDER_EVALUATION,
            S.EVALUATED: S.UNDER_EVALUATION,
        },
        frozenset({Role.PROVINCE_OFFICER, Role.MINISTRY_OFFICER}),
        internal=True,
    ),
    Action.COUNCIL_CONCLUDE: Transition(
        {S.UNDER_EVALUATION: S.EVALUATED}, frozenset({Role.COUNCIL_MEMBER}), internal=True
    ),
    # Recognition stage: called by apps.certificates.services (which applies the level rules).
    Action.PROPOSE_CENTRAL: Transition(
        {S.EVALUATED: S.PROPOSED_CENTRAL}, frozenset({Role.PROVINCE_LEADER}), internal=True
    ),
    Action.RECOGNISE: Transition(
        {S.EVALUATED: S.RECOGNISED},
        frozenset({Role.PROVINCE_LEADER, Role.MINISTRY_OFFICER}),
        internal=True,
    ),
    Action.CLOSE_UNRECOGNISED: Transition(
        {S.EVALUATED: S.NOT_RECOGNISED},
        frozenset({Role.PROVINCE_LEADER, Role.PROVINCE_OFFICER}),
        internal=True,
    ),
}


# --- helpers ---------------------------------------------------------------------------------
def _scoped(actor: User, dossier_id: int, *, lock: bool = False) -> Dossier:
    """The dossier if `actor` may see it, else a 404 that does not reveal it exists."""
    qs = Dossier.objects.for_user(actor)
    if lock:
        # Lock only the dossier row (for_user's joins would make PostgreSQL lock those too).
        if not qs.filter(pk=dossier_id).exists():
            raise _not_found(dossier_id)
        return (
            Dossier.objects.select_for_update()
            .select_related("sheet", "product")
            .get(pk=dossier_id)
        )
    dossier = qs.select_related("sheet", "product").filter(pk=dossier_id).first()
    if dossier is None:
        raise _not_found(dossier_id)
    return dossier


def _not_found(dossier_id: int) -> ApplicationError:
    return ApplicationError(
        ErrorCode.NOT_FOUND,
        _("Dossier %(id)s does not exist or is outside your jurisdiction.") % {"id": dossier_id},
    )


def _require_editable_by_producer(dossier: Dossier, actor: User) -> None:
    if actor.role != Role.PRODUCER:
        raise ApplicationError(
            ErrorCode.PERMISSION_DENIED, _("Only the producer edits the dossier's content.")
        )
    if dossier.status not in EDITABLE:
        raise ApplicationError(
            ErrorCode.BAD_TRANSITION,
            _(
                "The dossier can be edited only while it is a draft or has been returned (it is now “%(status)s”)."
            )
            % {"status": dossier.get_status_display()},
            extra={"status": dossier.status},
        )


def _event(dossier: Dossier, actor: User, action: str, note: str = "", **fields) -> DossierEvent:
    return DossierEvent.objects.create(
        dossier=dossier, actor=actor, action=action, note=note, **fields
    )


def current_criteria_set(on: date | None = None) -> CriteriaSet:
    on = on or timezone.localdate()
    found = (
        CriteriaSet.objects.filter(status=SetStatus.PUBLISHED, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("-effective_from")
        .first()
    )
    if found is None:
        raise ApplicationError(
            ErrorCode.INVALID, _("No criteria set is in force today. Load the criteria sets.")
        )
    return found


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
    if kind == DossierKind.REEVALUATION:
        renews = _current_certificate(product)
        source = renews.dossier
    elif kind != DossierKind.FIRST:
        source = product.dossiers.filter(status=S.RECOGNISED).order_by("-updated_at").first()
        if source is None:
            raise ApplicationError(
                ErrorCode.INVALID,
                _(
                    "An upgrade or re-evaluation needs an earlier recognised dossier of this product."
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


def _current_certificate(product):
    """The certificate a re-evaluation renews: the product's latest active one (Đ7.6)."""
    found = (
        product.certificates.filter(status=CertificateStatus.ACTIVE)
        .select_related("dossier")
        .order_by("-valid_from", "-pk")
        .first()
    )
    if found is None:
        raise ApplicationError(
            ErrorCode.INVALID,
            _(
                "A re-evaluation renews the product's OCOP certificate, and this product has no active "
                "certificate. File a first evaluation instead."
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
    if cert is None or cert.status != CertificateStatus.ACTIVE:
        raise ApplicationError(
            ErrorCode.BAD_TRANSITION,
            _(
                "This re-evaluation names no active certificate to renew: the certificate was revoked "
                "or is missing."
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
                "Too early: a re-evaluation is filed from %(opens)s to %(closes)s, 180 to 120 days before "
                "certificate %(number)s expires on %(until)s."
            )
            % values
        )
    else:
        message = (
            _(
                "The filing window of this re-evaluation closed on %(closes)s (it ran from %(opens)s, 180 to "
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


# --- the workflow ----------------------------------------------------------------------------
@transaction.atomic
def dossier_transition(
    *, dossier_id: int, action: str, actor: User, note: str = "", internal: bool = False
) -> Dossier:
    """Apply `action` to the dossier: lock the row, check the actor's role and jurisdiction and
    the action's preconditions, move the status, write the audit event, and notify the people
    concerned after commit. A refused action raises and changes nothing. `internal` actions are
    accepted only from other services (`internal=True`), never from the dossier endpoints."""
    if action not in TRANSITIONS or TRANSITIONS[action].internal != internal:
        raise ApplicationError(ErrorCode.INVALID, _("Unknown action."), extra={"key": "action"})
    rule = TRANSITIONS[action]
    dossier = _scoped(actor, dossier_id, lock=True)
    if actor.role not in rule.roles:
        raise ApplicationError(
            ErrorCode.PERMISSION_DENIED,
            _("Your role cannot do this on a dossier."),
            extra={"action": action},
        )
    if action == Action.SUBMIT and not dossier.product.producer.users.filter(pk=actor.pk).exists():
        raise _not_found(dossier_id)
    if dossier.status not in rule.sources:
        raise ApplicationError(
            ErrorCode.BAD_TRANSITION,
            _("“%(action)s” is not possible while the dossier is “%(status)s”.")
            % {"action": Action(action).label, "status": dossier.get_status_display()},
            extra={"from": dossier.status, "action": action},
        )
    note = (note or "").strip()
    if rule.note_required and not note:
        raise ApplicationError(
            ErrorCode.INVALID,
            _("A reason is required when returning a dossier."),
            extra={"key": "note"},
        )
    from_status, to_status = dossier.status, rule.sources[dossier.status]
    fields = PRECONDITIONS.get(action, _nothing)(dossier, actor)
    fields = [*fields, *_start_decision_clock(dossier, action, to_status)]
    extra_event = {}
    if action == Action.SUBMIT:
        snapshot = dossier_snapshot(dossier)
        previous = (
            dossier.events.filter(action=Action.SUBMIT)
            .exclude(snapshot=None)
            .order_by("-at", "-pk")
            .first()
        )
        extra_event = {
            "snapshot": snapshot,
            "changes": snapshot_diff(previous.snapshot, snapshot) if previous else [],
        }
    dossier.status = to_status
    dossier.save(update_fields=["status", "updated_at", *fields])
    _event(
        dossier,
        actor,
        action,
        note=note,
        from_status=from_status,
        to_status=to_status,
        **extra_event,
    )
    transaction.on_commit(
        lambda: notify_transition(dossier_id=dossier.pk, action=action, note=note)
    )
    return dossier


def dossier_round_record(*, dossier_id: int, year: int, number: int) -> None:
    """Record the round the dossier landed in when it was assigned to a council (the evaluation
    context checks the round exists and takes it). The plan's round, set at forwarding, can
    differ when that round had closed or was never set up."""
    Dossier.objects.filter(pk=dossier_id).update(round_year=year, round_number=number)


def _nothing(dossier: Dossier, actor: User) -> list[str]:
    return []


def _on_submit(dossier: Dossier, actor: User) -> list[str]:
    _check_filing_window(dossier)
    errors = form_errors(FORM01_FIELDS, dossier.form01, complete=True)
    errors.update(
        {
            f"form02.{k}": v
            for k, v in form_errors(FORM02_FIELDS, dossier.form02, complete=True).items()
        }
    )
    errors = {(k if "." in k else f"form01.{k}"): v for k, v in errors.items()}
    if errors:
        key = next(iter(errors))
        raise ApplicationError(
            ErrorCode.INVALID,
            _("The forms are incomplete: %(key)s — %(msg)s") % {"key": key, "msg": errors[key]},
            extra={"key": key, "errors": errors},
        )
    choices = {a.criterion_code: a.option_number for a in dossier.self_assessment.all()}
    result = sheet_evaluate(sheet=dossier.sheet, scorecards=[engine.Scorecard(choices=choices)])
    if result.missing:
        raise ApplicationError(
            ErrorCode.INVALID,
            _("The self-assessment is incomplete: choose an option for %(codes)s.")
            % {"codes": ", ".join(result.missing)},
            extra={"key": "self_assessment", "missing": list(result.missing)},
        )
    _store_score(dossier, result)
    if dossier.status == S.RETURNED_BY_PROVINCE:
        return []
    now = timezone.now()
    dossier.submitted_at = now
    holidays = set(PublicHoliday.objects.values_list("day", flat=True))
    days = _rules(dossier).commune_working_days
    dossier.commune_deadline = add_working_days(timezone.localdate(now), days, holidays)
    fields = ["submitted_at", "commune_deadline"]
    if not dossier.receipt_number:
        dossier.receipt_number = _receipt_number(dossier, timezone.localdate(now).year)
        fields.append("receipt_number")
    return fields


def _on_assess(dossier: Dossier, actor: User) -> list[str]:
    if not CommuneAssessment.objects.filter(dossier=dossier).exists():
        raise ApplicationError(
            ErrorCode.INVALID,
            _("Write Form 03 before recording the assessment."),
            extra={"key": "commune_assessment"},
        )
    return []


def _on_forward(dossier: Dossier, actor: User) -> list[str]:
    if dossier.samples_received < dossier.samples_required:
        raise ApplicationError(
            ErrorCode.INVALID,
            _("%(n)s product samples are required before forwarding (received: %(r)s).")
            % {"n": dossier.samples_required, "r": dossier.samples_received},
            extra={"key": "samples_received"},
        )
    dossier.forwarded_at = timezone.now()
    dossier.round_year, dossier.round_number = round_for(
        timezone.localdate(), _rules(dossier).cutoffs()
    )
    return ["forwarded_at", "round_year", "round_number"]


PRECONDITIONS = {
    Action.SUBMIT: _on_submit,
    Action.COMMUNE_ASSESS: _on_assess,
    Action.COMMUNE_FORWARD: _on_forward,
}


def _rules(dossier: Dossier) -> ProvinceRules:
    return ProvinceRules.for_province(dossier.province_id)


def _receipt_number(dossier: Dossier, year: int) -> str:
    """`NNN/PĐK-(province code)-(commune code)-(year)`, numbered per commune and year."""
    key = f"receipt:{dossier.commune.code}:{year}"
    Sequence.objects.get_or_create(key=key)
    counter = Sequence.objects.select_for_update().get(key=key)
    counter.value += 1
    counter.save(update_fields=["value"])
    return f"{counter.value:03d}/PĐK-{dossier.province.code}-{dossier.commune.code}-{year}"


# --- snapshots: what changed between submissions ---------------------------------------------
def dossier_snapshot(dossier: Dossier) -> dict:
    return {
        "form01": dict(dossier.form01),
        "form02": dict(dossier.form02),
        "self_assessment": {
            a.criterion_code: a.option_number for a in dossier.self_assessment.all()
        },
        "files": {
            str(f.pk): {
                "name": f.original_name,
                "annex": f.annex_type,
                "criterion": f.criterion_code,
                "sha256": f.sha256,
            }
            for f in dossier.files.filter(replaced_by__isnull=True)
        },
    }


def snapshot_diff(before: dict, after: dict) -> list[dict]:
    """Changes between two submission snapshots, as a list the timeline can show."""
    changes = []
    for part in ("form01", "form02", "self_assessment"):
        old, new = before.get(part, {}), after.get(part, {})
        for key in sorted(set(old) | set(new)):
            if old.get(key) != new.get(key):
                changes.append(
                    {"part": part, "key": key, "before": old.get(key), "after": new.get(key)}
                )
    old_files, new_files = before.get("files", {}), after.get("files", {})
    for fid in sorted(set(new_files) - set(old_files), key=int):
        changes.append(
            {
                "part": "files",
                "key": new_files[fid]["name"],
                "before": None,
                "after": new_files[fid]["sha256"],
            }
        )
    for fid in sorted(set(old_files) - set(new_files), key=int):
        changes.append(
            {
                "part": "files",
                "key": old_files[fid]["name"],
                "before": old_files[fid]["sha256"],
                "after": None,
            }
        )
    return changes


# --- notifications ---------------------------------------------------------------------------
def _recipients(dossier: Dossier, action: str) -> list[User]:
    producer_users = list(dossier.product.producer.users.filter(is_active=True))
    commune_officers = list(
        User.objects.filter(role=Role.COMMUNE_OFFICER, units=dossier.commune, is_active=True)
    )
    province_officers = list(
        User.objects.filter(role=Role.PROVINCE_OFFICER, units=dossier.province, is_active=True)
    )
    if action == Action.SUBMIT:
        return province_officers if dossier.status == S.FORWARDED else commune_officers
    if action in (
        Action.COMMUNE_RETURN,
        Action.PROVINCE_RETURN,
        Action.COMMUNE_START_REVIEW,
        Action.PROVINCE_START_CHECK,
        Action.COMMUNE_ASSESS,
    ):
        return producer_users
    if action == Action.COMMUNE_FORWARD:
        return province_officers + producer_users
    if action == Action.PROVINCE_ACCEPT:
        return producer_users + commune_officers
    return []


def notify_transition(*, dossier_id: int, action: str, note: str = "") -> int:
    """In-app notification and email to the people concerned. Runs after commit; a mail
    failure is logged and does not undo the transition."""
    dossier = Dossier.objects.select_related("product__producer", "commune", "province").get(
        pk=dossier_id
    )
    message = _("Dossier %(receipt)s (%(product)s): %(status)s.") % {
        "receipt": dossier.receipt_number or f"#{dossier.pk}",
        "product": dossier.product.name,
        "status": dossier.get_status_display(),
    }
    if note:
        message += " " + _("Reason: %(note)s") % {"note": note}
    recipients = {u.pk: u for u in _recipients(dossier, action)}.values()
    Notification.objects.bulk_create(
        Notification(recipient=u, dossier=dossier, message=message) for u in recipients
    )
    emails = [u.email for u in recipients if u.email]
    if emails:
        try:
            send_mail(_("OCOP dossier update"), message, settings.DEFAULT_FROM_EMAIL, emails)
        except Exception:  # noqa: BLE001 — the state change is committed; report and go on
            log.exception("could not email the notification for dossier %s", dossier_id)
    return len(recipients)


# --- evidence files --------------------------------------------------------------------------
def evidence_upload(
    *,
    dossier_id: int,
    actor: User,
    file,
    annex_type: str,
    criterion_code: str = "",
    title: str = "",
    replaces_id: int | None = None,
) -> EvidenceFile:
    """Attach an evidence file to the dossier (optionally to one criterion), or replace one.

    The content is checked before anything is stored; the row is created in its own transaction
    after the object is stored, and the object is deleted again if that transaction fails, so a
    refused or failed upload leaves neither a row nor an orphan. A replacement keeps the old
    version (`replaced_by` points at the new one).
    """
    from apps.core.files import stored_file_or_cleanup, upload_check

    from .choices import AnnexType

    if annex_type not in AnnexType.values:
        raise ApplicationError(
            ErrorCode.INVALID, _("Unknown annex type."), extra={"key": "annex_type"}
        )
    # Scope and status first, so an out-of-scope caller learns nothing from the file checks.
    dossier = _scoped(actor, dossier_id)
    _require_editable_by_producer(dossier, actor)
    if criterion_code and not dossier.sheet.criteria.filter(code=criterion_code).exists():
        raise ApplicationError(
            ErrorCode.INVALID,
            _("Sheet %(n)s has no criterion “%(code)s”.")
            % {"n": dossier.sheet.number, "code": criterion_code},
            extra={"key": "criterion_code"},
        )
    checked = upload_check(file=file)
    with stored_file_or_cleanup(checked=checked, file=file, prefix="dossiers") as storage_name:
        with transaction.atomic(durable=True):
            dossier = _scoped(actor, dossier_id, lock=True)
            _require_editable_by_producer(dossier, actor)
            previous = None
            if replaces_id is not None:
                previous = (
                    EvidenceFile.objects.select_for_update()
                    .filter(dossier=dossier, pk=replaces_id, replaced_by__isnull=True)
                    .first()
                )
                if previous is None:
                    raise ApplicationError(
                        ErrorCode.INVALID,
                        _("The file to replace is not a current file of this dossier."),
                        extra={"key": "replaces"},
                    )
            new = EvidenceFile.objects.create(
                dossier=dossier,
                annex_type=annex_type,
                criterion_code=criterion_code,
                title=title,
                original_name=checked.original_name,
                storage_name=storage_name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                version=previous.version + 1 if previous else 1,
                uploaded_by=actor,
            )
            if previous is not None:
                previous.replaced_by = new
                previous.save(update_fields=["replaced_by"])
            _event(
                dossier,
                actor,
                "file_replaced" if previous else "file_uploaded",
                note=f"{checked.original_name} ({checked.sha256[:12]})",
            )
    return new
