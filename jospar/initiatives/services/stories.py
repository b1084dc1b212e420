"""Winners' "best practice" stories. A winner (the person, or a member of the winning
organisation) writes one and it waits for a moderator; a moderator or an administrator may
write one for a winner, and theirs is published at once (they are the moderation). A moderator
publishes a waiting story, returns it with a reason, or hides a published one with a reason.
Every change is one transaction with its audit row."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jospar.civic.services._common import require_confirmed
from jospar.core.audit import audit_record
from jospar.core.errors import Conflict, PermissionRefused, ServiceError
from jospar.core.models import User
from jospar.initiatives.certificates import has_certificate
from jospar.initiatives.models import HeartNominee, HeartStory, StoryLanguage, StoryState
from jospar.initiatives.services._common import clean_text, now

STORY_TYPE = "initiatives.heartstory"
TITLE_MAX = 200
BODY_MAX = 20_000
NOTE_MAX = 1000


def is_story_moderator(user: Any) -> bool:
    from jospar.civic.access import can_moderate

    return can_moderate(user)


def is_winner_side(user: User, nominee: HeartNominee) -> bool:
    """The winning person, or a member of the winning organisation."""
    if nominee.person_id is not None:
        return nominee.person_id == user.pk
    return user.organisation_id is not None and user.organisation_id == nominee.organisation_id


def may_write_story(user: Any, nominee: HeartNominee) -> bool:
    """``nominee`` comes with its cycle (``access_nominee``)."""
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return False
    if not has_certificate(nominee):
        return False
    return is_story_moderator(user) or is_winner_side(user, nominee)


def _snapshot(story: HeartStory) -> dict[str, Any]:
    return {"state": story.state, "title": story.title, "lang": story.lang}


def story_save(
    *, actor: Any, nominee: HeartNominee, title: Any, body: Any, lang: Any
) -> HeartStory:
    """Write or rewrite the winner's story."""
    user = require_confirmed(actor)
    if not may_write_story(user, nominee):
        raise PermissionRefused(
            "forbidden",
            _("Only the winner, a moderator or an administrator writes a winner's story."),
        )
    title_text = clean_text(title, "title", max_length=TITLE_MAX)
    body_text = clean_text(body, "body", max_length=BODY_MAX)
    language = str(lang or "")
    if language not in StoryLanguage.values:
        message = _("Choose the language of the story.")
        raise ServiceError("bad_language", message, {"lang": [message]})
    staff = is_story_moderator(user)
    with transaction.atomic():
        at = now()
        story = HeartStory.objects.select_for_update().filter(nominee=nominee).first()
        before = _snapshot(story) if story is not None else None
        if story is None:
            story = HeartStory(nominee=nominee, written_by=user, created_at=at)
        elif story.state == StoryState.HIDDEN and not staff:
            raise Conflict("hidden", _("A moderator has hidden this story."))
        story.title = title_text
        story.body = body_text
        story.lang = language
        story.updated_at = at
        if staff:
            story.state = StoryState.PUBLISHED
            story.published_at = story.published_at or at
            story.reviewed_by = user
            story.reviewed_at = at
            story.review_note = ""
        else:
            # A winner's every version is read before it is shown.
            story.state = StoryState.PENDING
            story.published_at = None
        story.save()
        audit_record(
            actor=user,
            action="heart.story_save",
            object_type=STORY_TYPE,
            object_id=story.pk,
            before=before,
            after={**_snapshot(story), "nominee": nominee.pk},
        )
    return story


def story_review(*, actor: Any, story: HeartStory, decision: str, note: Any = "") -> HeartStory:
    """A moderator: ``publish`` or ``return`` a waiting story, ``hide`` a published one. A
    return or a hiding says why."""
    user = require_confirmed(actor)
    if not is_story_moderator(user):
        raise PermissionRefused("forbidden", _("Only a moderator may do this."))
    moves = {
        "publish": ((StoryState.PENDING, StoryState.HIDDEN), StoryState.PUBLISHED),
        "return": ((StoryState.PENDING,), StoryState.RETURNED),
        "hide": ((StoryState.PUBLISHED,), StoryState.HIDDEN),
    }
    if decision not in moves:
        message = _("Choose what to do with the story.")
        raise ServiceError("bad_decision", message, {"decision": [message]})
    allowed_from, to = moves[decision]
    reason = clean_text(note, "note", required=decision != "publish", max_length=NOTE_MAX)
    with transaction.atomic():
        current = HeartStory.objects.select_for_update().get(pk=story.pk)
        if current.state not in allowed_from:
            raise Conflict("wrong_state", _("The story is not in a state for this."))
        before = _snapshot(current)
        at = now()
        current.state = to
        current.reviewed_by = user
        current.reviewed_at = at
        current.review_note = reason
        if to == StoryState.PUBLISHED:
            current.published_at = at
        current.save(
            update_fields=["state", "reviewed_by", "reviewed_at", "review_note", "published_at"]
        )
        audit_record(
            actor=user,
            action=f"heart.story_{decision}",
            object_type=STORY_TYPE,
            object_id=current.pk,
            before=before,
            after=_snapshot(current),
            reason=reason,
        )
    return current
