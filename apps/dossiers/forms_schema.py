"""The structured parts of Mẫu 01 and Mẫu 02 (QĐ 26/2026 Phụ lục III), as field lists.

One list drives validation (services), the API schema and the wizard page, so the three agree.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FormField:
    key: str
    label: str
    required: bool = True
    multiline: bool = False
    max_length: int = 2000


FORM01_FIELDS = (
    FormField("unit_name", _("Name of the producing unit")),
    FormField("representative", _("Legal representative")),
    FormField("position", _("Position")),
    FormField("address", _("Address")),
    FormField("phone", _("Phone"), max_length=30),
    FormField("email", _("Email"), required=False, max_length=200),
    FormField("product_name", _("Product name")),
    FormField("sample_count", _("Number of samples submitted"), required=False, max_length=10),
)

FORM02_FIELDS = (
    # Part I — general information
    FormField("history", _("I. History and development of the unit"), multiline=True),
    FormField("organisation", _("I. Organisation structure"), multiline=True),
    FormField(
        "product_description",
        _("I. Product description, specification and standard"),
        multiline=True,
    ),
    # Part II — results of the production and business plan
    FormField(
        "raw_materials",
        _("II. Raw-material area, technology, processing, packaging"),
        multiline=True,
    ),
    FormField(
        "quality_changes",
        _("II. Changes in quality, standard, packaging and labels"),
        multiline=True,
        required=False,
    ),
    FormField("markets", _("II. Markets"), multiline=True),
    FormField("revenue_profit", _("II. Revenue and profit"), multiline=True),
    # Part IV — business plan ahead
    FormField("plan", _("IV. Production and business plan ahead"), multiline=True),
)


def form_errors(fields: tuple[FormField, ...], data: dict, *, complete: bool) -> dict[str, str]:
    """Errors per key: unknown keys, non-text values, over-long values, and (when `complete`)
    missing required values."""
    from django.utils.translation import gettext as gettext_now

    errors: dict[str, str] = {}
    known = {f.key: f for f in fields}
    for key, value in data.items():
        if key not in known:
            errors[key] = gettext_now("Unknown field.")
        elif not isinstance(value, str):
            errors[key] = gettext_now("Must be text.")
        elif len(value) > known[key].max_length:
            errors[key] = gettext_now("Too long (at most %(n)s characters).") % {
                "n": known[key].max_length
            }
    if complete:
        for f in fields:
            if f.required and not str(data.get(f.key, "")).strip() and f.key not in errors:
                errors[f.key] = gettext_now("This field is required.")
    return errors
