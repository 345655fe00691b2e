"""Public pages at the site root: the GS1 Digital Link resolver (`/01/{gtin}…`), the OCOP
product code paths (`/p/{code}…`, what the certificates' QR codes encode: OCOP_PUBLIC_PRODUCT_URL),
photos, and the producer's and the officers' pages under `/product-pages/`."""

from django.urls import path

from . import views, views_manage

app_name = "public"

urlpatterns = [
    path("p/photos/<int:pk>-<str:digest>.<str:ext>", views.photo, name="photo"),
    path("01/<str:gtin>", views.resolve_gtin, name="gtin"),
    path("01/<str:gtin>/10/<path:lot>", views.resolve_gtin, name="gtin-lot"),
    path("p/<str:code>", views.resolve_code, name="product-by-code"),
    path("p/<str:code>/certificate", views.certificate_info, name="certificate"),
    path("p/<str:code>/10/<path:lot>", views.resolve_code, name="lot-by-code"),
    path("product-pages/", views_manage.manage_list, name="manage-list"),
    path("product-pages/scans/", views_manage.scans_page, name="scans"),
    path("product-pages/<int:product_id>/", views_manage.manage_edit, name="manage-edit"),
    path(
        "product-pages/<int:product_id>/qr.svg", views_manage.qr_code, {"fmt": "svg"}, name="qr-svg"
    ),
    path(
        "product-pages/<int:product_id>/qr.png", views_manage.qr_code, {"fmt": "png"}, name="qr-png"
    ),
    path("product-pages/<int:product_id>/labels.pdf", views_manage.label_sheet, name="labels"),
]
