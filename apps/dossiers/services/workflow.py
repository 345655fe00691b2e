"""The workflow: every status change goes through `dossier_transition` and its table."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.core.exceptions import ApplicationError, ErrorCode
from apps.core.sequences import sequence_next
from apps.criteria import engine
from apps.criteria.services import sheet_evaluate

from ..calendar import add_working_days, round_for
from ..choices import Action, DossierStatus
from ..forms_schema import FORM01_FIELDS, FORM02_FIELDS, form_errors
from ..models import (
    CommuneAssessment,
    Dossier,
    ProvinceRules,
    PublicHoliday,
)
from ._common import _event, _not_found, _scoped
from .editing import _check_filing_window, _start_decision_clock, _store_score
from .notifications import notify_transition
from .snapshots import dossier_snapshot, snapshot_diff

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
    serial = sequence_next(f"receipt:{dossier.commune.code}:{year}")
    return f"{serial:03d}/PĐK-{dossier.province.code}-{dossier.commune.code}-{year}"
