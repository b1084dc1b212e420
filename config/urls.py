from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from jospar.civic.views.media import media_public
from jospar.control import urls_plans as control_plan_urls
from jospar.core.ops.api_docs import ApiDocsView
from jospar.plans import urls as plan_urls

handler400 = "jospar.core.views.errors.bad_request"
handler403 = "jospar.core.views.errors.permission_denied"
handler404 = "jospar.core.views.errors.page_not_found"
handler500 = "jospar.core.views.errors.server_error"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include("jospar.api_urls")),
    # The plans namespace: the plans app's pages, and those of control that show or change a
    # plan's schedule (control may import plans, never the reverse).
    path("plans/", include((plan_urls.urlpatterns + control_plan_urls.urlpatterns, "plans"))),
    path("programs/", include("jospar.programs.urls")),
    path("control/", include("jospar.control.urls")),
    path("civic/", include("jospar.civic.urls")),
    path("indicators/", include("jospar.indicators.urls")),
    path("monitoring/", include("jospar.media.urls")),
    path("initiatives/", include("jospar.initiatives.urls")),
    path("events/", include("jospar.events.urls")),
    path("open311/v2/", include("jospar.civic.open311.urls")),
    # Uploaded files are never served as a folder: the public copies of citizens' photos go
    # through an access check (jospar.core.serving: X-Accel-Redirect or a signed S3 URL in
    # production); everything else under MEDIA_ROOT has its own checked download.
    path("media/<path:name>", media_public, name="media-public"),
    path("", include("jospar.core.urls")),
]
