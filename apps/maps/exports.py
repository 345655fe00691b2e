"""Downloads of a map layer, as filtered: GeoPackage, GeoJSON, CSV, XLSX and a standalone HTML
map for reports.

The rows are the registry's (`Layer.queryset` + `Layer.rows`), so scoping, the public rule and
the filters are those of the GeoJSON API. The GeoJSON is built with orjson; the other formats
are converted from it by GDAL's `ogr2ogr` (Debian gdal-bin 3.6) in a subprocess, in a temporary
directory that is always removed, with a timeout.

Attribution (the data sources, spatial_data/SOURCES.md via apps.geo.attribution) travels with
every format:

- GeoJSON: foreign members `attribution` (list of lines) and `source` (layer, variant, filters,
  date);
- GeoPackage: the layer's `gpkg_contents.description` (`-lco DESCRIPTION`) and dataset metadata
  items `ATTRIBUTION`, `SOURCE` (`-mo`, stored in `gpkg_metadata`);
- CSV: an `attribution` column on every row (CSV has no metadata; a column survives any
  spreadsheet or script, a comment line would break readers);
- XLSX: a second sheet `attribution` with one line per source;
- HTML: Leaflet's attribution control.

Exports are capped at `EXPORT_MAX_FEATURES` rows: above it the request is refused with a 400
asking for narrower filters (nothing is truncated silently).
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import orjson
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.exceptions import ApplicationError, ErrorCode
from apps.geo.attribution import MAP_ATTRIBUTIONS

from .layers.base import Layer, LayerContext, layer_features, layer_property_names

EXPORT_MAX_FEATURES = 50_000
OGR_TIMEOUT_SECONDS = 120
FORMATS = {
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


@dataclass
class Export:
    body: bytes
    content_type: str
    filename: str


def export_layer(layer: Layer, ctx: LayerContext, params: Mapping[str, str], fmt: str) -> Export:
    """The filtered layer in format `fmt` (one of FORMATS). Raises 404 for an unknown format,
    400 for bad filters or more than EXPORT_MAX_FEATURES rows."""
    if fmt not in FORMATS:
        raise ApplicationError(
            ErrorCode.NOT_FOUND,
            _("Unknown export format “%(format)s”; use one of: %(formats)s.")
            % {"format": fmt[:20], "formats": ", ".join(FORMATS)},
            extra={"key": "format"},
        )
    qs = layer.queryset(
        ctx, params, bbox=params.get("bbox") or None, datetime_=params.get("datetime") or None
    )
    count = qs.count()
    if count > EXPORT_MAX_FEATURES:
        raise ApplicationError(
            ErrorCode.INVALID,
            _(
                "This export would have %(count)s features; at most %(max)s can be exported at "
                "once. Narrow it with filters (unit, group, star, bbox…)."
            )
            % {"count": count, "max": EXPORT_MAX_FEATURES},
            extra={"key": "limit", "count": count, "maximum": EXPORT_MAX_FEATURES},
        )
    rows = layer.rows(qs, ctx)
    today = timezone.localdate()
    summary = filter_summary(layer, ctx, params)
    filename = f"ocop_{layer.id}_{'public' if ctx.public else 'scoped'}_{today:%Y-%m-%d}"
    if summary:
        filename += f"_{summary}"
    filename += f".{fmt}"
    meta = ExportMeta(layer=layer, ctx=ctx, params=params, date=today)
    if fmt == "geojson":
        body = orjson.dumps(
            {
                "type": "FeatureCollection",
                "name": layer.id,
                "attribution": meta.attribution_lines(),
                "source": meta.source(),
                "features": list(layer_features(layer, rows, ctx)),
            },
            default=str,
            option=orjson.OPT_NON_STR_KEYS,
        )
    elif fmt == "html":
        body = html_map(layer, ctx, rows, meta).encode()
    else:
        body = _convert(layer, ctx, rows, meta, fmt)
    return Export(body=body, content_type=FORMATS[fmt], filename=filename)


# --- metadata ------------------------------------------------------------------------------
@dataclass
class ExportMeta:
    layer: Layer
    ctx: LayerContext
    params: Mapping[str, str]
    date: object

    def filters(self) -> dict[str, str]:
        names = [p.name for p in self.layer.visible_params(self.ctx)] + ["bbox", "datetime"]
        return {n: str(self.params.get(n)) for n in names if self.params.get(n) not in (None, "")}

    def title(self) -> str:
        return str(self.layer.title)

    def data_line(self) -> str:
        filters = ", ".join(f"{k}={v}" for k, v in self.filters().items()) or _("none")
        variant = _("public data") if self.ctx.public else _("data within the user's jurisdiction")
        return _(
            "%(layer)s from the OCOP GIS system, %(variant)s, exported on %(date)s; "
            "filters: %(filters)s."
        ) % {
            "layer": self.title(),
            "variant": variant,
            "date": self.date,
            "filters": filters,
        }

    def attribution_lines(self) -> list[str]:
        return [self.data_line(), *MAP_ATTRIBUTIONS]

    def source(self) -> dict:
        return {
            "layer": self.layer.id,
            "variant": "public" if self.ctx.public else "scoped",
            "filters": self.filters(),
            "exported_on": str(self.date),
        }


def filter_summary(layer: Layer, ctx: LayerContext, params: Mapping[str, str]) -> str:
    """`star-4_group-I_unit-86`: the filters in use, safe for a file name (at most 80 chars)."""
    parts = []
    for name in [p.name for p in layer.visible_params(ctx)] + ["bbox", "datetime"]:
        value = params.get(name)
        if value in (None, ""):
            continue
        safe = re.sub(r"[^A-Za-z0-9.]+", "-", str(value)).strip("-")[:24]
        parts.append(f"{name}-{safe}")
    return "_".join(parts)[:80].rstrip("_-")


# --- GDAL conversions ----------------------------------------------------------------------
def _tabular_features(layer: Layer, ctx: LayerContext, rows: list[list], *, extra=None) -> bytes:
    """A FeatureCollection for ogr2ogr: `id` as a property (the FID of GPKG is its own), and
    `extra(row)` merged into the properties."""
    names = layer_property_names(layer, ctx)
    features = []
    for row in rows:
        props = {"id": row[0], **dict(zip(names, row[2:], strict=True))}
        if extra:
            props.update(extra(row))
        features.append(
            {
                "type": "Feature",
                "geometry": orjson.Fragment(row[1]) if row[1] else None,
                "properties": props,
            }
        )
    return orjson.dumps(
        {"type": "FeatureCollection", "features": features},
        default=str,
        option=orjson.OPT_NON_STR_KEYS,
    )


def _representative_point(geometry_json: str | None) -> tuple[float | None, float | None]:
    if not geometry_json:
        return None, None
    from django.contrib.gis.geos import GEOSGeometry

    geom = GEOSGeometry(geometry_json)
    point = geom if geom.geom_type == "Point" else geom.point_on_surface
    return round(point.x, 6), round(point.y, 6)


def ogr2ogr(*args: str, cwd: Path) -> None:
    """Run ogr2ogr with a timeout; a failure is logged with GDAL's message and becomes a 500."""
    env = {
        **os.environ,
        "CPL_DEBUG": "OFF",
        "GDAL_HTTP_TIMEOUT": "1",
        "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".none",
    }
    try:
        done = subprocess.run(
            ["ogr2ogr", *args],
            cwd=cwd,
            capture_output=True,
            timeout=OGR_TIMEOUT_SECONDS,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"ogr2ogr timed out after {OGR_TIMEOUT_SECONDS}s") from exc
    if done.returncode != 0:
        raise RuntimeError(
            f"ogr2ogr failed ({done.returncode}): {done.stderr.decode(errors='replace')[:2000]}"
        )


