"""The process calendar: working days (Monday to Friday, less the public holidays officers keep in
`PublicHoliday`) and the plan of evaluation rounds (QĐ 26/2026 Đ5)."""

import calendar
from collections.abc import Collection
from datetime import date, timedelta


def add_working_days(start: date, days: int, holidays: Collection[date]) -> date:
    """The date `days` working days after `start` (the day of receipt itself does not count)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            remaining -= 1
    return current


def round_for(day: date, cutoffs: tuple[tuple[int, int], ...]) -> tuple[int, int]:
    """The provincial round (year, number) a dossier proposed on `day` belongs to in the plan.

    `cutoffs` are the (month, day) proposal cut-offs of the rounds of a year (QĐ 26/2026 Đ5.1:
    round 1 for dossiers the commune proposed *before* 30/4, round 2 for those proposed *before*
    30/10; provinces may add rounds). "Before 30/4" excludes 30/4 itself: a dossier proposed on a
    cut-off day goes to the next round, and one proposed on or after the last cut-off to round 1
    of the next year.
    """
    for number, (month, dom) in enumerate(sorted(cutoffs), start=1):
        if day < date(day.year, month, dom):
            return day.year, number
    return day.year + 1, 1


# Đ5.1: round 1 ends before 30/6 for proposals before 30/4, round 2 before 30/12 for proposals
# before 30/10: the evaluation closes two months after the proposal cut-off.
EVALUATION_MONTHS_AFTER_CUTOFF = 2


def round_dates(year: int, number: int, cutoffs: tuple[tuple[int, int], ...]) -> tuple[date, date]:
    """The plan's (proposals before, evaluation finished by) dates of round `number` of `year`."""
    ordered = sorted(cutoffs)
    if not 1 <= number <= len(ordered):
        raise ValueError(f"the plan has {len(ordered)} rounds a year")
    month, dom = ordered[number - 1]
    proposals_before = date(year, month, dom)
    end_month = month + EVALUATION_MONTHS_AFTER_CUTOFF
    end_year, end_month = year + (end_month - 1) // 12, (end_month - 1) % 12 + 1
    end_day = min(dom, calendar.monthrange(end_year, end_month)[1])
    return proposals_before, date(end_year, end_month, end_day)
