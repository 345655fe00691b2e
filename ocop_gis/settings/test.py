"""Test settings: fast hashing, in-memory email; the database still comes from DATABASE_URL."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Scans are written by the request that records them, inside the test's transaction: no writer
# thread that could outlive a test database (apps/public/scanlog.py).
OCOP_SCAN_FLUSH_SECONDS = 0
OCOP_SCAN_BUFFER_SIZE = 1
