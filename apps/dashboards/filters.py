"""The dashboard's filter panel, expressed in the map layers' own filters.

The panel has one set of fields (group, star, dossier status, unit, round, a date range). Each
field is passed to the layers that have a filter of that meaning, under the layer's own name, so
the map (which reads `/api/v1/layers/{id}/`) and the charts (`/dashboards/api/summary`) narrow
the same rows through `Layer.queryset()`: a filter means the same thing everywhere. The same
table is sent to the page (`panel_spec()`), and the browser builds the layer URLs from it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from apps.core.exceptions import ApplicationError, ErrorCode
from apps.maps.layers.base import LayerContext
from apps.maps.layers.registry import get_layer

# panel field -> {layer id: that layer's filter name}
PANEL_FILTERS: dict[str, dict[str, str]] = {
    "group": {"products": "group", "dossiers": "group", "certificates": "group"},
    "star": {"products": "star", "certificates": "star"},
    "status": {"dossiers": "status"},
    "unit": {"products": "unit", "dossiers": "unit", "certificates": "unit"},
    "round": {"products": "round", "dossiers": "round", "certificates": "round"},
}
# The date range becomes the layers' OGC `datetime` interval (each layer's own time dimension:
# products and dossiers by creation, certificates by validity).
DATE_FIELDS = ("from", "to")
DATE_LAYERS = ("products", "dossiers", "certificates")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")  # ASCII digits only


@dataclass(frozen=True)
class Panel:
    values: dict[str, str]
    datetime: str | None

    def layer_params(self, layer_id: str) -> dict[str, str]:
        return {
            names[layer_id]: self.values[field]
            for field, names in PANEL_FILTERS.items()
            if field in self.values and layer_id in names
        }

    def queryset(self, layer_id: str, ctx: LayerContext) -> QuerySet:
        """The layer's rows for `ctx` narrowed by the panel (the registry validates every value
        and answers 400 naming the field)."""
        dt = self.datetime if layer_id in DATE_LAYERS else None
        return get_layer(layer_id).queryset(ctx, self.layer_params(layer_id), datetime_=dt)


def _bad(key: str, message: str) -> ApplicationError:
    return ApplicationError(ErrorCode.INVALID, message, extra={"key": key})


def parse_panel(params: Mapping[str, str]) -> Panel:
    """The panel's fields from a query string; unknown keys are ignored, empty ones skipped.
    Dates are checked here (`from`/`to`, YYYY-MM-DD, not reversed); the other values by the
    layers' own filters when the querysets are built."""
    values = {}
    for field in PANEL_FILTERS:
        raw = params.get(field)
        if raw not in (None, ""):
            values[field] = str(raw).strip()
    days = {}
    for field in DATE_FIELDS:
        raw = (params.get(field) or "").strip()
        if not raw:
            continue
        try:
            day = parse_date(raw) if _DAY.match(raw) else None
        except ValueError:  # well formed but impossible, e.g. 2026-13-01
            day = None
        if day is None:
            raise _bad(field, _("“%(name)s” must be a date, YYYY-MM-DD.") % {"name": field})
        days[field] = day
    if "from" in days and "to" in days and days["from"] > days["to"]:
        raise _bad("to", _("The end date is before the start date."))
    datetime = None
    if days:
        datetime = "{}/{}".format(
            days["from"].isoformat() if "from" in days else "..",
            days["to"].isoformat() if "to" in days else "..",
        )
    return Panel(values=values, datetime=datetime)


def panel_spec() -> dict:
    """What the page needs to build layer URLs from the panel: the same table as above."""
    return {"filters": PANEL_FILTERS, "dateLayers": list(DATE_LAYERS)}
