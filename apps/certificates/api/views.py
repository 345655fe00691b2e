"""The certificates API: views only translate HTTP into selector and service calls."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.pagination import Pagination
from apps.core.api.schema import paginated
from apps.core.files import file_response

from .. import selectors, services
from ..models import RecognitionDecision
from . import serializers as s


def _certificate(request, certificate_id: int, code: int = status.HTTP_200_OK) -> Response:
    certificate = selectors.certificate_get(user=request.user, certificate_id=certificate_id)
    return Response(s.CertificateOutput(certificate).data, status=code)


class CertificateListApi(APIView):
    @extend_schema(
        parameters=[s.CertificateListFilter],
        responses=paginated(s.CertificateOutput),
        operation_id="api_v1_certificates_list",
    )
    def get(self, request):
        filters = s.CertificateListFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        qs = selectors.certificate_list(
            user=request.user,
            status=f.get("status"),
            stars=int(f["stars"]) if f.get("stars") else None,
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(s.CertificateOutput(page, many=True).data)


class CertificateDetailApi(APIView):
    @extend_schema(responses=s.CertificateOutput)
    def get(self, request, certificate_id: int):
        return _certificate(request, certificate_id)


class CertificatePdfApi(APIView):
    """The certificate's PDF as issued, only for users who may see the certificate."""

    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request, certificate_id: int):
        certificate = selectors.certificate_get(user=request.user, certificate_id=certificate_id)
        return file_response(
            storage_name=certificate.pdf_storage_name,
            filename=f"GCN-OCOP-{certificate.product_code}.pdf",
            content_type="application/pdf",
        )


class CertificateRevokeApi(APIView):
    @extend_schema(request=s.RevokeInput, responses=s.CertificateOutput)
    def post(self, request, certificate_id: int):
        data = s.RevokeInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.certificate_revoke(
            certificate_id=certificate_id, actor=request.user, **data.validated_data
        )
        return _certificate(request, certificate_id)


class CertificateExtendApi(APIView):
    @extend_schema(request=s.ExtendInput, responses=s.CertificateOutput)
    def post(self, request, certificate_id: int):
        data = s.ExtendInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.certificate_extend(
            certificate_id=certificate_id, actor=request.user, **data.validated_data
        )
        return _certificate(request, certificate_id)


class InspectionListApi(APIView):
    @extend_schema(responses=paginated(s.InspectionOutput))
    def get(self, request, certificate_id: int):
        qs = selectors.inspection_list(user=request.user, certificate_id=certificate_id)
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(s.InspectionOutput(page, many=True).data)

    @extend_schema(request=s.InspectionInput, responses={201: s.InspectionOutput})
    def post(self, request, certificate_id: int):
        selectors.certificate_get(
            user=request.user, certificate_id=certificate_id
        )  # scope before input
        data = s.InspectionInput(data=request.data)
        data.is_valid(raise_exception=True)
        inspection = services.inspection_record(
            certificate_id=certificate_id, actor=request.user, **data.validated_data
        )
        return Response(s.InspectionOutput(inspection).data, status=status.HTTP_201_CREATED)


# One component for both case lists (each `paginated()` call makes a new serializer class).
CASE_PAGE = paginated(s.RevocationCaseOutput)


def _case(request, revocation_id: int, code: int = status.HTTP_200_OK) -> Response:
    case = selectors.revocation_get(user=request.user, revocation_id=revocation_id)
    return Response(s.RevocationCaseOutput(case).data, status=code)


def _case_page(request, view, qs) -> Response:
    paginator = Pagination()
    page = paginator.paginate_queryset(qs, request, view=view)
    return paginator.get_paginated_response(s.RevocationCaseOutput(page, many=True).data)


def _case_filters(request) -> dict:
    filters = s.RevocationListFilter(data=request.query_params)
    filters.is_valid(raise_exception=True)
    f = filters.validated_data
    return {
        "status": f.get("status"),
        "overdue": {"true": True, "false": False}.get(f.get("overdue")),
    }


class RevocationListApi(APIView):
    """Revocation cases in the user's jurisdiction (Đ8.3): the OCOP office's and the
    authority's to-do list, with open cases past their 15-day deadline flagged `overdue`."""

    @extend_schema(
        parameters=[s.RevocationListFilter],
        responses=CASE_PAGE,
        operation_id="api_v1_revocation_cases_list",
    )
    def get(self, request):
        return _case_page(
            request, self, selectors.revocation_list(user=request.user, **_case_filters(request))
        )


