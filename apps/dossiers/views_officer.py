"""Officer pages: the inbox of dossiers and the review page with the workflow actions.

The views only translate HTTP into selector and service calls: scope comes from
`selectors.dossier_list/dossier_get`, every change from `services` (which check role,
jurisdiction and preconditions again and raise `ApplicationError` on refusal).
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.choices import Role
from apps.core.exceptions import ApplicationError, ErrorCode
from apps.core.parsing import InvalidInput, parse_optional_int
from apps.geo.models import AdminUnit

from . import selectors, services
from .choices import COMMUNE_CLOCK, DECISION_CLOCK, EVENT_LABELS, Action, AnnexType, DossierStatus
from .forms_officer import CommuneAssessmentForm, InboxFilterForm, SamplesForm, TransitionForm
from .forms_schema import FORM01_FIELDS, FORM02_FIELDS
from .models import PublicHoliday

# The ministry reads every province's dossiers here (the 5★ proposals among them); its actions
# on them are in the evaluation and decision pages, so the review page offers it none.
OFFICER_ROLES = frozenset(
    {Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.PROVINCE_LEADER, Role.MINISTRY_OFFICER}
)
PAGE_SIZE = 50

CHANGE_PARTS = {
    "form01": gettext_lazy("Form 01"),
    "form02": gettext_lazy("Form 02"),
    "self_assessment": gettext_lazy("Self-assessment"),
    "files": gettext_lazy("Evidence files"),
}


def officer_required(view):
    """Login required (anonymous → login page); other roles get a 403 page that says why."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.role not in OFFICER_ROLES:
            return render(request, "dossiers/officer/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


# --- inbox -----------------------------------------------------------------------------------
@require_GET
@officer_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The queue of the officer's jurisdiction, filtered, sorted by the commune deadline."""
    today = timezone.localdate()
    # Drafts are the producer's private work until submitted: the queue starts at submission.
    queue = selectors.dossier_list(user=request.user).exclude(status=DossierStatus.DRAFT)
    communes = AdminUnit.objects.filter(pk__in=queue.values("commune_id")).order_by("name")
    form = InboxFilterForm(request.GET, communes=communes)
    if not form.is_valid():
        messages.error(
            request,
            _("Some filter values were not valid and were ignored: %(fields)s.")
            % {"fields": ", ".join(str(form.fields[name].label) for name in form.errors)},
        )
    dossiers = (
        selectors.dossier_list(user=request.user, **form.filters())
        .exclude(status=DossierStatus.DRAFT)
        .order_by(F("commune_deadline").asc(nulls_last=True), "-updated_at")
    )
    # ASCII digits only (int() would read "١٢" as 12); like the filters, a bad page number is
    # ignored (the first page), and a page past the end shows the last one.
    try:
        page_number = parse_optional_int(
            request.GET.get("page"),
            field="page",
            default=1,
            minimum=1,
            maximum=settings.OCOP_MAX_OFFSET // PAGE_SIZE,
        )
    except InvalidInput:
        page_number = 1
    page = Paginator(dossiers, PAGE_SIZE).get_page(page_number)
    holidays = set(PublicHoliday.objects.values_list("day", flat=True))
    rows = []
    for d in page.object_list:
        days_left = _working_days_between(today, d.commune_deadline, holidays)
        rows.append(
            {
                "dossier": d,
                "overdue": selectors.is_overdue(d, today),
                "clock_running": d.status in COMMUNE_CLOCK,
                "days_left": days_left,
                "days_late": -days_left if days_left is not None and days_left < 0 else 0,
                **_decision_clock(d, today),
            }
        )
    counts = dict(queue.order_by().values_list("status").annotate(n=Count("pk")))
    status_counts = [
        {"value": value, "label": label, "count": counts.get(value, 0)}
        for value, label in DossierStatus.choices
        if value != DossierStatus.DRAFT
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dossiers/officer/inbox.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "status_counts": status_counts,
            "total": sum(counts.values()),
            "query": query.urlencode(),
            "today": today,
        },
    )


