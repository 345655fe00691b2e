from . import selectors


def notifications(request):
    """The header's unread counter: a callable, so the count is read only when a template shows
    it (the header of a signed-in user's page), not on every response."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: selectors.notification_unread_count(user=user)}
