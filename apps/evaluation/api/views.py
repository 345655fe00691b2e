"""The evaluation API: councils, scorecards, conclusions, rounds and field work."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers as f
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.criteria.api.serializers import EvaluationOutputSerializer
from apps.evaluation import selectors, services

from . import serializers as s

# The answers these views build as dicts, documented as named components.
POINT = inline_serializer(
    "EvaluationPoint",
    {
        "type": f.ChoiceField(choices=["Point"]),
        "coordinates": f.ListField(child=f.FloatField(), min_length=2, max_length=2),
    },
)
COUNCILS = inline_serializer(
    "CouncilSummary",
    many=True,
    fields={
        "id": f.IntegerField(),
        "name": f.CharField(),
        "level": f.CharField(),
        "round": f.CharField(),
        "criteria_set": f.CharField(),
        "regime_code": f.CharField(),
    },
)
COUNCIL_PROGRESS = inline_serializer(
    "CouncilProgress",
    {
        "members": inline_serializer(
            "CouncilProgressMember",
            {
                "user_id": f.IntegerField(),
                "name": f.CharField(),
                "role": f.CharField(),
            },
            many=True,
        ),
        "assignments": inline_serializer(
            "CouncilProgressAssignment",
            {
                "id": f.IntegerField(),
                "product_name": f.CharField(),
                "statuses": f.DictField(
                    child=f.CharField(), help_text="Scorecard status by member id."
                ),
                "concluded": f.BooleanField(),
                "written_opinions": f.BooleanField(
                    help_text="A re-evaluation, decided by written opinions (Đ7.6.d)."
                ),
                "meeting_needed": f.BooleanField(
                    help_text="The council must meet: always without written opinions; with them, "
                    "only when the "
                    "submitted totals spread more than the council's threshold."
                ),
            },
            many=True,
        ),
    },
)
SCORECARD_WITH_RESULT = inline_serializer(
    "ScorecardWithResult",
    {
        "scorecard": s.ScorecardOutput(),
        "result": EvaluationOutputSerializer(),
    },
)
OTHER_SCORECARDS = inline_serializer(
    "OtherScorecards",
    {
        "hidden": f.BooleanField(
            help_text="True until the viewer has submitted, if the council says so."
        ),
        "scorecards": inline_serializer(
            "OtherScorecard",
            {
                "member": f.CharField(),
                "version": f.IntegerField(),
                "total": f.CharField(),
                "star": f.IntegerField(allow_null=True),
            },
            many=True,
        ),
    },
)
ID_KIND = inline_serializer("IdAndKind", {"id": f.IntegerField(), "kind": f.CharField()})
REOPENED = inline_serializer("Reopened", {"reopened": f.ListField(child=f.IntegerField())})
FIELD_VISIT = inline_serializer(
    "FieldVisitCreated",
    {
        "id": f.IntegerField(),
        "location": POINT,
        "findings": f.JSONField(help_text="Findings per criterion."),
    },
)
LAB_REQUEST = inline_serializer(
    "LabRequestCreated", {"id": f.IntegerField(), "status": f.CharField()}
)
ROUNDS = inline_serializer(
    "Round",
    many=True,
    fields={
        "id": f.IntegerField(),
        "level": f.CharField(),
        "year": f.IntegerField(),
        "number": f.IntegerField(),
        "province": f.CharField(
            allow_null=True, help_text="Province code; null for a national round."
        ),
        "proposal_deadline": f.DateField(),
        "evaluation_deadline": f.DateField(),
    },
)
ROUND_CREATED = inline_serializer(
    "RoundCreated",
    {
        "id": f.IntegerField(),
        "year": f.IntegerField(),
        "number": f.IntegerField(),
    },
)
COUNCIL_CREATED = inline_serializer(
    "CouncilCreated", {"id": f.IntegerField(), "name": f.CharField()}
)
PHOTO = inline_serializer(
    "FieldVisitPhotoCreated",
    {
        "id": f.IntegerField(),
        "sha256": f.CharField(),
        "location": POINT,
    },
)


class CouncilListApi(APIView):
    @extend_schema(responses=COUNCILS)
    def get(self, request):
        councils = selectors.council_list(user=request.user)
        return Response(
            [
                {
                    "id": c.pk,
                    "name": c.name,
                    "level": c.round.level,
                    "round": str(c.round),
                    "criteria_set": c.criteria_set.code,
                    "regime_code": c.regime_code,
                }
                for c in councils
            ]
        )


class CouncilAssignApi(APIView):
    @extend_schema(request=s.AssignInput, responses={201: s.AssignmentOutput})
    def post(self, request, council_id: int):
        council = selectors.council_get(user=request.user, council_id=council_id)
        data = s.AssignInput(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = services.assignment_create(
            council=council, dossier_id=data.validated_data["dossier"], actor=request.user
        )
        return Response(s.AssignmentOutput(assignment).data, status=status.HTTP_201_CREATED)


class CouncilProgressApi(APIView):
    @extend_schema(responses=COUNCIL_PROGRESS)
    def get(self, request, council_id: int):
        council = selectors.council_get(user=request.user, council_id=council_id)
        members, rows = selectors.council_progress(council=council, viewer=request.user)
        submitted, sheets = selectors.submitted_scorecards(council), selectors.SheetCache()
        return Response(
            {
                "members": [
                    {"user_id": m.user_id, "name": str(m.user), "role": m.role} for m in members
                ],
                "assignments": [
                    {
                        "id": r.assignment.pk,
                        "product_name": r.assignment.dossier.product.name,
                        "statuses": {str(k): v for k, v in r.statuses.items()},
                        "concluded": hasattr(r.assignment, "result"),
                        **self._mode(r.assignment, submitted, sheets),
                    }
                    for r in rows
                ],
            }
        )

    @staticmethod
    def _mode(assignment, submitted, sheets) -> dict:
        """Written opinions or a meeting; the sheet is fetched (once) only to rank written ones."""
        if not services.written_opinions(assignment):
            return {"written_opinions": False, "meeting_needed": True}
        needed = services.meeting_needed(
            assignment=assignment,
            submitted=submitted.get(assignment.pk, []),
            sheet=sheets.get(assignment.dossier.sheet_id),
        )
        return {"written_opinions": True, "meeting_needed": needed}


class AssignmentDetailApi(APIView):
    @extend_schema(responses=s.AssignmentOutput)
    def get(self, request, assignment_id: int):
        return Response(
            s.AssignmentOutput(
                selectors.assignment_get(user=request.user, assignment_id=assignment_id)
            ).data
        )


def _scorecard_response(scorecard, result) -> dict:
    return {
        "scorecard": s.ScorecardOutput(scorecard).data,
        "result": EvaluationOutputSerializer.from_result(result),
    }


class ScorecardApi(APIView):
    """The member's own scorecard: read, or save as they go (merged)."""

    @extend_schema(responses=SCORECARD_WITH_RESULT)
    def get(self, request, assignment_id: int):
        scorecard = services.scorecard_open(assignment_id=assignment_id, member=request.user)
        result = selectors.scorecard_result(scorecard=scorecard)
        return Response(_scorecard_response(scorecard, result))

    @extend_schema(request=s.ScorecardInput, responses=SCORECARD_WITH_RESULT)
    def put(self, request, assignment_id: int):
        data = s.ScorecardInput(data=request.data)
        data.is_valid(raise_exception=True)
        scorecard, result = services.scorecard_save(
            assignment_id=assignment_id, member=request.user, **data.validated_data
        )
        return Response(_scorecard_response(scorecard, result))


