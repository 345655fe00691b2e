from django.urls import path

from . import views

app_name = "traceability"

urlpatterns = [
    path("", views.lots, name="lots"),
    path("lots/<int:lot_id>/edit/", views.lot_page, name="lot"),
    # Public: the trace page of a lot, its image, and the fallback identifier of lots of
    # products without a GTIN (used as the EPCIS class URI, see apps.traceability.epcis).
    path("lots/<int:lot_id>/", views.public_lot, name="public-lot"),
    path("lots/<int:lot_id>/image", views.public_lot_image, name="public-lot-image"),
    path(
        "p/<int:product_id>/10/<str:lot_number>",
        views.public_lot_by_product,
        name="public-lot-by-product",
    ),
]
