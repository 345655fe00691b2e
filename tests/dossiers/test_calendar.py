from datetime import date

import pytest

from apps.dossiers.calendar import add_working_days, round_dates, round_for


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
        (date(2026, 4, 29), (2026, 1)),
        (date(2026, 4, 30), (2026, 2)),  # 30/4 is not "before 30/4"
        (date(2026, 5, 1), (2026, 2)),
        (date(2026, 10, 29), (2026, 2)),
        (date(2026, 10, 30), (2027, 1)),  # nor is 30/10 "before 30/10": next year's round 1
        (date(2026, 12, 31), (2027, 1)),
    ],
)
def test_round_cutoffs(day, expected):
    """Đ5.1: "Đợt 01 trước ngày 30 tháng 6 đối với các hồ sơ được UBND cấp xã đề nghị trước ngày
    30 tháng 4; đợt 02 trước ngày 30 tháng 12 đối với các hồ sơ được UBND cấp xã đề nghị trước
    ngày 30 tháng 10"."""
    assert round_for(day, ((4, 30), (10, 30))) == expected


@pytest.mark.parametrize(
    "year, number, expected",
    [
        (2027, 1, (date(2027, 4, 30), date(2027, 6, 30))),
        (2027, 2, (date(2027, 10, 30), date(2027, 12, 30))),
    ],
)
def test_round_dates_follow_the_plan(year, number, expected):
    assert round_dates(year, number, ((4, 30), (10, 30))) == expected


def test_a_round_the_plan_does_not_have_is_refused():
    with pytest.raises(ValueError):
        round_dates(2027, 3, ((4, 30), (10, 30)))