class ScorecardSubmitApi(APIView):
    @extend_schema(request=None, responses=SCORECARD_WITH_RESULT)
    def post(self, request, assignment_id: int):
        scorecard = services.scorecard_submit(assignment_id=assignment_id, member=request.user)
        return Response(
            _scorecard_response(scorecard, selectors.scorecard_result(scorecard=scorecard))
        )


class OtherScorecardsApi(APIView):
    """Other members' submitted scorecards, only once the viewer has submitted (if the council
    says so). Each with its total and star from the engine."""

    @extend_schema(responses=OTHER_SCORECARDS)
    def get(self, request, assignment_id: int):
        scorecard = services.scorecard_open(assignment_id=assignment_id, member=request.user)
        view = selectors.scoring_view(
            assignment=scorecard.assignment, scorecard=scorecard, viewer=request.user
        )
        if view.others_hidden:
            return Response({"hidden": True, "scorecards": []})
        out = []
        for other in view.others:
            result = selectors.scorecard_result(scorecard=other)
            out.append(
                {
                    "member": str(other.member),
                    "version": other.version,
                    "total": str(result.total),
                    "star": result.star,
                }
            )
        return Response({"hidden": False, "scorecards": out})


class ConflictDeclareApi(APIView):
    @extend_schema(request=s.NoteInput, responses={201: ID_KIND})
    def post(self, request, assignment_id: int):
        data = s.NoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        conflict = services.conflict_declare(
            assignment_id=assignment_id, member=request.user, note=data.validated_data["note"]
        )
        return Response({"id": conflict.pk, "kind": conflict.kind}, status=status.HTTP_201_CREATED)


