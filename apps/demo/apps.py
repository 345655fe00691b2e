from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The synthetic demo set (`manage.py seed_demo`): at the top of the house, since it drives
    every other app's services. Nothing imports it."""

    name = "apps.demo"
    verbose_name = _("Demo data")
