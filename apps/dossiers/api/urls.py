from django.urls import path

from . import views

urlpatterns = [
    path("dossiers/", views.DossierListApi.as_view(), name="dossier-list"),
    path("dossiers/<int:dossier_id>/", views.DossierDetailApi.as_view(), name="dossier-detail"),
    path("dossiers/<int:dossier_id>/forms/", views.DossierFormsApi.as_view(), name="dossier-forms"),
    path(
        "dossiers/<int:dossier_id>/self-assessment/",
        views.DossierSelfAssessmentApi.as_view(),
        name="dossier-self-assessment",
    ),
    path(
        "dossiers/<int:dossier_id>/commune-assessment/",
        views.DossierCommuneAssessmentApi.as_view(),
        name="dossier-commune-assessment",
    ),
    path(
        "dossiers/<int:dossier_id>/samples/",
        views.DossierSamplesApi.as_view(),
        name="dossier-samples",
    ),
    *(
        path(
            f"dossiers/<int:dossier_id>/{slug}/",
            views.transition_view(action),
            name=f"dossier-{slug}",
        )
        for action, slug in views.TRANSITION_PATHS.items()
    ),
    path(
        "dossiers/<int:dossier_id>/files/",
        views.DossierFileUploadApi.as_view(),
        name="dossier-files",
    ),
    path(
        "dossiers/<int:dossier_id>/files/<int:file_id>/download/",
        views.DossierFileDownloadApi.as_view(),
        name="dossier-file-download",
    ),
    path("notifications/", views.NotificationListApi.as_view(), name="notification-list"),
]
