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
    @extend_schema(parameters=[s.CertificateListFilter], responses=paginated(s.CertificateOutput),
                   operation_id="api_v1_certificates_list")
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
