"""Load criteria-set data files (`apps/criteria/data/*.json`, see `data/FORMAT.md`).

Rows are matched on their natural keys and written only where they differ, so loading twice
changes nothing. A published set that would change, and any row that would disappear, stop
the load unless `replace=True`. Everything runs in one transaction: a malformed file raises
`CriteriaDataError` naming the file and the position (sheet, criterion, option), and the
database is left as it was.

The code, by what it does: `files` (where the data files are, reading one), `reader` (typed,
located access to a file's values), `errata` (corrections applied before loading), `writer`
(upserting rows and the report), `sheets` (one criteria sheet) and `loader` (the sets, in one
transaction). Everything public is importable from this package.
"""

from __future__ import annotations

from .errata import apply_errata
from .files import (
    DATA_DIR,
    ERRATA_SUFFIX,
    FORMAT_VERSION,
    CriteriaDataError,
    criteria_files,
    errata_file,
)
from .loader import criteria_load, load_all
from .writer import LoadReport

__all__ = [
    "DATA_DIR",
    "ERRATA_SUFFIX",
    "FORMAT_VERSION",
    "CriteriaDataError",
    "LoadReport",
    "apply_errata",
    "criteria_files",
    "criteria_load",
    "errata_file",
    "load_all",
]
