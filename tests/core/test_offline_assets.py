"""Nothing may load from the internet at run or test time. Every script, stylesheet and template
the site serves (the apps' and the installed packages', as the static-file finders see them) is
read, and any address of a tile server, a CDN or another fetchable remote asset fails the test.

XML namespace and CRS identifiers (`http://www.opengis.net/...`) are names, never fetched, and
plain links for people (`<a href>`, licence pages) are not loads; those are not what this looks for.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

# What a script or a page would fetch by itself: tile URL templates, CDNs, map APIs, icon servers.
REMOTE_LOADS = [
    re.compile(r"https?://[^\s\"'`)]*\{[xyz-]"),  # a tile URL template: .../{z}/{x}/{y}
    re.compile(
        r"https?://[^\s\"'`)]*(cdn|unpkg|jsdelivr|cdnjs|googleapis|gstatic|fastly|"
        r"virtualearth|tile\.openstreetmap|tiles?\.[a-z]|maps\.google|epsg\.io|fonts\.)",
        re.IGNORECASE,
    ),
    re.compile(r"url\(\s*[\"']?(https?:)?//", re.IGNORECASE),  # CSS loading from another host
    re.compile(r"<(script|link|img|iframe)\b[^>]*(src|href)=[\"']?(https?:)?//", re.IGNORECASE),
]
ASSET_SUFFIXES = {".js", ".css", ".html", ".mjs"}
# drf-spectacular-sidecar also ships ReDoc, whose bundle shows a logo from cdn.redoc.ly. No URL of
# the site serves a ReDoc page (the docs are Swagger UI: test_no_page_serves_redoc), so no browser
# ever loads that bundle; it is left out here rather than deleted from an installed package.
NEVER_LOADED = ("drf_spectacular_sidecar/redoc/",)


def served_files():
    seen = set()
    for finder in finders.get_finders():
        for path, storage in finder.list(["*.map", "*.md", "LICENSE*"]):
            if path.startswith(NEVER_LOADED):
                continue
            if Path(path).suffix in ASSET_SUFFIXES and path not in seen:
                seen.add(path)
                yield f"static/{path}", Path(storage.path(path))
    base = Path(settings.BASE_DIR)
    roots = [base / "templates", *base.glob("apps/*/templates")]
    for root in roots:
        for file in root.rglob("*.html"):
            yield str(file.relative_to(settings.BASE_DIR)), file


def test_no_served_file_loads_anything_from_the_internet():
    found = []
    files = list(served_files())
    assert any(name == "static/vendor/ol/ol.js" for name, _ in files)
    for name, file in files:
        text = file.read_text(encoding="utf-8", errors="replace")
        for pattern in REMOTE_LOADS:
            for match in pattern.finditer(text):
                found.append(f"{name}: {text[match.start() : match.start() + 80]!r}")
    assert found == []


def test_no_page_serves_redoc():
    from django.urls import get_resolver
    from drf_spectacular.views import SpectacularRedocView

    def views(patterns):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                yield from views(p.url_patterns)
            else:
                yield getattr(p.callback, "view_class", None)

    assert SpectacularRedocView not in set(views(get_resolver().url_patterns))


@pytest.mark.parametrize(
    "sample",
    [
        'new XYZ({url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png"})',
        '<script src="https://cdn.jsdelivr.net/npm/ol@v7.2.2/dist/ol.js"></script>',
        "background: url(//example.org/a.png)",
        'attributions: "https://stamen-tiles-{a-d}.a.ssl.fastly.net/"',
    ],
)
def test_the_patterns_catch_what_the_full_builds_carried(sample):
    assert any(p.search(sample) for p in REMOTE_LOADS)
