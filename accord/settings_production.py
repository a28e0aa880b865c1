"""Production settings: everything in ``accord.settings`` plus HTTPS-only hardening.

Set ``DJANGO_SETTINGS_MODULE=accord.settings_production``, a random ``SECRET_KEY`` of at least
50 characters, ``ALLOWED_HOSTS`` (the site's host names: there is no default here, and
``manage.py check --deploy`` warns when it is missing), ``DATABASE_URL`` (PostgreSQL) and
``CSRF_TRUSTED_ORIGINS`` (``https://`` and the site's host). The app is expected behind a
TLS-terminating proxy that sets ``X-Forwarded-Proto`` (``deploy/nginx-accord.conf``); the README's
"Running in production" section takes an administrator through it, and ``deploy/accord.env.example``
lists every variable.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from accord.settings import *  # noqa: F403
from accord.settings import DATABASES, STORAGES, env_list

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set SECRET_KEY to a random string of at least 50 characters.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# Database connections are kept for a minute (DATABASE_CONN_MAX_AGE) and checked before each
# request reuses one, so a PostgreSQL restart costs a few refused requests (the 503 page), not a
# worker full of dead connections.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# HTTPS only, and browsers told to keep to it for a year. The proxy terminates TLS and says so in
# X-Forwarded-Proto (it must overwrite, never pass on, a client's own header of that name).
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# Cookies: sent over HTTPS only, out of reach of scripts, and (with the __Host- prefix) bound to
# this exact host so that no other site under the same domain can set or read them.
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_NAME = "__Host-csrftoken"

# Static files: collected (``manage.py collectstatic``) to STATIC_ROOT and served by WhiteNoise
# with far-future caching under hashed names.
if os.environ.get("STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["STATIC_ROOT"])
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# E-mail comes from accord.settings (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, DEFAULT_FROM_EMAIL); errors go out from the same address.
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", os.environ.get("DEFAULT_FROM_EMAIL", "accord@localhost"))

# Logs go to standard output, one record each, for systemd's journal (journalctl -u
# accord-web): the request errors with their tracebacks, never to a browser.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line", "stream": "ext://sys.stdout"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
