"""Reads behind the dashboards. Everything the user sees starts from `for_user()`, through the
map layer registry (`apps.maps.layers`) so the charts count exactly the rows the map draws; the
one exception is the commune's rank among the province's communes (see `commune_ranks`), read
from the units' indicators (`apps.maps.indicators`). A certificate's standing is read from
`apps.certificates` (`CertificateQuerySet`), never from its dates here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from apps.accounts.choices import NATIONAL_ROLES, PROVINCIAL_ROLES, Role
from apps.certificates.models import Certificate
from apps.core.exceptions import not_found
from apps.dossiers.choices import CLOSED, DossierStatus
from apps.dossiers.models import Dossier, commune_overdue_q
from apps.evaluation.models import Assignment
from apps.geo.choices import Level
from apps.geo.models import AdminUnit, AdminUnitSuccession
from apps.maps.indicators import unit_aggregates
from apps.maps.layers.base import LayerContext
from apps.producers.models import Producer
from apps.products.choices import ProductGroup, product_group
from apps.products.models import Product

from .filters import parse_panel

# Who gets the provincial dashboard. Commune officers are sent to their commune's page;
# producers to their own dossiers (the dashboards are for the administration).
DASHBOARD_ROLES = frozenset(PROVINCIAL_ROLES | NATIONAL_ROLES)
OFFICER_PAGE_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.PROVINCE_LEADER})
STARS = (3, 4, 5)


def may_see_dashboard(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in DASHBOARD_ROLES)


def may_read_summary(user) -> bool:
    """The chart endpoint: dashboard roles and commune officers (scoped to their communes)."""
    return may_see_dashboard(user) or (user.is_authenticated and user.role == Role.COMMUNE_OFFICER)


# --- where the dashboard opens ------------------------------------------------------------
def home_province(user) -> AdminUnit:
    """The user's (first) province, or the pilot province for national roles."""
    today = timezone.localdate()
    if not user.is_national:
        found = user.jurisdiction_provinces().valid_on(today).order_by("code").first()
        if found is not None:
            return found
    return AdminUnit.objects.valid_on(today).get(
        level=Level.PROVINCE, code=settings.OCOP_PILOT_PROVINCE_CODE
    )


def home_commune(user) -> AdminUnit | None:
    return user.jurisdiction_communes().valid_on(timezone.localdate()).order_by("code").first()


def pre_reform_parents(province: AdminUnit) -> list[str]:
    """Codes of the provinces that formed `province` on 1 July 2025 (their districts are the
    pre-reform units drawn on the map; only those with a boundary appear)."""
    codes = AdminUnitSuccession.objects.filter(
        successor=province, predecessor__level=Level.PROVINCE
    ).values_list("predecessor__code", flat=True)
    return sorted(set(codes)) or [province.code]


def commune_get(*, user, code: str) -> AdminUnit:
    """A current commune the user may follow: its commune officer, the provincial roles of its
    province, national roles. Anything else is a 404 (never reveal what exists)."""
    today = timezone.localdate()
    commune = (
        AdminUnit.objects.valid_on(today)
        .filter(level=Level.COMMUNE, code=code)
        .select_related("parent")
        .first()
    )
    if commune is None or not user.is_authenticated:
        raise not_found()
    if user.is_national:
        return commune
    if (
        user.role in PROVINCIAL_ROLES
        and user.jurisdiction_provinces().filter(pk=commune.parent_id).exists()
    ):
        return commune
    if (
        user.role == Role.COMMUNE_OFFICER
        and user.jurisdiction_communes().filter(pk=commune.pk).exists()
    ):
        return commune
    raise not_found()


# --- the chart summary --------------------------------------------------------------------
def dashboard_summary(*, user, params: Mapping[str, str], today: date | None = None) -> dict:
    """Counts for the charts, over the rows the map's layers show for the same filters:
    products by group and by star (of their standing certificate), dossiers by status (open,
    overdue), per commune, and recognitions (certificates) by year of validity start.
    A fixed number of grouped queries, whatever the data."""
    ctx = LayerContext(user=user, today=today or timezone.localdate())
    panel = parse_panel(params)
    products = panel.queryset("products", ctx).values("pk")
    dossiers = panel.queryset("dossiers", ctx).values("pk")
    certificates = panel.queryset("certificates", ctx).values("pk")

    per_commune: dict[str, dict] = {}
    total, by_group = _products_by_group(products, per_commune)
    recognised, by_star = _products_by_star(products, ctx.today, per_commune)
    dossier_counts = _dossiers_by_status(dossiers, ctx.today, per_commune)
    communes = sorted(
        per_commune.values(),
        key=lambda r: (-r["recognised"], -r["products"], -r["dossiers_open"], r["name"] or ""),
    )
    return {
        "filters": {**panel.values, **({"datetime": panel.datetime} if panel.datetime else {})},
        "products": {
            "total": total,
            "recognised": recognised,
            "by_group": by_group,
            "by_star": by_star,
        },
        "dossiers": dossier_counts,
        "by_commune": communes,
        "recognitions_by_year": _recognitions_by_year(certificates),
    }


