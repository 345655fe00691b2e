from django.urls import path

from . import views

urlpatterns = [
    path("admin-units/", views.AdminUnitListApi.as_view(), name="admin-unit-list"),
    path("admin-units/locate/", views.AdminUnitLocateApi.as_view(), name="admin-unit-locate"),
    path(
        "admin-units/translate/", views.AdminUnitTranslateApi.as_view(), name="admin-unit-translate"
    ),
]
