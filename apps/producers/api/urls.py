from django.urls import path

from . import views

urlpatterns = [
    path("producers/", views.ProducerListCreateApi.as_view(), name="producer-list"),
    path("producers/<int:producer_id>/", views.ProducerDetailApi.as_view(), name="producer-detail"),
    path(
        "producers/<int:producer_id>/areas/",
        views.ProductionAreaListCreateApi.as_view(),
        name="production-area-list",
    ),
]
