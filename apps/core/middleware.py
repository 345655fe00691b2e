"""Project middleware."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .api.errors import error_body
from .exceptions import ErrorCode
from .sqlite import is_lock_timeout

logger = logging.getLogger(__name__)


class DatabaseBusyMiddleware:
    """SQLite's lock still held after the busy timeout: 503 with ``Retry-After``, never a 500.

    The request's transaction has already been rolled back by the time the exception gets here,
    so the client can safely send the same request again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_lock_timeout(exception):
            return None
        logger.warning("database busy: %s %s answered 503", request.method, request.path)
        retry_after = str(settings.OCOP_BUSY_RETRY_AFTER_SECONDS)
        message = _("The system is busy saving other changes. Please try again in a few seconds.")
        if _wants_html(request):
            response = HttpResponse(
                render_to_string("core/busy.html", {"message": message}, request=request),
                status=503,
            )
        else:
            response = JsonResponse(error_body(ErrorCode.BUSY, message), status=503)
        response["Retry-After"] = retry_after
        response["Cache-Control"] = "no-store"
        return response


def _wants_html(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    api = request.path.startswith(("/api/", "/ogc/", "/tiles/"))
    return "text/html" in accept and not api
