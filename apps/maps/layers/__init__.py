"""The map layers, defined once and served everywhere: the GeoJSON layer API, OGC API -
Features (apps.ogc), vector tiles (apps.maps.tiles), exports and the dashboards all read a layer
through this registry, so a filter or a privacy rule means the same thing in every client.

- `base`: who asks (`LayerContext`), `Layer`, `Prop`, reading rows and features;
- `params`: `Param`, parsing and validating filter values, `bbox`, `datetime`, `unit`;
- `common`: pieces shared by several layers (product group, `group` and `round` filters);
- `products` (producers, products, production areas), `dossiers`, `certificates`, `units`:
  the layers, one module per family;
- `registry`: the layers in order, `get_layer`.

The administrative units' indicators are in `apps.maps.indicators` (the units layer and the
dashboards both read them there). The names below are those other modules import from here.
"""

from .base import (
    GEOJSON_PRECISION,
    Layer,
    LayerContext,
    Prop,
    SqlGeometry,
    layer_features,
    layer_property_names,
)
from .params import (
    LayerParamError,
    Param,
    UnitFilter,
    filter_interval,
    parse_bbox,
    parse_datetime_interval,
    parse_param,
    resolve_unit,
    unit_param,
)
from .registry import REGISTRY, get_layer

__all__ = [
    "GEOJSON_PRECISION",
    "REGISTRY",
    "Layer",
    "LayerContext",
    "LayerParamError",
    "Param",
    "Prop",
    "SqlGeometry",
    "UnitFilter",
    "filter_interval",
    "get_layer",
    "layer_features",
    "layer_property_names",
    "parse_bbox",
    "parse_datetime_interval",
    "parse_param",
    "resolve_unit",
    "unit_param",
]
