from __future__ import annotations

from django.urls import path

from jospar.plans.views import plans as views
from jospar.plans.views import upload as views_upload
from jospar.plans.views import upload_executors as views_upload_executors

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<id:plan_id>/", views.plan_detail, name="detail"),
    path("<id:plan_id>/title/", views.plan_title, name="title"),
    path("<id:plan_id>/revisions/<id:revision_id>/", views.revision_detail, name="revision"),
    path("upload/", views_upload.upload, name="upload"),
    path("upload/<id:upload_id>/", views_upload.upload_review_page, name="upload-review"),
    path("upload/<id:upload_id>/status/", views_upload.upload_status, name="upload-status"),
    path("upload/<id:upload_id>/cell/", views_upload.upload_cell, name="upload-cell"),
    path("upload/<id:upload_id>/correct/", views_upload.upload_correct, name="upload-correct"),
    path("upload/<id:upload_id>/details/", views_upload.upload_details, name="upload-details"),
    path("upload/<id:upload_id>/discard/", views_upload.upload_discard, name="upload-discard"),
    path(
        "upload/<id:upload_id>/executor/",
        views_upload_executors.upload_executor_link_view,
        name="upload-executor-link",
    ),
]
