"""Load `spatial_data/` into AdminUnit, AdminUnitSuccession and BoundarySource.

Every file is read through GDAL/OGR (GeoJSON and CSV drivers). Several files describe the same
unit (the national and the provincial Bến Tre outline; a polygon file and a table of the same new
communes), so the files are first merged, in a fixed order, into one planned state; only then is
that state compared with the database, and a row written only where it differs. Loading twice
therefore changes nothing. The whole load runs in one transaction: a malformed file raises
`BoundaryDataError` naming the file and the feature, and the database is left as it was.
"""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.gis.gdal import DataSource, GDALException
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon
from django.db import transaction

from .choices import LAST_DAY_BEFORE_REFORM, REFORM_DATE_2025, Level, SuccessionRelation, UnitType
from .models import AdminUnit, AdminUnitSuccession, BoundarySource

# Load order matters only for which geometry wins where two files describe one unit: the
# province-sized Bến Tre file is more detailed than the national one, so it is read after it.
GEOJSON_FILES = (
    "vietnam_provinces_pre2025.geojson",
    "ben_tre_province_pre2025.geojson",
    "ben_tre_districts.geojson",
    "vietnam_provinces.geojson",
    "vinh_long_communes_2025.geojson",
)
# Files that repeat units of another file: checked against it (codes and names), not merged, so
# one survey's geometry is used for the whole province.
SUBSET_FILES = {"ben_tre_communes_2025.geojson": "vinh_long_communes_2025.geojson"}
PRE2025_COMMUNES_CSV = "ben_tre_communes_pre2025.csv"
NEW_COMMUNES_CSV = "vinh_long_2025_communes.csv"
MAPPING_CSV = "vinh_long_2025_old_new_mapping.csv"
ALL_FILES = (*GEOJSON_FILES, *SUBSET_FILES, PRE2025_COMMUNES_CSV, NEW_COMMUNES_CSV, MAPPING_CSV)

_TYPE_PREFIXES = sorted((t.value for t in UnitType), key=len, reverse=True)


class BoundaryDataError(Exception):
    """A data file is missing or malformed. The message names the file and the feature."""


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())


Key = tuple[str, str, date | None]  # (level, code, valid_to): a unit's natural key


