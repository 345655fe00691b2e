"""Production: differs from base only through the environment, and refuses to start unsafe.

Refused, each with a message naming the variable: DEBUG on; SECRET_KEY missing, short, an
`insecure-…` development key or the example value of `.env.example`; ALLOWED_HOSTS empty or `*`;
no EMAIL_HOST (mail goes out by SMTP). Behind the documented reverse proxy (nginx terminating
TLS and passing `X-Forwarded-Proto` and `X-Forwarded-For`), requests are HTTPS-only with HSTS,
and cookies are Secure and HttpOnly. `manage.py check --deploy` passes with these settings
(tests/security/test_production_settings.py runs it).
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import BASE_DIR, SILENCED_SYSTEM_CHECKS, STORAGES
from .env import env

# The SECRET_KEY of .env.example: copying the example must not give a working production site.
EXAMPLE_SECRET_KEY = "change-me-to-a-long-random-string"


def _example_secret_keys() -> set[str]:
    keys = {EXAMPLE_SECRET_KEY}
    example = BASE_DIR / ".env.example"
    if example.exists():
        for line in example.read_text(encoding="utf-8").splitlines():
            name, sep, value = line.strip().lstrip("# ").partition("=")
            if sep and name.strip() == "SECRET_KEY" and value.strip():
                keys.add(value.strip())
    return keys


def _refuse(message: str) -> None:
    raise ImproperlyConfigured(f"Unsafe production settings: {message}")


SECRET_KEY = env("SECRET_KEY", default="")  # no default in production
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])  # no default in production

if DEBUG:
    _refuse("DEBUG must be off in production (unset DEBUG or set DEBUG=false).")
if not SECRET_KEY:
    _refuse("SECRET_KEY must be set in the environment for production.")
if SECRET_KEY.startswith("insecure-") or SECRET_KEY in _example_secret_keys():
    _refuse(
        "SECRET_KEY must be set in the environment for production, not the development or "
        ".env.example value (generate one: python -c 'import secrets; "
        "print(secrets.token_urlsafe(50))')."
    )
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    _refuse("SECRET_KEY must be at least 50 characters with at least 5 different ones.")
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    _refuse("ALLOWED_HOSTS must list the site's host names (not empty, not '*').")

# --- HTTPS behind the reverse proxy -----------------------------------------------------------
# nginx terminates TLS and sets `X-Forwarded-Proto $scheme`; Django trusts that header only
# because the app is reachable through the proxy alone (gunicorn bound to localhost or a
# private network).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The same proxy appends the client's address to X-Forwarded-For: lockouts (django-axes) and rate
# limits key on it (apps/accounts/throttling.py). One proxy unless the environment says otherwise.
OCOP_TRUSTED_PROXY_COUNT = env.int("OCOP_TRUSTED_PROXY_COUNT", default=1)
SECURE_SSL_REDIRECT = True
# The load balancer's probe may use plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)  # one year
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True  # the pages' scripts read the token from the form, not the cookie
if SECURE_HSTS_SECONDS < 3600:
    _refuse("SECURE_HSTS_SECONDS must be at least 3600 (HTTPS only, remembered by browsers).")
# security.W021 asks for HSTS preload. Being on the browsers' preload lists is a decision for the
# owner of the whole domain (hard to undo, binds every subdomain); set SECURE_HSTS_PRELOAD=true
# when the domain is submitted, which also satisfies the check.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]

# --- Email: SMTP, always (notifications and password reset must reach people) ---------------
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("EMAIL_HOST", default="")
if not EMAIL_HOST:
    _refuse(
        "EMAIL_HOST must name the SMTP server (EMAIL_PORT, EMAIL_HOST_USER, "
        "EMAIL_HOST_PASSWORD, EMAIL_USE_TLS as needed)."
    )

# Only static files change: the default (dossier files) storage is chosen by OCOP_STORAGE in base.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False  # production serves the collected, hashed files only

# --- Content-Security-Policy: always enforced in production (base.py); OCOP_CSP_REPORT_ONLY is
# for trying a page or a basemap on a demo or staging site, and is ignored here.
from .base import _csp_policy  # noqa: E402

CONTENT_SECURITY_POLICY = _csp_policy
CONTENT_SECURITY_POLICY_REPORT_ONLY = None
# --- end Content-Security-Policy
