from datetime import date

import pytest

from apps.dossiers.calendar import add_working_days, round_for


def test_fifteen_working_days_skip_weekends():
    # Monday 2 Nov 2026 + 15 working days = Monday 23 Nov 2026
    assert add_working_days(date(2026, 11, 2), 15, set()) == date(2026, 11, 23)


def test_receipt_on_a_friday_counts_from_monday():
    assert add_working_days(date(2026, 11, 6), 1, set()) == date(2026, 11, 9)


def test_holidays_are_skipped():
    holidays = {date(2026, 9, 1), date(2026, 9, 2)}  # Quốc khánh
    assert add_working_days(date(2026, 8, 31), 1, holidays) == date(2026, 9, 3)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), -1, set())


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2026, 1, 10), (2026, 1)),
        (date(2026, 4, 30), (2026, 1)),
        (date(2026, 5, 1), (2026, 2)),
        (date(2026, 10, 30), (2026, 2)),
        (date(2026, 10, 31), (2027, 1)),
    ],
)
def test_round_cutoffs(day, expected):
    assert round_for(day, ((4, 30), (10, 30))) == expected