def _convert(
    layer: Layer, ctx: LayerContext, rows: list[list], meta: ExportMeta, fmt: str
) -> bytes:
    workdir = Path(tempfile.mkdtemp(prefix="ocop-export-"))
    try:
        source = workdir / "in.geojson"
        name = layer.id.replace("-", "_")
        attribution = "\n".join(meta.attribution_lines())
        if fmt == "gpkg":
            return _convert_gpkg(layer, ctx, rows, meta, workdir, source, name, attribution)
        if fmt == "csv":
            return _convert_csv(layer, ctx, rows, workdir, source, name, attribution)
        if fmt == "xlsx":
            return _convert_xlsx(layer, ctx, rows, meta, workdir, source, name)
        raise ValueError(fmt)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _convert_gpkg(
    layer: Layer,
    ctx: LayerContext,
    rows: list[list],
    meta: ExportMeta,
    workdir: Path,
    source: Path,
    name: str,
    attribution: str,
) -> bytes:
    source.write_bytes(_tabular_features(layer, ctx, rows))
    ogr2ogr(
        "-f",
        "GPKG",
        "out.gpkg",
        source.name,
        "-nln",
        name,
        "-nlt",
        "MULTIPOLYGON" if layer.geometry_type.endswith("Polygon") else "POINT",
        "-lco",
        f"IDENTIFIER={meta.title()}",
        "-lco",
        f"DESCRIPTION={attribution}",
        "-mo",
        f"ATTRIBUTION={attribution}",
        "-mo",
        "SOURCE=" + orjson.dumps(meta.source()).decode(),
        cwd=workdir,
    )
    return (workdir / "out.gpkg").read_bytes()


