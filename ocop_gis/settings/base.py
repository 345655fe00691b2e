"""Settings shared by every environment. Each setting is declared here; the others only override."""

from django.utils.translation import gettext_lazy as _

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
    "rest_framework.authtoken",
    "drf_spectacular",
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
                "apps.core.context_processors.site",
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
if DATABASES["default"]["ENGINE"].endswith("spatialite"):
    # A commit can wait on a writer instead of failing at once with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", 20)
if env("OCOP_TEST_DB_NAME", default=""):
    # Lets several test runs share one PostgreSQL server without dropping each other's database.
    DATABASES["default"]["TEST"] = {"NAME": env("OCOP_TEST_DB_NAME")}
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
    OCOP_FILE_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
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

# --- Certificates (apps/certificates) -------------------------------------------------------
# QR codes on certificates point at the public product page; {code} is the OCOP product code.
OCOP_PUBLIC_PRODUCT_URL = env("OCOP_PUBLIC_PRODUCT_URL", default="http://127.0.0.1:8000/p/{code}")
# QĐ 26/2026: certificates last 36 months (Đ4.3); re-evaluation dossiers are filed from 180 to
# 120 days before expiry (Đ7.6.a); a late filer's certificate is extended ≤180 days (Đ12.3).
OCOP_CERTIFICATE_MONTHS = env.int("OCOP_CERTIFICATE_MONTHS", default=36)
OCOP_REEVALUATION_WINDOW_OPENS_DAYS = env.int("OCOP_REEVALUATION_WINDOW_OPENS_DAYS", default=180)
OCOP_REEVALUATION_WINDOW_CLOSES_DAYS = env.int("OCOP_REEVALUATION_WINDOW_CLOSES_DAYS", default=120)
OCOP_TRANSITION_EXTENSION_DAYS = env.int("OCOP_TRANSITION_EXTENSION_DAYS", default=180)
# --- end Certificates -----------------------------------------------------------------------

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
        # `Authorization: Token …` for GIS clients and scripts (QGIS, GDAL, ogr2ogr).
        "rest_framework.authentication.TokenAuthentication",
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
}

# --- Map ------------------------------------------------------------------------------------
# Basemap tiles are optional: empty means no basemap (the app needs no internet).
# Example: "https://tile.example.org/{z}/{x}/{y}.png" with OCOP_BASEMAP_ATTRIBUTION set to match.
OCOP_BASEMAP_URL = env("OCOP_BASEMAP_URL", default="")
OCOP_BASEMAP_ATTRIBUTION = env("OCOP_BASEMAP_ATTRIBUTION", default="")
# The pilot province: communes of this province code are drawn on the map page.
OCOP_PILOT_PROVINCE_CODE = env("OCOP_PILOT_PROVINCE_CODE", default="86")
OCOP_SPATIAL_DATA_DIR = env.path("OCOP_SPATIAL_DATA_DIR", default=BASE_DIR / "spatial_data")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# gis.W001 asks for GDAL ≥ 3.9 to block file/network access from malicious spatial references.
# Debian 12 ships GDAL 3.6; the app only opens its own files (spatial_data/) and never passes a
# user-supplied spatial reference to GDAL, so the warning is silenced rather than shown on every run.
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
