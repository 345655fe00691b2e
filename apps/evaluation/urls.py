from django.urls import path

from . import views, views_office

app_name = "evaluation"

urlpatterns = [
    # A council member's councils and products (provincial officers: their provinces' councils).
    path("", views.mine, name="mine"),
    # One member's scoring of one assigned product.
    path("assignments/<int:assignment_id>/score/", views.score, name="score"),
    # The chair's (secretary's, provincial officers') view of the council: products × members.
    path("councils/<int:council_id>/progress/", views.progress, name="progress"),
    # The provincial OCOP office: the province's rounds (and opening the next one), forming a
    # council, and a council's page where dossiers waiting for a council are assigned to it.
    path("rounds/", views_office.rounds, name="rounds"),
    path("councils/new/", views_office.council_new, name="council_new"),
    path("councils/<int:council_id>/", views_office.council, name="council"),
]
