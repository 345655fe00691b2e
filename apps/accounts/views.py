from django.contrib.auth import views as auth_views


class OcopLoginView(auth_views.LoginView):
    """Login. Repeated failures for a username from one address are locked out by django-axes
    (AXES_FAILURE_LIMIT, AXES_COOLOFF_HOURS), which answers 429 with `accounts/locked_out.html`."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True
