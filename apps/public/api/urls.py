from django.urls import path

from . import views

urlpatterns = [
    path("public/scans/location/", views.LocationShareApi.as_view(), name="public-scan-location"),
    path(
        "public/products/<str:code>/", views.PublicProductApi.as_view(), name="public-product-json"
    ),
    path("product-pages/<int:product_id>/", views.ProductPageApi.as_view(), name="product-page"),
    path(
        "product-pages/<int:product_id>/gtin/",
        views.ProductGtinApi.as_view(),
        name="product-page-gtin",
    ),
    path(
        "product-pages/<int:product_id>/buy-links/",
        views.BuyLinkListApi.as_view(),
        name="product-page-links",
    ),
    path(
        "product-pages/<int:product_id>/buy-links/<int:link_id>/",
        views.BuyLinkDetailApi.as_view(),
        name="product-page-link",
    ),
    path(
        "product-pages/<int:product_id>/photos/",
        views.PhotoListApi.as_view(),
        name="product-page-photos",
    ),
    path(
        "product-pages/<int:product_id>/photos/<int:photo_id>/",
        views.PhotoDetailApi.as_view(),
        name="product-page-photo",
    ),
    path("scans/summary/", views.ScanSummaryApi.as_view(), name="scan-summary"),
]