class ReopenApi(APIView):
    @extend_schema(request=s.ReopenInput, responses=REOPENED)
    def post(self, request, assignment_id: int):
        data = s.ReopenInput(data=request.data)
        data.is_valid(raise_exception=True)
        reopened = services.scorecards_reopen(
            assignment_id=assignment_id,
            chair=request.user,
            scorecard_ids=data.validated_data["scorecards"],
            reason=data.validated_data["reason"],
        )
        return Response({"reopened": [sc.pk for sc in reopened]})


class ConcludeApi(APIView):
    @extend_schema(request=s.ConcludeInput, responses={201: s.ResultOutput})
    def post(self, request, assignment_id: int):
        data = s.ConcludeInput(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.council_conclude(
            assignment_id=assignment_id,
            chair=request.user,
            feedback=data.validated_data["feedback"],
        )
        return Response(s.ResultOutput(result).data, status=status.HTTP_201_CREATED)


class FieldVisitApi(APIView):
    @extend_schema(request=s.FieldVisitInput, responses={201: FIELD_VISIT})
    def post(self, request, assignment_id: int):
        data = s.FieldVisitInput(data=request.data)
        data.is_valid(raise_exception=True)
        visit = services.field_visit_record(
            assignment_id=assignment_id, adviser=request.user, **data.validated_data
        )
        return Response(
            {
                "id": visit.pk,
                "location": {"type": "Point", "coordinates": [visit.location.x, visit.location.y]},
                "findings": visit.findings,
            },
            status=status.HTTP_201_CREATED,
        )


class AdvisoryReportApi(APIView):
    """The advisory team's report on the dossier (Đ7.3.c): the team reads and writes its draft;
    members and officers read it once it is sent to the chair."""

    @extend_schema(responses=s.AdvisoryReportOutput)
    def get(self, request, assignment_id: int):
        assignment, report = selectors.advisory_report_get(
            user=request.user, assignment_id=assignment_id
        )
        return Response(
            s.AdvisoryReportOutput(s.AdvisoryReportOutput.build(assignment, report)).data
        )

    @extend_schema(request=s.AdvisoryReportInput, responses=s.AdvisoryReportOutput)
    def put(self, request, assignment_id: int):
        data = s.AdvisoryReportInput(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.advisory_report_save(
            assignment_id=assignment_id, adviser=request.user, **data.validated_data
        )
        return Response(
            s.AdvisoryReportOutput(s.AdvisoryReportOutput.build(report.assignment, report)).data
        )


class AdvisoryReportSubmitApi(APIView):
    @extend_schema(request=None, responses=s.AdvisoryReportOutput)
    def post(self, request, assignment_id: int):
        report = services.advisory_report_submit(assignment_id=assignment_id, adviser=request.user)
        return Response(
            s.AdvisoryReportOutput(s.AdvisoryReportOutput.build(report.assignment, report)).data
        )


class LabRequestApi(APIView):
    @extend_schema(request=s.LabRequestInput, responses={201: LAB_REQUEST})
    def post(self, request, assignment_id: int):
        data = s.LabRequestInput(data=request.data)
        data.is_valid(raise_exception=True)
        lab = services.lab_request_create(
            assignment_id=assignment_id, adviser=request.user, **data.validated_data
        )
        return Response({"id": lab.pk, "status": lab.status}, status=status.HTTP_201_CREATED)


class RoundListCreateApi(APIView):
    @extend_schema(responses=ROUNDS)
    def get(self, request):
        from apps.evaluation.models import EvaluationRound

        rounds = (
            EvaluationRound.objects.for_user(request.user)
            .select_related("province")
            .order_by("-year", "-number")
        )
        return Response(
            [
                {
                    "id": r.pk,
                    "level": r.level,
                    "year": r.year,
                    "number": r.number,
                    "province": r.province.code if r.province else None,
                    "proposal_deadline": r.proposal_deadline,
                    "evaluation_deadline": r.evaluation_deadline,
                }
                for r in rounds
            ]
        )

    @extend_schema(request=s.RoundInput, responses={201: ROUND_CREATED})
    def post(self, request):
        data = s.RoundInput(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.round_create(actor=request.user, **data.validated_data)
        return Response(
            {"id": created.pk, "year": created.year, "number": created.number},
            status=status.HTTP_201_CREATED,
        )


class CouncilCreateApi(APIView):
    @extend_schema(request=s.CouncilInput, responses={201: COUNCIL_CREATED})
    def post(self, request):
        data = s.CouncilInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        council = services.council_create(
            actor=request.user,
            round_id=v.pop("round"),
            name=v.pop("name"),
            criteria_set_code=v.pop("criteria_set"),
            members=v.pop("members"),
            advisors=v.pop("advisors"),
            **v,
        )
        return Response({"id": council.pk, "name": council.name}, status=status.HTTP_201_CREATED)


class ProducerLinkApi(APIView):
    @extend_schema(request=s.ProducerLinkInput, responses={201: ID_KIND})
    def post(self, request, producer_id: int):
        data = s.ProducerLinkInput(data=request.data)
        data.is_valid(raise_exception=True)
        link = services.producer_link_record(
            actor=request.user,
            producer_id=producer_id,
            user_id=data.validated_data["user"],
            kind=data.validated_data["kind"],
            note=data.validated_data["note"],
        )
        return Response({"id": link.pk, "kind": link.kind}, status=status.HTTP_201_CREATED)


class ConclusionPdfApi(APIView):
    """The council's conclusion: the ranked list and minutes, as a Vietnamese PDF."""

    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request, council_id: int):
        from django.http import HttpResponse

        council = selectors.council_get(user=request.user, council_id=council_id)
        pdf = selectors.conclusion_pdf(council=council, viewer=request.user)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="ket-luan-hoi-dong-{council.pk}.pdf"'
        return response


class FieldVisitPhotoApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": s.PhotoInput}, responses={201: PHOTO})
    def post(self, request, visit_id: int):
        data = s.PhotoInput(data=request.data)
        data.is_valid(raise_exception=True)
        photo = services.field_visit_photo_add(
            visit_id=visit_id, adviser=request.user, **data.validated_data
        )
        return Response(
            {
                "id": photo.pk,
                "sha256": photo.sha256,
                "location": {"type": "Point", "coordinates": [photo.location.x, photo.location.y]},
            },
            status=status.HTTP_201_CREATED,
        )
