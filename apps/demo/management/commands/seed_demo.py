from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from apps.accounts.choices import Role
from apps.demo.seeding import demo_accounts_ensure, demo_dataset_ensure
from apps.public.demo import public_demo_ensure
from apps.traceability.demo import seed_traceability


class Command(BaseCommand):
    help = "Create the clearly labelled synthetic demo set and print one demo account per role."

    def handle(self, *args, **options):
        accounts = demo_accounts_ensure()
        # The demo's workflow notifications go to synthetic addresses: do not send them.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            made = demo_dataset_ensure()
        if made["created"]:
            self.stdout.write(
                f"Synthetic demo data: {made['producers']} producers, {made['products']} products, "
                f"{made['dossiers']} dossiers (every name starts with DEMO)."
            )
        else:
            self.stdout.write("Synthetic demo data already present (kept as it is).")
        # Public product pages (GTIN, story, photo, buy links, synthetic scans), then a traced lot.
        public = public_demo_ensure()
        if public["created"]:
            self.stdout.write(
                f"DEMO public pages: {public['products']} products, {public['scans']} scans."
            )
        trace = seed_traceability()
        if trace["created"]:
            self.stdout.write(
                f"DEMO traceability: lot DEMO-2026-001 with {trace['events']} events (/trace/)."
            )
        self.stdout.write(self.style.WARNING("DEMO ACCOUNTS (synthetic data, not real people):"))
        for a in accounts:
            where = ", ".join(a.units) or "toàn quốc / nationwide"
            self.stdout.write(
                f"  {Role(a.role).label:<32} {a.username:<14} {a.password:<18} {where}"
            )
