"""The API token for GIS clients (`/ogc/token`)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.authentication import ApiTokenAuthentication, CheckedBasicAuthentication
from apps.accounts.models import ApiToken
from apps.accounts.selectors import api_token_active
from apps.accounts.services import api_token_create, api_token_revoke
from apps.core.api.geojson import ORJSONRenderer


class TokenApi(APIView):
    """`POST` creates your API token (revoking the previous one) and returns its key, this once
    only; `GET` shows the active token's prefix and dates (never the key: only its SHA-256 is
    stored); `DELETE` revokes it. Send it as `Authorization: Token <key>` (GDAL:
    `GDAL_HTTP_HEADERS`). A token cannot create its successor: POST needs the password (HTTP
    Basic) or the browser session."""

    authentication_classes = [
        CheckedBasicAuthentication,
        ApiTokenAuthentication,
        SessionAuthentication,
    ]
    permission_classes = [IsAuthenticated]
    renderer_classes = [ORJSONRenderer]

    @staticmethod
    def _info(token: ApiToken | None) -> dict | None:
        if token is None:
            return None
        return {
            "prefix": token.prefix,
            "created": token.created.isoformat(),
            "last_used": token.last_used.isoformat() if token.last_used else None,
        }

    @staticmethod
    def _no_store(response: Response) -> Response:
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return self._no_store(Response({"token": self._info(api_token_active(user=request.user))}))

    @extend_schema(request=None, responses={201: OpenApiTypes.OBJECT})
    def post(self, request):
        if isinstance(request.successful_authenticator, ApiTokenAuthentication):
            raise exceptions.PermissionDenied(
                _("A token cannot create a new token: sign in with your password.")
            )
        token, key = api_token_create(user=request.user)
        body = {"key": key, "header": f"Authorization: Token {key}", "token": self._info(token)}
        return self._no_store(Response(body, status=201))

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        api_token_revoke(user=request.user)
        return Response(status=204)
