from __future__ import annotations

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

handler400 = "jospar.core.views_errors.bad_request"
handler403 = "jospar.core.views_errors.permission_denied"
handler404 = "jospar.core.views_errors.page_not_found"
handler500 = "jospar.core.views_errors.server_error"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include("jospar.api_urls")),
    path("plans/", include("jospar.plans.urls")),
    path("control/", include("jospar.control.urls")),
    path("civic/", include("jospar.civic.urls")),
    path("open311/v2/", include("jospar.civic.open311.urls")),
    path("", include("jospar.core.urls")),
]
if not getattr(settings, "S3_BUCKET", ""):
    # Embedded default: media from the local disk. With S3, files are served by signed URLs.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
