"""One error envelope for the whole API: `{"code", "message", "extra"}`.

Services raise `ApplicationError` with a code from `ErrorCode` (`apps/core/exceptions.py`); the
DRF exception handler turns it, and DRF's own exceptions, into that envelope. Messages are
translated (Vietnamese by default).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from apps.core.exceptions import ApplicationError, ErrorCode


def error_body(code: str, message: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": str(code), "message": str(message), "extra": extra or {}}


def _first_field_error(detail: Any, path: str = "") -> tuple[str, str]:
    """Walk a DRF ValidationError detail to its first message and the key that caused it."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            sub = f"{path}.{key}" if path else str(key)
            return _first_field_error(value, sub)
    if isinstance(detail, list) and detail:
        return _first_field_error(detail[0], path)
    return path, str(detail)


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        return Response(error_body(exc.code, exc.message, exc.extra), status=exc.status_code)
    if isinstance(exc, RecursionError):
        # Python's JSON decoder gives up on deeply nested documents (a few thousand `[`) with a
        # RecursionError, which DRF's JSONParser does not catch: the request was malformed.
        return Response(
            error_body(
                ErrorCode.INVALID, _("The request body is nested too deeply."), {"key": "body"}
            ),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found, or outside your jurisdiction."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        key, message = _first_field_error(exc.detail)
        body = error_body(ErrorCode.INVALID, message, {"key": key, "errors": exc.detail})
    elif isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        body = error_body(ErrorCode.NOT_AUTHENTICATED, exc.detail)
    elif isinstance(exc, exceptions.PermissionDenied):
        body = error_body(ErrorCode.PERMISSION_DENIED, exc.detail)
    elif isinstance(exc, exceptions.NotFound):
        body = error_body(ErrorCode.NOT_FOUND, exc.detail)
    elif isinstance(exc, exceptions.Throttled):
        body = error_body(ErrorCode.THROTTLED, exc.detail, {"wait": exc.wait})
    else:
        body = error_body(getattr(exc, "default_code", "error"), exc.detail)
    response.data = body
    return response