def _convert_csv(
    layer: Layer,
    ctx: LayerContext,
    rows: list[list],
    workdir: Path,
    source: Path,
    name: str,
    attribution: str,
) -> bytes:
    source.write_bytes(
        _tabular_features(layer, ctx, rows, extra=lambda row: {"attribution": attribution})
    )
    geometry = "AS_XY" if layer.geometry_type == "Point" else "AS_WKT"
    ogr2ogr(
        "-f",
        "CSV",
        "out.csv",
        source.name,
        "-nln",
        name,
        "-lco",
        f"GEOMETRY={geometry}",
        "-lco",
        "WRITE_BOM=YES",
        cwd=workdir,
    )
    return (workdir / "out.csv").read_bytes()


def _convert_xlsx(
    layer: Layer,
    ctx: LayerContext,
    rows: list[list],
    meta: ExportMeta,
    workdir: Path,
    source: Path,
    name: str,
) -> bytes:
    def lonlat(row):
        lon, lat = _representative_point(row[1])
        return {"longitude": lon, "latitude": lat}

    source.write_bytes(_tabular_features(layer, ctx, rows, extra=lonlat))
    ogr2ogr(
        "-f",
        "XLSX",
        "out.xlsx",
        source.name,
        "-nln",
        name[:31],
        "-nlt",
        "NONE",
        cwd=workdir,
    )
    sources = workdir / "attribution.geojson"
    sources.write_bytes(
        orjson.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": None,
                        "properties": {"line": i, "attribution": text},
                    }
                    for i, text in enumerate(meta.attribution_lines(), start=1)
                ],
            }
        )
    )
    ogr2ogr(
        "-update",
        "-f",
        "XLSX",
        "out.xlsx",
        sources.name,
        "-nln",
        "attribution",
        cwd=workdir,
    )
    return (workdir / "out.xlsx").read_bytes()


# --- standalone HTML map -------------------------------------------------------------------
STAR_COLOURS = {3: "#2e7d32", 4: "#f9a825", 5: "#c62828"}
DEFAULT_COLOUR = "#1565c0"


def _vendor_text(path: str) -> str:
    found = finders.find(path)
    if not found:
        raise RuntimeError(f"static file {path} is missing")
    return Path(found).read_text(encoding="utf-8")


