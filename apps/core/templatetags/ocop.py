from django import template

from apps.core.navigation import nav_for

register = template.Library()


@register.simple_tag(takes_context=True)
def navigation(context):
    request = context.get("request")
    return nav_for(request.user) if request is not None else []
