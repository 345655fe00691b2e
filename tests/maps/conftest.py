"""Shared by the vector-tile and export tests (tests/maps/test_tiles.py, test_exports.py):
a small recognised world built through the real services (the recognition chain,
tests/fixtures/recognition.py), tile arithmetic and a reader of `ogrinfo` output (GDAL is the
client that decodes what we serve)."""

import math
import re
import subprocess
from types import SimpleNamespace

import pytest

from apps.certificates.models import Certificate


@pytest.fixture
def maps_world(chain, decide, people):
    """A: 4★ recognised, producer of An Hội (28777, user "producer"); B: 3★ recognised,
    producer of Phú Khương (28756, user "producer2"); D: a draft product of A's producer (never
    public). All in the former Bến Tre city, a few km apart."""
    a = chain.evaluated(4, name="Kẹo dừa A")
    b = chain.evaluated(3, name="Bánh phồng B", commune="28756")
    decide([a.pk, b.pk])
    draft = chain.product("Mứt dừa D")
    product_a = Certificate.objects.get(result=a).product
    product_b = Certificate.objects.get(result=b).product
    return SimpleNamespace(a=product_a, b=product_b, draft=draft, people=people)


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    rad = math.radians(lat)
    y = int((1 - math.log(math.tan(rad) + 1 / math.cos(rad)) / math.pi) / 2 * n)
    return z, x, y


def ogrinfo_features(target: str, *args: str, env: dict | None = None) -> list[dict]:
    """Features read by `ogrinfo -al -q -geom=NO` from a file or a /vsicurl/ URL, as dicts of
    field → value (integers parsed, "(null)" dropped)."""
    done = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-q", "-geom=NO", *args, target],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    features: list[dict] = []
    for line in done.stdout.splitlines():
        if line.startswith("OGRFeature("):
            features.append({})
            continue
        match = re.match(r"^  (\S+) \((.+?)\) = (.*)$", line)
        if features and match:
            name, type_, value = match.groups()
            if value == "(null)":
                continue
            features[-1][name] = int(value) if type_.startswith("Integer") else value
    return features


def save_tile(tmp_path, body: bytes, z: int, x: int, y: int):
    """GDAL's MVT driver takes z/x/y from the path."""
    path = tmp_path / "t" / str(z) / str(x) / f"{y}.pbf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    return path