def _inline_css(path: str) -> str:
    """A vendored stylesheet with its relative images turned into data: URIs."""
    css = re.sub(r"/\*.*?\*/", "", _vendor_text(path), flags=re.S)
    base = Path(finders.find(path)).parent

    def embed(match: re.Match) -> str:
        ref = match.group(1).strip("'\"")
        if ref.startswith(("data:", "#")):
            return match.group(0)
        image = base / ref
        if not image.is_file():
            return "url()"
        mime = "image/svg+xml" if image.suffix == ".svg" else f"image/{image.suffix.lstrip('.')}"
        return f"url(data:{mime};base64,{base64.b64encode(image.read_bytes()).decode()})"

    return re.sub(r"url\(([^)]*)\)", embed, css)


def _inline_assets() -> str:
    js = _vendor_text("vendor/leaflet/leaflet.js").replace("</script", "<\\/script")
    js = re.sub(r"//# sourceMappingURL=\S+", "", js)
    css = _inline_css("vendor/leaflet/leaflet.css")
    return f"<style>{css}</style>\n<script>{js}</script>\n"


# The tooltip and popup of each feature, built as DOM nodes with `textContent`: folium's own
# GeoJsonTooltip/GeoJsonPopup put the property values into `innerHTML`, so a producer naming a
# product `<img src=x onerror=…>` would run script in the browser of whoever opens the file.
_SAFE_DETAIL_JS = """
    function (layer) {
      let div = L.DomUtil.create("div");
      let fields = {{ this.fields | tojson }};
      let aliases = {{ this.aliases | tojson }};
      let text = (v) => v === null || v === undefined ? ""
        : (typeof v === "object" ? JSON.stringify(v) : String(v));
      let table = L.DomUtil.create("table", "", div);
      fields.forEach((field, i) => {
        let row = table.insertRow();
        {% if this.labels %}
        let th = document.createElement("th");
        th.textContent = aliases[i];
        row.appendChild(th);
        {% endif %}
        row.insertCell().textContent = text(layer.feature.properties[field]);
      });
      return div;
    }
"""


def _safe_details():
    """folium's GeoJsonTooltip and GeoJsonPopup with the text-only template above."""
    import folium
    from folium.template import Template

    class SafeGeoJsonTooltip(folium.GeoJsonTooltip):
        _template = Template(
            "{% macro script(this, kwargs) %}{{ this._parent.get_name() }}.bindTooltip("
            + _SAFE_DETAIL_JS
            + ", {{ this.tooltip_options | tojavascript }});{% endmacro %}"
        )

    class SafeGeoJsonPopup(folium.GeoJsonPopup):
        _template = Template(
            "{% macro script(this, kwargs) %}{{ this._parent.get_name() }}.bindPopup("
            + _SAFE_DETAIL_JS
            + ", {{ this.popup_options | tojavascript }});{% endmacro %}"
        )

    return SafeGeoJsonTooltip, SafeGeoJsonPopup


