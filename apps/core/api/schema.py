"""OpenAPI post-processing (drf-spectacular): every operation documents the error envelope
`{"code", "message", "extra"}` (apps/core/api/errors.py) for the failures any operation can answer,
so clients and schemathesis know them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

# The answers every operation can give besides its own: bad input, not signed in, not allowed,
# not found or outside the jurisdiction, a state that forbids the change, throttled, and a
# busy SQLite database (apps/core/sqlite.py).
ERROR_STATUSES = {
    "400": "Invalid input: `extra.key` names the field.",
    "401": "Not signed in.",
    "403": "Not allowed for this role.",
    "404": "Not found, or outside your jurisdiction.",
    "405": "Method not allowed.",
    "406": "The requested format cannot be produced.",
    "409": "The record's state does not allow this.",
    "413": "The upload is too large.",
    "415": "Unsupported media type.",
    "429": "Too many requests: see `Retry-After`.",
    "503": "Busy: send the request again after `Retry-After` seconds.",
}
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "extra": {"type": "object", "additionalProperties": True},
    },
    "required": ["code", "message"],
}


def add_error_responses(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, description in ERROR_STATUSES.items():
                operation["responses"].setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result


# --- Reusable response shapes ---------------------------------------------------------------


class FeatureSerializer(serializers.Serializer):
    """One GeoJSON Feature (RFC 7946 §3.2) as apps/core/api/geojson.py writes it."""

    type = serializers.ChoiceField(choices=["Feature"])
    id = serializers.JSONField(required=False, help_text="The row's id (integer or string).")
    geometry = serializers.JSONField(allow_null=True, help_text="A GeoJSON geometry, or null.")
    properties = serializers.DictField(allow_null=True)

    class Meta:
        ref_name = "Feature"


class LinkSerializer(serializers.Serializer):
    rel = serializers.CharField()
    type = serializers.CharField(required=False)
    href = serializers.URLField()

    class Meta:
        ref_name = "Link"


class FeatureCollectionSerializer(serializers.Serializer):
    """A page of a GeoJSON FeatureCollection: `numberMatched`/`numberReturned` as OGC API Features,
    and the next/previous page either as `next`/`previous` (the `?format=geojson` lists) or as
    `links` (the map layers)."""

    type = serializers.ChoiceField(choices=["FeatureCollection"])
    features = FeatureSerializer(many=True)
    numberMatched = serializers.IntegerField(min_value=0)  # noqa: N815 (GeoJSON member name)
    numberReturned = serializers.IntegerField(min_value=0)  # noqa: N815
    next = serializers.URLField(allow_null=True, required=False)
    previous = serializers.URLField(allow_null=True, required=False)
    links = LinkSerializer(many=True, required=False)

    class Meta:
        ref_name = "FeatureCollection"


def paginated(
    serializer: type[serializers.Serializer] | serializers.Serializer,
) -> serializers.Serializer:
    """The page envelope of apps/core/api/pagination.py around `serializer` (a class, or an
    `inline_serializer`), as a named component `Paginated<Name>List`:
    `@extend_schema(responses=paginated(ProductOutput), operation_id="api_v1_products_list")`.
    (An APIView answering an object is not seen as a list, so give list views their
    operation_id, or they collide with the detail view's `..._retrieve`.)"""
    serializer_class = serializer if isinstance(serializer, type) else type(serializer)
    meta = getattr(serializer_class, "Meta", None)
    name = getattr(meta, "ref_name", None) or serializer_class.__name__
    name = name.removesuffix("Serializer")
    return inline_serializer(
        name=f"Paginated{name}List",
        fields={
            "count": serializers.IntegerField(min_value=0),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer_class(many=True),
        },
    )
