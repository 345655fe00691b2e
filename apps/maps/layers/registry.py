"""The registry of map layers, in the order every client lists them (the layer API, the OGC API
- Features collections, the map's layer switcher)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.exceptions import ApplicationError, ErrorCode

from .base import Layer
from .certificates import CERTIFICATES
from .dossiers import DOSSIERS
from .products import AREAS, PRODUCERS, PRODUCTS
from .units import ADMIN_UNITS

REGISTRY: dict[str, Layer] = {
    layer.id: layer for layer in (PRODUCERS, PRODUCTS, AREAS, DOSSIERS, CERTIFICATES, ADMIN_UNITS)
}


def get_layer(layer_id: str) -> Layer:
    try:
        return REGISTRY[layer_id]
    except KeyError:
        raise ApplicationError(
            ErrorCode.NOT_FOUND, _("No such layer: %(id)s.") % {"id": layer_id[:40]}
        ) from None
