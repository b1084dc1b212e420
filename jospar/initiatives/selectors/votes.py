"""The tally, computed from the stored votes: only counted votes, and never a vote of a member
of the nomination's jury (appointed before or after they voted)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, Max, Min, OuterRef

from jospar.initiatives.models import Ballot, HeartJuror, Vote, VoteState


def counted_votes(ballot_ids: list[int] | None = None, *, ballot: Ballot | None = None) -> Any:
    rows = Vote.objects.filter(state=VoteState.COUNTED)
    if ballot is not None:
        rows = rows.filter(ballot=ballot)
    if ballot_ids is not None:
        rows = rows.filter(ballot_id__in=ballot_ids)
    jurors = HeartJuror.objects.filter(cycle__nominations__ballot=OuterRef("ballot")).filter(
        user_id=OuterRef("voter_id")
    )
    return rows.exclude(Exists(jurors))


def tally(ballot: Ballot) -> dict[int, int]:
    """Option id → counted votes."""
    rows = counted_votes(ballot=ballot).values("option").annotate(n=Count("pk"))
    return {row["option"]: row["n"] for row in rows}


def tally_many(ballot_ids: list[int]) -> dict[int, int]:
    """Option id → counted votes, for several ballots in one query."""
    rows = counted_votes(ballot_ids).values("option").annotate(n=Count("pk"))
    return {row["option"]: row["n"] for row in rows}


def held_groups() -> list[dict[str, Any]]:
    """Votes held for review, by ballot and address: what a moderator decides on."""
    rows = (
        Vote.objects.filter(state=VoteState.HELD)
        .values("ballot", "address_key")
        .annotate(n=Count("pk"), first=Min("cast_at"), last=Max("cast_at"))
        .order_by("first")
    )
    return [dict(row) for row in rows[:200]]
