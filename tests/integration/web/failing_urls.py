"""The application's URLs plus views that fail, to check what users and the log see."""

from __future__ import annotations

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from openamo.web.config import urls
from openamo.web.config.urls import handler400, handler403, handler404, handler500

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("défaillance simulée")


def database_down(request: HttpRequest) -> HttpResponse:
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


urlpatterns: list[URLPattern | URLResolver] = [
    path("panne/", broken),
    path("panne-base/", database_down),
    path("api/panne/", broken),
    path("api/panne-base/", database_down),
    *urls.urlpatterns,
]