class _Loader:
    def __init__(self, directory: Path):
        self.dir = directory
        self.report = LoadReport()
        self._sources: dict[str, BoundarySource] = {}
        # The planned state, merged from every file before anything is written.
        self._plan: dict[Key, dict[str, Any]] = {}
        self._links: dict[tuple[Key, Key], dict[str, Any]] = {}

    # --- helpers ---------------------------------------------------------------------------
    def _path(self, name: str) -> Path:
        path = self.dir / name
        if not path.is_file():
            raise BoundaryDataError(f"{name}: file not found in {self.dir}")
        return path

    def _layer(self, name: str):
        path = self._path(name)
        try:
            return DataSource(str(path), encoding="utf-8")[0]
        except (GDALException, IndexError) as exc:
            raise BoundaryDataError(f"{name}: GDAL cannot read the file ({exc})") from exc

    def _source(self, name: str) -> BoundarySource:
        if name in self._sources:
            return self._sources[name]
        path = self._path(name)
        raw = path.read_bytes()
        meta: dict[str, Any] = {}
        if name.endswith(".geojson"):
            try:
                meta = json.loads(raw)
            except ValueError as exc:
                raise BoundaryDataError(f"{name}: not valid JSON ({exc})") from exc
        values = {
            "description": str(meta.get("description", "")),
            "attribution": str(meta.get("attribution", "")),
            "license": str(meta.get("license", "")),
            "source_commit": str(meta.get("source_commit", "")),
            "sha256": hashlib.sha256(raw).hexdigest(),
        }
        source = BoundarySource.objects.filter(file_name=name).first()
        if source is None:
            source = BoundarySource.objects.create(file_name=name, **values)
            self.report.created["source"] += 1
        elif any(getattr(source, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(source, k, v)
            source.save()
            self.report.updated["source"] += 1
        self._sources[name] = source
        return source

    def _find(self, level: str, code: str, valid_to: date | None) -> Key | None:
        key = (level, code, valid_to)
        return key if key in self._plan else None

    def _plan_unit(self, key: Key, values: dict[str, Any]) -> Key:
        """Merge `values` into the planned unit: a later file overrides the fields it gives."""
        self._plan.setdefault(key, {}).update(values)
        return key

    def _plan_link(self, old: Key, new: Key, relation: str, basis: str, item: str) -> None:
        planned = self._links.setdefault((old, new), {"effective_on": REFORM_DATE_2025})
        planned["relation"] = relation
        planned["legal_basis"] = basis or planned.get("legal_basis", "")
        planned["legal_item"] = item or planned.get("legal_item", "")

    def _parent(self, level: str, code: str, child_valid_to: date | None) -> Key:
        """The parent of the same era: ended units hang under ended parents, current under
        current."""
        same_era = [
            key
            for key in self._plan
            if key[0] == level and key[1] == code and (key[2] is None) == (child_valid_to is None)
        ]
        if not same_era:
            raise BoundaryDataError(f"parent {level} {code} is not loaded")
        return max(same_era, key=lambda k: k[2] or date.max)

    # --- writing the plan ------------------------------------------------------------------
    def apply(self) -> None:
        existing = {(u.level, u.code, u.valid_to): u for u in AdminUnit.objects.all()}
        for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):  # parents first
            for key, planned in self._plan.items():
                if key[0] != level:
                    continue
                values = dict(planned)
                values.setdefault("note", "")
                values.setdefault("area_km2", None)
                if values.get("parent") is not None:
                    values["parent"] = existing[values["parent"]]
                existing[key] = self._write_unit(existing.get(key), key, values)
        current = {
            (link.predecessor_id, link.successor_id): link
            for link in AdminUnitSuccession.objects.all()
        }
        for (old, new), values in self._links.items():
            predecessor, successor = existing[old], existing[new]
            link = current.get((predecessor.pk, successor.pk))
            if link is None:
                AdminUnitSuccession.objects.create(
                    predecessor=predecessor, successor=successor, **values
                )
                self.report.created["succession"] += 1
            elif any(getattr(link, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(link, k, v)
                link.save(update_fields=list(values))
                self.report.updated["succession"] += 1
            else:
                self.report.unchanged["succession"] += 1

    def _write_unit(self, unit: AdminUnit | None, key: Key, values: dict[str, Any]) -> AdminUnit:
        level, code, valid_to = key
        if unit is None:
            unit = AdminUnit(level=level, code=code, valid_to=valid_to, **values)
            unit.full_clean(validate_constraints=False)
            unit.save()
            self.report.created[level] += 1
            return unit
        changed = [k for k, v in values.items() if not _same(getattr(unit, k), v)]
        if changed:
            for k in changed:
                setattr(unit, k, values[k])
            unit.save(update_fields=changed)
            self.report.updated[level] += 1
        else:
            self.report.unchanged[level] += 1
        return unit

    # --- files -----------------------------------------------------------------------------
    def load_geojson(self, name: str) -> None:
        source = self._source(name)
        layer = self._layer(name)
        for index, feature in enumerate(layer):
            where = f"{name}: feature {index}"
            try:
                props = {f: feature.get(f) for f in feature.fields}
                code = _code(props.get("code"))
                where = f"{name}: feature {index} (code {code})"
                level = _choice(props.get("level"), Level, "level")
                geom = _multipolygon(feature.geom.geos)
                valid_from = _date(props.get("valid_from"))
                valid_to = _date(props.get("valid_until"))
                parent = None
                parent_code = props.get("parent_code")
                if level != Level.PROVINCE:
                    parent = self._parent(Level.PROVINCE, _code(parent_code), valid_to)
                values = {
                    "name": _text(props.get("name"), "name"),
                    "full_name": _text(props.get("full_name"), "full_name"),
                    "name_en": props.get("name_en") or "",
                    "unit_type": _choice(props.get("type"), UnitType, "type"),
                    "parent": parent,
                    "valid_from": valid_from,
                    "geom": geom,
                    "source": source,
                }
                if props.get("area_km2") not in (None, ""):
                    values["area_km2"] = _decimal_area(props["area_km2"])
                self._plan_unit((level, code, valid_to), values)
            except BoundaryDataError as exc:
                raise BoundaryDataError(f"{where}: {exc}") from exc
            except (GDALException, ValueError, TypeError) as exc:
                raise BoundaryDataError(f"{where}: {exc}") from exc

    def check_subset(self, name: str) -> None:
        """A subset file must repeat units of its superset file, with the same names."""
        self._source(name)
        for index, feature in enumerate(self._layer(name)):
            code = feature.get("code") if "code" in feature.fields else None
            where = f"{name}: feature {index} (code {code})"
            try:
                level = _choice(feature.get("level"), Level, "level")
                key = self._find(
                    level,
                    _code(code),
                    _date(feature.get("valid_until")) if "valid_until" in feature.fields else None,
                )
                if key is None:
                    raise BoundaryDataError(f"not in {SUBSET_FILES[name]}")
                if self._plan[key]["full_name"] != feature.get("full_name"):
                    raise BoundaryDataError(f"name differs from {SUBSET_FILES[name]}")
            except BoundaryDataError as exc:
                raise BoundaryDataError(f"{where}: {exc}") from exc

    def load_pre2025_communes(self) -> None:
        name = PRE2025_COMMUNES_CSV
        source = self._source(name)
        for index, row in enumerate(self._rows(name)):
            where = f"{name}: row {index + 2} (code {row.get('code')})"
            try:
                code = _code(row["code"])
                valid_to = _date(row["valid_until"])
                district = self._find(
                    Level.DISTRICT, _code(row["district_code"]), LAST_DAY_BEFORE_REFORM
                )
                if district is None:
                    raise BoundaryDataError(f"district {row['district_code']} is not loaded")
                unit = self._plan_unit(
                    (Level.COMMUNE, code, valid_to),
                    {
                        "name": _text(row["name"], "name"),
                        "full_name": _text(row["full_name"], "full_name"),
                        "name_en": row.get("name_en") or "",
                        "unit_type": _choice(row["type"], UnitType, "type"),
                        "parent": district,
                        "valid_from": None,
                        "geom": None,
                        "source": source,
                        "note": row.get("note") or "",
                    },
                )
                if row.get("new_code_2025"):
                    new = self._find(Level.COMMUNE, _code(row["new_code_2025"]), None)
                    if new is None:
                        raise BoundaryDataError(f"successor {row['new_code_2025']} is not loaded")
                    relation = _choice(row["relation_2025"], SuccessionRelation, "relation_2025")
                    self._plan_link(unit, new, relation, "1687/NQ-UBTVQH15", "")
            except (KeyError, ValueError) as exc:
                raise BoundaryDataError(f"{where}: {exc}") from exc
            except BoundaryDataError as exc:
                raise BoundaryDataError(f"{where}: {exc}") from exc

    def load_new_communes(self) -> None:
        """The 124-row table of new communes: checks it agrees with the polygons, adds the item."""
        name = NEW_COMMUNES_CSV
        self._source(name)
        for index, row in enumerate(self._rows(name)):
            where = f"{name}: row {index + 2} (code {row.get('code')})"
            try:
                unit = self._find(Level.COMMUNE, _code(row["code"]), None)
                if unit is None:
                    raise BoundaryDataError("no commune polygon with this code")
                polygon_name = self._plan[unit]["full_name"]
                if polygon_name != row["full_name"]:
                    raise BoundaryDataError(
                        f"name {row['full_name']!r} differs from the polygon's {polygon_name!r}"
                    )
                note = f"Nghị quyết 1687/NQ-UBTVQH15, mục {row['resolution_item']}"
                self._plan_unit(
                    unit,
                    {"note": note, "area_km2": _decimal_area(row["area_km2"])},
                )
            except (KeyError, ValueError) as exc:
                raise BoundaryDataError(f"{where}: {exc}") from exc
            except BoundaryDataError as exc:
                raise BoundaryDataError(f"{where}: {exc}") from exc

    def load_mapping(self) -> None:
        """Old communes of Bến Tre, Trà Vinh and old Vĩnh Long → the 124 new communes.

        Old districts and communes that no polygon file describes are created without geometry,
        so any old code of the new province can be translated.
        """
        name = MAPPING_CSV
        source = self._source(name)
        province_links: set[tuple[str, str]] = set()
        for index, row in enumerate(self._rows(name)):
            where = f"{name}: row {index + 2} (old code {row.get('old_code')})"
            try:
                new = self._find(Level.COMMUNE, _code(row["new_code"]), None)
                if new is None:
                    raise BoundaryDataError(f"new commune {row['new_code']} is not loaded")
                old_province = self._find(
                    Level.PROVINCE, _code(row["old_province_code"]), LAST_DAY_BEFORE_REFORM
                )
                if old_province is None:
                    raise BoundaryDataError(
                        f"old province {row['old_province_code']} is not loaded"
                    )
                district = self._find(
                    Level.DISTRICT, _code(row["old_district_code"]), LAST_DAY_BEFORE_REFORM
                )
                if district is None:
                    full = _text(row["old_district_full_name"], "old_district_full_name")
                    unit_type, short = _split_type(full)
                    district = self._plan_unit(
                        (Level.DISTRICT, _code(row["old_district_code"]), LAST_DAY_BEFORE_REFORM),
                        {
                            "name": short,
                            "full_name": full,
                            "unit_type": unit_type,
                            "parent": old_province,
                            "valid_from": None,
                            "geom": None,
                            "source": source,
                        },
                    )
                old = self._find(Level.COMMUNE, _code(row["old_code"]), LAST_DAY_BEFORE_REFORM)
                if old is None:
                    full = _text(row["old_full_name"], "old_full_name")
                    unit_type, short = _split_type(full)
                    old = self._plan_unit(
                        (Level.COMMUNE, _code(row["old_code"]), LAST_DAY_BEFORE_REFORM),
                        {
                            "name": short,
                            "full_name": full,
                            "unit_type": unit_type,
                            "parent": district,
                            "valid_from": None,
                            "geom": None,
                            "source": source,
                        },
                    )
                relation = _choice(row["relation"], SuccessionRelation, "relation")
                self._plan_link(old, new, relation, row["resolution"], row["resolution_item"])
                province_links.add((old_province[1], _code(row["new_province_code"])))
            except (KeyError, ValueError) as exc:
                raise BoundaryDataError(f"{where}: {exc}") from exc
            except BoundaryDataError as exc:
                raise BoundaryDataError(f"{where}: {exc}") from exc
        for old_code, new_code in sorted(province_links):
            old = self._find(Level.PROVINCE, old_code, LAST_DAY_BEFORE_REFORM)
            new = self._find(Level.PROVINCE, new_code, None)
            if new is None:
                raise BoundaryDataError(f"{name}: new province {new_code} is not loaded")
            self._plan_link(old, new, SuccessionRelation.FULL, "202/2025/QH15", "")

    def _rows(self, name: str):
        layer = self._layer(name)
        for feature in layer:
            yield {f: (feature.get(f) or "").strip() for f in feature.fields}


def load_boundaries(directory: Path) -> LoadReport:
    """Load every boundary file of `directory`, all or nothing."""
    directory = Path(directory)
    with transaction.atomic():
        loader = _Loader(directory)
        for name in GEOJSON_FILES:
            loader.load_geojson(name)
        for name in SUBSET_FILES:
            loader.check_subset(name)
        loader.load_pre2025_communes()
        loader.load_new_communes()
        loader.load_mapping()
        loader.apply()
    return loader.report


# --- value parsing -------------------------------------------------------------------------
def _code(value: Any) -> str:
    text = str(value or "").strip()
    if not text.isdigit() or len(text) > 10:
        raise BoundaryDataError(f"bad unit code {value!r} (expected digits, e.g. '86' or '28756')")
    return text


def _text(value: Any, key: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise BoundaryDataError(f"missing {key}")
    return text


def _choice(value: Any, choices, key: str) -> str:
    if value not in choices.values:
        raise BoundaryDataError(f"bad {key} {value!r} (expected one of {list(choices.values)})")
    return value


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise BoundaryDataError(f"bad date {value!r}") from exc


def _decimal_area(value: Any):
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise BoundaryDataError(f"bad area {value!r}") from exc


def _multipolygon(geom: GEOSGeometry) -> MultiPolygon:
    if geom.srid not in (None, 4326):
        geom.transform(4326)
    if isinstance(geom, Polygon):
        geom = MultiPolygon(geom)
    if not isinstance(geom, MultiPolygon):
        raise BoundaryDataError(f"geometry is {geom.geom_type}, expected a (Multi)Polygon")
    if geom.empty:
        raise BoundaryDataError("empty geometry")
    if not geom.valid:
        raise BoundaryDataError(f"invalid geometry: {geom.valid_reason}")
    geom.srid = 4326
    return geom


def _split_type(full_name: str) -> tuple[str, str]:
    for prefix in _TYPE_PREFIXES:
        if full_name.startswith(prefix + " "):
            return prefix, full_name[len(prefix) + 1 :]
    raise BoundaryDataError(f"unit type not recognised in {full_name!r}")


def _same(current: Any, new: Any) -> bool:
    if isinstance(new, GEOSGeometry) or isinstance(current, GEOSGeometry):
        if current is None or new is None:
            return current is new
        return current.equals_exact(new, 0)
    if hasattr(new, "pk") and hasattr(current, "pk"):
        return current.pk == new.pk
    return current == new
