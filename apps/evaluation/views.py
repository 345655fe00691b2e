"""Council pages: the member's councils and products, the scoring form, and the progress page.

The views only translate HTTP into selector and service calls: scope comes from
`selectors.council_get/assignment_get/scoring_view/council_progress`, every change from
`services` (which check the seat, conflicts, locking, quorum and spread again and raise
`ApplicationError` on refusal; the pages show its message). The scoring page also saves as the
member goes through the JSON API (`assignment-scorecard`), but works with plain form posts.

A few reads only these pages need sit at the bottom ("page reads"); they use the selectors'
querysets and the criteria engine, and can move to `selectors.py` as they are.
"""

from dataclasses import dataclass, field
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.choices import Role
from apps.core.exceptions import ApplicationError, ErrorCode
from apps.core.parsing import InvalidInput, parse_ascii_int
from apps.criteria import engine

from . import selectors, services
from .choices import BOARD_ROLES, STATUS_LABELS, MemberRole, ScorecardStatus


def council_page(view):
    """Login required (anonymous → login page). Producers get a 404: council pages, members'
    names and scores never exist for them. Other roles without a place in any council get a
    403 page that says who the pages are for."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if user.role == Role.PRODUCER and not user.is_superuser:
            raise Http404(_("Not found, or outside your jurisdiction."))
        if (
            user.role not in BOARD_ROLES
            and not user.is_superuser
            and not user.council_seats.exists()
        ):
            return _refused(
                request,
                _(
                    "These pages are for council members, the advisory team and provincial "
                    "OCOP officers."
                ),
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapped


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "evaluation/refused.html", {"message": message}, status=status)


def _refusal(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    """A service's refusal as a page: out of scope is a plain 404, anything else says why."""
    if exc.code == ErrorCode.NOT_FOUND:
        raise Http404(exc.message) from exc
    return _refused(request, exc.message, status=exc.status_code)


# --- my councils -----------------------------------------------------------------------------
@require_GET
@council_page
def mine(request: HttpRequest) -> HttpResponse:
    """The user's councils with the products assigned to them and the user's own scorecard
    status on each; the chair, the secretary and provincial officers get the progress link."""
    return render(
        request, "evaluation/mine.html", {"councils": selectors.council_board(request.user)}
    )


