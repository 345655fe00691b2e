import json
import shutil
from datetime import date

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from apps.geo.choices import Level
from apps.geo.loading import load_boundaries
from apps.geo.models import AdminUnit, AdminUnitSuccession, BoundarySource

pytestmark = pytest.mark.django_db
BEFORE = date(2025, 6, 30)


def test_provinces_before_and_after_the_2025_reform():
    provinces = AdminUnit.objects.filter(level=Level.PROVINCE)
    assert provinces.valid_on(date.today()).count() == 34
    assert provinces.valid_on(BEFORE).count() == 63


def test_ben_tre_had_nine_districts_until_the_reform():
    districts = AdminUnit.objects.valid_on(BEFORE).filter(level=Level.DISTRICT, parent__code="83")
    assert districts.count() == 9
    assert set(districts.values_list("code", flat=True)) == {"829", *map(str, range(831, 839))}
    assert not AdminUnit.objects.valid_on(date.today()).filter(level=Level.DISTRICT).exists()


def test_vinh_long_has_124_communes_48_of_them_from_ben_tre():
    communes = AdminUnit.objects.valid_on(date.today()).filter(
        level=Level.COMMUNE, parent__code="86"
    )
    assert communes.count() == 124
    assert all(c.geom is not None and c.geom.valid for c in communes)
    old_ben_tre = AdminUnit.objects.filter(level=Level.COMMUNE, parent__parent__code="83")
    from_ben_tre = AdminUnitSuccession.objects.filter(predecessor__in=old_ben_tre)
    assert from_ben_tre.values("successor").distinct().count() == 48


def test_old_ben_tre_communes_and_their_successors():
    old = AdminUnit.objects.filter(level=Level.COMMUNE, parent__parent__code="83")
    assert old.count() == 157
    assert not old.filter(geom__isnull=False).exists()  # no redistributable pre-2025 polygons

    valid_at_reform = old.valid_on(BEFORE)
    assert valid_at_reform.count() == 148
    for commune in valid_at_reform:
        links = AdminUnitSuccession.objects.filter(predecessor=commune)
        assert links.count() == 1, commune
        assert links.get().successor.valid_to is None

    ended_2024 = old.filter(valid_to=date(2024, 12, 31))
    assert ended_2024.count() == 9
    assert not AdminUnitSuccession.objects.filter(predecessor__in=ended_2024).exists()


def test_partial_transfers_are_kept_as_partial():
    tam_binh = AdminUnit.objects.get(code="29719", level=Level.COMMUNE, valid_to=BEFORE)
    links = AdminUnitSuccession.objects.filter(predecessor=tam_binh)
    assert {link.relation for link in links} == {"partial"}
    assert links.count() == 2


def test_sources_keep_licence_and_attribution():
    source = BoundarySource.objects.get(file_name="ben_tre_districts.geojson")
    assert "GPL-3.0" in source.license
    assert "gis.chinhphu.vn" in source.attribution
    assert len(source.sha256) == 64


def _snapshot():
    units = sorted(
        (
            u.level,
            u.code,
            str(u.valid_to),
            u.name,
            u.parent_id,
            u.geom.wkb.hex() if u.geom else None,
        )
        for u in AdminUnit.objects.all()
    )
    links = sorted(
        AdminUnitSuccession.objects.values_list("predecessor_id", "successor_id", "relation")
    )
    return units, links


def test_loading_twice_changes_nothing():
    before = _snapshot()
    report = load_boundaries(settings.OCOP_SPATIAL_DATA_DIR)
    assert report.changed == 0
    assert _snapshot() == before


def _copy_data(tmp_path):
    target = tmp_path / "spatial_data"
    shutil.copytree(settings.OCOP_SPATIAL_DATA_DIR, target)
    return target


def test_malformed_feature_is_named_and_nothing_changes(tmp_path):
    data_dir = _copy_data(tmp_path)
    path = data_dir / "vinh_long_communes_2025.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    collection["features"][7]["properties"]["code"] = "28x56"
    collection["features"][3]["properties"]["name"] = "Đổi tên không được lưu"
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    before = _snapshot()

    with pytest.raises(CommandError) as error:
        call_command("load_admin_units", "--dir", str(data_dir))

    message = str(error.value)
    assert "vinh_long_communes_2025.geojson" in message
    assert "feature 7" in message
    assert "bad unit code '28x56'" in message
    assert _snapshot() == before


def test_self_intersecting_polygon_is_refused(tmp_path):
    data_dir = _copy_data(tmp_path)
    path = data_dir / "ben_tre_districts.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    bowtie = [[[106.0, 10.0], [106.1, 10.1], [106.1, 10.0], [106.0, 10.1], [106.0, 10.0]]]
    collection["features"][2]["geometry"] = {"type": "MultiPolygon", "coordinates": [bowtie]}
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(
        CommandError, match=r"ben_tre_districts.geojson: feature 2 .*invalid geometry"
    ):
        call_command("load_admin_units", "--dir", str(data_dir))


def test_broken_csv_row_is_named(tmp_path):
    data_dir = _copy_data(tmp_path)
    path = data_dir / "vinh_long_2025_old_new_mapping.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace(",full", ",most")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with pytest.raises(
        CommandError, match=r"vinh_long_2025_old_new_mapping.csv: row 6 .*bad relation 'most'"
    ):
        call_command("load_admin_units", "--dir", str(data_dir))


def test_missing_file_is_named(tmp_path):
    data_dir = _copy_data(tmp_path)
    (data_dir / "ben_tre_communes_pre2025.csv").unlink()
    with pytest.raises(CommandError, match="ben_tre_communes_pre2025.csv: file not found"):
        call_command("load_admin_units", "--dir", str(data_dir))
