from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    # A council member's councils and products (provincial officers: their provinces' councils).
    path("", views.mine, name="mine"),
    # One member's scoring of one assigned product.
    path("assignments/<int:assignment_id>/score/", views.score, name="score"),
    # The chair's (secretary's, provincial officers') view of the council: products × members.
    path("councils/<int:council_id>/progress/", views.progress, name="progress"),
]
