"""The client's address behind the documented reverse proxy, and per-address rate limits.

`client_ip` is also django-axes' AXES_CLIENT_IP_CALLABLE, so login lockouts, the password reset
limit and the scan limits all key on the same address. `rate_limit_hit` is a fixed-window counter
in the default cache: cheap (one cache increment), approximate at window edges, and exact across
workers only with a shared cache (CACHE_URL).
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or with OCOP_TRUSTED_PROXY_COUNT = n > 0 the address n
    places from the right of X-Forwarded-For (each trusted proxy appends the address it saw, so
    anything further left was written by the client and is not trusted)."""
    meta = request.META
    remote = meta.get("REMOTE_ADDR", "") or ""
    count = settings.OCOP_TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote
    return forwarded[-count] if len(forwarded) >= count else forwarded[0]


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int


def parse_rate(value: str) -> Rate:
    """`"5/3600"` → 5 requests per 3600 seconds."""
    try:
        limit, seconds = (int(part) for part in str(value).split("/"))
    except ValueError:
        raise ImproperlyConfigured(f"A rate is '<requests>/<seconds>', not {value!r}.") from None
    if limit < 1 or seconds < 1:
        raise ImproperlyConfigured(f"A rate needs at least 1 request and 1 second: {value!r}.")
    return Rate(limit, seconds)


def rate_limit_hit(request, *, scope: str, rate: str) -> int | None:
    """Count one request of the client in `scope`; None while within `rate`, else the seconds
    until the window ends (the Retry-After). The address is kept in the cache only as a hash."""
    parsed = parse_rate(rate)
    now = int(time.time())
    window = now - now % parsed.seconds
    who = hashlib.sha256(f"{settings.SECRET_KEY}:{client_ip(request)}".encode()).hexdigest()[:24]
    key = f"ocop:rate:{scope}:{who}:{window}"
    if cache.add(key, 1, timeout=parsed.seconds + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=parsed.seconds + 1)
            count = 1
    if count <= parsed.limit:
        return None
    return max(1, window + parsed.seconds - now)
