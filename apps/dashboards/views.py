"""The dashboard pages: the provincial map dashboard, one commune's progress, the product page
the map opens, and the redirect behind a dossier's "open" link. Reads come from `selectors`."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.accounts.choices import Role
from apps.core.exceptions import ApplicationError
from apps.dossiers.choices import DossierStatus
from apps.geo.choices import LAST_DAY_BEFORE_REFORM, Level
from apps.geo.models import AdminUnit
from apps.maps.indicators import INDICATORS
from apps.products.choices import ProductGroup, product_group

from . import selectors
from .filters import panel_spec
from .national import COLUMNS, national_overview


def _found(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except ApplicationError as exc:
        raise Http404(exc.message) from exc


def _i18n() -> dict:
    """The scripts' strings, translated here so the JSON is always well formed."""
    return {
        "loading": _("Loading…"),
        "failed": _(
            "The map data could not be loaded. Reload the page or contact the administrator."
        ),
        "loaded": _("{u} units, {p} products, {d} dossiers on the map."),
        "products": _("OCOP products (by star)"),
        "dossiers": _("Dossiers (by status)"),
        "units": _("Communes / districts"),
        "provinces": _("Provinces"),
        "openProduct": _("Open the product"),
        "openDossier": _("Open the dossier"),
        "openCommune": _("Commune progress"),
        "noStar": _("Not recognised"),
        "stars": _("{n} stars"),
        "overdue": _("Overdue"),
        "deadline": _("Commune deadline"),
        "producer": _("Producer"),
        "group": _("Group"),
        "noData": _("No data"),
        "recognised": _("recognised"),
        "open": _("open"),
        "totals": _("{p} products, {r} recognised; {d} dossiers, {o} open, {x} overdue"),
        "preNote": _(
            "Before 1 July 2025 the province is drawn by the districts that have a boundary; "
            "counts are by location inside them."
        ),
    }


def _map_config(request: HttpRequest, province: AdminUnit, **extra) -> dict:
    """What the dashboard scripts need: API addresses, labels, the filter table."""
    layer_url = reverse("layer-features", args=["LAYER"])
    return {
        "layerUrl": layer_url,
        "summaryUrl": reverse("dashboards:summary"),
        "provinceUrl": reverse("admin-unit-list"),
        "productUrl": reverse("dashboards:product", args=[0]),
        "dossierUrl": reverse("dashboards:dossier-open", args=[0]),
        "communeUrl": reverse("dashboards:commune", args=["CODE"]),
        "province": province.code,
        "preReformDay": LAST_DAY_BEFORE_REFORM.isoformat(),
        "preReformParents": selectors.pre_reform_parents(province),
        "indicators": [{"id": key, "title": str(title)} for key, title in INDICATORS.items()],
        "statusLabels": {value: str(label) for value, label in DossierStatus.choices},
        "groupLabels": {value: str(label) for value, label in ProductGroup.choices},
        "panel": panel_spec(),
        **extra,
    }


@require_GET
@login_required
def province_dashboard(request: HttpRequest) -> HttpResponse:
    """The provincial map dashboard: choropleth, products by star, dossiers by status, filters
    and charts. Commune officers go to their commune's page, producers to their dossiers."""
    user = request.user
    if not selectors.may_see_dashboard(user):
        if user.role == Role.COMMUNE_OFFICER:
            commune = selectors.home_commune(user)
            if commune is not None:
                return redirect("dashboards:commune", code=commune.code)
        if user.role == Role.PRODUCER:
            return redirect("dossiers:mine")
        return render(request, "dashboards/forbidden.html", status=403)
    province = selectors.home_province(user)
    communes = list(
        AdminUnit.objects.valid_on(timezone.localdate())
        .filter(level=Level.COMMUNE, parent=province)
        .order_by("name")
        .values_list("code", "name")
    )
    return render(
        request,
        "dashboards/province.html",
        {
            "province": province,
            "communes": communes,
            "groups": ProductGroup.choices,
            "statuses": DossierStatus.choices,
            "stars": selectors.STARS,
            "config": _map_config(request, province),
            "i18n": _i18n(),
        },
    )


@require_GET
@login_required
def commune_page(request: HttpRequest, code: str) -> HttpResponse:
    """One commune: producers, dossiers by status, overdue items, certificates expiring within
    180 days, the map zoomed to it, and its rank among the province's communes."""
    commune = _found(selectors.commune_get, user=request.user, code=code)
    progress = selectors.commune_progress(user=request.user, commune=commune)
    return render(
        request,
        "dashboards/commune.html",
        {
            "commune": commune,
            "progress": progress,
            "config": _map_config(
                request, commune.parent, commune=commune.code, communeName=commune.full_name
            ),
            "show_province_link": selectors.may_see_dashboard(request.user),
            "i18n": _i18n(),
        },
    )


@require_GET
@login_required
def product_page(request: HttpRequest, product_id: int) -> HttpResponse:
    """The product the map opens: its producer, certificates and dossiers, each dossier linked
    to the user's page for it (the officer's review page, a council member's scorecard)."""
    product = _found(selectors.product_get, user=request.user, product_id=product_id)
    return render(
        request,
        "dashboards/product.html",
        {
            "product": product,
            "group": product_group(product.classification_code),
            "group_label": dict(ProductGroup.choices).get(
                product_group(product.classification_code), ""
            ),
            "certificates": selectors.product_certificates(user=request.user, product=product),
            "dossiers": selectors.product_dossiers(user=request.user, product=product),
            "back_url": reverse("dashboards:province")
            if selectors.may_read_summary(request.user)
            else "",
        },
    )


@require_GET
@login_required
def dossier_open(request: HttpRequest, dossier_id: int) -> HttpResponse:
    return redirect(_found(selectors.dossier_open_url, user=request.user, dossier_id=dossier_id))


NATIONAL_ROLES = frozenset({Role.MINISTRY_OFFICER, Role.SYSTEM_ADMIN})
# The indicators the national map can colour the provinces by.
NATIONAL_INDICATORS = (
    "products_recognised",
    "products_star_3",
    "products_star_4",
    "products_star_5",
    "certificates_expiring",
    "dossiers_open",
)


@require_GET
@login_required
def national_dashboard(request: HttpRequest) -> HttpResponse:
    """The ministry's national view: the provinces on a map with their counts by star, the 5★
    proposals received, the central councils and the ministry's decisions. For national roles;
    a province's staff get a 403 page that sends them to their province's dashboard."""
    user = request.user
    if not (user.is_superuser or user.role in NATIONAL_ROLES):
        return render(request, "dashboards/forbidden.html", {"national": True}, status=403)
    overview = national_overview(user=user, today=timezone.localdate())
    config = {
        "layerUrl": reverse("layer-features", args=["LAYER"]),
        "indicators": [{"id": key, "title": str(INDICATORS[key])} for key in NATIONAL_INDICATORS],
        "panel": {"filters": {}, "dateLayers": []},
    }
    return render(
        request,
        "dashboards/national.html",
        {"overview": overview, "config": config, "i18n": _i18n(), "columns": _columns()},
    )


def _columns() -> list[str]:
    titles = {
        **{key: str(INDICATORS[key]) for key in COLUMNS if key in INDICATORS},
        "proposals": _("5-star proposals with the ministry"),
    }
    return [titles[key] for key in COLUMNS]
