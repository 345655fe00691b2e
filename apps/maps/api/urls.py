from django.urls import path

from .views import LayerFeaturesApi, LayerListApi, PublicLayerFeaturesApi

urlpatterns = [
    path("layers/", LayerListApi.as_view(), name="layer-list"),
    path("layers/<slug:layer_id>/", LayerFeaturesApi.as_view(), name="layer-features"),
    path(
        "public/layers/<slug:layer_id>/",
        PublicLayerFeaturesApi.as_view(),
        name="public-layer-features",
    ),
]
