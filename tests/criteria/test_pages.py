"""The public criteria pages, rendered on the server (the browser test drives the form)."""

import re

import pytest
from django.utils import translation

from apps.criteria.loading import criteria_load

from .conftest import QD26_SLUG

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def vi(message: str, context: str | None = None, **values) -> str:
    """The page's wording comes from the catalogues: expect their Vietnamese, never the msgid."""
    with translation.override("vi"):
        translated = (
            translation.pgettext(context, message) if context else translation.gettext(message)
        )
    assert translated != message, f"no Vietnamese translation for {message!r}"
    return translated % values if values else translated


def test_the_index_lists_every_sheet_by_group_in_vietnamese(
    client, qd26, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = client.get("/criteria/")
    assert response.status_code == 200
    page = text(response)
    assert vi("OCOP criteria and self-assessment") in page
    assert "I. SẢN PHẨM THỰC PHẨM" in page and "VI. SẢN PHẨM DỊCH VỤ DU LỊCH" in page
    assert f"{vi('Sheet %(number)s', number=7)}: Chế biến từ rau, củ, quả, hạt" in page
    province, ministry = vi("province", "recognition level"), vi("ministry", "recognition level")
    assert f"{province} 3, 4★; {ministry} 5★" in page
    for number in range(1, 27):
        assert f'href="/criteria/{QD26_SLUG}/sheets/{number}/"' in response.content.decode()


def test_the_sheet_page_shows_every_option_as_a_radio_button(client, qd26):
    response = client.get(f"/criteria/{QD26_SLUG}/sheets/7/")
    assert response.status_code == 200
    html = response.content.decode()
    radios = re.findall(r'<input type="radio" name="c-([\d.]+)" value="(\d+)"', html)
    assert len(radios) == 104  # 102 printed options and the yes/no item 2.4
    assert ("2.4", "2") in radios
    assert html.count('name="knockout"') == 4  # 1.1, 2.1, 6.1 and the dossier
    assert 'data-depends-on="5.1" data-min-option="2"' in html
    page = text(response)
    part_a = "SẢN PHẨM VÀ SỨC MẠNH CỦA CỘNG ĐỒNG"
    assert (
        vi("Part %(part)s: %(title)s (%(points)s points)", part="A", title=part_a, points=40)
        in page
    )
    assert f"1.1. Nguồn nguyên liệu ({vi('max. %(points)s', points=3)})" in page
    assert "Ghi chú: Bị loại nếu sử dụng toàn bộ nguyên liệu nhập khẩu" in page
    assert "★★★★★" in page and vi("Minimum for %(star)s stars", star=3) in html
    assert "Hồ sơ bị loại khi:" in page
    # the initial result comes from the engine: nothing chosen yet
    assert re.search(r'data-testid="total">0\.00<', html)
    assert f'data-testid="star">{vi("not ranked yet")}<' in html
    assert "criteria/selfcheck.js" in html and "http://" not in html and "https://" not in html


def test_a_sheet_corrected_by_errata_shows_the_printed_value_and_can_be_scored(client, qd26):
    response = client.get(f"/criteria/{QD26_SLUG}/sheets/11/")
    assert response.status_code == 200
    page = text(response)
    assert "Phương án 2: in bản gốc: 11; áp dụng: 1, vì Phần C phải đủ 35 điểm" in page
    assert 'data-disabled="true"' not in response.content.decode()
    assert 'data-testid="blocker"' not in response.content.decode()


@pytest.mark.parametrize(
    ("number", "note"),
    [
        (7, "Phương án 2: in bản gốc: 1; áp dụng: 1 (giữ như bản in, chờ Hội đồng xem xét)"),
        (23, "Phương án 2: in bản gốc: 1; áp dụng: 1 (giữ như bản in, chờ Hội đồng xem xét)"),
        (23, "in bản gốc: 4 1; áp dụng: 4, vì Phần C phải đủ 35 điểm"),
        (26, "in bản gốc: 35; áp dụng: 35 (giữ như bản in, chờ Hội đồng xem xét)"),
        (4, "Phương án 3: in bản gốc: 13; áp dụng: 3, vì Phần C phải đủ 35 điểm"),
    ],
)
def test_every_erratum_is_shown_on_the_sheet(client, qd26, number, note):
    assert note in text(client.get(f"/criteria/{QD26_SLUG}/sheets/{number}/"))


def test_automatic_knockouts_are_shown_without_a_checkbox(client, qd26):
    html = client.get(f"/criteria/{QD26_SLUG}/sheets/16/").content.decode()
    assert 'data-testid="knockout-6.1"' not in html
    assert 'data-testid="section-knockout-6"' in html
    html = client.get(f"/criteria/{QD26_SLUG}/sheets/19/").content.decode()
    assert 'data-testid="knockout-6"' not in html
    assert 'data-testid="option-knockout-6-1"' in html
    html = client.get(f"/criteria/{QD26_SLUG}/sheets/21/").content.decode()
    assert 'data-testid="knockout-6.2"' in html  # an infringement is declared


def test_a_sheet_awaiting_review_says_so_and_disables_the_form(client, data_copy):
    criteria_load(paths=[data_copy(errata=False)])
    response = client.get("/criteria/TEST-2026/sheets/11/")
    assert response.status_code == 200
    page = text(response)
    assert "Chưa thể tính điểm phiếu số 11" in page
    assert (
        f"{vi('Under review')}: phương án cao nhất được 11 điểm nhưng điểm tối đa in là 2" in page
    )
    assert "phương án 2 được 11 điểm, vượt điểm tối đa in là 2" in page
    assert 'data-disabled="true"' in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/criteria/QD99-2030/sheets/7/", f"/criteria/{QD26_SLUG}/sheets/99/"]
)
def test_unknown_pages_are_404(client, qd26, url):
    assert client.get(url).status_code == 404
