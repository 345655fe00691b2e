"""The provincial OCOP office's pages: the province's evaluation rounds (and opening the next one),
forming a council, and a council's page where the office assigns the dossiers waiting for it.

The views only translate HTTP into selector and service calls: scope comes from the selectors
(`round_list`, `council_detail`, `dossiers_awaiting_council`, … all built on `for_user`), every
change from `services.round_create`, `council_create` and `assignment_create`, which check role,
jurisdiction and the law again and raise `ApplicationError` on refusal: the page shows its
message, keeps what the user typed and answers with the error's status (a record out of scope
is a plain 404)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts.choices import Role
from apps.core.exceptions import ApplicationError, ErrorCode
from apps.core.parsing import InvalidInput, parse_id

from . import selectors, services
from .choices import ConflictKind
from .forms_office import KNOCKOUT_RULES, MINIMUM_RULES, AssignForm, CouncilForm, RoundForm


def office_page(view):
    """Login required (anonymous → login page). Producers get a 404: these pages never exist for
    them. Other roles than the provincial OCOP office get a 403 page that says who the pages are
    for."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if user.role == Role.PRODUCER and not user.is_superuser:
            raise Http404(_("Not found, or outside your jurisdiction."))
        if user.role != Role.PROVINCE_OFFICER and not user.is_superuser:
            return render(
                request,
                "evaluation/office/refused.html",
                {"message": _("These pages are for the provincial OCOP office.")},
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapped


def _shown(request: HttpRequest, exc: ApplicationError, form=None) -> int:
    """A refusal shown on the page: its message on top and, when it names one of the form's
    fields, under that field too. Returns the status to answer with; out of scope is a 404."""
    if exc.code == ErrorCode.NOT_FOUND:
        raise Http404(exc.message) from exc
    messages.error(request, exc.message)
    key = exc.extra.get("key")
    if form is not None and form.is_bound and key in form.fields and key not in form.errors:
        form.add_error(key, exc.message)
    return exc.status_code


def _invalid() -> ApplicationError:
    return ApplicationError(ErrorCode.INVALID, _("Please correct the errors below."))


# --- rounds ----------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@office_page
def rounds(request: HttpRequest) -> HttpResponse:
    """GET: the province's rounds with their councils, and the form to open the next round of
    the plan. POST: open a round (`services.round_create`)."""
    user = request.user
    if request.method == "POST":
        form = RoundForm(request.POST)
        try:
            if not form.is_valid():
                raise _invalid()
            created = services.round_create(actor=user, **form.service_kwargs())
        except ApplicationError as exc:
            return _render_rounds(request, form, status=_shown(request, exc, form))
        messages.success(
            request,
            _(
                "%(round)s is open: it takes the dossiers proposed before %(proposals)s; the "
                "evaluation ends by %(end)s."
            )
            % {
                "round": created,
                "proposals": f"{created.proposal_deadline:%d/%m/%Y}",
                "end": f"{created.evaluation_deadline:%d/%m/%Y}",
            },
        )
        return redirect("evaluation:rounds")
    suggested = selectors.round_suggested(user=user, today=timezone.localdate())
    return _render_rounds(request, RoundForm(initial=suggested or {}))


def _render_rounds(request: HttpRequest, form: RoundForm, status: int = 200) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "evaluation/office/rounds.html",
        {"rounds": selectors.round_list(user=request.user), "form": form, "today": today},
        status=status,
    )


