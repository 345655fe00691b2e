"""Helpers of the public-page tests."""


def gtin13(body12: str) -> str:
    """The GTIN-13 made of `body12` and its check digit."""
    from apps.products.gs1 import gtin_check_digit

    return body12 + str(gtin_check_digit(body12))
