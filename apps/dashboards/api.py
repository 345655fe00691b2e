"""The dashboards' chart endpoint:
`GET /dashboards/api/summary?group=&star=&status=&unit=&round=&from=&to=`."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.authentication import ApiTokenAuthentication, CheckedBasicAuthentication
from apps.core.api.geojson import ORJSONRenderer

from .selectors import dashboard_summary, may_read_summary


class CanReadSummary(BasePermission):
    message = _("The dashboards are for commune, provincial and national staff.")

    def has_permission(self, request, view):
        return may_read_summary(request.user)


PARAMETERS = [
    OpenApiParameter(
        "group",
        OpenApiTypes.STR,
        enum=["I", "II", "III", "IV", "V", "VI"],
        description="Product group.",
    ),
    OpenApiParameter(
        "star",
        OpenApiTypes.INT,
        description="Star of the standing certificate, 3 to 5 (products, certificates).",
    ),
    OpenApiParameter("status", OpenApiTypes.STR, description="Dossier status (dossiers)."),
    OpenApiParameter(
        "unit",
        OpenApiTypes.STR,
        description="Official code of a province or commune, current or before July 2025.",
    ),
    OpenApiParameter("round", OpenApiTypes.STR, description="Evaluation round, YYYY-N or YYYY."),
    OpenApiParameter(
        "from", OpenApiTypes.DATE, description="Start of the period (the layers' datetime filter)."
    ),
    OpenApiParameter("to", OpenApiTypes.DATE, description="End of the period."),
]


@extend_schema(
    parameters=PARAMETERS,
    responses=OpenApiTypes.OBJECT,
    description=str(
        _(
            "Counts for the dashboard charts over the same rows the map layers show for these "
            "filters, scoped to your jurisdiction."
        )
    ),
)
class SummaryApi(APIView):
    # Basic first, as the layer API: anonymous gets 401 rather than a login page.
    authentication_classes = [
        CheckedBasicAuthentication,
        ApiTokenAuthentication,
        SessionAuthentication,
    ]
    permission_classes = [IsAuthenticated, CanReadSummary]
    renderer_classes = [ORJSONRenderer]

    def get(self, request):
        return Response(dashboard_summary(user=request.user, params=request.query_params))
