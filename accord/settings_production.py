"""Production settings: everything in ``accord.settings`` plus HTTPS-only hardening.

Set ``DJANGO_SETTINGS_MODULE=accord.settings_production``, a random ``SECRET_KEY`` of at least
50 characters and ``ALLOWED_HOSTS`` (the site's host names: there is no default here, and
``manage.py check --deploy`` warns when it is missing). The app is expected behind a TLS-terminating
proxy that sets ``X-Forwarded-Proto``.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from accord.settings import *  # noqa: F403
from accord.settings import STORAGES, env_list

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set SECRET_KEY to a random string of at least 50 characters.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "")

# HTTPS only, and browsers told to keep to it for a year.
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# Cookies: sent over HTTPS only, out of reach of scripts, and (with the __Host- prefix) bound to
# this exact host so that no other site under the same domain can set or read them.
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_NAME = "__Host-csrftoken"

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
