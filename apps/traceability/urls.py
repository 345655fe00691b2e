from django.urls import path, re_path

from . import views
from .models import PUBLIC_ID_REGEX

app_name = "traceability"

urlpatterns = [
    path("", views.lots, name="lots"),
    path("lots/<int:lot_id>/edit/", views.lot_page, name="lot"),
    # The producer's (and officers') view of the lot's image, scoped like the lot page.
    path("lots/<int:lot_id>/edit/image", views.lot_image, name="lot-image"),
    # Public: the trace page of a published lot and its image, by the lot's random public id
    # (never the sequential pk, which would let anyone walk every lot), and the fallback
    # identifier of lots of products without a GTIN (the EPCIS class URI, see
    # apps.traceability.epcis).
    re_path(rf"^lots/(?P<public_id>{PUBLIC_ID_REGEX})/$", views.public_lot, name="public-lot"),
    re_path(
        rf"^lots/(?P<public_id>{PUBLIC_ID_REGEX})/image$",
        views.public_lot_image,
        name="public-lot-image",
    ),
    path(
        "p/<int:product_id>/10/<str:lot_number>",
        views.public_lot_by_product,
        name="public-lot-by-product",
    ),
]
