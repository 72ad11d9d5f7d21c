"""URL map: DSFR pages, the API (OpenAPI at /api/docs) and DSFR error pages."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from openamo.web.api.api import api

urlpatterns = [
    path("", include("openamo.web.organisations.urls")),
    path("", include("openamo.web.operations.urls")),
    path("", include("openamo.web.award.urls")),
    path("", include("openamo.web.steering.urls")),
    path("", include("openamo.web.construction.urls")),
    path("", include("openamo.web.contracts.urls")),
    path("", include("openamo.web.amendments.urls")),
    path("", include("openamo.web.catering.urls")),
    path("", include("openamo.web.opendata.urls")),
    path("api/", api.urls),
    path("administration/", admin.site.urls),
]

handler400 = "openamo.web.errors.bad_request"
handler403 = "openamo.web.errors.permission_denied"
handler404 = "openamo.web.errors.page_not_found"
handler500 = "openamo.web.errors.server_error"
