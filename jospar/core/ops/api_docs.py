"""The API's documentation page (Swagger UI) from the installed drf-spectacular-sidecar, with
its start-up script served as a file of its own: the Content-Security-Policy allows no inline
script or style."""

from __future__ import annotations

from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    template_name = "core/api_docs.html"
