"""The domain errors every app raises: `ApplicationError` with a stable `ErrorCode`, a translated
message and machine-readable details. The API turns them into its error envelope
(`apps/core/api/errors.py`); the pages show their message."""

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _


class ErrorCode(StrEnum):
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    NOT_AUTHENTICATED = "not_authenticated"
    PERMISSION_DENIED = "permission_denied"
    THROTTLED = "throttled"
    OUTSIDE_ALL_UNITS = "outside_all_units"
    BAD_TRANSITION = "bad_transition"
    INVALID_FILE = "invalid_file"
    STORAGE_FAILED = "storage_failed"
    BUSY = "busy"


# HTTP status of each code (the API's answer; pages use it too).
STATUS = {
    ErrorCode.INVALID: 400,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.OUTSIDE_ALL_UNITS: 404,
    ErrorCode.NOT_AUTHENTICATED: 401,
    ErrorCode.PERMISSION_DENIED: 403,
    ErrorCode.THROTTLED: 429,
    ErrorCode.BAD_TRANSITION: 409,
    ErrorCode.INVALID_FILE: 400,
    ErrorCode.STORAGE_FAILED: 503,
    ErrorCode.BUSY: 503,
}


class ApplicationError(Exception):
    """A domain error with a stable code, a human message and machine-readable details."""

    def __init__(self, code: ErrorCode, message: str, *, extra: dict[str, Any] | None = None):
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.extra = extra or {}

    @property
    def status_code(self) -> int:
        return STATUS.get(self.code, 400)


def not_found(**extra: Any) -> ApplicationError:
    """The one 404 for records that do not exist or are outside the user's jurisdiction: the two
    cases must look the same, so nothing reveals that a record exists."""
    return ApplicationError(
        ErrorCode.NOT_FOUND, _("Not found, or outside your jurisdiction."), extra=extra
    )
