from __future__ import annotations

from django.urls import path

from jospar.media.views import activities, decisions, pages, reports, sources

app_name = "media"
urlpatterns = [
    path("", pages.publication_list, name="publications"),
    path("publications/<id:publication_id>/", pages.publication_detail, name="publication"),
    path("sources/", pages.source_list, name="sources"),
    path("sources/new/", sources.source_new, name="source-new"),
    path("sources/<id:source_id>/edit/", sources.source_edit, name="source-edit"),
    path("sources/<id:source_id>/active/", sources.source_active, name="source-active"),
    path("sources/<id:source_id>/upload/", decisions.posts_upload, name="source-upload"),
    path("proposals/<id:proposal_id>/decide/", decisions.proposal_decide, name="proposal-decide"),
    path("activities/<id:activity_id>/", activities.activity_monitoring, name="activity"),
    path("activities/<id:activity_id>/rubrics/", activities.rubric_add, name="rubric-add"),
    path("activities/<id:activity_id>/monitoring/", activities.activity_mark, name="activity-mark"),
    path("rubrics/<id:rubric_id>/", activities.rubric_edit, name="rubric"),
    path("report/", reports.report_page, name="report"),
    path("report/<id:report_id>/download/", reports.report_download, name="report-download"),
    path("report/<id:report_id>/submit/", reports.report_submit_view, name="report-submit"),
    path("report/<id:report_id>/attach/", activities.report_attach, name="report-attach"),
]
