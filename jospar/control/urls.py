from __future__ import annotations

from django.urls import include, path

from jospar.control.project_office import views as office
from jospar.control.views import amendments as views_amendments
from jospar.control.views import discipline as views_discipline
from jospar.control.views import evidence as views_evidence
from jospar.control.views import obligations as views
from jospar.control.views import plan_options as views_plan_options
from jospar.control.views import programs as views_programs
from jospar.control.views import project_tasks as views_project_tasks
from jospar.control.views import report as views_report
from jospar.control.views import review as views_review
from jospar.control.views import today as views_today

app_name = "control"
urlpatterns = [
    path("today/", views_today.today, name="today"),
    path("obligations/", views.obligation_list, name="obligations"),
    path("plan-options/", views_plan_options.plan_options_fragment, name="plan-options"),
    path("obligations/<id:obligation_id>/", views.obligation_detail, name="obligation"),
    path("obligations/<id:obligation_id>/report/", views_report.report_save, name="report-save"),
    path(
        "obligations/<id:obligation_id>/evidence/",
        views_evidence.evidence_add,
        name="evidence-add",
    ),
    path(
        "reports/<id:report_id>/evidence/<id:evidence_id>/remove/",
        views_evidence.evidence_remove,
        name="evidence-remove",
    ),
    path("attachments/<id:attachment_id>/", views.attachment_download, name="attachment"),
    path("reports/<id:report_id>/submit/", views_report.report_submit_view, name="report-submit"),
    path(
        "reports/<id:report_id>/attachments/<id:attachment_id>/remove/",
        views_report.attachment_remove,
        name="attachment-remove",
    ),
    path(
        "reports/<id:report_id>/links/<id:link_id>/remove/",
        views_report.link_remove,
        name="link-remove",
    ),
    path("reports/<id:report_id>/accept/", views_review.report_accept_view, name="report-accept"),
    path("reports/<id:report_id>/return/", views_review.report_return_view, name="report-return"),
    path("review/", views_review.review_list, name="review"),
    path("activities/<id:activity_id>/", views_review.activity_control, name="activity"),
    path(
        "activities/<id:activity_id>/decide/",
        views_review.activity_decide,
        name="activity-decide",
    ),
    path(
        "plans/<id:plan_id>/controller/",
        views_review.plan_controller,
        name="plan-controller",
    ),
    # The project office: a project's board, the regional status reports
    # (jospar.control.project_office)
    path("program-nodes/<id:node_id>/board/", office.board, name="board"),
    path("program-nodes/<id:node_id>/board/move/", office.board_move_view, name="board-move"),
    path("program-nodes/<id:node_id>/board/order/", office.board_order_view, name="board-order"),
    path("programs/<id:program_id>/status-reports/", office.status_reports, name="status-reports"),
    path(
        "programs/<id:program_id>/status-reports/schedule/",
        office.schedule_set,
        name="status-schedule",
    ),
    path("status-reports/<id:status_report_id>/", office.status_report, name="status-report"),
    path(
        "status-reports/<id:status_report_id>/review/",
        office.status_report_review,
        name="status-report-review",
    ),
    # Project tasks of programs on the same loop (jospar.control.views.project_tasks)
    path(
        "program-nodes/<id:node_id>/project-tasks/new/",
        views_project_tasks.project_task_new,
        name="project-task-new",
    ),
    path(
        "program-nodes/<id:node_id>/key-event/",
        views_project_tasks.key_event_control,
        name="key-event-control",
    ),
    path(
        "project-tasks/<id:task_id>/",
        views_project_tasks.project_task_detail,
        name="project-task",
    ),
    path(
        "project-tasks/<id:task_id>/withdraw/",
        views_project_tasks.project_task_withdraw_view,
        name="project-task-withdraw",
    ),
    path(
        "project-tasks/<id:task_id>/print/<slug:fmt>/<slug:lang>/",
        views_project_tasks.project_task_print,
        name="project-task-print",
    ),
    path(
        "programs/<id:program_id>/dashboard/",
        views_programs.program_dashboard,
        name="program-dashboard",
    ),
    path(
        "plans/<id:plan_id>/amendments/new/",
        views_amendments.amendment_upload,
        name="amendment-upload",
    ),
    path(
        "plans/<id:plan_id>/amendments/<id:amendment_id>/",
        views_amendments.amendment_review,
        name="amendment",
    ),
    path(
        "plans/<id:plan_id>/amendments/<id:amendment_id>/correct/",
        views_amendments.amendment_correct,
        name="amendment-correct",
    ),
    path(
        "plans/<id:plan_id>/amendments/<id:amendment_id>/apply/",
        views_amendments.amendment_apply,
        name="amendment-apply",
    ),
    path(
        "plans/<id:plan_id>/amendments/<id:amendment_id>/discard/",
        views_amendments.amendment_discard,
        name="amendment-discard",
    ),
    # The report on a plan's execution (exports), in the same namespace.
    path("", include("jospar.control.urls_exports")),
    # Executive discipline (jospar.control.views.discipline)
    path("discipline/", views_discipline.discipline_overview, name="discipline"),
    path("discipline/map.json", views_discipline.discipline_map, name="discipline-map"),
    path(
        "discipline/plans/<id:plan_id>/",
        views_discipline.discipline_plan,
        name="discipline-plan",
    ),
    path(
        "discipline/organisations/<id:organisation_id>/",
        views_discipline.discipline_organisation,
        name="discipline-organisation",
    ),
    path(
        "discipline/regions/<id:region_id>/",
        views_discipline.discipline_region,
        name="discipline-region",
    ),
]
