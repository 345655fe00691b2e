"""GTIN (GS1 General Specifications §7.9) and lot numbers (AI 10), as used in GS1 Digital Link.

A GTIN is 8, 12, 13 or 14 digits whose last digit is a mod-10 check digit. Products are stored
and linked by the 14-digit form (left-padded with zeros), the canonical form in a Digital Link
URI (`/01/{gtin14}`). Vietnam's GS1 prefix is 893.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

GTIN_LENGTHS = (8, 12, 13, 14)
VIETNAM_PREFIX = "893"
# AI (10) batch/lot: up to 20 characters of GS1 AI encodable character set 82.
LOT_REGEX = re.compile(r"^[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}\Z")  # \Z: no trailing newline


def gtin_check_digit(body: str) -> int:
    """The check digit for `body` (a GTIN without its last digit): weights 3, 1, 3, … from the
    right."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def gtin_normalise(value: str) -> str:
    """Return the 14-digit GTIN for `value`, or raise ValidationError saying what is wrong."""
    value = (value or "").strip()
    if not value.isdigit() or not value.isascii():
        raise ValidationError(_("A GTIN has digits only."), code="gtin_not_digits")
    if len(value) not in GTIN_LENGTHS:
        raise ValidationError(
            _("A GTIN has 8, 12, 13 or 14 digits, not %(n)d.") % {"n": len(value)},
            code="gtin_length",
        )
    expected = gtin_check_digit(value[:-1])
    if int(value[-1]) != expected:
        raise ValidationError(
            _("The GTIN's check digit is %(got)s, it should be %(want)s.")
            % {"got": value[-1], "want": expected},
            code="gtin_check_digit",
        )
    return value.zfill(14)


def validate_gtin(value: str) -> None:
    gtin_normalise(value)
    if len(value) != 14:
        raise ValidationError(_("Store the 14-digit form of the GTIN."), code="gtin_not_14")


def validate_lot(value: str) -> None:
    if not LOT_REGEX.match(value or ""):
        raise ValidationError(
            _("A lot number has 1 to 20 letters, digits or GS1 punctuation, without spaces."),
            code="lot_invalid",
        )