# --- scoring ---------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@council_page
def score(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """One member's scorecard on one product: options, the producer's own choice, evidence,
    the advisory team's findings, comments, knock-outs; submit locks it."""
    user = request.user
    try:
        assignment = selectors.assignment_get(user=user, assignment_id=assignment_id)
        # Refuses a member with a conflict on this product (403), and anyone without a seat.
        scorecard = services.scorecard_open(assignment_id=assignment.pk, member=user)
    except ApplicationError as exc:
        return _refusal(request, exc)
    if request.method == "GET":
        return _render_score(request, assignment, scorecard)

    op = request.POST.get("op", "")
    posted = _ScoreInput.from_post(request.POST)
    try:
        if op == "conflict":
            if not posted.conflict_note:
                posted.errors["conflict_note"] = [_("Describe the conflict of interest.")]
                raise ApplicationError(ErrorCode.INVALID, _("Please correct the errors below."))
            services.conflict_declare(
                assignment_id=assignment.pk, member=user, note=posted.conflict_note
            )
            messages.success(
                request,
                _("Your conflict of interest is recorded: you no longer score this product."),
            )
            return redirect("evaluation:mine")
        if op not in ("save", "submit"):
            raise ApplicationError(ErrorCode.INVALID, _("Unknown request."))
        if posted.bad_choices:
            raise ApplicationError(
                ErrorCode.INVALID,
                _("Not a valid option for: %(codes)s.") % {"codes": ", ".join(posted.bad_choices)},
            )
        services.scorecard_save(
            assignment_id=assignment.pk,
            member=user,
            choices=posted.choices,
            knockouts=posted.knockouts,
            comments=posted.comments,
        )
        if op == "submit":
            services.scorecard_submit(assignment_id=assignment.pk, member=user)
            messages.success(request, _("Your scorecard is submitted and locked."))
        else:
            messages.success(request, _("Your scorecard is saved."))
        return redirect("evaluation:score", assignment_id=assignment.pk)
    except ApplicationError as exc:
        if exc.code == ErrorCode.NOT_FOUND:
            raise Http404(exc.message) from exc
        if exc.code == ErrorCode.PERMISSION_DENIED:
            return _refused(request, exc.message, status=403)
        messages.error(request, exc.message)
    scorecard.refresh_from_db()
    return _render_score(request, assignment, scorecard, posted=posted, status=400)


@dataclass
class _ScoreInput:
    """What the scoring form posted: radios `c:<code>`, checkboxes `knockout`, textareas
    `comment:<code>`, and the conflict note."""

    choices: dict[str, int] = field(default_factory=dict)
    bad_choices: list[str] = field(default_factory=list)
    knockouts: list[str] = field(default_factory=list)
    comments: dict[str, str] = field(default_factory=dict)
    conflict_note: str = ""
    scoring_form: bool = False  # posted by the scoring form (not the conflict form)
    errors: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_post(cls, data) -> "_ScoreInput":
        found = cls(
            knockouts=[k for k in data.getlist("knockout") if k],
            conflict_note=data.get("conflict_note", "").strip(),
            scoring_form=data.get("op") in ("save", "submit"),
        )
        for key, value in data.items():
            if key.startswith("c:"):
                try:  # ASCII digits only: int() would take "١٢" as 12
                    found.choices[key[2:]] = parse_ascii_int(
                        value, field=key, minimum=0, maximum=1000
                    )
                except InvalidInput:
                    found.bad_choices.append(key[2:])
            elif key.startswith("comment:"):
                found.comments[key[8:]] = value.strip()
        return found


def _render_score(
    request: HttpRequest,
    assignment,
    scorecard,
    posted: _ScoreInput | None = None,
    status: int = 200,
) -> HttpResponse:
    view = selectors.scoring_view(assignment=assignment, scorecard=scorecard, viewer=request.user)
    sheets = selectors.SheetCache()
    result = selectors.scorecards_evaluate(sheets.get(assignment.dossier.sheet_id), [scorecard])
    choices = {**scorecard.choices, **(posted.choices if posted else {})}
    knockouts = set(posted.knockouts if posted and posted.scoring_form else scorecard.knockouts)
    comments = {**scorecard.comments, **(posted.comments if posted else {})}
    dossier = assignment.dossier
    rows = [_score_row(row, dossier, choices, comments, knockouts) for row in view.rows]
    sheet = sheets.get(assignment.dossier.sheet_id)
    others = [_other_total(other, sheet) for other in view.others]
    concluded = hasattr(assignment, "result")
    locked = scorecard.status == ScorecardStatus.SUBMITTED or concluded
    reopened = None
    if scorecard.version > 1 and not locked:
        reopened = scorecard.revisions.order_by("-version").first()
    return render(
        request,
        "evaluation/score.html",
        {
            "assignment": assignment,
            "council": assignment.council,
            "dossier": dossier,
            "sheet": dossier.sheet,
            "scorecard": scorecard,
            "rows": rows,
            "result": result,
            "dossier_knockout": engine.DOSSIER_KNOCKOUT,
            "dossier_knocked_out": engine.DOSSIER_KNOCKOUT in knockouts,
            "locked": locked,
            "concluded": concluded,
            "reopened": reopened,
            "others": others,
            "others_hidden": view.others_hidden,
            "advisory_report": view.advisory_report,
            "advisory_report_awaited": view.advisory_report_awaited,
            "api_url": _url_or_blank("assignment-scorecard", assignment.pk),
            "conflict_note": posted.conflict_note if posted else "",
            "conflict_errors": posted.errors.get("conflict_note", []) if posted else [],
        },
        status=status,
    )


def _score_row(row, dossier, choices: dict, comments: dict, knockouts: set) -> dict:
    """One criterion of the scoring form: its options (the member's and the producer's own
    choice marked), the evidence files, the advisory team's findings, the member's comment."""
    criterion = row.criterion
    return {
        "criterion": criterion,
        "options": [
            {
                "option": o,
                "checked": choices.get(criterion.code) == o.number,
                "self": row.self_option == o.number,
            }
            for o in criterion.options.all()
        ],
        "self_option": row.self_option,
        "depends_on": criterion.depends_on.code if criterion.depends_on_id else "",
        "evidence": [
            {
                "file": f,
                "url": reverse(
                    "dossier-file-download",
                    kwargs={"dossier_id": dossier.pk, "file_id": f.pk},
                ),
            }
            for f in row.evidence
        ],
        "findings": row.findings,
        "comment": comments.get(criterion.code, ""),
        "knocked_out": criterion.code in knockouts,
    }


def _other_total(other, sheet) -> dict:
    """Another member's locked scorecard, as its total and star only."""
    other_result = selectors.scorecards_evaluate(sheet, [other])
    return {
        "member": str(other.member),
        "total": other_result.total,
        "star": other_result.star,
        "rejected": other_result.rejected,
        "version": other.version,
    }


def _url_or_blank(name: str, assignment_id: int) -> str:
    """The JSON API's URL, or "" while it is not installed (the page then saves by form posts)."""
    try:
        return reverse(name, kwargs={"assignment_id": assignment_id})
    except NoReverseMatch:
        return ""


# --- progress --------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@council_page
def progress(request: HttpRequest, council_id: int) -> HttpResponse:
    """Products × members with each scorecard's status, the spread per product against the
    council's threshold; the chair reopens chosen scorecards (with a reason) and concludes."""
    user = request.user
    try:
        council = selectors.council_get(user=user, council_id=council_id)
        members, rows = selectors.council_progress(council=council, viewer=user)
    except ApplicationError as exc:
        return _refusal(request, exc)
    if request.method == "GET":
        return _render_progress(request, council, members, rows)

    op = request.POST.get("op", "")
    kept = {
        "op": op,
        "reason": request.POST.get("reason", ""),
        "feedback": request.POST.get("feedback", ""),
        "scorecards": set(request.POST.getlist("scorecards")),
    }
    try:
        assignment_id = _int_or_none(request.POST.get("assignment"))
        if assignment_id not in {r.assignment.pk for r in rows}:
            raise ApplicationError(
                ErrorCode.NOT_FOUND, _("Not found, or outside your jurisdiction.")
            )
        kept["assignment"] = assignment_id
        if op == "reopen":
            ids = [_int_or_none(v) for v in request.POST.getlist("scorecards")]
            if not ids or None in ids:
                raise ApplicationError(ErrorCode.INVALID, _("Choose the scorecards to reopen."))
            reopened = services.scorecards_reopen(
                assignment_id=assignment_id, chair=user, scorecard_ids=ids, reason=kept["reason"]
            )
            messages.success(
                request,
                _("Reopened %(n)s scorecard(s); the members were asked to score again.")
                % {"n": len(reopened)},
            )
        elif op == "conclude":
            services.council_conclude(
                assignment_id=assignment_id, chair=user, feedback=kept["feedback"]
            )
            messages.success(request, _("The council's result is recorded."))
        else:
            raise ApplicationError(ErrorCode.INVALID, _("Unknown request."))
        return redirect("evaluation:progress", council_id=council.pk)
    except ApplicationError as exc:
        if exc.code == ErrorCode.NOT_FOUND:
            raise Http404(exc.message) from exc
        messages.error(request, exc.message)
        status = 403 if exc.code == ErrorCode.PERMISSION_DENIED else 400
    return _render_progress(request, council, members, rows, kept=kept, status=status)


def _int_or_none(value) -> int | None:
    try:
        return parse_ascii_int(value, field="id", minimum=1)
    except InvalidInput:
        return None


def _render_progress(
    request: HttpRequest, council, members, rows, kept: dict | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    seat = next((m for m in members if m.user_id == user.pk), None)
    is_chair = seat is not None and seat.role == MemberRole.CHAIR
    submitted = selectors.submitted_scorecards(council)
    sheets = selectors.SheetCache()
    table = []
    for row in rows:
        assignment = row.assignment
        cards = submitted.get(assignment.pk, [])
        # The members who may score: the council less those with a conflict on the product.
        eligible = sum(1 for status in row.statuses.values() if status != "conflict")
        live = selectors.council_standing(
            council, sheets.get(assignment.dossier.sheet_id), eligible, cards
        )
        concluded = assignment.result if hasattr(assignment, "result") else None
        mine = kept if kept and kept.get("assignment") == assignment.pk else {}
        table.append(
            {
                "assignment": assignment,
                "cells": [
                    {
                        "member": m,
                        "status": row.statuses[m.user_id],
                        "label": STATUS_LABELS[row.statuses[m.user_id]],
                    }
                    for m in members
                ],
                "submitted": len(cards),
                "eligible": live["eligible"],
                "standing": live["result"],
                "member_totals": live["totals"],
                "result": concluded,
                "kept": {
                    "reason": mine.get("reason", "") if mine.get("op") == "reopen" else "",
                    "feedback": mine.get("feedback", "") if mine.get("op") == "conclude" else "",
                    "scorecards": mine.get("scorecards", set()),
                },
            }
        )
    return render(
        request,
        "evaluation/progress.html",
        {
            "council": council,
            "members": members,
            "table": table,
            "is_chair": is_chair,
            "threshold": council.spread_threshold,
        },
        status=status,
    )
