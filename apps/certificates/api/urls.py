from django.urls import path

from . import views

urlpatterns = [
    path("certificates/", views.CertificateListApi.as_view(), name="certificate-list"),
    path(
        "certificates/<int:certificate_id>/",
        views.CertificateDetailApi.as_view(),
        name="certificate-detail",
    ),
    path(
        "certificates/<int:certificate_id>/pdf/",
        views.CertificatePdfApi.as_view(),
        name="certificate-pdf",
    ),
    path(
        "certificates/<int:certificate_id>/revoke/",
        views.CertificateRevokeApi.as_view(),
        name="certificate-revoke",
    ),
    path(
        "certificates/<int:certificate_id>/extend/",
        views.CertificateExtendApi.as_view(),
        name="certificate-extend",
    ),
    path(
        "certificates/<int:certificate_id>/inspections/",
        views.InspectionListApi.as_view(),
        name="certificate-inspections",
    ),
    path(
        "certificates/<int:certificate_id>/revocation-cases/",
        views.CertificateRevocationsApi.as_view(),
        name="certificate-revocation-cases",
    ),
    path(
        "inspections/<int:inspection_id>/revocation-case/",
        views.InspectionRevocationApi.as_view(),
        name="inspection-revocation-case",
    ),
    path("revocation-cases/", views.RevocationListApi.as_view(), name="revocation-case-list"),
    path(
        "revocation-cases/<int:revocation_id>/",
        views.RevocationDetailApi.as_view(),
        name="revocation-case-detail",
    ),
    path(
        "revocation-cases/<int:revocation_id>/decide/",
        views.RevocationDecideApi.as_view(),
        name="revocation-case-decide",
    ),
    path(
        "revocation-cases/<int:revocation_id>/close/",
        views.RevocationCloseApi.as_view(),
        name="revocation-case-close",
    ),
    path(
        "recognition-decisions/",
        views.RecognitionDecisionApi.as_view(),
        name="recognition-decision-create",
    ),
    path(
        "council-results/awaiting-decision/",
        views.ResultsAwaitingDecisionApi.as_view(),
        name="council-results-awaiting-decision",
    ),
    path(
        "council-results/<int:result_id>/propose-to-ministry/",
        views.MinistryProposeApi.as_view(),
        name="council-result-propose",
    ),
    path(
        "council-results/<int:result_id>/close-unrecognised/",
        views.CloseUnrecognisedApi.as_view(),
        name="council-result-close-unrecognised",
    ),
]
