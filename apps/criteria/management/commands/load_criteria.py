"""Load criteria-set data files into the database (idempotent, all or nothing)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.criteria.loading import CriteriaDataError, criteria_files, criteria_load


class Command(BaseCommand):
    help = (
        "Load every apps/criteria/data/*.json criteria set, or the given files. Loading twice "
        "changes nothing; a changed published set, or rows missing from a file, need --replace."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", type=Path, help="data files (default: all)")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="allow changing a published set and deleting rows the files no longer have",
        )

    def handle(self, *args, files: list[Path], replace: bool, **options) -> None:
        paths = files or criteria_files()
        if not paths:
            raise CommandError("no criteria data files found")
        try:
            report = criteria_load(paths=paths, replace=replace)
        except CriteriaDataError as exc:
            raise CommandError(f"{exc} (nothing was loaded)") from exc
        self.stdout.write(self.style.SUCCESS(report.summary()))
