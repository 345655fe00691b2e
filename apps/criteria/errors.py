"""Error codes of the criteria context, rendered by the project's API error envelope."""

from enum import StrEnum
from typing import Any

from rest_framework import status

from apps.core.exceptions import ApplicationError, ErrorCode


class CriteriaErrorCode(StrEnum):
    INVALID = ErrorCode.INVALID.value  # the request body has the wrong shape
    NOT_FOUND = ErrorCode.NOT_FOUND.value
    UNKNOWN_CRITERION = "unknown_criterion"
    OPTION_OUT_OF_RANGE = "option_out_of_range"
    NOT_APPLICABLE = "not_applicable"
    UNKNOWN_KNOCKOUT = "unknown_knockout"
    NO_SCORECARDS = "no_scorecards"
    BAD_RULE = "bad_rule"
    SHEET_NOT_EVALUABLE = "sheet_not_evaluable"


_STATUS = {
    CriteriaErrorCode.NOT_FOUND: status.HTTP_404_NOT_FOUND,
    # The request is fine; the stored sheet is not (values awaiting review).
    CriteriaErrorCode.SHEET_NOT_EVALUABLE: status.HTTP_409_CONFLICT,
}


class CriteriaError(ApplicationError):
    """An `ApplicationError` whose HTTP status follows the criteria codes above (400 otherwise)."""

    def __init__(
        self, code: CriteriaErrorCode, message: str, *, extra: dict[str, Any] | None = None
    ):
        super().__init__(code, message, extra=extra)  # type: ignore[arg-type]

    @property
    def status_code(self) -> int:
        return _STATUS.get(self.code, status.HTTP_400_BAD_REQUEST)
