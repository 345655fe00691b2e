"""Public-page data: GTINs with their check digit (the product pages, labels and resolver)."""

from apps.products.gs1 import gtin_check_digit


def gtin13(body12: str) -> str:
    """The GTIN-13 made of `body12` and its check digit."""
    return body12 + str(gtin_check_digit(body12))
