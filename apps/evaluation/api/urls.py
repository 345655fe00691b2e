from django.urls import path

from . import views

urlpatterns = [
    path("rounds/", views.RoundListCreateApi.as_view(), name="round-list"),
    path("councils/", views.CouncilListApi.as_view(), name="council-list"),
    path("councils/new/", views.CouncilCreateApi.as_view(), name="council-create"),
    path(
        "councils/<int:council_id>/conclusion.pdf",
        views.ConclusionPdfApi.as_view(),
        name="council-conclusion-pdf",
    ),
    path(
        "producers/<int:producer_id>/links/", views.ProducerLinkApi.as_view(), name="producer-links"
    ),
    path(
        "councils/<int:council_id>/assignments/",
        views.CouncilAssignApi.as_view(),
        name="council-assign",
    ),
    path(
        "councils/<int:council_id>/progress/",
        views.CouncilProgressApi.as_view(),
        name="council-progress",
    ),
    path(
        "assignments/<int:assignment_id>/",
        views.AssignmentDetailApi.as_view(),
        name="assignment-detail",
    ),
    path(
        "assignments/<int:assignment_id>/scorecard/",
        views.ScorecardApi.as_view(),
        name="assignment-scorecard",
    ),
    path(
        "assignments/<int:assignment_id>/scorecard/submit/",
        views.ScorecardSubmitApi.as_view(),
        name="assignment-scorecard-submit",
    ),
    path(
        "assignments/<int:assignment_id>/scorecards/",
        views.OtherScorecardsApi.as_view(),
        name="assignment-scorecards",
    ),
    path(
        "assignments/<int:assignment_id>/conflicts/",
        views.ConflictDeclareApi.as_view(),
        name="assignment-conflicts",
    ),
    path(
        "assignments/<int:assignment_id>/reopen/",
        views.ReopenApi.as_view(),
        name="assignment-reopen",
    ),
    path(
        "assignments/<int:assignment_id>/conclude/",
        views.ConcludeApi.as_view(),
        name="assignment-conclude",
    ),
    path(
        "assignments/<int:assignment_id>/field-visits/",
        views.FieldVisitApi.as_view(),
        name="assignment-field-visits",
    ),
    path(
        "field-visits/<int:visit_id>/photos/",
        views.FieldVisitPhotoApi.as_view(),
        name="field-visit-photos",
    ),
    path(
        "assignments/<int:assignment_id>/lab-requests/",
        views.LabRequestApi.as_view(),
        name="assignment-lab-requests",
    ),
    path(
        "assignments/<int:assignment_id>/advisory-report/",
        views.AdvisoryReportApi.as_view(),
        name="assignment-advisory-report",
    ),
    path(
        "assignments/<int:assignment_id>/advisory-report/submit/",
        views.AdvisoryReportSubmitApi.as_view(),
        name="assignment-advisory-report-submit",
    ),
]
