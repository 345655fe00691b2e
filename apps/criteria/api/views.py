"""Public API of the OCOP criteria sets: read the sheets, and score a sheet with the engine."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.criteria.selectors import criteria_set_get, criteria_set_list, sheet_get, sheet_list
from apps.criteria.services import sheet_evaluate

from .serializers import (
    CriteriaSetOutputSerializer,
    ErrorSerializer,
    EvaluateInputSerializer,
    EvaluationOutputSerializer,
    SheetOutputSerializer,
    SheetSummaryOutputSerializer,
    evaluation_input,
)

NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Unknown criteria set or sheet.")


class CriteriaSetListApi(APIView):
    """Every OCOP criteria set (legal instrument), newest first. Public."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="criteria_sets_list",
        responses=CriteriaSetOutputSerializer(many=True),
        tags=["criteria"],
    )
    def get(self, request: Request) -> Response:
        return Response(CriteriaSetOutputSerializer(criteria_set_list(), many=True).data)


class SheetListApi(APIView):
    """The criteria sheets of a set, with their classification position. Public."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="criteria_sheets_list",
        responses={200: SheetSummaryOutputSerializer(many=True), 404: NOT_FOUND},
        tags=["criteria"],
    )
    def get(self, request: Request, slug: str) -> Response:
        criteria_set = criteria_set_get(slug=slug)
        sheets = sheet_list(criteria_set=criteria_set)
        return Response(SheetSummaryOutputSerializer(sheets, many=True).data)


class SheetDetailApi(APIView):
    """One sheet: parts, sections, and every criterion (a flat list in printed order). Public."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="criteria_sheet_retrieve",
        responses={200: SheetOutputSerializer, 404: NOT_FOUND},
        tags=["criteria"],
    )
    def get(self, request: Request, slug: str, number: int) -> Response:
        return Response(SheetOutputSerializer(sheet_get(slug=slug, number=number)).data)


class SheetEvaluateApi(APIView):
    """Score a product on a sheet with the ranking engine. Stores nothing. Public."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="criteria_sheet_evaluate",
        request=EvaluateInputSerializer,
        responses={
            200: EvaluationOutputSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description=(
                    "Bad input; `extra.key` names it. Codes: `invalid` (shape), "
                    "`unknown_criterion`, `option_out_of_range`, `not_applicable`, "
                    "`unknown_knockout`, `bad_rule`, `no_scorecards`."
                ),
            ),
            404: NOT_FOUND,
            409: OpenApiResponse(
                ErrorSerializer,
                description="`sheet_not_evaluable`: the stored sheet has values awaiting review.",
            ),
        },
        examples=[
            OpenApiExample(
                "Self-assessment",
                value={"choices": {"1.1": 3, "1.2": 2, "2.4": 2}, "knockouts": []},
                request_only=True,
            ),
            OpenApiExample(
                "Council",
                value={
                    "scorecards": [{"choices": {"1.1": 3}}, {"choices": {"1.1": 2}}],
                    "rules": {"council_size": 3, "spread_threshold": "10"},
                },
                request_only=True,
            ),
        ],
        description=(
            "Send one scorecard (`choices`, `knockouts`) or a council's `scorecards`, and "
            "optionally the province's `rules`. Totals are strings with two decimals; `star` is "
            "null while the scorecards are incomplete, after a knock-out, or without quorum."
        ),
        tags=["criteria"],
    )
    def post(self, request: Request, slug: str, number: int) -> Response:
        sheet = sheet_get(slug=slug, number=number)
        scorecards, rules = evaluation_input(request.data)
        result = sheet_evaluate(sheet=sheet, scorecards=scorecards, rules=rules)
        return Response(EvaluationOutputSerializer.from_result(result))
