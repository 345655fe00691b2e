from django.urls import path

from . import views_notifications, views_officer, views_producer

app_name = "dossiers"

urlpatterns = [
    # Officers (commune, province): the inbox and the dossier detail with its actions.
    path("inbox/", views_officer.inbox, name="inbox"),
    path("<int:dossier_id>/review/", views_officer.review, name="review"),
    # Everyone signed in: their notifications about dossiers.
    path("notifications/", views_notifications.notifications, name="notifications"),
    # Producers: their dossiers, the wizard, the timeline.
    path("", views_producer.my_dossiers, name="mine"),
    path("new/<int:product_id>/", views_producer.dossier_new, name="new"),
    path("<int:dossier_id>/", views_producer.dossier_detail, name="detail"),
    path("<int:dossier_id>/edit/<str:step>/", views_producer.dossier_edit, name="edit"),
]
