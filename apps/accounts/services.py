"""Writes of the accounts context. API tokens: the one implementation behind the page
`/accounts/api-token/` and the API `/ogc/token`."""

import hashlib
import logging
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import ApiToken, User

logger = logging.getLogger(__name__)

# `last_used` is written at most this often per token: a GIS client sends hundreds of requests
# per map view, and a write per request would turn reads into writes.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def api_token_digest(key: str) -> str:
    """The SHA-256 (hex) of a key, which is all the database keeps."""
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User) -> tuple[ApiToken, str]:
    """Create the user's API token, revoking the active one, and return it with its key.

    The key exists only in the return value: the row holds its digest and prefix, so the caller
    shows the key once and nothing can show it again. One active token per user (a database
    constraint); the user's row is locked so concurrent creations queue instead of failing.
    """
    User.objects.select_for_update().filter(pk=user.pk).first()
    now = timezone.now()
    ApiToken.objects.active().filter(user=user).update(revoked_at=now)
    key = secrets.token_hex(20)  # 40 hex characters, as DRF tokens: safe in any header or config
    token = ApiToken(
        user=user, prefix=key[: ApiToken.PREFIX_LENGTH], digest=api_token_digest(key), created=now
    )
    token.full_clean()
    token.save()
    logger.info("api token %s created for user %s", token.prefix, user.pk)
    return token, key


@transaction.atomic
def api_token_revoke(*, user: User) -> bool:
    """Revoke the user's active API token; False when there was none. Revoked tokens never
    authenticate again (the row is kept: prefix, creation, last use and revocation dates)."""
    revoked = ApiToken.objects.active().filter(user=user).update(revoked_at=timezone.now())
    if revoked:
        logger.info("api token revoked for user %s", user.pk)
    return bool(revoked)


def api_token_touch(*, token: ApiToken) -> None:
    """Record that the token was used, at most once per LAST_USED_RESOLUTION."""
    now = timezone.now()
    if token.last_used is None or now - token.last_used >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now
