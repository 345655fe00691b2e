from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("apps.accounts.urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI from the sidecar's static files; the split view serves its start-up script as a
    # separate file (/api/v1/docs/?script), so the page runs under `script-src 'self'`.
    path(
        "api/v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"
    ),
    path("api/v1/", include("apps.geo.api.urls")),
    path("api/v1/", include("apps.producers.api.urls")),
    path("api/v1/", include("apps.products.api.urls")),
    path("api/v1/", include("apps.dossiers.api.urls")),
    path("api/v1/", include("apps.evaluation.api.urls")),
    path("api/v1/", include("apps.criteria.api.urls")),
    path("api/v1/", include("apps.certificates.api.urls")),
    path("api/v1/", include("apps.maps.api.urls")),
    path("api/v1/", include("apps.traceability.api.urls")),
    path("api/v1/", include("apps.public.api.urls")),
    path("map/", include("apps.geo.urls")),
    path("dossiers/", include("apps.dossiers.urls")),
    path("producers/", include("apps.producers.urls")),
    path("criteria/", include("apps.criteria.urls")),
    path("evaluation/", include("apps.evaluation.urls")),
    path("certificates/", include("apps.certificates.urls")),
    # Map layers (GeoJSON, vector tiles, exports), OGC API - Features, dashboards.
    path("", include("apps.maps.urls")),
    path("ogc/", include("apps.ogc.urls")),
    path("dashboards/", include("apps.dashboards.urls")),
    path("trace/", include("apps.traceability.urls")),
    # Public product pages: GS1 Digital Link paths (/01/{gtin}…) and /p/{code}, which the QR
    # code on each certificate points to (OCOP_PUBLIC_PRODUCT_URL).
    path("", include("apps.public.urls")),
    path("", include("apps.core.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
