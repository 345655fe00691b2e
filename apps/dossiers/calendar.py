"""Working days: Monday to Friday, less the public holidays officers keep in `PublicHoliday`."""

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
    """The provincial round (year, number) a dossier proposed on `day` belongs to.

    `cutoffs` are the (month, day) proposal deadlines of the rounds of a year, in order
    (QĐ 26/2026 Đ5: 30/4 for round 1, 30/10 for round 2; provinces may add rounds). A dossier
    proposed after the last cut-off goes to round 1 of the next year.
    """
    for number, (month, dom) in enumerate(sorted(cutoffs), start=1):
        if day <= date(day.year, month, dom):
            return day.year, number
    return day.year + 1, 1
