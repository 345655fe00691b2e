"""Fixtures of the criteria tests: the QĐ 26/2026 data file, loaded by our own loader."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from apps.criteria.loading import DATA_DIR, criteria_load, errata_file
from apps.criteria.models import CriteriaSet

QD26_FILE = DATA_DIR / "qd26-2026.json"
QD26_CODE = "QD26/2026"
QD26_SLUG = "QD26-2026"


@pytest.fixture(scope="session")
def qd26_data() -> dict:
    """The committed data file, as the loader reads it (floats as Decimal)."""
    return json.loads(QD26_FILE.read_text(encoding="utf-8"), parse_float=Decimal)


@pytest.fixture(scope="module")
def qd26(django_db_setup, django_db_blocker) -> CriteriaSet:
    """QĐ 26/2026 in the test database. Loading is idempotent: a no-op when already there."""
    with django_db_blocker.unblock():
        criteria_load(paths=[QD26_FILE])
        return CriteriaSet.objects.get(code=QD26_CODE)


@pytest.fixture(scope="session")
def qd26_errata() -> dict:
    """The committed errata file of QĐ 26/2026."""
    return json.loads(errata_file(QD26_FILE).read_text(encoding="utf-8"), parse_float=Decimal)


@pytest.fixture
def data_copy(tmp_path, qd26_data, qd26_errata):
    """Write a modified copy of the QĐ 26 file, and its errata beside it; `edit` gets the data
    dict and `edit_errata` the errata dict to change in place (`errata=False`: no errata)."""

    def write(
        edit=None,
        *,
        code: str = "TEST/2026",
        name: str = "test-set.json",
        edit_errata=None,
        errata: bool = True,
    ) -> Path:
        data = json.loads(json.dumps(qd26_data, default=str))
        data["criteria_set"]["code"] = code
        data["criteria_set"]["slug"] = code.replace("/", "-")
        if edit is not None:
            edit(data)
        path = tmp_path / name
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        if errata:
            fixes = json.loads(json.dumps(qd26_errata, default=str))
            fixes["criteria_set"] = code
            if edit_errata is not None:
                edit_errata(fixes)
            errata_file(path).write_text(json.dumps(fixes, ensure_ascii=False), encoding="utf-8")
        return path

    return write
