from django.core.management.base import BaseCommand

from apps.accounts.choices import Role
from apps.core.demo import demo_accounts_ensure


class Command(BaseCommand):
    help = "Create the clearly labelled synthetic demo set and print one demo account per role."

    def handle(self, *args, **options):
        accounts = demo_accounts_ensure()
        self.stdout.write(self.style.WARNING("DEMO ACCOUNTS (synthetic data, not real people):"))
        for a in accounts:
            where = ", ".join(a.units) or "toàn quốc / nationwide"
            self.stdout.write(
                f"  {Role(a.role).label:<32} {a.username:<14} {a.password:<18} {where}"
            )
