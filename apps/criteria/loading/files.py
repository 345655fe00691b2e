"""The data files on disk: where they are, which ones there are, and reading one as JSON."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

FORMAT_VERSION = 1
DATA_DIR = Path(__file__).resolve().parents[1] / "data"
ERRATA_SUFFIX = ".errata.json"


class CriteriaDataError(Exception):
    """A data file is malformed or would change protected data. The message says where."""


def criteria_files(directory: Path = DATA_DIR) -> list[Path]:
    """The data files of a directory, in name order (errata files are read with their set)."""
    return sorted(p for p in directory.glob("*.json") if not p.name.endswith(ERRATA_SUFFIX))


def errata_file(path: Path) -> Path:
    """Where the errata of a data file live: `qd26-2026.json` → `qd26-2026.errata.json`."""
    return path.with_name(path.name.removesuffix(".json") + ERRATA_SUFFIX)


def read_json(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CriteriaDataError(f"{path.name}: {exc}") from exc
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise CriteriaDataError(
            f"{path.name}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc
    if not isinstance(data, dict):
        raise CriteriaDataError(f"{path.name}: the top level must be an object")
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        raise CriteriaDataError(
            f"{path.name}: format_version {version!r} is not supported (expected {FORMAT_VERSION})"
        )
    return data
