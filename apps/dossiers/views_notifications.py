"""The user's notifications page: every notice about a dossier (returned, accepted, a decision,
an expiry window…), newest first, each opening its dossier; and marking them read.

Reads through `selectors.notification_list` (the user's own only), writes through
`services.notifications_mark_read`."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from apps.accounts.choices import Role
from apps.core.parsing import InvalidInput, parse_id, parse_optional_int

from . import selectors, services

PAGE_SIZE = 50
# Where a notification's dossier opens, by role: the producer's own page, or the officers' review.
REVIEWERS = frozenset(
    {Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.PROVINCE_LEADER, Role.MINISTRY_OFFICER}
)


def _dossier_url(user, dossier_id: int) -> str | None:
    if user.role == Role.PRODUCER:
        return reverse("dossiers:detail", kwargs={"dossier_id": dossier_id})
    if user.role in REVIEWERS:
        return reverse("dossiers:review", kwargs={"dossier_id": dossier_id})
    return None


def _int_or_none(value) -> int | None:
    try:
        return parse_id(value, field="id")
    except InvalidInput:
        return None


@require_http_methods(["GET", "POST"])
@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """GET: the user's notifications, newest first (`?unread=1`: only unread). POST `op`:
    `read_all`, or `open` with `id` (marked read, then its dossier opens)."""
    user = request.user
    if request.method == "POST":
        op = request.POST.get("op")
        if op == "read_all":
            services.notifications_mark_read(user=user)
        elif op == "open" and (pk := _int_or_none(request.POST.get("id"))) is not None:
            found = selectors.notification_list(user=user).filter(pk=pk).first()
            if found is not None:
                services.notifications_mark_read(user=user, ids=[pk])
                target = _dossier_url(user, found.dossier_id)
                if target:
                    return redirect(target)
        return redirect(request.get_full_path())
    unread_only = request.GET.get("unread") == "1"
    try:
        number = parse_optional_int(
            request.GET.get("page"),
            field="page",
            default=1,
            minimum=1,
            maximum=settings.OCOP_MAX_OFFSET // PAGE_SIZE,
        )
    except InvalidInput:
        number = 1
    page = Paginator(
        selectors.notification_list(user=user, unread=unread_only).order_by("-created_at", "-pk"),
        PAGE_SIZE,
    ).get_page(number)
    return render(
        request,
        "dossiers/notifications.html",
        {
            "page": page,
            "unread_only": unread_only,
            "can_open": _dossier_url(user, 0) is not None,
        },
    )
