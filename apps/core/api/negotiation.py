from django.http import Http404
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.settings import api_settings


class FormatFirstNegotiation(DefaultContentNegotiation):
    """An explicit `?format=` wins over the Accept header.

    GIS clients (GDAL's GeoJSON driver, QGIS) send generic Accept headers that do not name
    `application/geo+json`; asking for `?format=geojson` must still return GeoJSON, not 406.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        fmt = format_suffix or request.query_params.get(api_settings.URL_FORMAT_OVERRIDE)
        if fmt:
            for renderer in renderers:
                if renderer.format == fmt:
                    return renderer, renderer.media_type
            raise Http404(f"Unknown format {fmt!r}")
        return super().select_renderer(request, renderers, format_suffix)
