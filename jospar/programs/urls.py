from __future__ import annotations

from django.urls import path

from jospar.programs.views import office, pages, roles, upload

app_name = "programs"
urlpatterns = [
    path("", pages.program_list, name="list"),
    path("<id:program_id>/", pages.program_detail, name="detail"),
    path("nodes/<id:node_id>/", pages.node_detail, name="node"),
    path("<id:program_id>/roles/", roles.program_roles, name="roles"),
    path("nodes/<id:node_id>/roles/", roles.node_roles, name="node-roles"),
    path("roles/<id:role_id>/revoke/", roles.role_revoke, name="role-revoke"),
    path("nodes/<id:node_id>/status/", office.status_set, name="status-set"),
    path("nodes/<id:node_id>/risks/", office.risks, name="risks"),
    path("risks/<id:risk_id>/", office.risk_detail, name="risk"),
    path("risks/<id:risk_id>/close/", office.risk_close_view, name="risk-close"),
    path("upload/", upload.upload, name="upload"),
    path("upload/<id:upload_id>/", upload.upload_review, name="upload-review"),
    path("upload/<id:upload_id>/save/", upload.upload_save, name="upload-save"),
    path("upload/<id:upload_id>/discard/", upload.upload_discard, name="upload-discard"),
]
