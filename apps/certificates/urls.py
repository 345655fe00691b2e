from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    # The leader's (the ministry's) results waiting for a decision, and the decisions made.
    path("decisions/", views.decisions, name="decisions"),
    # One recognition decision and the certificates it issued.
    path("decisions/<int:decision_id>/", views.decision, name="decision"),
    # A signed copy of the decision, as filed.
    path(
        "decisions/<int:decision_id>/signed/<int:scan_id>/",
        views.decision_scan,
        name="decision-scan",
    ),
    # A certificate's PDF as issued.
    path("<int:certificate_id>/pdf/", views.certificate_pdf, name="pdf"),
]
