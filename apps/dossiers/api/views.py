from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers as f
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.pagination import Pagination
from apps.core.api.schema import paginated
from apps.core.exceptions import ApplicationError, ErrorCode
from apps.core.files import file_response
from apps.criteria.api.serializers import EvaluationOutputSerializer
from apps.dossiers import selectors, services
from apps.products.models import Product

from . import serializers as s


class DossierListApi(APIView):
    @extend_schema(
        parameters=[s.DossierListFilter],
        responses=paginated(s.DossierOutput),
        operation_id="api_v1_dossiers_list",
    )
    def get(self, request):
        filters = s.DossierListFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        qs = selectors.dossier_list(
            user=request.user,
            status=f.get("status"),
            overdue=f.get("overdue"),
            commune_code=f.get("commune"),
        ).select_related("sheet__criteria_set")
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(s.DossierOutput(page, many=True).data)

    @extend_schema(request=s.DossierCreateInput, responses={201: s.DossierDetailOutput})
    def post(self, request):
        data = s.DossierCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        product = (
            Product.objects.for_user(request.user).filter(pk=data.validated_data["product"]).first()
        )
        if product is None:
            raise ApplicationError(
                ErrorCode.NOT_FOUND,
                _("Not found, or outside your jurisdiction."),
                extra={"key": "product"},
            )
        dossier = services.dossier_create(
            product=product, kind=data.validated_data["kind"], actor=request.user
        )
        return _detail(request, dossier.pk, status.HTTP_201_CREATED)


def _detail(request, dossier_id: int, code: int = status.HTTP_200_OK) -> Response:
    dossier = selectors.dossier_get(user=request.user, dossier_id=dossier_id)
    return Response(s.DossierDetailOutput(dossier).data, status=code)


class DossierDetailApi(APIView):
    @extend_schema(responses=s.DossierDetailOutput)
    def get(self, request, dossier_id: int):
        return _detail(request, dossier_id)


class DossierFormsApi(APIView):
    @extend_schema(request=s.FormsInput, responses=s.DossierDetailOutput)
    def patch(self, request, dossier_id: int):
        data = s.FormsInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.dossier_forms_update(
            dossier_id=dossier_id, actor=request.user, **data.validated_data
        )
        return _detail(request, dossier_id)


class DossierSelfAssessmentApi(APIView):
    @extend_schema(request=s.SelfAssessmentInput, responses=EvaluationOutputSerializer)
    def put(self, request, dossier_id: int):
        data = s.SelfAssessmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.dossier_self_assess(
            dossier_id=dossier_id, actor=request.user, **data.validated_data
        )
        return Response(EvaluationOutputSerializer.from_result(result))


class DossierCommuneAssessmentApi(APIView):
    @extend_schema(request=s.CommuneAssessmentIO, responses=s.CommuneAssessmentIO)
    def put(self, request, dossier_id: int):
        data = s.CommuneAssessmentIO(data=request.data)
        data.is_valid(raise_exception=True)
        assessment = services.commune_assessment_save(
            dossier_id=dossier_id, actor=request.user, **data.validated_data
        )
        return Response(s.CommuneAssessmentIO(assessment).data)


class DossierSamplesApi(APIView):
    @extend_schema(request=s.SamplesInput, responses=s.DossierDetailOutput)
    def post(self, request, dossier_id: int):
        data = s.SamplesInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.samples_record(dossier_id=dossier_id, actor=request.user, **data.validated_data)
        return _detail(request, dossier_id)


class DossierTransitionApi(APIView):
    """One endpoint per action: `POST /api/v1/dossiers/{id}/{action}/` with an optional note."""

    action: str = ""

    @extend_schema(request=s.TransitionInput, responses=s.DossierDetailOutput)
    def post(self, request, dossier_id: int):
        data = s.TransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.dossier_transition(
            dossier_id=dossier_id,
            action=self.action,
            actor=request.user,
            note=data.validated_data["note"],
        )
        return _detail(request, dossier_id)


def transition_view(action: str):
    view = type(
        f"Dossier{action.title().replace('_', '')}Api", (DossierTransitionApi,), {"action": action}
    )
    return view.as_view()


TRANSITION_PATHS = {
    action: action.replace("_", "-")
    for action, rule in services.TRANSITIONS.items()
    if not rule.internal
}


class DossierFileUploadApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": s.FileUploadInput}, responses={201: s.EvidenceFileOutput}
    )
    def post(self, request, dossier_id: int):
        data = s.FileUploadInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        created = services.evidence_upload(
            dossier_id=dossier_id,
            actor=request.user,
            file=v["file"],
            annex_type=v["annex_type"],
            criterion_code=v["criterion_code"],
            title=v["title"],
            replaces_id=v.get("replaces"),
        )
        return Response(s.EvidenceFileOutput(created).data, status=status.HTTP_201_CREATED)


class DossierFileDownloadApi(APIView):
    """The file's bytes, only through this view, only for users who may see the dossier."""

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request, dossier_id: int, file_id: int):
        found = selectors.evidence_file_get(
            user=request.user, dossier_id=dossier_id, file_id=file_id
        )
        return file_response(
            storage_name=found.storage_name,
            filename=found.original_name,
            content_type=found.content_type,
        )


class NotificationListApi(APIView):
    @extend_schema(
        responses=paginated(
            inline_serializer(
                "Notification",
                {
                    "id": f.IntegerField(),
                    "dossier_id": f.IntegerField(),
                    "message": f.CharField(),
                    "created_at": f.DateTimeField(),
                    "read": f.BooleanField(),
                },
            )
        ),
        operation_id="api_v1_notifications_list",
    )
    def get(self, request):
        qs = selectors.notification_list(user=request.user)
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(
            [
                {
                    "id": n.pk,
                    "dossier_id": n.dossier_id,
                    "message": n.message,
                    "created_at": n.created_at,
                    "read": n.read_at is not None,
                }
                for n in page
            ]
        )
