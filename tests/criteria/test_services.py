"""The engine wrapper: the engine's view of a stored sheet, and scoring through it."""

from decimal import Decimal

import pytest

from apps.criteria import engine
from apps.criteria.errors import CriteriaError
from apps.criteria.loading import criteria_load
from apps.criteria.selectors import sheet_get
from apps.criteria.services import sheet_evaluate, sheet_evaluation_blocker, sheet_spec

from .conftest import QD26_SLUG

pytestmark = pytest.mark.django_db


def test_the_spec_mirrors_the_stored_sheet(qd26, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        sheet = sheet_get(slug=QD26_SLUG, number=7)
        spec = sheet_spec(sheet=sheet)
    assert spec.number == 7
    assert [c.code for c in spec.criteria] == [c.code for c in sheet.criteria.all()]
    first = spec.criteria[0]
    assert first == engine.CriterionSpec(
        code="1.1",
        part="A",
        max_points=Decimal(3),
        options=(
            engine.OptionSpec(1, Decimal(1), 3),
            engine.OptionSpec(2, Decimal(2), None),
            engine.OptionSpec(3, Decimal(3), None),
        ),
        knockout=True,
    )
    story = next(c for c in spec.criteria if c.code == "5.2")
    assert story.applies_when == engine.Applicability(
        "5.1", 2, "Chỉ áp dụng khi có câu chuyện sản phẩm"
    )
    engine.validate_sheet(spec)


@pytest.mark.parametrize("number", range(1, 27))
def test_every_sheet_can_be_scored(qd26, number):
    sheet = sheet_get(slug=QD26_SLUG, number=number)
    assert sheet_evaluation_blocker(sheet=sheet) is None
    result = sheet_evaluate(sheet=sheet, scorecards=[engine.Scorecard(choices={})])
    assert result.total == 0 and result.star is None
    # with nothing chosen, even criteria that apply only conditionally are still to decide
    assert set(result.missing) == {c.code for c in sheet.criteria.all()}


@pytest.mark.parametrize(("number", "key"), [(4, "7"), (11, "6.1.1")])
def test_without_errata_sheets_printing_options_above_the_maximum_are_blocked(
    data_copy, number, key
):
    criteria_load(paths=[data_copy(errata=False)])
    sheet = sheet_get(slug="TEST-2026", number=number)
    blocker = sheet_evaluation_blocker(sheet=sheet)
    assert blocker is not None and blocker.extra["key"] == key and blocker.status_code == 409
    with pytest.raises(CriteriaError) as error:
        sheet_evaluate(sheet=sheet, scorecards=[engine.Scorecard(choices={})])
    assert error.value.extra == {"key": key, "reason": "bad_points"}


def test_a_self_assessment_scores_through_the_engine(qd26):
    sheet = sheet_get(slug=QD26_SLUG, number=26)
    choices = {c.code: len(c.options.all()) for c in sheet.criteria.all()}  # last option each
    # sheet 26 criteria 8, 9 and 15 offer two cases; the last option is case b's best
    result = sheet_evaluate(sheet=sheet, scorecards=[engine.Scorecard(choices=choices)])
    assert result.total == Decimal("100.00") and result.star == 5
    assert result.parts == {"A": Decimal("40.00"), "B": Decimal("25.00"), "C": Decimal("35.00")}
