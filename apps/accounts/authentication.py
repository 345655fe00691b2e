"""`Authorization: Token <key>` for GIS clients (QGIS, GDAL) and scripts, checked against the
stored SHA-256 of the key (apps.accounts.models.ApiToken)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

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
