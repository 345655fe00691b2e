"""Settings shared by every environment. Each setting is declared here; the others only override."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from apps.core import sqlite as sqlite_policy

from .env import BASE_DIR, env

SECRET_KEY = env("SECRET_KEY", default="insecure-local-only-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework_gis",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files for /api/v1/docs/, served by the project
    "csp",
    "axes",
    "apps.core",
    "apps.accounts",
    "apps.geo",
    "apps.producers",
    "apps.products",
    "apps.dossiers",
    "apps.evaluation",
    "apps.certificates",
    "apps.criteria",
    "apps.maps",
    "apps.ogc",
    "apps.dashboards",
    "apps.traceability",
    "apps.public",
    "apps.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header (CONTENT_SECURITY_POLICY below); this early, it is on
    # every response, the errors of the middleware below included.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # SQLite's write lock held past the busy timeout → 503 + Retry-After (apps/core/sqlite.py).
    "apps.core.middleware.DatabaseBusyMiddleware",
    # Last, as django-axes requires: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ocop_gis.urls"
WSGI_APPLICATION = "ocop_gis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.geo.context_processors.site",
                "apps.dossiers.context_processors.notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SpatiaLite is the embedded default so the app runs with no server; PostGIS is production.
DATABASES = {
    "default": env.db(
        "DATABASE_URL", default=f"spatialite:///{BASE_DIR / 'var' / 'ocop_gis.sqlite3'}"
    )
}
# OCOP_TEST_DB_NAME lets several test runs share one machine without dropping each other's
# database (a PostgreSQL database name, or a file under var/ for SQLite).
_test_db_name = env("OCOP_TEST_DB_NAME", default="")
if sqlite_policy.is_sqlite(DATABASES["default"]):
    # SQLite under concurrent requests (apps/core/sqlite.py): WAL, BEGIN IMMEDIATE, a busy timeout
    # (then 503 + Retry-After), and a file test database, never an in-memory one shared between
    # the live server's threads. pytest-xdist suffixes the file name per worker.
    sqlite_policy.configure(
        DATABASES["default"],
        timeout=env.float("OCOP_SQLITE_BUSY_TIMEOUT", default=20),
        test_name=str(BASE_DIR / "var" / f"{_test_db_name or 'test_ocop_gis'}.sqlite3"),
    )
elif _test_db_name:
    DATABASES["default"]["TEST"] = {"NAME": _test_db_name}
# What a 503 "database busy" answer tells the client to wait before sending the request again.
OCOP_BUSY_RETRY_AFTER_SECONDS = env.int("OCOP_BUSY_RETRY_AFTER_SECONDS", default=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SPATIALITE_LIBRARY_PATH = env("SPATIALITE_LIBRARY_PATH", default="mod_spatialite")

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# Failed-login throttling (django-axes): lock a username+IP pair after N failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# --- Client address and throttling (apps/accounts/throttling.py) ----------------------------
# How many reverse proxies in front of the app append to X-Forwarded-For (nginx with
# `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;` is 1). 0: the app is reached
# directly and the header is ignored (production's default is 1: ocop_gis/settings/production.py).
# The client is the address that many places from the right,
# so a client cannot choose its address by sending the header itself. django-axes reads the same
# address (its ipware settings need django-ipware, which is not installed).
OCOP_TRUSTED_PROXY_COUNT = env.int("OCOP_TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "apps.accounts.throttling.client_ip"
# Per-address limits, as "<requests>/<seconds>": password reset form posts, and scans recorded
# from the public pages and their location shares (beyond it: 429 with Retry-After for the
# form and the location share; the page is still served but the scan is not recorded).
OCOP_RATE_PASSWORD_RESET = env("OCOP_RATE_PASSWORD_RESET", default="5/3600")
OCOP_RATE_SCAN = env("OCOP_RATE_SCAN", default="120/60")
# The counters live in the default cache: local memory (per process) unless CACHE_URL names a
# shared one (e.g. `dbcache://ocop_cache` after `manage.py createcachetable`), which makes the
# limits exact across gunicorn workers.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://ocop-gis")}
# --- end Client address and throttling ------------------------------------------------------

# --- I18N -----------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Outside production, WhiteNoise serves static files straight from the apps (no collectstatic).
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)
WHITENOISE_AUTOREFRESH = env.bool("WHITENOISE_AUTOREFRESH", default=False)

# --- Files ----------------------------------------------------------------------------------
# Uploaded evidence files (apps/core/files.py). Where they live is chosen by the environment
# only: OCOP_STORAGE=local (default, under MEDIA_ROOT) or OCOP_STORAGE=s3 (any S3-compatible
# server, e.g. SeaweedFS or MinIO, through django-storages). The S3 secrets have no defaults.
OCOP_UPLOAD_MAX_BYTES = env.int("OCOP_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# DOCX/XLSX are ZIP containers: refuse any whose entries inflate past this (zip bombs).
OCOP_UPLOAD_MAX_UNZIPPED_BYTES = env.int("OCOP_UPLOAD_MAX_UNZIPPED_BYTES", default=200 * 1024**2)
OCOP_STORAGE = env("OCOP_STORAGE", default="local")
if OCOP_STORAGE == "local":
    # Writes to a temporary name in the same directory, then renames (apps/core/storage.py):
    # a full disk or a killed process never leaves a partial file under the final name.
    OCOP_FILE_STORAGE = {"BACKEND": "apps.core.storage.AtomicFileSystemStorage"}
elif OCOP_STORAGE == "s3":
    OCOP_FILE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "endpoint_url": env("AWS_S3_ENDPOINT_URL"),
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "access_key": env("AWS_ACCESS_KEY_ID"),
            "secret_key": env("AWS_SECRET_ACCESS_KEY"),
            "region_name": env("AWS_S3_REGION_NAME", default="us-east-1"),
            "location": env("AWS_LOCATION", default=""),
            "signature_version": "s3v4",
            # SeaweedFS/MinIO serve buckets under the path, not as virtual hosts.
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default="path"),
            "default_acl": None,  # objects stay private; the bucket policy decides
            "file_overwrite": False,  # never replace an existing object
            "querystring_auth": True,  # any url() is a signed, expiring link
            "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=300),
            # Reads through storage.open() spill to a temp file past 5 MB instead of RAM.
            "max_memory_size": 5 * 1024 * 1024,
        },
    }
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"OCOP_STORAGE must be 'local' or 's3', not {OCOP_STORAGE!r}.")
STORAGES["default"] = OCOP_FILE_STORAGE
# --- end Files ------------------------------------------------------------------------------

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="ocop-gis@localhost")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# SMTP (production always uses it and requires EMAIL_HOST: ocop_gis/settings/production.py).
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# --- Certificates (apps/certificates) -------------------------------------------------------
# QR codes on certificates point at the public product page; {code} is the OCOP product code.
OCOP_PUBLIC_PRODUCT_URL = env("OCOP_PUBLIC_PRODUCT_URL", default="http://127.0.0.1:8000/p/{code}")
# QĐ 26/2026: certificates last 36 months (Đ4.3); re-evaluation dossiers are filed from 180 to
# 120 days before expiry (Đ7.6.a); a late filer's certificate is extended ≤180 days (Đ12.3).
OCOP_CERTIFICATE_MONTHS = env.int("OCOP_CERTIFICATE_MONTHS", default=36)
OCOP_REEVALUATION_WINDOW_OPENS_DAYS = env.int("OCOP_REEVALUATION_WINDOW_OPENS_DAYS", default=180)
OCOP_REEVALUATION_WINDOW_CLOSES_DAYS = env.int("OCOP_REEVALUATION_WINDOW_CLOSES_DAYS", default=120)
OCOP_TRANSITION_EXTENSION_DAYS = env.int("OCOP_TRANSITION_EXTENSION_DAYS", default=180)
# The day QĐ 26/2026 took effect (Đ11): the transitional extension (Đ12.3) applies only to
# certificates in force on it. An ISO date.
OCOP_QD26_EFFECTIVE_ON = date.fromisoformat(env("OCOP_QD26_EFFECTIVE_ON", default="2026-05-22"))
# A revocation is decided within 15 calendar days of the competent conclusion (Đ8.4); a later
# decision is recorded as late.
OCOP_REVOCATION_DAYS = env.int("OCOP_REVOCATION_DAYS", default=15)
# A re-evaluation is decided within 45 calendar days of the complete dossier reaching the province
# (from the commune) or the ministry (from the province) (Đ7.6.g): `Dossier.decision_deadline`.
OCOP_REEVALUATION_DAYS = env.int("OCOP_REEVALUATION_DAYS", default=45)
# --- end Certificates -----------------------------------------------------------------------

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "apps.accounts.authentication.CheckedBasicAuthentication",
        # `Authorization: Token …` for GIS clients and scripts (QGIS, GDAL, ogr2ogr); only the
        # key's SHA-256 is stored (apps/accounts/authentication.py).
        "apps.accounts.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api.pagination.Pagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "apps.core.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "apps.core.api.negotiation.FormatFirstNegotiation",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OCOP GIS API",
    "DESCRIPTION": "API của hệ thống quản lý OCOP (Mỗi xã một sản phẩm) trên nền GIS.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # GeoJSON `type` members (apps/core/api/schema.py) share a field name: name their enums.
    "ENUM_NAME_OVERRIDES": {
        "GeoJSONFeatureTypeEnum": ["Feature"],
        "GeoJSONFeatureCollectionTypeEnum": ["FeatureCollection"],
        "GeoJSONPointTypeEnum": ["Point"],
    },
    # Every operation documents the error envelope for 400/401/403/404/409/429/503.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.core.api.schema.add_error_responses",
    ],
    # /api/v1/docs/ loads Swagger UI from drf-spectacular-sidecar's static files, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No badge from validator.swagger.io: the docs page makes no request outside the app.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

# --- Map ------------------------------------------------------------------------------------
# Basemap tiles are optional: empty means no basemap (the app needs no internet).
# Example: "https://tile.example.org/{z}/{x}/{y}.png" with OCOP_BASEMAP_ATTRIBUTION set to match.
OCOP_BASEMAP_URL = env("OCOP_BASEMAP_URL", default="")
OCOP_BASEMAP_ATTRIBUTION = env("OCOP_BASEMAP_ATTRIBUTION", default="")
# The pilot province: communes of this province code are drawn on the map page.
OCOP_PILOT_PROVINCE_CODE = env("OCOP_PILOT_PROVINCE_CODE", default="86")
OCOP_SPATIAL_DATA_DIR = env.path("OCOP_SPATIAL_DATA_DIR", default=BASE_DIR / "spatial_data")

# --- Content-Security-Policy (django-csp) ---------------------------------------------------
# Every response says where a page may load from: scripts only from this site's static files
# (no inline script, no event-handler attributes, no eval), so an injected `<img onerror=…>`
# cannot run even if some text slipped through unescaped. Styles allow 'unsafe-inline' because
# Leaflet positions map panes, markers and tooltips with style attributes; images allow data:
# and blob: (Leaflet's icons, the QR codes) and the basemap's origin when OCOP_BASEMAP_URL is
# set. OCOP_CSP_REPORT_ONLY=true sends the same policy as Content-Security-Policy-Report-Only
# (reported by the browser, not enforced): for trying a new basemap or page, never for good.


def _csp_origin(url: str) -> str:
    """The CSP source of an XYZ tile URL template: scheme, host and port, with a `{s}`-style
    subdomain placeholder as the wildcard label (https://{s}.tile.example.org → https://*.tile
    .example.org). Only a placeholder in the leftmost label can be expressed in CSP."""
    import re
    from urllib.parse import urlsplit

    from django.core.exceptions import ImproperlyConfigured

    parts = urlsplit(url)
    host = re.sub(r"\{[^}]*\}", "*", parts.netloc.rsplit("@", 1)[-1])
    if parts.scheme not in ("http", "https") or not host or "*" in host.lstrip("*."):
        raise ImproperlyConfigured(
            f"OCOP_BASEMAP_URL must be an http(s) URL whose host has at most a leftmost "
            f"{{s}}-style placeholder, not {url!r}."
        )
    return f"{parts.scheme}://{host}"


from csp import constants as csp  # noqa: E402 — kept inside this section

OCOP_CSP_REPORT_ONLY = env.bool("OCOP_CSP_REPORT_ONLY", default=False)
_csp_policy = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF, csp.UNSAFE_INLINE],
        "img-src": [csp.SELF, "data:", "blob:"]
        + ([_csp_origin(OCOP_BASEMAP_URL)] if OCOP_BASEMAP_URL else []),
        "font-src": [csp.SELF, "data:"],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    },
}
CONTENT_SECURITY_POLICY = None if OCOP_CSP_REPORT_ONLY else _csp_policy
CONTENT_SECURITY_POLICY_REPORT_ONLY = _csp_policy if OCOP_CSP_REPORT_ONLY else None
# --- end Content-Security-Policy ------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# gis.W001 asks for GDAL ≥ 3.9 to block file/network access from malicious spatial references.
# Debian 12 ships GDAL 3.6; the app only opens its own files (spatial_data/) and never passes a
# user-supplied spatial reference to GDAL, so the warning is silenced rather than shown on every
# run.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

# --- Public product pages and GS1 Digital Link (apps.public)
# Scheme and host the QR codes and linksets use (GS1 Digital Link: {base}/01/{gtin}/10/{lot});
# empty: the scheme and host of OCOP_PUBLIC_PRODUCT_URL, so both kinds of code agree.
OCOP_RESOLVER_BASE_URL = env("OCOP_RESOLVER_BASE_URL", default="")
# How long browsers and shared caches may keep a public page: a revocation shows within this.
OCOP_PUBLIC_CACHE_SECONDS = env.int("OCOP_PUBLIC_CACHE_SECONDS", default=60)
# How long the server keeps a page's content (photos, story, map) in the cache; the certificate's
# status is never cached, it is read at every request.
OCOP_PUBLIC_CONTENT_CACHE_SECONDS = env.int("OCOP_PUBLIC_CONTENT_CACHE_SECONDS", default=300)
OCOP_PUBLIC_PHOTO_MAX_BYTES = env.int("OCOP_PUBLIC_PHOTO_MAX_BYTES", default=8 * 1024 * 1024)
OCOP_PUBLIC_PHOTOS_PER_PRODUCT = env.int("OCOP_PUBLIC_PHOTOS_PER_PRODUCT", default=8)
# Scan log: "buffered" (rows kept in memory, written in bulk by a background thread every
# OCOP_SCAN_FLUSH_SECONDS or at OCOP_SCAN_BUFFER_SIZE rows, and at exit) or "off".
OCOP_SCAN_LOG = env("OCOP_SCAN_LOG", default="buffered")
OCOP_SCAN_BUFFER_SIZE = env.int("OCOP_SCAN_BUFFER_SIZE", default=200)
OCOP_SCAN_FLUSH_SECONDS = env.float("OCOP_SCAN_FLUSH_SECONDS", default=5.0)
OCOP_SCAN_BUFFER_MAX = env.int("OCOP_SCAN_BUFFER_MAX", default=20_000)
# Scan-location reports kept for the analytics: inside OCOP_VIETNAM_BBOX, and at most
# OCOP_SCAN_LOCATION_PER_MINUTE per client (a keyed hash of the address, held in the cache for
# a minute and never stored) — faster than a person scans codes, the rest are dropped.
OCOP_SCAN_LOCATION_PER_MINUTE = env.int("OCOP_SCAN_LOCATION_PER_MINUTE", default=6)

# --- Input limits (apps/core/parsing.py) -----------------------------------------------------
# Viet Nam with its islands (Hoàng Sa, Trường Sa, Côn Đảo, Phú Quốc, Thổ Chu) as
# min lon, min lat, max lon, max lat: production areas and scan locations must lie inside.
OCOP_VIETNAM_BBOX = tuple(
    env.list("OCOP_VIETNAM_BBOX", cast=float, default=[102.0, 7.5, 117.5, 23.5])
)
# The largest `offset` (or page × page size) a list accepts; deeper pages answer 400 rather than
# making the database skip millions of rows.
OCOP_MAX_OFFSET = env.int("OCOP_MAX_OFFSET", default=1_000_000)
# Temporary files of interrupted local uploads (`*.part-*`) older than this are removed at start.
OCOP_STALE_UPLOAD_MINUTES = env.int("OCOP_STALE_UPLOAD_MINUTES", default=60)
