"""What the engine raises: a bad scorecard or rule (:class:`InvalidScorecard`) or a sheet that
is itself inconsistent (:class:`InvalidSheet`). Both keep their attributes when pickled."""

from __future__ import annotations


class InvalidScorecard(ValueError):
    """Bad input to :func:`rank`.

    ``code`` is one of ``unknown_criterion``, ``option_out_of_range``,
    ``not_applicable``, ``unknown_knockout``, ``no_scorecards``, ``bad_rule``;
    ``key`` the offending key (criterion code, ``"knockouts"``,
    ``"scorecards"`` or the rule's field name); ``member`` the 0-based index of
    the offending scorecard in the input (None when not about one scorecard);
    ``value`` the offending value when useful (e.g. the unknown knock-out key).
    """

    def __init__(
        self,
        message: str,
        *,
        code: str,
        key: str | None = None,
        member: int | None = None,
        value: object = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.key = key
        self.member = member
        self.value = value

    def __reduce__(self):  # keep kw-only attributes when pickled (task queues)
        return (
            _rebuild_error,
            (type(self), str(self), self.code, self.key, self.member, self.value),
        )


class InvalidSheet(ValueError):
    """The sheet itself is inconsistent (a data error, not a scoring error).

    ``key`` is the offending criterion code (or ``"criteria"``/a part name),
    ``code`` one of ``duplicate_code``, ``bad_part``, ``bad_options``,
    ``bad_points``, ``bad_marker``, ``part_over_max``, ``bad_applicability``.
    """

    def __init__(self, message: str, *, code: str, key: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.key = key

    def __reduce__(self):
        return (_rebuild_sheet_error, (type(self), str(self), self.code, self.key))


def _rebuild_error(cls, message, code, key, member, value):
    return cls(message, code=code, key=key, member=member, value=value)


def _rebuild_sheet_error(cls, message, code, key):
    return cls(message, code=code, key=key)
