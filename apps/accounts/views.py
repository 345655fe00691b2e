import logging
import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from .selectors import api_token_active
from .services import api_token_create, api_token_revoke
from .throttling import rate_limit_hit

logger = logging.getLogger(__name__)


class OcopLoginView(auth_views.LoginView):
    """Login. Repeated failures for a username from one address are locked out by django-axes
    (AXES_FAILURE_LIMIT, AXES_COOLOFF_HOURS), which answers 429 with `accounts/locked_out.html`."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class OcopPasswordResetView(auth_views.PasswordResetView):
    """Password reset. Form posts are limited per client address (OCOP_RATE_PASSWORD_RESET), so
    the form cannot be used to flood mailboxes or probe addresses: beyond the limit the page
    answers 429 with Retry-After and says when to try again, and sends nothing."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        wait = rate_limit_hit(
            request, scope="password-reset", rate=settings.OCOP_RATE_PASSWORD_RESET
        )
        if wait is None:
            return super().post(request, *args, **kwargs)
        logger.warning("password reset throttled for a client address")
        minutes = math.ceil(wait / 60)
        response = self.render_to_response(
            self.get_context_data(
                throttled=ngettext(
                    "Too many password reset requests from your address. "
                    "Try again in %(minutes)d minute.",
                    "Too many password reset requests from your address. "
                    "Try again in %(minutes)d minutes.",
                    minutes,
                )
                % {"minutes": minutes}
            ),
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response


@login_required
@require_http_methods(["GET", "POST"])
def api_token(request):
    """The user's API token for GIS clients (QGIS, GDAL) and scripts: `Authorization: Token …`.
    POST `action=create` makes a new one (revoking the old) and shows its key on this response
    only; `action=revoke` revokes it. GET shows the prefix and dates, never the key (only its
    digest is stored). The token carries the user's own role and jurisdiction, nothing more."""
    new_key = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("create", "revoke"):
            return HttpResponseBadRequest(_("Unknown action."))
        if action == "revoke":
            if api_token_revoke(user=request.user):
                messages.success(request, _("The token was revoked."))
            return redirect("accounts:api_token")
        _token, new_key = api_token_create(user=request.user)
    response = render(
        request,
        "accounts/api_token.html",
        {
            "token": api_token_active(user=request.user),
            "new_key": new_key,
            "ogc_url": request.build_absolute_uri(reverse("ogc:landing")),
        },
    )
    response["Cache-Control"] = "no-store"
    return response
