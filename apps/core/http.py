"""HTTP caching for generated map data (GeoJSON layers, vector tiles, OGC API responses).

The ETag is a hash of the body, so a client that already has the bytes gets a 304 and no
transfer. Public data may be cached by browsers and proxies for `max_age` seconds (short: a
revoked certificate must disappear within a minute); data read with a login is `private` and
revalidated on every use.
"""

import hashlib

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers


def body_etag(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def cached_response(
    request, body: bytes, content_type: str, *, public: bool, max_age: int = 60, status: int = 200
) -> HttpResponse:
    etag = body_etag(body)
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH", "")
    if etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match.strip() == "*":
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=content_type, status=status)
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={max_age}" if public else "private, no-cache"
    patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
    return response
