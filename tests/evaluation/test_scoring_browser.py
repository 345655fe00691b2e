"""A council member scores a product through the pages in headless Chromium: autosave through
the API (queued), submit, then the other member's score appears."""

import pytest

from apps.evaluation import selectors, services
from apps.evaluation.models import Scorecard
from tests.factories.criteria import best_choices, bottom_choices
from tests.factories.evaluation import COUNCIL_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_scores_submits_and_sees_the_other_members_score(
    browser_page, live_server, boundaries, panel
):
    # The other member has already submitted a low scorecard.
    services.scorecard_save(
        assignment_id=panel.assignment.pk, member=panel.member2, choices=bottom_choices()
    )
    services.scorecard_submit(assignment_id=panel.assignment.pk, member=panel.member2)
    other_total = str(
        selectors.scorecard_result(scorecard=Scorecard.objects.get(member=panel.member2)).total
    )
    page = browser_page.page

    page.goto(f"{live_server.url}/accounts/login/?next=/evaluation/")
    page.fill("#id_username", "uyvien1")
    page.fill("#id_password", COUNCIL_PASSWORD)
    page.click("button[type=submit]")
    row = f"[data-testid=assignment][data-assignment='{panel.assignment.pk}']"
    page.click(f"{row} [data-testid=score-link]")
    page.wait_for_selector("#scoring-form")
    assert page.get_by_test_id("others-hidden").is_visible()

    # Choose the last option of every criterion, in printed order; each choice is saved at once.
    fieldsets = page.locator("fieldset.criterion[data-code]")
    for i in range(fieldsets.count()):
        fieldsets.nth(i).locator("input[type=radio]").last.check()
    page.fill("#comment-1\\.1", "Vùng nguyên liệu đạt chuẩn.")
    page.locator("#comment-1\\.1").blur()
    page.wait_for_function("() => document.getElementById('score').dataset.pending === '0'")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=score-total]').textContent === '100.00'"
    )
    assert page.get_by_test_id("score-star").inner_text() == "5★"
    assert page.get_by_test_id("score-missing").get_attribute("data-count") == "0"
    assert page.get_by_test_id("score-error").inner_text() == ""
    card = Scorecard.objects.get(assignment=panel.assignment, member=panel.member1)
    assert (
        len(card.choices) == fieldsets.count()
        and card.comments["1.1"] == "Vùng nguyên liệu đạt chuẩn."
    )
    browser_page.screenshot("council-scoring")

    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=locked]")
    card.refresh_from_db()
    assert card.status == "submitted"
    assert page.locator("fieldset.criterion[disabled]").count() == fieldsets.count() + 1
    others = page.get_by_test_id("others").inner_text()
    assert "Ông/Bà uyvien2" in others and other_total in others
    browser_page.screenshot("council-scoring-submitted")
    assert browser_page.outside == []


def test_chair_follows_the_progress_and_reopens_a_scorecard(
    browser_page, live_server, boundaries, panel
):
    for member, choices in ((panel.member1, best_choices()), (panel.member2, bottom_choices())):
        services.scorecard_save(assignment_id=panel.assignment.pk, member=member, choices=choices)
        services.scorecard_submit(assignment_id=panel.assignment.pk, member=member)
    low = Scorecard.objects.get(member=panel.member2)
    page = browser_page.page

    page.goto(f"{live_server.url}/accounts/login/?next=/evaluation/")
    page.fill("#id_username", "chutich")
    page.fill("#id_password", COUNCIL_PASSWORD)
    page.click("button[type=submit]")
    page.click("[data-testid=progress-link]")
    page.wait_for_selector("[data-testid=progress-table]")
    row = page.locator(f"[data-testid=progress-row][data-assignment='{panel.assignment.pk}']")
    assert (
        row.locator(f"[data-member='{panel.related.pk}']").get_attribute("data-status")
        == "conflict"
    )
    assert row.get_by_test_id("submitted-count").inner_text() == "2 / 4"
    assert row.get_by_test_id("spread-exceeded").is_visible()
    browser_page.screenshot("council-progress")

    form = page.get_by_test_id("reopen-form")
    form.locator(f"input[name=scorecards][value='{low.pk}']").check()
    form.locator("textarea[name=reason]").fill("Chênh lệch lớn: chấm lại phần C.")
    form.get_by_test_id("reopen").click()
    page.wait_for_selector(".messages li.success")
    low.refresh_from_db()
    assert low.status == "draft" and low.version == 2
    status = row.locator(f"[data-member='{panel.member2.pk}']").get_attribute("data-status")
    assert status == "draft"
    assert browser_page.outside == []


# Every save answers 1.2 s late, and the page records how many saves it sent and what they held.
SLOW_SAVES = """
(() => {
  const realFetch = window.fetch;
  window.__saves = [];
  window.fetch = function (url, options) {
    if (options && options.method === "PUT") { window.__saves.push(JSON.parse(options.body)); }
    return realFetch(url, options).then(function (response) {
      return new Promise(function (resolve) {
        setTimeout(function () { resolve(response); }, 1200);
      });
    });
  };
})();
"""


def test_quick_choices_are_merged_into_few_saves_and_all_kept(
    browser_page, live_server, boundaries, panel
):
    """A member clicking through the sheet on a slow line: changes made while a save is on its
    way are sent together when it returns, in order, and nothing is lost."""
    page = browser_page.page
    page.add_init_script(SLOW_SAVES)
    page.goto(f"{live_server.url}/accounts/login/?next=/evaluation/")
    page.fill("#id_username", "uyvien1")
    page.fill("#id_password", COUNCIL_PASSWORD)
    page.click("button[type=submit]")
    row = f"[data-testid=assignment][data-assignment='{panel.assignment.pk}']"
    page.click(f"{row} [data-testid=score-link]")
    page.wait_for_selector("#scoring-form")

    fieldsets = page.locator("fieldset.criterion[data-code]")
    count = fieldsets.count()
    for i in range(count):
        fieldsets.nth(i).locator("input[type=radio]").first.check()
    # A second thought on the first criterion, while saves are still on their way.
    fieldsets.nth(0).locator("input[type=radio]").last.check()
    for i in range(1, count):
        fieldsets.nth(i).locator("input[type=radio]").last.check()
    page.wait_for_function(
        "() => document.getElementById('score').dataset.pending === '0'", timeout=60000
    )
    saves = page.evaluate("window.__saves")
    assert 1 <= len(saves) < count, len(saves)  # merged, not one request per click
    card = Scorecard.objects.get(assignment=panel.assignment, member=panel.member1)
    assert card.choices == best_choices()  # the last choice of every criterion won
    assert page.get_by_test_id("score-total").inner_text() == "100.00"