class RevocationDetailApi(APIView):
    @extend_schema(responses=s.RevocationCaseOutput)
    def get(self, request, revocation_id: int):
        return _case(request, revocation_id)


class CertificateRevocationsApi(APIView):
    """A certificate's revocation cases; POST opens one (Đ8.3.a)."""

    @extend_schema(
        parameters=[s.RevocationListFilter],
        responses=CASE_PAGE,
        operation_id="api_v1_certificates_revocation_cases_list",
    )
    def get(self, request, certificate_id: int):
        qs = selectors.revocation_list(
            user=request.user, certificate_id=certificate_id, **_case_filters(request)
        )
        return _case_page(request, self, qs)

    @extend_schema(request=s.RevocationOpenInput, responses={201: s.RevocationCaseOutput})
    def post(self, request, certificate_id: int):
        selectors.certificate_get(
            user=request.user, certificate_id=certificate_id
        )  # scope before input
        data = s.RevocationOpenInput(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.revocation_open(
            certificate_id=certificate_id, actor=request.user, **data.validated_data
        )
        return _case(request, case.pk, status.HTTP_201_CREATED)


class InspectionRevocationApi(APIView):
    """Open a revocation case from a non-compliant or violation inspection (Đ8.1.b, Đ9)."""

    @extend_schema(request=s.RevocationFromInspectionInput, responses={201: s.RevocationCaseOutput})
    def post(self, request, inspection_id: int):
        selectors.inspection_get(user=request.user, inspection_id=inspection_id)  # scope first
        data = s.RevocationFromInspectionInput(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.revocation_open_from_inspection(
            inspection_id=inspection_id, actor=request.user, **data.validated_data
        )
        return _case(request, case.pk, status.HTTP_201_CREATED)


class RevocationDecideApi(APIView):
    """The authority's decision on an open case (Đ8.2, Đ8.3.b): the certificate is revoked."""

    @extend_schema(request=s.RevocationDecideInput, responses=s.RevocationCaseOutput)
    def post(self, request, revocation_id: int):
        selectors.revocation_get(user=request.user, revocation_id=revocation_id)  # scope first
        data = s.RevocationDecideInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.revocation_decide(
            revocation_id=revocation_id, actor=request.user, **data.validated_data
        )
        return _case(request, revocation_id)


class RevocationCloseApi(APIView):
    """Close an open case without revocation, with the reason."""

    @extend_schema(request=s.RevocationCloseInput, responses=s.RevocationCaseOutput)
    def post(self, request, revocation_id: int):
        selectors.revocation_get(user=request.user, revocation_id=revocation_id)  # scope first
        data = s.RevocationCloseInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.revocation_close(
            revocation_id=revocation_id, actor=request.user, **data.validated_data
        )
        return _case(request, revocation_id)


class RecognitionDecisionApi(APIView):
    @extend_schema(request=s.DecisionInput, responses={201: s.DecisionCreatedOutput})
    def post(self, request):
        data = s.DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        decision = services.recognition_decide(actor=request.user, **data.validated_data)
        decision = RecognitionDecision.objects.prefetch_related(
            "certificates__product__producer",
            "certificates__dossier__commune",
            "certificates__dossier__province",
        ).get(pk=decision.pk)
        return Response(s.DecisionCreatedOutput(decision).data, status=status.HTTP_201_CREATED)


class ResultsAwaitingDecisionApi(APIView):
    @extend_schema(responses=paginated(s.AwaitingResultOutput))
    def get(self, request):
        qs = selectors.results_awaiting_decision(user=request.user)
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(s.AwaitingResultOutput(page, many=True).data)


class MinistryProposeApi(APIView):
    @extend_schema(request=None, responses={201: s.ProposalOutput})
    def post(self, request, result_id: int):
        proposal = services.ministry_propose(result_id=result_id, actor=request.user)
        return Response(s.ProposalOutput(proposal).data, status=status.HTTP_201_CREATED)


class CloseUnrecognisedApi(APIView):
    @extend_schema(request=s.CloseInput, responses=s.DossierStatusOutput)
    def post(self, request, result_id: int):
        data = s.CloseInput(data=request.data)
        data.is_valid(raise_exception=True)
        dossier = services.result_close_unrecognised(
            result_id=result_id, actor=request.user, note=data.validated_data["note"]
        )
        return Response(s.DossierStatusOutput(dossier).data)
