"""The ministry's national view (issue 16): every province with its OCOP indicators, the 5★
proposals received, the central rounds' councils and the ministry's decisions.

The counts per province are the map's (`apps.maps.indicators.unit_aggregates`, the one owner of
these indicators); the proposals, councils and decisions are read through their apps' querysets,
scoped to the user (`for_user`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from apps.certificates.choices import DecisionLevel
from apps.certificates.models import MinistryProposal
from apps.certificates.selectors import decision_list
from apps.core.collation import vietnamese_key
from apps.dossiers.choices import CLOSED
from apps.dossiers.models import Dossier
from apps.evaluation.choices import CouncilLevel
from apps.evaluation.models import Assignment, Council
from apps.geo.choices import Level
from apps.geo.models import AdminUnit
from apps.maps.indicators import unit_aggregates
from apps.maps.layers.base import LayerContext

# The columns of the provinces' table, in order (keys of `unit_aggregates` and `proposals`).
COLUMNS = (
    "products_star_3",
    "products_star_4",
    "products_star_5",
    "products_recognised",
    "certificates_expiring",
    "dossiers_open",
    "dossiers_overdue",
    "proposals",
)
STAGES = {
    "proposed": _("Waiting for a central council"),
    "central_scoring": _("Being scored by the central council"),
    "central_result": _("Central result waiting for a decision"),
}


@dataclass
class NationalOverview:
    provinces: list[dict] = field(default_factory=list)  # {"unit", "counts"}, in Vietnamese order
    totals: dict[str, int] = field(default_factory=dict)
    proposals: list = field(default_factory=list)
    councils: list = field(default_factory=list)
    decisions: list = field(default_factory=list)


def national_overview(*, user, today: date) -> NationalOverview:
    provinces = sorted(
        AdminUnit.objects.valid_on(today)
        .filter(level=Level.PROVINCE)
        .only("pk", "code", "name", "full_name", "level", "valid_to"),
        key=lambda unit: vietnamese_key(unit.name),
    )
    counts = unit_aggregates(
        [(p.pk, p.level, True) for p in provinces], LayerContext(user=user, today=today)
    )
    proposals = _open_proposals(user)
    pending: dict[int, int] = {}
    for proposal in proposals:
        province_id = proposal.dossier.province_id
        pending[province_id] = pending.get(province_id, 0) + 1
    overview = NationalOverview(totals=dict.fromkeys(COLUMNS, 0), proposals=proposals)
    for unit in provinces:
        row = {**counts.get(unit.pk, {}), "proposals": pending.get(unit.pk, 0)}
        for key in COLUMNS:
            overview.totals[key] += row.get(key, 0)
        overview.provinces.append({"unit": unit, "counts": [row.get(k, 0) for k in COLUMNS]})
    overview.councils = list(
        Council.objects.filter(round__level=CouncilLevel.CENTRAL)
        .select_related("round")
        .annotate(
            assigned=Count("assignments", distinct=True),
            concluded=Count("assignments", filter=Q(assignments__result__isnull=False)),
        )
        .order_by("-round__year", "-round__number", "name")[:50]
    )
    overview.decisions = list(decision_list(user=user).filter(level=DecisionLevel.MINISTRY)[:50])
    return overview


def _open_proposals(user) -> list[MinistryProposal]:
    """The provinces' 5★ proposals still with the ministry, the oldest first, each with its
    `stage`: waiting for a central council, being scored there, or its central result waiting
    for a decision. A proposal whose dossier is closed, or that the province took back after the
    central result (a later provincial assignment), is no longer the ministry's."""
    proposals = (
        MinistryProposal.objects.filter(dossier__in=Dossier.objects.for_user(user))
        .exclude(dossier__status__in=CLOSED)
        .select_related("dossier__product__producer", "dossier__province", "result", "proposed_by")
        .prefetch_related(
            Prefetch(
                "dossier__assignments",
                queryset=Assignment.objects.select_related("council__round", "result").order_by(
                    "pk"
                ),
            )
        )
        .order_by("proposed_at", "pk")
    )
    out = []
    for proposal in proposals:
        assignments = list(proposal.dossier.assignments.all())
        latest = assignments[-1] if assignments else None
        if latest is None or latest.pk == proposal.result.assignment_id:
            proposal.stage = STAGES["proposed"]
        elif latest.council.round.level != CouncilLevel.CENTRAL:
            continue  # taken back by the province
        elif hasattr(latest, "result"):
            proposal.stage = STAGES["central_result"]
        else:
            proposal.stage = STAGES["central_scoring"]
        out.append(proposal)
    return out
