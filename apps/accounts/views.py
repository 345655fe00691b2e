import logging

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

logger = logging.getLogger(__name__)


class OcopLoginView(auth_views.LoginView):
    """Login. Repeated failures for a username from one address are locked out by django-axes
    (AXES_FAILURE_LIMIT, AXES_COOLOFF_HOURS), which answers 429 with `accounts/locked_out.html`."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
@require_http_methods(["GET", "POST"])
def api_token(request):
    """The user's API token for GIS clients (QGIS, GDAL) and scripts: `Authorization: Token …`.
    POST `action=create` makes a new one (replacing the old), `action=revoke` deletes it. The
    token carries the user's own role and jurisdiction, nothing more."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("create", "revoke"):
            return HttpResponseBadRequest(_("Unknown action."))
        with transaction.atomic():
            Token.objects.filter(user=request.user).delete()
            if action == "create":
                Token.objects.create(user=request.user)
        logger.info("api token %s by user %s", action, request.user.pk)
        messages.success(
            request, _("A new token was created; the old one no longer works.") if action == "create"
            else _("The token was revoked.")
        )
        return redirect("accounts:api_token")
    token = Token.objects.filter(user=request.user).first()
    response = render(request, "accounts/api_token.html", {
        "token": token,
        "ogc_url": request.build_absolute_uri(reverse("ogc:landing")),
    })
    response["Cache-Control"] = "no-store"
    return response
