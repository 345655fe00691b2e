"""Parse the HTML transcript of an OCOP criteria decision into the criteria-set data format.

Pure functions, no Django and no database: `parse_decision(html)` returns the dict documented in
`apps/criteria/data/FORMAT.md`. Every number is kept as printed. Whatever looks odd (a section
whose criteria do not add up to its printed maximum, an option that scores above its criterion,
a sheet that disagrees with every other sheet on the same option, ...) is flagged with
`review: true` and a `review_note`, never corrected.

The transcript is a Word export: outside tables the text sits in `<p>` elements, the
classification (Phụ lục I) is a 3-column table, and every criteria sheet (Phụ lục II) is a
2-column table ("Các tiêu chí" | "Thang điểm") preceded by a few header paragraphs.

The code, by what it does: `text` (the patterns of the printed text and small helpers), `blocks`
(HTML → paragraphs and tables), `classification` (Phụ lục I), `rows` (a sheet's table read row
by row), `criteria` (the criterion and option rules), `sheet` (one sheet assembled and checked)
and `decision` (the whole decision). Everything public is importable from this package.
"""

from __future__ import annotations

from .blocks import Cell, Paragraph, Table, html_blocks, parse_points
from .classification import classification_leaves, parse_classification
from .decision import parse_decision
from .sheet import parse_sheet
from .text import (
    FORMAT_VERSION,
    PARTS,
    RECOGNITION_LEVELS,
    ParseError,
    fold,
    normalize_space,
    number,
)

__all__ = [
    "FORMAT_VERSION",
    "PARTS",
    "RECOGNITION_LEVELS",
    "ParseError",
    "Cell",
    "Paragraph",
    "Table",
    "html_blocks",
    "parse_points",
    "fold",
    "normalize_space",
    "number",
    "parse_classification",
    "classification_leaves",
    "parse_sheet",
    "parse_decision",
]
