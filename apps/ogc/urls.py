"""OGC API - Features at /ogc/. Each route also accepts a doubled leading slash and a trailing
slash: GDAL appends "/collections" to the URL it was given, so `OAPIF:http://host/ogc/` asks for
`/ogc//collections`."""

from django.urls import path, re_path

from . import views

app_name = "ogc"

ID = r"(?P<collection_id>[A-Za-z0-9_-]{1,64})"

urlpatterns = [
    path("", views.landing, name="landing"),
    re_path(r"^(?:/*)conformance/?$", views.conformance, name="conformance"),
    re_path(r"^(?:/*)api/?$", views.api_definition, name="api"),
    re_path(r"^(?:/*)collections/?$", views.collections, name="collections"),
    re_path(rf"^(?:/*)collections/{ID}/?$", views.collection, name="collection"),
    re_path(rf"^(?:/*)collections/{ID}/queryables/?$", views.queryables, name="queryables"),
    re_path(rf"^(?:/*)collections/{ID}/items/?$", views.items, name="items"),
    re_path(
        rf"^(?:/*)collections/{ID}/items/(?P<feature_id>[^/]{{1,64}})/?$", views.item, name="item"
    ),
    re_path(r"^(?:/*)token/?$", views.TokenApi.as_view(), name="token"),
]
