"""Reads of map layers as pages of features (shared by the layer API, OGC API - Features and
the exports)."""

from dataclasses import dataclass

import orjson
from django.conf import settings

from apps.core.parsing import parse_optional_int

from .layers.base import Layer, LayerContext, layer_features

DEFAULT_LIMIT = 10_000
MAX_LIMIT = 50_000
# Query-string keys that are not property filters.
RESERVED = frozenset({"limit", "offset", "bbox", "datetime", "f", "format", "page", "page_size"})


@dataclass
class FeaturePage:
    rows: list[list]
    number_matched: int
    offset: int
    limit: int

    @property
    def number_returned(self) -> int:
        return len(self.rows)

    @property
    def has_next(self) -> bool:
        return self.offset + self.number_returned < self.number_matched


def parse_paging(
    params, *, default: int = DEFAULT_LIMIT, maximum: int = MAX_LIMIT
) -> tuple[int, int]:
    """`limit` and `offset` from the query string; a limit above the maximum is lowered to it
    (as OGC API - Features requires), anything unparsable (non-ASCII digits included) or an
    offset beyond `OCOP_MAX_OFFSET` is a 400 naming the parameter."""
    limit = parse_optional_int(params.get("limit"), field="limit", default=default, minimum=1)
    offset = parse_optional_int(
        params.get("offset"), field="offset", default=0, minimum=0, maximum=settings.OCOP_MAX_OFFSET
    )
    return min(limit, maximum), offset


def layer_page(layer: Layer, ctx: LayerContext, params, *, limit: int, offset: int) -> FeaturePage:
    """One page of `layer` for `ctx`, filtered by the query-string `params`. `numberMatched` is
    a COUNT over the filtered rows, skipped when the first page already holds everything."""
    qs = layer.queryset(ctx, params, bbox=params.get("bbox"), datetime_=params.get("datetime"))
    rows = layer.rows(qs[offset : offset + limit], ctx)
    if offset == 0 and len(rows) < limit:
        matched = len(rows)
    else:
        matched = qs.count()
    return FeaturePage(rows=rows, number_matched=matched, offset=offset, limit=limit)


def feature_collection_bytes(
    layer: Layer, page: FeaturePage, ctx: LayerContext, *, links=(), **members
) -> bytes:
    return orjson.dumps(
        {
            "type": "FeatureCollection",
            **members,
            "numberMatched": page.number_matched,
            "numberReturned": page.number_returned,
            "links": list(links),
            "features": list(layer_features(layer, page.rows, ctx)),
        },
        option=orjson.OPT_NON_STR_KEYS,
    )