# --- a new council -----------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@office_page
def council_new(request: HttpRequest) -> HttpResponse:
    """GET: the form (`?round=<id>` chooses the round: 404 unless it is an open round of the
    user's). POST: form the council (`services.council_create`) and go to its page."""
    user = request.user
    rounds = selectors.round_open_list(user=user, today=timezone.localdate())
    members, advisers = selectors.council_candidates(user=user)
    choices = {
        "rounds": rounds,
        "criteria_sets": selectors.criteria_sets_for_councils(),
        "members": members,
        "advisers": advisers,
    }
    if request.method == "GET":
        initial = {}
        if "round" in request.GET:
            initial["round"] = _open_round(request.GET["round"], rounds)
        elif rounds:
            initial["round"] = rounds[0].pk
        return _render_council_new(request, CouncilForm(initial=initial, **choices))

    form = CouncilForm(request.POST, **choices)
    try:
        if not form.is_valid():
            raise _invalid()
        council = services.council_create(actor=user, **form.service_kwargs())
    except ApplicationError as exc:
        return _render_council_new(request, form, status=_shown(request, exc, form))
    messages.success(
        request,
        _("The council “%(name)s” is formed: assign it the dossiers waiting for a council.")
        % {"name": council.name},
    )
    return redirect("evaluation:council", council_id=council.pk)


def _open_round(value: str, rounds) -> int:
    try:
        round_id = parse_id(value, field="round")
    except InvalidInput as exc:
        raise Http404(_("Not found, or outside your jurisdiction.")) from exc
    if round_id not in {r.pk for r in rounds}:
        raise Http404(_("Not found, or outside your jurisdiction."))
    return round_id


def _render_council_new(request: HttpRequest, form: CouncilForm, status: int = 200):
    return render(request, "evaluation/office/council_new.html", {"form": form}, status=status)


# --- one council: its people and its dossiers ---------------------------------------------------
@require_http_methods(["GET", "POST"])
@office_page
def council(request: HttpRequest, council_id: int) -> HttpResponse:
    """GET: the council, its members and advisory team, the dossiers assigned to it (each to
    the progress page) and those waiting for a council. POST: assign the ticked dossiers, each
    through `services.assignment_create`, all or none."""
    user = request.user
    try:
        found = selectors.council_detail(user=user, council_id=council_id)
    except ApplicationError as exc:
        raise Http404(exc.message) from exc
    waiting = list(selectors.dossiers_awaiting_council(user=user, council=found))
    if request.method == "GET":
        return _render_council(request, found, waiting, AssignForm(dossier_ids=_ids(waiting)))

    form = AssignForm(request.POST, dossier_ids=_ids(waiting))
    try:
        if not form.is_valid():
            raise _invalid()
        assigned = _assign_all(found, form.cleaned_data["dossiers"], waiting, user)
    except ApplicationError as exc:
        return _render_council(request, found, waiting, form, status=_shown(request, exc, form))
    messages.success(
        request,
        _("%(n)s dossier(s) assigned to the council: %(products)s.")
        % {"n": len(assigned), "products": ", ".join(a.dossier.product.name for a in assigned)},
    )
    return redirect("evaluation:council", council_id=found.pk)


def _ids(dossiers) -> list[int]:
    return [d.pk for d in dossiers]


def _assign_all(council, dossier_ids: list[int], waiting, actor) -> list:
    """Each dossier through `assignment_create`; the first refusal undoes the others and is
    reported with the product's name."""
    names = {d.pk: d.product.name for d in waiting}
    assigned = []
    with transaction.atomic():
        for dossier_id in dossier_ids:
            try:
                assigned.append(
                    services.assignment_create(council=council, dossier_id=dossier_id, actor=actor)
                )
            except ApplicationError as exc:
                raise ApplicationError(
                    exc.code,
                    _("Nothing was assigned. %(product)s: %(reason)s")
                    % {"product": names.get(dossier_id, dossier_id), "reason": exc.message},
                    extra=exc.extra,
                ) from exc
    return assigned


def _render_council(request, council, waiting, form: AssignForm, status: int = 200):
    return render(
        request,
        "evaluation/office/council.html",
        {
            "council": council,
            "assignments": selectors.assignment_list(user=request.user, council_id=council.pk),
            "waiting": waiting,
            "form": form,
            "ticked": form.ticked(),
            "minimum_rule": dict(MINIMUM_RULES).get(council.minimum_rule, council.minimum_rule),
            "knockout_rule": dict(KNOCKOUT_RULES).get(council.knockout_rule, council.knockout_rule),
            "conflict_rules": [ConflictKind(kind).label for kind in council.flagged_kinds()],
        },
        status=status,
    )
