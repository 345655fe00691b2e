"""Parse a criteria decision's HTML transcript into the JSON data file. Needs no database."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.criteria.parsing import ParseError, parse_decision

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
SOURCE = DATA_DIR / "source" / "qd-26-2026-QD-TTg.html"


class Command(BaseCommand):
    help = (
        "Parse the HTML transcript of an OCOP criteria decision (e.g. QĐ 26/2026/QĐ-TTg) into "
        "apps/criteria/data/<slug>.json. Anomalies are flagged for review, never corrected."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source",
            type=Path,
            default=SOURCE,
            help="the HTML transcript (default: the committed copy)",
        )
        parser.add_argument(
            "--out",
            type=Path,
            help="output JSON file (default: apps/criteria/data/<slug in lower case>.json; "
            "'-' for standard output)",
        )

    def handle(self, *args, source: Path, out: Path | None, **options) -> None:
        try:
            html = source.read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{source}: {exc}") from exc
        try:
            data = parse_decision(html, source_name=source.name)
        except ParseError as exc:
            raise CommandError(f"{source}: {exc}") from exc
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        if out is not None and str(out) == "-":
            self.stdout.write(text, ending="")
            return
        target = out or DATA_DIR / f"{data['criteria_set']['slug'].lower()}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        flagged = sum(
            1
            for sheet in data["sheets"]
            for item in (sheet, *sheet["parts"], *sheet["sections"], *sheet["criteria"])
            if item["review"]
        )
        self.stdout.write(
            f"{target}: {len(data['sheets'])} sheets, "
            f"{sum(len(s['criteria']) for s in data['sheets'])} criteria, "
            f"{flagged} items flagged for review"
        )
