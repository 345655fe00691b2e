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
    from apps.dossiers.choices import EVENT_LABELS, Action

    return Action(value).label if value in Action.values else EVENT_LABELS.get(value, value)
