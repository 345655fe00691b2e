from django.urls import path

from . import views

urlpatterns = [
    path("lots/", views.LotListCreateApi.as_view(), name="lot-list"),
    path("lots/<int:lot_id>/", views.LotDetailApi.as_view(), name="lot-detail"),
    path("lots/<int:lot_id>/publish/", views.LotPublishApi.as_view(), name="lot-publish"),
    path("lots/<int:lot_id>/unpublish/", views.LotUnpublishApi.as_view(), name="lot-unpublish"),
    path("lots/<int:lot_id>/events/", views.EventListCreateApi.as_view(), name="lot-event-list"),
    path(
        "lots/<int:lot_id>/events/<int:event_id>/",
        views.EventDetailApi.as_view(),
        name="lot-event-detail",
    ),
    path("lots/<int:lot_id>/changes/", views.LotChangesApi.as_view(), name="lot-changes"),
    path("lots/<int:lot_id>/epcis", views.LotEpcisApi.as_view(), name="lot-epcis"),
]
