"""GTIN check digits and the rules a product's GTIN must meet."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.core.exceptions import ApplicationError
from apps.products.gs1 import gtin_check_digit, gtin_normalise
from apps.public.services import gtin_check


@pytest.mark.parametrize(
    "gtin",
    ["4006381333931", "8934588063053", "96385074", "036000291452", "08934588063053"],
)
def test_known_valid_gtins(gtin):
    assert int(gtin[-1]) == gtin_check_digit(gtin[:-1])
    assert gtin_normalise(gtin) == gtin.zfill(14)


@pytest.mark.parametrize("gtin", ["8934588063054", "4006381333930", "96385075"])
def test_a_wrong_check_digit_is_refused(gtin):
    with pytest.raises(ValidationError) as info:
        gtin_normalise(gtin)
    assert info.value.code == "gtin_check_digit"
    with translation.override("en"), pytest.raises(ValidationError) as info:
        gtin_normalise(gtin)
    assert "check digit" in info.value.messages[0]
    with translation.override("vi"), pytest.raises(ValidationError) as info:
        gtin_normalise(gtin)
    assert "Số kiểm tra" in info.value.messages[0]


def test_vietnam_prefix_is_required():
    assert gtin_check("8934588063053") == "08934588063053"
    with pytest.raises(ApplicationError) as info:
        gtin_check("4006381333931")
    assert info.value.extra["reason"] == "gtin_prefix" and "893" in info.value.message
    with pytest.raises(ApplicationError) as info:
        gtin_check("89345880630A3")
    assert info.value.extra["key"] == "gtin"
