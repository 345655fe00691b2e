"""Public pages: the criteria sets, and a criteria sheet to fill in as a self-assessment.

The sheet page only shows the sheet; every total, star and minimum comes from the evaluate
endpoint (the ranking engine), first rendered on the server, then refreshed by selfcheck.js.
"""

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

from . import engine
from .api.serializers import EvaluationOutputSerializer
from .errors import CriteriaError
from .models import Sheet
from .selectors import criteria_set_list, sheet_get
from .services import sheet_evaluate, sheet_evaluation_blocker


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Every criteria set with its sheets, grouped by classification group."""
    sets = criteria_set_list().prefetch_related(
        Prefetch(
            "sheets",
            queryset=Sheet.objects.select_related("classification__parent__parent").order_by(
                "number"
            ),
        )
    )
    listing = []
    for criteria_set in sets:
        groups: dict[str, dict] = {}
        for sheet in criteria_set.sheets.all():
            root = sheet.classification
            while root is not None and root.parent is not None:
                root = root.parent
            key = root.code if root else ""
            groups.setdefault(key, {"group": root, "sheets": []})["sheets"].append(sheet)
        listing.append({"criteria_set": criteria_set, "groups": list(groups.values())})
    return render(request, "criteria/index.html", {"listing": listing})


@require_GET
@ensure_csrf_cookie
def sheet_page(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """A sheet as a form: parts, sections, criteria and their options as radio buttons."""
    try:
        sheet = sheet_get(slug=slug, number=number)
    except CriteriaError as exc:
        raise Http404(exc.message) from exc
    criteria = list(sheet.criteria.all())
    sections = []
    for section in sheet.sections.all():
        sections.append(
            {
                "section": section,
                "code": str(section.number),  # a section printed with options is its criterion
                "criteria": [c for c in criteria if c.section_id == section.pk],
            }
        )
    parts = [
        {"part": part, "sections": [s for s in sections if s["section"].part == part.part]}
        for part in sheet.parts.all()
    ]
    blocker = sheet_evaluation_blocker(sheet=sheet)
    result = None
    if blocker is None:
        result = EvaluationOutputSerializer.from_result(
            sheet_evaluate(sheet=sheet, scorecards=[engine.Scorecard(choices={})])
        )
    return render(
        request,
        "criteria/sheet.html",
        {
            "sheet": sheet,
            "criteria_set": sheet.criteria_set,
            "classification": sheet.classification,
            "parts": parts,
            "blocker": blocker,
            "result": result,
            "dossier_knockout": engine.DOSSIER_KNOCKOUT,
            "selfcheck_i18n": {
                "notRanked": _("not ranked yet"),
                "unmet": _("{code}: below the minimum for {star}★"),
                "failed": _(
                    "The score could not be calculated. Check your connection and try again."
                ),
            },
        },
    )