def _decision_clock(dossier, today) -> dict:
    """A re-evaluation's 45-day decision deadline (calendar days, Đ7.6.g), as the inbox and the
    review page show it."""
    deadline = dossier.decision_deadline
    left = (deadline - today).days if deadline is not None else None
    return {
        "decision_overdue": selectors.is_decision_overdue(dossier, today),
        "decision_clock_running": deadline is not None and dossier.status in DECISION_CLOCK,
        "decision_days_left": left,
        "decision_days_late": -left if left is not None and left < 0 else 0,
    }


def _working_days_between(today, deadline, holidays) -> int | None:
    """Working days left until `deadline` (negative: working days late); None without deadline."""
    if deadline is None:
        return None
    step = 1 if deadline >= today else -1
    days, current = 0, today
    while current != deadline:
        current = current.fromordinal(current.toordinal() + step)
        if current.weekday() < 5 and current not in holidays:
            days += step
    return days


# --- review ----------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@officer_required
def review(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """The dossier in full, its timeline, and the actions the user's role may take now."""
    dossier = _dossier_or_404(request, dossier_id)
    forms = {"transition": None, "form03": None, "samples": None}
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            if op == "transition":
                forms["transition"] = form = TransitionForm(request.POST)
                if form.is_valid():
                    services.dossier_transition(
                        dossier_id=dossier.pk,
                        action=form.cleaned_data["action"],
                        actor=request.user,
                        note=form.cleaned_data["note"],
                    )
                    label = Action(form.cleaned_data["action"]).label
                    messages.success(request, _("Done: %(action)s.") % {"action": label})
                    return redirect("dossiers:review", dossier_id=dossier.pk)
            elif op == "form03":
                forms["form03"] = form = CommuneAssessmentForm(request.POST)
                if form.is_valid():
                    services.commune_assessment_save(
                        dossier_id=dossier.pk, actor=request.user, **form.cleaned_data
                    )
                    messages.success(request, _("Form 03 saved."))
                    return redirect("dossiers:review", dossier_id=dossier.pk)
            elif op == "samples":
                forms["samples"] = form = SamplesForm(request.POST)
                if form.is_valid():
                    services.samples_record(
                        dossier_id=dossier.pk,
                        actor=request.user,
                        received=form.cleaned_data["received"],
                        on=form.cleaned_data["on"],
                    )
                    messages.success(request, _("Samples recorded."))
                    return redirect("dossiers:review", dossier_id=dossier.pk)
            else:
                raise ApplicationError(ErrorCode.INVALID, _("Unknown request."))
            messages.error(request, _("Please correct the errors below."))
        except ApplicationError as exc:
            if exc.code == ErrorCode.NOT_FOUND:
                raise Http404(exc.message) from exc
            messages.error(request, exc.message)
        return _render_review(request, dossier, forms, status=400)
    return _render_review(request, dossier, forms)


def _dossier_or_404(request: HttpRequest, dossier_id: int):
    try:
        return selectors.dossier_get(user=request.user, dossier_id=dossier_id)
    except ApplicationError as exc:
        raise Http404(exc.message) from exc


def _render_review(request: HttpRequest, dossier, forms: dict, status: int = 200) -> HttpResponse:
    user = request.user
    typed = forms["transition"]
    actions = []
    for action, rule in services.TRANSITIONS.items():
        if not rule.internal and dossier.status in rule.sources and user.role in rule.roles:
            keep = typed is not None and typed.data.get("action") == action
            actions.append(
                {
                    "value": str(action),
                    "label": Action(action).label,
                    "note_required": rule.note_required,
                    "to_label": DossierStatus(rule.sources[dossier.status]).label,
                    "note": typed.data.get("note", "") if keep else "",
                    "errors": typed.errors.get("note", []) if keep else [],
                }
            )
    is_commune = user.role == Role.COMMUNE_OFFICER
    assessment = getattr(dossier, "commune_assessment", None) if _has_assessment(dossier) else None
    form03 = forms["form03"]
    if form03 is None and is_commune and dossier.status == DossierStatus.COMMUNE_REVIEWING:
        initial = (
            {f: getattr(assessment, f) for f in CommuneAssessmentForm.base_fields}
            if assessment
            else {}
        )
        form03 = CommuneAssessmentForm(initial=initial)
    samples = forms["samples"]
    if (
        samples is None
        and is_commune
        and dossier.status in COMMUNE_CLOCK | {DossierStatus.COMMUNE_ASSESSED}
    ):
        samples = SamplesForm(
            initial={
                "received": dossier.samples_received or dossier.samples_required,
                "on": dossier.samples_received_on or timezone.localdate(),
            }
        )
    today = timezone.localdate()
    return render(
        request,
        "dossiers/officer/review.html",
        {
            "dossier": dossier,
            "criteria_set": dossier.sheet.criteria_set,
            "overdue": selectors.is_overdue(dossier, today),
            "decision": _decision_clock(dossier, today),
            "form01": [
                (f.label, dossier.form01.get(f.key, ""), f.multiline) for f in FORM01_FIELDS
            ],
            "form02": [
                (f.label, dossier.form02.get(f.key, ""), f.multiline) for f in FORM02_FIELDS
            ],
            "self_assessment": _self_assessment(dossier),
            "files": _files(dossier),
            "assessment": assessment,
            "timeline": _timeline(dossier),
            "actions": actions,
            "form03": form03,
            "samples_form": samples,
        },
        status=status,
    )


def _has_assessment(dossier) -> bool:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        dossier.commune_assessment  # noqa: B018 — a reverse one-to-one raises when absent
    except ObjectDoesNotExist:
        return False
    return True


def _self_assessment(dossier) -> list[dict]:
    chosen = {a.criterion_code: a for a in dossier.self_assessment.all()}
    rows = []
    for criterion in dossier.sheet.criteria.prefetch_related("options").order_by("order", "pk"):
        answer = chosen.pop(criterion.code, None)
        option = None
        if answer is not None:
            option = next(
                (o for o in criterion.options.all() if o.number == answer.option_number), None
            )
        rows.append(
            {"code": criterion.code, "title": criterion.title, "answer": answer, "option": option}
        )
    rows += [
        {"code": code, "title": "", "answer": a, "option": None}
        for code, a in sorted(chosen.items())
    ]
    return rows


def _files(dossier) -> list[dict]:
    groups: dict[str, dict] = {}
    for f in sorted(
        dossier.files.all(), key=lambda f: (f.annex_type, f.criterion_code, -f.version)
    ):
        group = groups.setdefault(f.annex_type, {"label": _annex_label(f.annex_type), "files": []})
        group["files"].append(
            {
                "file": f,
                "url": reverse(
                    "dossier-file-download", kwargs={"dossier_id": dossier.pk, "file_id": f.pk}
                ),
            }
        )
    return list(groups.values())


def _annex_label(value: str) -> str:
    return AnnexType(value).label if value in AnnexType.values else value


def _status_label(value: str) -> str:
    return DossierStatus(value).label if value in DossierStatus.values else value


def _timeline(dossier) -> list[dict]:
    field_labels = {("form01", f.key): f.label for f in FORM01_FIELDS}
    field_labels.update({("form02", f.key): f.label for f in FORM02_FIELDS})
    entries = []
    for event in dossier.events.all():
        if event.action in Action.values:
            label = Action(event.action).label
        else:
            label = EVENT_LABELS.get(event.action, event.action)
        changes = [
            {
                "part": CHANGE_PARTS.get(c.get("part"), c.get("part")),
                "key": field_labels.get((c.get("part"), c.get("key")), c.get("key")),
                "before": c.get("before"),
                "after": c.get("after"),
            }
            for c in (event.changes or [])
        ]
        entries.append(
            {
                "event": event,
                "label": label,
                "changes": changes,
                "from_label": _status_label(event.from_status) if event.from_status else "",
                "to_label": _status_label(event.to_status) if event.to_status else "",
            }
        )
    return entries