def _commune_row(per_commune: dict[str, dict], code, name) -> dict:
    return per_commune.setdefault(
        code,
        {
            "code": code,
            "name": name,
            "products": 0,
            "recognised": 0,
            "dossiers_open": 0,
            "dossiers_overdue": 0,
        },
    )


def _products_by_group(
    products: QuerySet, per_commune: dict[str, dict]
) -> tuple[int, dict[str, int]]:
    """The products' total and count by group, counted into their communes' rows too."""
    by_group = {g: 0 for g in ProductGroup.values}
    total = 0
    for code, commune_code, commune_name, n in (
        Product.objects.filter(pk__in=products)
        .values_list("classification_code", "producer__commune__code", "producer__commune__name")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        group = product_group(code)
        by_group[group] = by_group.get(group, 0) + n
        _commune_row(per_commune, commune_code, commune_name)["products"] += n
        total += n
    return total, by_group


def _products_by_star(
    products: QuerySet, today: date, per_commune: dict[str, dict]
) -> tuple[int, dict[str, int]]:
    """How many of the products stand recognised on `today`, and by their standing
    certificates' star, counted into their communes' rows too."""
    standing = Certificate.objects.standing(today).filter(product__in=products)
    by_star = {str(s): 0 for s in STARS}
    recognised = 0
    for stars, commune_code, commune_name, n in (
        standing.values_list(
            "stars", "product__producer__commune__code", "product__producer__commune__name"
        )
        .annotate(n=Count("product", distinct=True))
        .order_by()
    ):
        by_star[str(stars)] = by_star.get(str(stars), 0) + n
        _commune_row(per_commune, commune_code, commune_name)["recognised"] += n
        recognised += n
    return recognised, by_star


def _dossiers_by_status(dossiers: QuerySet, today: date, per_commune: dict[str, dict]) -> dict:
    """`total`, `open`, `overdue` (past the commune deadline) and `by_status` of the dossiers,
    counted into their communes' rows too."""
    by_status = {s: 0 for s in DossierStatus.values}
    total = open_ = overdue_total = 0
    for status, commune_code, commune_name, n, overdue in (
        Dossier.objects.filter(pk__in=dossiers)
        .values_list("status", "commune__code", "commune__name")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=commune_overdue_q(today)))
        .order_by()
    ):
        by_status[status] += n
        total += n
        row = _commune_row(per_commune, commune_code, commune_name)
        if status not in CLOSED:
            open_ += n
            row["dossiers_open"] += n
        overdue_total += overdue
        row["dossiers_overdue"] += overdue
    return {"total": total, "open": open_, "overdue": overdue_total, "by_status": by_status}


