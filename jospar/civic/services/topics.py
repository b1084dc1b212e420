"""The topics an administrator keeps: names in three languages, answer time, the survey, and
which department of each region's akimat handles the topic there.

A route applies to reports filed after it is set; reports already filed stay with the body they
were sent to. A topic is never deleted (reports point to it): it is made inactive.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jospar.civic.models import QuestionType, Topic, TopicQuestion, TopicRoute
from jospar.civic.services._common import require_administrator
from jospar.core.audit import audit_record
from jospar.core.errors import ServiceError
from jospar.core.models import Organisation, Region, User

TOPIC_FIELDS = (
    "code",
    "name_kk",
    "name_ru",
    "name_en",
    "description_kk",
    "description_ru",
    "description_en",
    "group",
    "keywords",
    "response_working_days",
    "position",
    "is_active",
)
QUESTION_FIELDS = (
    "code",
    "position",
    "datatype",
    "required",
    "text_kk",
    "text_ru",
    "text_en",
    "values",
)
RESPONSE_DAYS_MAX = 120
_LIST_TYPES = (QuestionType.SINGLE, QuestionType.MULTI)


def _fields_of(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


def _validation(error: ValidationError) -> ServiceError:
    fields = (
        {name: [str(m) for m in messages] for name, messages in error.message_dict.items()}
        if hasattr(error, "error_dict")
        else {"__all__": [str(m) for m in error.messages]}
    )
    return ServiceError("invalid", _("Correct the fields marked."), fields)


def topic_validate(topic: Topic) -> None:
    """What ``topic_save`` refuses, checked without saving (for forms)."""
    if not 1 <= int(topic.response_working_days or 0) <= RESPONSE_DAYS_MAX:
        message = _("The answer time is 1 to %(max)d working days.") % {"max": RESPONSE_DAYS_MAX}
        raise ServiceError("invalid", message, {"response_working_days": [message]})
    for lang in ("kk", "ru", "en"):
        setattr(topic, f"name_{lang}", str(getattr(topic, f"name_{lang}") or "").strip())
    try:
        topic.full_clean()
    except ValidationError as error:
        raise _validation(error) from None


def topic_save(*, actor: User, topic: Topic) -> Topic:
    """Create or change a topic (the object as edited; validated here)."""
    user = require_administrator(actor)
    topic_validate(topic)
    with transaction.atomic():
        before = (
            _fields_of(Topic.objects.select_for_update().get(pk=topic.pk), TOPIC_FIELDS)
            if topic.pk
            else None
        )
        topic.save()
        audit_record(
            actor=user,
            action="civic.topic.saved",
            object_type="civic.topic",
            object_id=topic.pk,
            before=before,
            after=_fields_of(topic, TOPIC_FIELDS),
        )
    return topic


def _check_values(question: TopicQuestion) -> None:
    values = question.values or []
    if question.datatype not in _LIST_TYPES:
        if values:
            message = _("Only a question with choices has a list of choices.")
            raise ServiceError("invalid", message, {"values": [message]})
        return
    message = _(
        'Give the choices as a list of {"key": ..., "name_kk": ..., "name_ru": ..., '
        '"name_en": ...}, each key different.'
    )
    error = ServiceError("invalid", message, {"values": [message]})
    if not isinstance(values, list) or not values:
        raise error
    keys = []
    for value in values:
        if not isinstance(value, dict) or not str(value.get("key") or "").strip():
            raise error
        if not any(str(value.get(f"name_{lang}") or "").strip() for lang in ("kk", "ru", "en")):
            raise error
        keys.append(str(value["key"]).strip())
    if len(set(keys)) != len(keys):
        raise error


def topic_question_validate(question: TopicQuestion, *, unique: bool = True) -> None:
    """What ``topic_question_save`` refuses, checked without saving (for forms)."""
    _check_values(question)
    try:
        question.full_clean(validate_unique=unique, validate_constraints=unique)
    except ValidationError as error:
        raise _validation(error) from None


def topic_question_save(*, actor: User, question: TopicQuestion) -> TopicQuestion:
    user = require_administrator(actor)
    topic_question_validate(question)
    with transaction.atomic():
        before = (
            _fields_of(TopicQuestion.objects.get(pk=question.pk), QUESTION_FIELDS)
            if question.pk
            else None
        )
        question.save()
        audit_record(
            actor=user,
            action="civic.topic_question.saved",
            object_type="civic.topicquestion",
            object_id=question.pk,
            before=before,
            after={**_fields_of(question, QUESTION_FIELDS), "topic_id": question.topic_id},
        )
    return question


def topic_question_delete(*, actor: User, question: TopicQuestion) -> None:
    """Remove a question; answers already given stay with their reports."""
    user = require_administrator(actor)
    with transaction.atomic():
        before = {**_fields_of(question, QUESTION_FIELDS), "topic_id": question.topic_id}
        pk = question.pk
        question.delete()
        audit_record(
            actor=user,
            action="civic.topic_question.deleted",
            object_type="civic.topicquestion",
            object_id=pk,
            before=before,
        )


def topic_route_set(
    *, actor: User, topic: Topic, region: Region, department: Organisation | None
) -> TopicRoute | None:
    """Send the topic's reports in the region to ``department``; ``None`` (or the akimat
    itself) sends them to the region's akimat, the default."""
    user = require_administrator(actor)
    if department is not None and department.merged_into_id is not None:
        message = _("This organisation was merged into another; choose the current record.")
        raise ServiceError("merged_organisation", message, {"department": [message]})
    akimat_id = Organisation.objects.filter(region=region).values_list("pk", flat=True).first()
    if department is not None and department.pk == akimat_id:
        department = None
    with transaction.atomic():
        current = TopicRoute.objects.select_for_update().filter(topic=topic, region=region).first()
        before = {"department_id": current.department_id} if current else None
        if department is None:
            if current is not None:
                current.delete()
            route = None
        elif current is None:
            route = TopicRoute.objects.create(topic=topic, region=region, department=department)
        else:
            current.department = department
            current.save(update_fields=["department"])
            route = current
        audit_record(
            actor=user,
            action="civic.topic_route.set",
            object_type="civic.topicroute",
            object_id=f"{topic.code}:{region.code}",
            before=before,
            after={"department_id": department.pk if department else None},
        )
    return route
