from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`{{ mapping|get_item:key }}` for dicts keyed by criterion codes such as "1.1"."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def status_label(value: str) -> str:
    from apps.dossiers.choices import DossierStatus

    return DossierStatus(value).label if value in DossierStatus.values else value


@register.filter
def action_label(value: str) -> str:
    from django.utils.translation import gettext as _

    from apps.dossiers.choices import Action

    other = {"create": _("Dossier opened"), "form03_saved": _("Form 03 saved"),
             "samples_recorded": _("Samples recorded"), "file_uploaded": _("File uploaded"),
             "file_replaced": _("File replaced")}
    return Action(value).label if value in Action.values else other.get(value, value)