def html_map(layer: Layer, ctx: LayerContext, rows: list[list], meta: ExportMeta) -> str:
    """A folium map of the rows as one HTML file that needs nothing else: Leaflet's script and
    stylesheet (vendored, apps/core/static/vendor/leaflet) are inlined, no basemap unless
    OCOP_BASEMAP_URL is set, points drawn as circle markers (no marker images). folium's CDN
    defaults are switched off on this map instance only (folium's class attributes are never
    touched, so nothing leaks between requests)."""
    import folium

    names = layer_property_names(layer, ctx)
    features = list(layer_features(layer, rows, ctx))
    data = orjson.loads(
        orjson.dumps(
            {"type": "FeatureCollection", "features": features},
            default=str,
            option=orjson.OPT_NON_STR_KEYS,
        )
    )
    fmap = folium.Map(location=(10.1, 106.3), zoom_start=9, tiles=None, control_scale=True)
    # Instance attributes shadow folium.Map.default_js/default_css (the CDN links).
    fmap.default_js = []
    fmap.default_css = []
    if settings.OCOP_BASEMAP_URL:
        folium.TileLayer(
            tiles=settings.OCOP_BASEMAP_URL,
            attr=settings.OCOP_BASEMAP_ATTRIBUTION or " ",
            name=_("Basemap"),
        ).add_to(fmap)

    label = next(
        (
            n
            for n in ("name", "product_name", "full_name", "receipt_number", "number")
            if n in names
        ),
        None,
    )
    if features:

        def style(feature):
            colour = STAR_COLOURS.get(feature["properties"].get("stars"), DEFAULT_COLOUR)
            return {"color": colour, "fillColor": colour, "weight": 1.5, "fillOpacity": 0.35}

        shown = [n for n in names if n != "is_demo"][:12]
        SafeTooltip, SafePopup = _safe_details()
        folium.GeoJson(
            data,
            name=meta.title(),
            style_function=style,
            marker=folium.CircleMarker(radius=6, fill=True),
            tooltip=SafeTooltip(fields=[label]) if label else None,
            popup=SafePopup(fields=shown),
        ).add_to(fmap)
        bounds = _bounds(data["features"])
        if bounds:
            fmap.fit_bounds(bounds, max_zoom=14)

    fmap.add_child(_attribution_element(meta.attribution_lines()))
    title = html.escape(f"{meta.title()} — {len(features)}")
    fmap.get_root().header.add_child(folium.Element(f"<title>{title}</title>"), name="title")
    page = fmap.get_root().render()
    page = page.replace("<head>", "<head>\n" + _inline_assets(), 1)
    if re.search(r"""<(script|link)[^>]+(src|href)=["']?https?:""", page):
        raise RuntimeError("the HTML map would load an outside resource")
    return page.replace("<head>", "<head>\n" + _content_security_policy(page), 1)


def _attribution_element(lines):
    """A folium element that sets the map's attribution control to `lines` (escaped)."""
    from branca.element import MacroElement
    from jinja2 import Template

    class Attribution(MacroElement):
        _template = Template(
            "{% macro script(this, kwargs) %}"
            "{{ this._parent.get_name() }}.attributionControl.setPrefix(false);"
            "{% for line in this.lines %}"
            "{{ this._parent.get_name() }}.attributionControl.addAttribution({{ line|tojson }});"
            "{% endfor %}"
            "{% endmacro %}"
        )

        def __init__(self, lines):
            super().__init__()
            self._name = "Attribution"
            self.lines = [html.escape(line) for line in lines]

    return Attribution(lines)


def _content_security_policy(page: str) -> str:
    """A <meta> Content-Security-Policy for the standalone map, which is opened from disk (no
    header): only the page's own scripts run (by their SHA-256, so an `on…` attribute or a
    script that text smuggled in would not), and nothing is fetched but the basemap's tiles."""
    bodies = re.findall(r"<script(?:\s[^>]*)?>(.*?)</script>", page, flags=re.S)
    # Browsers hash the text as parsed: line ends normalised to \n.
    hashes = sorted(
        {
            "'sha256-{}'".format(
                base64.b64encode(
                    hashlib.sha256(re.sub(r"\r\n?", "\n", body).encode()).digest()
                ).decode()
            )
            for body in bodies
        }
    )
    images = ["data:", "blob:"]
    if settings.OCOP_BASEMAP_URL:
        from ocop_gis.settings.base import _csp_origin

        images.append(_csp_origin(settings.OCOP_BASEMAP_URL))
    policy = (
        f"default-src 'none'; script-src {' '.join(hashes)}; style-src 'unsafe-inline'; "
        f"img-src {' '.join(images)}; base-uri 'none'; form-action 'none'"
    )
    return f'<meta http-equiv="Content-Security-Policy" content="{html.escape(policy)}">\n'


def _bounds(features: list[dict]):
    """[[south, west], [north, east]] of parsed GeoJSON features, or None."""
    xs, ys = [], []

    def walk(coords):
        if coords and isinstance(coords[0], int | float):
            xs.append(coords[0])
            ys.append(coords[1])
        else:
            for c in coords:
                walk(c)

    for feature in features:
        if feature.get("geometry"):
            walk(feature["geometry"]["coordinates"])
    if not xs:
        return None
    return [[min(ys), min(xs)], [max(ys), max(xs)]]