def _recognitions_by_year(certificates: QuerySet) -> list[dict]:
    """The certificates counted by the year they were issued (their validity starts)."""
    by_year = {
        year: n
        for year, n in Certificate.objects.filter(pk__in=certificates)
        .annotate(year=ExtractYear("valid_from"))
        .values_list("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    }
    return [{"year": y, "count": n} for y, n in sorted(by_year.items())]


# --- the commune progress page ------------------------------------------------------------
@dataclass(frozen=True)
class Rank:
    position: int  # 1 = the most
    of: int
    value: int


def _rank(values: dict[int, int], unit_id: int) -> Rank:
    mine = values.get(unit_id, 0)
    return Rank(1 + sum(1 for v in values.values() if v > mine), len(values), mine)


def commune_ranks(commune: AdminUnit, today: date) -> dict[str, Rank]:
    """The commune's place among the current communes of its province by recognised products,
    open dossiers and overdue dossiers (1 = the most; ties share a place).

    Counted over the whole province, not the viewer's scope, because a rank needs the others;
    only the positions and the commune's own counts are shown, never another commune's numbers.
    Recognised products use the units' public indicator (`apps.maps.indicators`)."""
    communes = list(
        AdminUnit.objects.valid_on(today)
        .filter(level=Level.COMMUNE, parent_id=commune.parent_id)
        .values_list("pk", flat=True)
    )
    public = unit_aggregates(
        [(pk, Level.COMMUNE, True) for pk in communes], LayerContext(public=True, today=today)
    )
    recognised = {pk: counts["products_recognised"] for pk, counts in public.items()}
    open_, overdue = dict.fromkeys(communes, 0), dict.fromkeys(communes, 0)
    for commune_id, n_open, n_overdue in (
        Dossier.objects.filter(commune_id__in=communes)
        .exclude(status__in=list(CLOSED))
        .values_list("commune_id")
        .annotate(
            n=Count("pk"),
            overdue=Count("pk", filter=commune_overdue_q(today)),
        )
        .order_by()
    ):
        open_[commune_id], overdue[commune_id] = n_open, n_overdue
    return {
        "recognised": _rank(recognised, commune.pk),
        "open": _rank(open_, commune.pk),
        "overdue": _rank(overdue, commune.pk),
    }


@dataclass(frozen=True)
class CommuneProgress:
    commune: AdminUnit
    producers: list
    status_counts: list[tuple[str, str, int]]  # (status, label, count), workflow order
    overdue: list
    expiring: list
    ranks: dict[str, Rank]
    today: date


def commune_progress(*, user, commune: AdminUnit, today: date | None = None) -> CommuneProgress:
    today = today or timezone.localdate()
    producers = list(
        Producer.objects.for_user(user)
        .filter(commune=commune)
        .annotate(n_products=Count("products", distinct=True))
        .order_by("name", "pk")
    )
    dossiers = Dossier.objects.for_user(user).filter(commune=commune)
    counts = dict(dossiers.order_by().values_list("status").annotate(n=Count("pk", distinct=True)))
    status_counts = [(value, label, counts.get(value, 0)) for value, label in DossierStatus.choices]
    overdue = list(
        dossiers.commune_overdue(today)  # the commune's own deadline, as the counts and ranks
        .select_related("product", "product__producer")
        .order_by("commune_deadline", "pk")
    )
    expiring = list(
        Certificate.objects.for_user(user)
        .filter(dossier__commune=commune)
        .expiring(today)
        .select_related("product", "product__producer")
        .order_by("valid_until", "pk")
    )
    return CommuneProgress(
        commune, producers, status_counts, overdue, expiring, commune_ranks(commune, today), today
    )


# --- the product page and where a dossier opens -------------------------------------------
def product_get(*, user, product_id: int) -> Product:
    found = (
        Product.objects.for_user(user)
        .select_related("producer", "producer__commune", "producer__province")
        .filter(pk=product_id)
        .first()
    )
    if found is None:
        raise not_found()
    return found


def score_assignments(user, dossier_ids) -> dict[int, int]:
    """{dossier id: assignment id} for the dossiers on which `user` holds a council seat."""
    if not user.is_authenticated or user.role != Role.COUNCIL_MEMBER:
        return {}
    return dict(
        Assignment.objects.filter(dossier_id__in=dossier_ids, council__members__user=user)
        .order_by("assigned_at", "pk")
        .values_list("dossier_id", "pk")
    )


@dataclass(frozen=True)
class DossierLink:
    dossier: Dossier
    url: str  # "" when the user has no page for it
    score_url: str


def product_dossiers(*, user, product: Product) -> list[DossierLink]:
    from django.urls import reverse

    dossiers = list(
        Dossier.objects.for_user(user)
        .filter(product=product)
        .select_related("commune")
        .order_by("-created_at", "-pk")
    )
    seats = score_assignments(user, [d.pk for d in dossiers])
    links = []
    for d in dossiers:
        score_url = reverse("evaluation:score", args=[seats[d.pk]]) if d.pk in seats else ""
        links.append(DossierLink(d, dossier_page_url(user, d.pk, score_url), score_url))
    return links


def dossier_page_url(user, dossier_id: int, score_url: str = "") -> str:
    """The page a user opens a dossier on: officers the review page, producers their dossier
    page, council members their scorecard for it (if seated)."""
    from django.urls import reverse

    if user.is_superuser or user.role in OFFICER_PAGE_ROLES:
        return reverse("dossiers:review", args=[dossier_id])
    if user.role == Role.PRODUCER:
        return reverse("dossiers:detail", args=[dossier_id])
    return score_url


def dossier_open_url(*, user, dossier_id: int) -> str:
    """Where the map's "open" link of a dossier leads; 404 outside the user's scope."""
    from django.urls import reverse

    dossier = (
        Dossier.objects.for_user(user).filter(pk=dossier_id).values("pk", "product_id").first()
    )
    if dossier is None:
        raise not_found()
    seats = score_assignments(user, [dossier_id])
    score_url = reverse("evaluation:score", args=[seats[dossier_id]]) if dossier_id in seats else ""
    return dossier_page_url(user, dossier_id, score_url) or reverse(
        "dashboards:product", args=[dossier["product_id"]]
    )


def product_certificates(*, user, product: Product, today: date | None = None) -> list:
    today = today or timezone.localdate()
    return list(
        Certificate.objects.for_user(user)
        .with_public_status(today)
        .filter(product=product)
        .select_related("decision")
        .newest_first()
    )
