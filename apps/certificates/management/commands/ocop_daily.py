"""Daily OCOP housekeeping, for cron: `manage.py ocop_daily [--date YYYY-MM-DD]`.

Sends the certificate reminders due that day (re-evaluation window opens, closes in 30 days,
certificate expired), each once per certificate however often it runs. Exit status 0 even when
some emails failed (they are retried the next day); the summary line says how many.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.certificates.services import daily_run


class Command(BaseCommand):
    help = "Send the OCOP certificate reminders due today (idempotent; safe to rerun)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Run as of this day (YYYY-MM-DD); default: today in TIME_ZONE."
        )

    def handle(self, *args, **options):
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date must be YYYY-MM-DD, not {options['date']!r}") from exc
        else:
            today = timezone.localdate()
        summary = daily_run(today=today)
        parts = ", ".join(f"{kind}={count}" for kind, count in summary.items())
        self.stdout.write(f"ocop_daily {today.isoformat()}: reminders sent {parts}")
