from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.geo.loading import BoundaryDataError, load_boundaries


class Command(BaseCommand):
    help = "Load the administrative units (old and new) and the 2025 crosswalk from spatial_data/."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=settings.OCOP_SPATIAL_DATA_DIR)

    def handle(self, *args, dir: Path, **options):
        try:
            report = load_boundaries(dir)
        except BoundaryDataError as exc:
            raise CommandError(f"Nothing was loaded: {exc}") from exc
        for label, counter in (
            ("created", report.created),
            ("updated", report.updated),
            ("unchanged", report.unchanged),
        ):
            if counter:
                parts = ", ".join(f"{k} {v}" for k, v in sorted(counter.items()))
                self.stdout.write(f"{label}: {parts}")
        self.stdout.write(
            self.style.SUCCESS(f"Administrative units loaded ({report.changed} changes).")
        )
