"""Accord's URLs plus ``/bench/floor/``: a bare Django view, through the same middleware on the
same server, the floor that ``scripts/load`` compares Accord's throughput and latency with."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from accord.urls import handler403, handler500  # noqa: F401
from accord.urls import urlpatterns as accord_urlpatterns


@login_not_required
def floor(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *accord_urlpatterns]
