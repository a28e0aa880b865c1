"""Accord's pages with the Django admin mounted beside them at /admin/ (the baseline)."""

from django.contrib import admin
from django.urls import path

import benchmarks.admin  # noqa: F401 - registers the partnership admin
from accord.urls import handler403, handler500  # noqa: F401
from accord.urls import urlpatterns as accord_urlpatterns

urlpatterns = [path("admin/", admin.site.urls), *accord_urlpatterns]
