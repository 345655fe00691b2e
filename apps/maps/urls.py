"""Vector tiles and exports of the map layers (mounted at the site root, namespace "maps").

/tiles/{layer}/{z}/{x}/{y}.pbf          /tiles/public/{layer}/{z}/{x}/{y}.pbf
/tiles/{layer}.json (TileJSON 3.0.0)    /tiles/public/{layer}.json
/exports/{layer}.{gpkg|geojson|csv|xlsx|html}
/exports/public/{layer}.{gpkg|geojson|csv|xlsx|html}
"""

from django.urls import re_path

from . import views

app_name = "maps"

_LAYER = r"(?P<layer_id>[a-z0-9][a-z0-9-]{0,59})"
_ZXY = r"(?P<z>-?[0-9]{1,3})/(?P<x>-?[0-9]{1,9})/(?P<y>-?[0-9]{1,9})\.pbf"
_FMT = r"(?P<fmt>[A-Za-z0-9]{1,10})"

urlpatterns = [
    re_path(rf"^tiles/public/{_LAYER}/{_ZXY}$", views.PublicTileView.as_view(), name="public-tile"),
    re_path(
        rf"^tiles/public/{_LAYER}\.json$",
        views.PublicTileJSONView.as_view(),
        name="public-tilejson",
    ),
    re_path(rf"^tiles/{_LAYER}/{_ZXY}$", views.TileView.as_view(), name="tile"),
    re_path(rf"^tiles/{_LAYER}\.json$", views.TileJSONView.as_view(), name="tilejson"),
    re_path(
        rf"^exports/public/{_LAYER}\.{_FMT}$",
        views.PublicExportView.as_view(),
        name="public-export",
    ),
    re_path(rf"^exports/{_LAYER}\.{_FMT}$", views.ExportView.as_view(), name="export"),
]
