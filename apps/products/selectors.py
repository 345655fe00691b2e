"""Reads of products, always narrowed by `Product.objects.for_user()` (404 out of scope)."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import Product


def product_list(*, user) -> QuerySet[Product]:
    return Product.objects.for_user(user).select_related("producer", "production_area")


def product_get(*, user, product_id: int) -> Product:
    return get_object_or_404(product_list(user=user), pk=product_id)
