"""The admin's geometry widget, offline and under the strict Content-Security-Policy.

Django's OSMWidget loads OpenLayers from a CDN, starts with an inline <script> and draws
OpenStreetMap's tiles from the internet: all three are blocked here (no request leaves the app,
`script-src 'self'`). This widget keeps Django's editor (`gis/js/OLMapWidget.js`, its textarea
and form handling) and changes only where things come from:

- OpenLayers 7.2.2, the version Django 5.2 names, vendored in `apps/core/static/vendor/ol/` as
  the subset this editor uses (`make vendor-ol`, from `apps/geo/olbuild/entry.js`): without the
  sources that default to internet tile servers, Django's OSM fallback cannot run at all;
- the options as JSON data (`json_script`), read by `geo/admin-map.js`, which starts the map;
- the base layer: OCOP_BASEMAP_URL as an XYZ layer when set, else none; the current provinces and
  the pilot province's communes (the admin-unit API, this site) are drawn as a backdrop.

The template lives in this app (not in the project's `templates/`) because widgets are rendered
by the form renderer, whose default engine looks only in the apps' template directories.
"""

from django.conf import settings
from django.contrib.gis.forms import OSMWidget
from django.urls import reverse

from .attribution import MAP_ATTRIBUTIONS


class OfflineMapWidget(OSMWidget):
    template_name = "geo/widgets/openlayers.html"
    # The pilot province (Vĩnh Long, 86) when a geometry is still empty; the script then fits
    # the view to the pilot's communes once they are loaded.
    default_lon = 106.2
    default_lat = 10.1
    default_zoom = 9

    class Media:
        extend = False  # not Django's CDN files
        css = {"all": ("vendor/ol/ol.css", "gis/css/ol3.css")}
        js = ("vendor/ol/ol.js", "gis/js/OLMapWidget.js", "geo/admin-map.js")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_id = context.get("id") or f"id_{name}"
        context["id"] = widget_id
        context["options_id"] = f"{widget_id}_options"
        context["options"] = {
            # What Django's inline script passed to MapWidget, plus where the map data is.
            "id": widget_id,
            "map_id": f"{widget_id}_map",
            "name": name,
            "module": context["module"],
            "geom_name": context["geom_type"],
            "map_srid": self.map_srid,
            "default_lon": context["default_lon"],
            "default_lat": context["default_lat"],
            "default_zoom": context["default_zoom"],
            "basemap": settings.OCOP_BASEMAP_URL,
            "basemap_attribution": settings.OCOP_BASEMAP_ATTRIBUTION,
            "units_url": reverse("admin-unit-list"),
            "pilot": settings.OCOP_PILOT_PROVINCE_CODE,
            "attributions": list(MAP_ATTRIBUTIONS),
        }
        return context
