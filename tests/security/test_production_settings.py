"""`ocop_gis.settings.production` refuses to start unsafe, and with a valid environment passes
`manage.py check --deploy`: HTTPS only behind the proxy (X-Forwarded-Proto), HSTS, Secure and
HttpOnly cookies, SMTP mail. Each case runs in a fresh process, as a server would start."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

# Every variable the production settings read for these checks; the test sets them itself so
# the developer's environment (or .env, which never overrides a variable already set) cannot
# change the outcome.
# DJANGO_ALLOW_ASYNC_UNSAFE is the test suite's own (tests/conftest.py), never production's.
CONTROLLED = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "EMAIL_HOST",
    "SECURE_HSTS_SECONDS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "OCOP_TRUSTED_PROXY_COUNT",
)
HOST = "ocop.example.gov.vn"
NOT_EXAMPLE = "not the development or .env.example"


def _valid_env() -> dict[str, str]:
    return {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "EMAIL_HOST": "smtp.example.gov.vn",
    }


def _run(args: list[str], **overrides) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    env.update(_valid_env())
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    env["DJANGO_SETTINGS_MODULE"] = "ocop_gis.settings.production"
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _example_secret() -> str:
    for line in (settings.BASE_DIR / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.startswith("SECRET_KEY="):
            return line.partition("=")[2].strip()
    raise AssertionError(".env.example has no SECRET_KEY line")


def test_check_deploy_passes_with_the_production_settings():
    result = _run(["manage.py", "check", "--deploy"])
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    # none of Django's deployment checks (security.W0xx / E0xx) is raised
    assert "security." not in output, output
    assert "ERRORS" not in output, output


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DEBUG": "true"}, "DEBUG must be off in production"),
        ({"SECRET_KEY": None}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "insecure-local-only-key-change-me"}, NOT_EXAMPLE),
        ({"SECRET_KEY": "insecure-" + "k" * 60}, NOT_EXAMPLE),
        ({"SECRET_KEY": "EXAMPLE"}, NOT_EXAMPLE),
        ({"SECRET_KEY": "short-but-not-insecure"}, "at least 50 characters"),
        ({"SECRET_KEY": "ab" * 40}, "at least 5 different"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS must list"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must list"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS must list"),
        ({"EMAIL_HOST": None}, "EMAIL_HOST must name the SMTP server"),
        ({"SECURE_HSTS_SECONDS": "0"}, "SECURE_HSTS_SECONDS must be at least"),
    ],
    ids=[
        "debug",
        "no-secret",
        "empty-secret",
        "dev-secret",
        "insecure-prefix",
        "example-secret",
        "short-secret",
        "weak-secret",
        "no-hosts",
        "empty-hosts",
        "any-host",
        "no-smtp",
        "no-hsts",
    ],
)
def test_unsafe_environment_refuses_to_start(overrides, message):
    if overrides.get("SECRET_KEY") == "EXAMPLE":
        overrides = {"SECRET_KEY": _example_secret()}
    result = _run(["-c", "import django; django.setup()"], **overrides)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr, result.stderr


SETTINGS_SCRIPT = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name) for name in (
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "EMAIL_BACKEND", "EMAIL_HOST", "DEBUG",
    "OCOP_TRUSTED_PROXY_COUNT", "AXES_CLIENT_IP_CALLABLE",
)}))
"""


def test_production_values():
    result = _run(["-c", SETTINGS_SCRIPT])
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SESSION_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["CSRF_COOKIE_SECURE"] and values["CSRF_COOKIE_HTTPONLY"]
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["EMAIL_HOST"] == "smtp.example.gov.vn"
    # behind the documented nginx: lockouts and limits key on the forwarded client address
    assert values["OCOP_TRUSTED_PROXY_COUNT"] == 1
    assert values["AXES_CLIENT_IP_CALLABLE"] == "apps.accounts.throttling.client_ip"


REQUEST_SCRIPT = f"""
import json, django
django.setup()
from django.test import Client
c = Client(HTTP_HOST="{HOST}")
plain = c.get("/ogc/conformance")
proxied = c.get("/ogc/conformance", HTTP_X_FORWARDED_PROTO="https")
probe = c.get("/healthz")
print(json.dumps({{
    "plain": [plain.status_code, plain.headers.get("Location", "")],
    "proxied": [proxied.status_code, proxied.headers.get("Strict-Transport-Security", "")],
    "probe": probe.status_code,
}}))
"""


def test_behind_the_proxy_https_only_with_hsts(tmp_path):
    """nginx passes `X-Forwarded-Proto: https`: such requests are served with HSTS; a plain
    HTTP request is redirected to HTTPS, except the load balancer's /healthz probe."""
    result = _run(["-c", REQUEST_SCRIPT], DATABASE_URL=f"spatialite:///{tmp_path / 'none.sqlite3'}")
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert answers["plain"] == [301, f"https://{HOST}/ogc/conformance"]
    status, hsts = answers["proxied"]
    assert status == 200 and "max-age=31536000" in hsts and "includeSubDomains" in hsts
    assert answers["probe"] != 301  # answered (503 here: that database does not exist)
