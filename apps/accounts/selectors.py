"""Reads of the accounts context."""

from .models import ApiToken, User
from .services import api_token_digest


def api_token_active(*, user: User) -> ApiToken | None:
    """The user's active API token (prefix and dates; the key itself is not stored)."""
    return ApiToken.objects.active().filter(user=user).first()


def api_token_by_key(*, key: str) -> ApiToken | None:
    """The active token whose key is `key`, with its user; None for unknown or revoked keys.
    Looked up by the key's SHA-256, so the comparison never touches the key itself."""
    if not key or len(key) > 200:
        return None
    return (
        ApiToken.objects.active()
        .select_related("user")
        .filter(digest=api_token_digest(key))
        .first()
    )
