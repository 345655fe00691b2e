from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "apps.evaluation"
    verbose_name = _("Evaluation rounds and councils")

    def ready(self) -> None:
        from apps.dossiers.selectors import provide_latest_council_result

        from .selectors import latest_council_result

        # The dossier pages show the council's result; dossiers sits below this app.
        provide_latest_council_result(latest_council_result)
