"""The demo's monitoring: shipped sources served on loopback and collected, idempotently."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from jospar.core.models import Role, User
from jospar.media import demo
from jospar.media.models import MatchProposal, Publication, Source, StoryLink


@pytest.mark.django_db
def test_the_demo_collects_its_sources_once(
    make_user: Callable[..., User], monkeypatch: Any
) -> None:
    monkeypatch.setattr(demo, "DEMO_PORT", 0)
    admin = make_user(Role.ADMINISTRATOR)
    assert demo.demo_monitoring(admin) == 6
    assert Source.objects.count() == 3
    assert all(s.last_success_at is not None for s in Source.objects.all())
    langs = set(Publication.objects.values_list("lang", "script"))
    assert {("kk", "Cyrl"), ("kk", "Latn"), ("ru", "Cyrl"), ("en", "Latn")} <= langs
    # The reprint, and the Kazakh news with its Russian version (one story, two languages).
    assert Publication.objects.filter(story__isnull=False).count() == 4
    linked = Publication.objects.filter(story_via=StoryLink.LANGUAGE).first()
    assert linked is not None
    assert linked.story_id is not None
    assert set(
        Publication.objects.filter(story_id=linked.story_id).values_list("lang", flat=True)
    ) == {"kk", "ru"}
    before = (Publication.objects.count(), MatchProposal.objects.count())
    assert demo.demo_monitoring(admin) == 0
    assert (Publication.objects.count(), MatchProposal.objects.count()) == before
    assert Source.objects.count() == 3
