"""The self-assessment page in headless Chromium: choices go to the engine, its answer is shown."""

import os

import pytest
from django.utils import translation
from playwright.sync_api import expect

from apps.criteria import engine
from apps.criteria.api.serializers import EvaluationOutputSerializer
from apps.criteria.loading import criteria_load
from apps.criteria.selectors import sheet_get
from apps.criteria.services import sheet_evaluate

from .conftest import QD26_FILE, QD26_SLUG

# Playwright's sync API runs an event loop in the test thread; the ORM calls here are sync.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def engine_result(choices: dict[str, int], knockouts: tuple[str, ...] = ()) -> dict:
    """What the engine says for these choices, formatted as the API returns it."""
    sheet = sheet_get(slug=QD26_SLUG, number=7)
    scorecard = engine.Scorecard(choices=choices, knockouts=knockouts)
    return EvaluationOutputSerializer.from_result(
        sheet_evaluate(sheet=sheet, scorecards=[scorecard])
    )


def vi(message: str) -> str:
    with translation.override("vi"):
        return translation.gettext(message)


def best_choices() -> dict[str, int]:
    sheet = sheet_get(slug=QD26_SLUG, number=7)
    return {
        c.code: max(c.options.all(), key=lambda o: (o.points, o.number)).number
        for c in sheet.criteria.all()
    }


def test_choosing_options_updates_total_star_and_minimums_from_the_engine(
    browser_page, live_server
):
    criteria_load(paths=[QD26_FILE])  # transactional tests start from an empty database
    page = browser_page.page
    page.goto(f"{live_server.url}/criteria/{QD26_SLUG}/sheets/7/")
    result = page.get_by_test_id("result")
    total, star, unmet = (result.get_by_test_id(name) for name in ("total", "star", "unmet"))

    def shows(choices: dict[str, int], knockouts: tuple[str, ...] = ()) -> dict:
        expected = engine_result(choices, knockouts)
        expect(total).to_have_text(expected["total"])
        expect(result.get_by_test_id("part-A")).to_have_text(expected["parts"]["A"])
        expect(result.get_by_test_id("part-B")).to_have_text(expected["parts"]["B"])
        expect(result.get_by_test_id("part-C")).to_have_text(expected["parts"]["C"])
        expect(result.get_by_test_id("band-star")).to_have_text(f"{expected['band_star']}★")
        expect(star).to_have_text(
            f"{expected['star']}★" if expected["star"] else vi("not ranked yet")
        )
        expect(result.get_by_test_id("missing-count")).to_have_text(str(len(expected["missing"])))
        shown = [
            (li.get_attribute("data-criterion"), int(li.get_attribute("data-star")))
            for li in unmet.locator("li").all()
        ]
        assert shown == [(u["criterion"], u["star"]) for u in expected["unmet_minimums"]]
        return expected

    expect(page.get_by_role("heading", level=1)).to_contain_text("Chế biến từ rau, củ, quả, hạt")
    expect(total).to_have_text("0.00")
    expect(star).to_have_text(vi("not ranked yet"))

    # one choice
    page.get_by_test_id("option-1.1-3").check()
    first = shows({"1.1": 3})
    assert first["total"] == "3.00"

    # every criterion at its best, except packaging 2.2 at option 2, below its 3★ marker
    choices = best_choices() | {"2.2": 2}
    for code, option in choices.items():
        page.get_by_test_id(f"option-{code}-{option}").check()
    capped = shows(choices)
    assert capped["total"] == "98.00" and capped["band_star"] == 5 and capped["star"] == 2
    unmet_text = vi("{code}: below the minimum for {star}★").format(code="2.2", star=3)
    expect(unmet.locator("li").first).to_have_text(unmet_text)
    expect(page.get_by_test_id("criterion-2.2")).to_have_class("criterion unmet")

    # meeting the minimum lifts the star to the band
    page.get_by_test_id("option-2.2-3").check()
    choices["2.2"] = 3
    lifted = shows(choices)
    assert lifted["star"] == 5 and lifted["unmet_minimums"] == []

    # no product story: 5.2 no longer applies and is disabled, its points go
    page.get_by_test_id("option-5.1-1").check()
    expect(page.get_by_test_id("option-5.2-3")).to_be_disabled()
    choices["5.1"] = 1
    del choices["5.2"]
    shows(choices)

    # a knock-out rejects the product whatever its score
    page.get_by_test_id("knockout-1.1").check()
    shows(choices, ("1.1",))
    expect(result.get_by_test_id("rejected")).to_be_visible()

    browser_page.screenshot("criteria-selfcheck-sheet-7")
    assert browser_page.outside == []


def test_a_sheet_awaiting_review_cannot_be_filled_in(browser_page, live_server, data_copy):
    # without its errata file, sheet 11 prints an option above its maximum
    criteria_load(paths=[data_copy(errata=False)])
    page = browser_page.page
    page.goto(f"{live_server.url}/criteria/TEST-2026/sheets/11/")
    expect(page.get_by_test_id("blocker")).to_contain_text("Chưa thể tính điểm phiếu số 11")
    expect(page.get_by_test_id("option-1.1-1")).to_be_disabled()
    assert browser_page.outside == []
