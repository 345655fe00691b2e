"""API authentication: `Authorization: Token <key>` for GIS clients (QGIS, GDAL) and scripts,
checked against the stored SHA-256 of the key (apps.accounts.models.ApiToken); and HTTP Basic
that refuses credentials no account can have before they reach the database."""

import unicodedata

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BasicAuthentication, TokenAuthentication

from .selectors import api_token_by_key
from .services import api_token_touch


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's header parsing (`Token <key>`, the same errors), our hashed token store."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        token = api_token_by_key(key=key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        api_token_touch(token=token)
        return (token.user, token)


class CheckedBasicAuthentication(BasicAuthentication):
    """DRF's HTTP Basic, except that a username or password with a control character (NUL among
    them, which PostgreSQL cannot even compare) is a 401 like any wrong password, not a 500."""

    def authenticate_credentials(self, userid, password, request=None):
        if _has_control_character(userid) or _has_control_character(password):
            raise exceptions.AuthenticationFailed(_("Invalid username/password."))
        return super().authenticate_credentials(userid, password, request)


def _has_control_character(value: str) -> bool:
    return any(unicodedata.category(c) == "Cc" for c in value)
