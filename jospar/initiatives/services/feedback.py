"""After an initiative is implemented: a rating 1–5 by anyone logged in (one per person) and
the beneficiaries' short satisfaction survey. Also a contributor's consent to a public profile."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from jospar.civic.services._common import require_confirmed
from jospar.core.audit import audit_record
from jospar.core.errors import Conflict, ServiceError
from jospar.initiatives.models import (
    ContributorProfile,
    Initiative,
    InitiativeState,
    Rating,
    SurveyAnswer,
)
from jospar.initiatives.services._common import (
    audit,
    clean_text,
    locked,
    now,
    snapshot,
)


def _stars(value: Any, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        message = _("Choose from 1 to 5.")
        raise ServiceError("bad_rating", message, {field: [message]})
    return value


def initiative_rate(*, actor: Any, initiative: Initiative, stars: int) -> Rating:
    user = require_confirmed(actor)
    value = _stars(stars, "stars")
    with transaction.atomic():
        current = locked(initiative)
        if current.state != InitiativeState.IMPLEMENTED:
            raise Conflict("not_implemented", _("Only an implemented initiative can be rated."))
        if current.author_id == user.pk:
            raise Conflict("own_initiative", _("You cannot rate your own initiative."))
        before = snapshot(current)
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    initiative=current, user=user, stars=value, created_at=now()
                )
        except IntegrityError:
            raise Conflict("already_rated", _("You have already rated this initiative.")) from None
        Initiative.objects.filter(pk=current.pk).update(
            rating_count=F("rating_count") + 1, rating_sum=F("rating_sum") + value
        )
        current.refresh_from_db(fields=["rating_count", "rating_sum"])
        audit(
            actor=user,
            action="initiative.rate",
            initiative=current,
            before=before,
            extra={"stars": value},
        )
    return rating


def survey_answer(
    *, actor: Any, initiative: Initiative, used_it: bool, satisfaction: int, comment: str = ""
) -> SurveyAnswer:
    user = require_confirmed(actor)
    value = _stars(satisfaction, "satisfaction")
    text = clean_text(comment, "comment", required=False, max_length=1000)
    with transaction.atomic():
        current = locked(initiative)
        if current.state != InitiativeState.IMPLEMENTED:
            raise Conflict("not_implemented", _("The survey opens when the initiative is done."))
        try:
            with transaction.atomic():
                answer = SurveyAnswer.objects.create(
                    initiative=current,
                    user=user,
                    used_it=bool(used_it),
                    satisfaction=value,
                    comment=text,
                    created_at=now(),
                )
        except IntegrityError:
            raise Conflict("already_answered", _("You have already answered.")) from None
        audit_record(
            actor=user,
            action="initiative.survey",
            object_type="initiatives.surveyanswer",
            object_id=answer.pk,
            after={"initiative": current.pk, "satisfaction": value, "used_it": bool(used_it)},
        )
    return answer


def profile_set_public(*, actor: Any, is_public: bool) -> ContributorProfile:
    user = require_confirmed(actor)
    with transaction.atomic():
        profile, _created = ContributorProfile.objects.select_for_update().get_or_create(user=user)
        before = {"is_public": profile.is_public}
        profile.is_public = bool(is_public)
        profile.save(update_fields=["is_public"])
        audit_record(
            actor=user,
            action="initiative.profile",
            object_type="initiatives.contributorprofile",
            object_id=profile.pk,
            before=before,
            after={"is_public": profile.is_public},
        )
    return profile
