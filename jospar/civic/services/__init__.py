"""State changes of Civic Control: each one transaction, with its history entry (for a report)
and its audit row; e-mail and file clean-up after the commit; refusals as ``ServiceError``."""

from jospar.civic.services.accounts import (
    Registration,
    citizen_confirm,
    citizen_confirmation_resend,
    citizen_register,
)
from jospar.civic.services.clients import (
    open311_client_authenticate,
    open311_client_issue,
    open311_client_revoke,
)
from jospar.civic.services.community import (
    abuse_report_file,
    comment_add,
    follow_add,
    follow_remove,
    report_support,
)
from jospar.civic.services.filing import report_file, validate_survey
from jospar.civic.services.lifecycle import (
    report_answer,
    report_assign,
    report_confirm,
    report_dispute,
    report_hold,
    report_mark_done,
    report_mark_duplicate,
    report_mark_overdue,
    report_mark_solved_by_citizen,
    report_publish,
    report_reject,
    report_release,
    report_start,
)
from jospar.civic.services.moderation import (
    abuse_report_dismiss,
    moderation_hide,
    moderation_unhide,
)
from jospar.civic.services.topics import (
    topic_question_delete,
    topic_question_save,
    topic_route_set,
    topic_save,
)

__all__ = [
    "Registration",
    "abuse_report_dismiss",
    "abuse_report_file",
    "citizen_confirm",
    "citizen_confirmation_resend",
    "citizen_register",
    "comment_add",
    "follow_add",
    "follow_remove",
    "moderation_hide",
    "moderation_unhide",
    "open311_client_authenticate",
    "open311_client_issue",
    "open311_client_revoke",
    "report_answer",
    "report_assign",
    "report_confirm",
    "report_dispute",
    "report_file",
    "report_hold",
    "report_mark_done",
    "report_mark_duplicate",
    "report_mark_overdue",
    "report_mark_solved_by_citizen",
    "report_publish",
    "report_reject",
    "report_release",
    "report_start",
    "report_support",
    "topic_question_delete",
    "topic_question_save",
    "topic_route_set",
    "topic_save",
    "validate_survey",
]
