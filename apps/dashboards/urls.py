from django.urls import path

from . import api, views

app_name = "dashboards"

urlpatterns = [
    # The provincial map dashboard (commune officers are sent to their commune's page).
    path("", views.province_dashboard, name="province"),
    # The ministry's national view: provinces, 5★ proposals, central councils, decisions.
    path("national/", views.national_dashboard, name="national"),
    # One commune's progress and its place among the province's communes.
    path("communes/<str:code>/", views.commune_page, name="commune"),
    # A product as the map opens it, with its dossiers (and a council member's scorecards).
    path("products/<int:product_id>/", views.product_page, name="product"),
    # Where the map's "open dossier" link leads for this user (review page, scorecard, …).
    path("dossiers/<int:dossier_id>/open/", views.dossier_open, name="dossier-open"),
    # The charts' counts for the filter panel.
    path("api/summary", api.SummaryApi.as_view(), name="summary"),
]
