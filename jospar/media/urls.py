from __future__ import annotations

from django.urls import path

from jospar.media.views import decisions, pages, reports

app_name = "media"
urlpatterns = [
    path("", pages.publication_list, name="publications"),
    path("publications/<id:publication_id>/", pages.publication_detail, name="publication"),
    path("sources/", pages.source_list, name="sources"),
    path("sources/<id:source_id>/upload/", decisions.posts_upload, name="source-upload"),
    path("proposals/<id:proposal_id>/decide/", decisions.proposal_decide, name="proposal-decide"),
    path("report/", reports.report_page, name="report"),
    path("report/<id:report_id>/download/", reports.report_download, name="report-download"),
    path("report/<id:report_id>/submit/", reports.report_submit_view, name="report-submit"),
]
