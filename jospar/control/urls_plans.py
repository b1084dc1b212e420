"""Pages under the ``plans`` namespace that belong to this app: what they do or show is the
control schedule. ``config/urls.py`` adds them to the plans app's own URLs, so that the
addresses and names made before stay (``plans:obligations``, ``plans:activity``,
``plans:upload-save``)."""

from __future__ import annotations

from django.urls import path

from jospar.control.views import obligations as views
from jospar.control.views import plan_pages as views_plan_pages

urlpatterns = [
    path("activities/<id:activity_id>/", views_plan_pages.activity_detail, name="activity"),
    # The control schedule page is ``control:obligations``; the old address serves it too.
    path("obligations/", views.obligation_list, name="obligations"),
    path("upload/<id:upload_id>/save/", views_plan_pages.upload_save, name="upload-save"),
]
