from django.urls import path

from . import views

app_name = "producers"

urlpatterns = [
    path("", views.portal, name="portal"),
    path("<int:producer_id>/", views.profile, name="profile"),
]
