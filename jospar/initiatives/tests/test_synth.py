"""`jospar synth-initiatives` (small, on the test database) and the map's grouping in the
database: every public initiative counted once, whatever the zoom; a hostile zoom on a wide
box is coarsened to a bounded number of cells."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Count, F

from jospar.core.models import User
from jospar.initiatives.models import (
    Ballot,
    HeartCycle,
    HeartNominee,
    Initiative,
    Need,
    Pledge,
    Vote,
)
from jospar.initiatives.selectors.initiatives import (
    MAP_CELLS_MAX,
    MAP_STATES,
    Filters,
    map_clusters,
)
from jospar.initiatives.synth import (
    InitiativesSynthSpec,
    synth_initiatives_build,
    synth_initiatives_reset,
)

pytestmark = pytest.mark.django_db
COUNTRY = (40.0, 46.0, 56.0, 88.0)


def test_synth_builds_initiatives_with_needs_and_pledges_and_resets(regions: None) -> None:
    spec = InitiativesSynthSpec(initiatives=300, votes=1000, people=5, seed=1)
    result = synth_initiatives_build(spec=spec)
    assert result.initiatives == Initiative.objects.count() == 300
    assert Need.objects.count() == 600 == result.needs
    assert Pledge.objects.count() == result.pledges > 0
    assert result.votes == Vote.objects.count() == 1000
    assert set(Initiative.objects.values_list("state", flat=True)) >= {
        "selected",
        "implementing",
        "implemented",
    }
    on_map = Initiative.objects.filter(state__in=MAP_STATES).count()
    for zoom in (3, 5, 9, 14):
        clusters = map_clusters(Filters(), COUNTRY, zoom)
        assert sum(c["count"] for c in clusters) == on_map
        assert all(c["red"] + c["green"] == c["count"] for c in clusters)
    implemented = map_clusters(Filters(state="implemented"), COUNTRY, 5)
    assert sum(c["green"] for c in implemented) == sum(c["count"] for c in implemented)
    assert synth_initiatives_reset() == 300
    assert not Initiative.objects.exists()
    assert not Vote.objects.exists()
    assert not Ballot.objects.exists()
    assert not HeartCycle.objects.exists()
    # The voters stay for the next build, which reuses them.
    assert User.objects.filter(username__startswith="synth-initiatives-voter-").exists()


def test_synthetic_votes_keep_the_rules_and_the_tallies(regions: None) -> None:
    from jospar.core.throttle import rate

    synth_initiatives_build(spec=InitiativesSynthSpec(initiatives=300, votes=3000, people=8))
    assert Vote.objects.count() == 3000
    assert set(Vote.objects.values_list("state", flat=True)) == {"counted"}
    # One person, one vote per ballot (the constraint held during COPY, and here again).
    pairs = Vote.objects.values("ballot", "voter").annotate(n=Count("pk"))
    assert max(row["n"] for row in pairs) == 1
    # No juror votes in their cycle, no author on their initiative, no nominee at all.
    assert not Vote.objects.filter(ballot__nomination__cycle__jurors__user=F("voter")).exists()
    assert not Vote.objects.filter(ballot__initiative__author=F("voter")).exists()
    assert not Vote.objects.filter(voter__heart_nominations__isnull=False).exists()
    # Each vote inside its ballot's window; no address past the burst rate on one ballot.
    assert not Vote.objects.filter(cast_at__lt=F("ballot__opens_at")).exists()
    assert not Vote.objects.filter(cast_at__gte=F("ballot__closes_at")).exists()
    per_address = Vote.objects.values("ballot", "address_key").annotate(n=Count("pk"))
    assert max(row["n"] for row in per_address) <= rate("vote_burst").limit
    # Both kinds of ballot got votes.
    assert Vote.objects.filter(ballot__kind="nomination").count() > 1000
    assert Vote.objects.filter(ballot__kind="selection").count() > 1000
    # The kept results equal a recount; a selection's outcome agrees with the state.
    for nominee in HeartNominee.objects.select_related("option"):
        assert nominee.votes == Vote.objects.filter(option=nominee.option).count()
        assert nominee.place is not None
    for ballot in Ballot.objects.filter(kind="selection").select_related("initiative"):
        counts = dict(
            ballot.votes.values("option__answer")
            .annotate(n=Count("pk"))
            .values_list("option__answer", "n")
        )
        initiative = ballot.initiative
        assert initiative is not None
        assert (counts.get("for", 0) > counts.get("against", 0)) == (initiative.state != "rejected")
        assert initiative.decision_body == "public_vote"
    assert HeartCycle.objects.filter(results_published_at__isnull=False).count() >= 3


def test_a_hostile_zoom_on_a_wide_box_is_coarsened(regions: None) -> None:
    synth_initiatives_build(spec=InitiativesSynthSpec(initiatives=200, votes=0, people=3, seed=2))
    clusters = map_clusters(Filters(), (-90.0, -180.0, 90.0, 180.0), 20)
    assert len(clusters) <= MAP_CELLS_MAX
    assert (
        sum(c["count"] for c in clusters) == Initiative.objects.filter(state__in=MAP_STATES).count()
    )


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the kept grid counts exist on PostgreSQL only"
)
def test_the_kept_grid_counts_follow_every_change(regions: None) -> None:
    """The trigger keeps ``initiatives_mapcell`` equal to grouping the initiatives themselves:
    after inserts, a state change, a move and a deletion, and with filters."""
    from jospar.initiatives import map_sql
    from jospar.initiatives.selectors.initiatives import _cached_clusters, _grouped_clusters

    synth_initiatives_build(spec=InitiativesSynthSpec(initiatives=400, votes=0, people=4, seed=3))

    def same(filters: Filters) -> None:
        for zoom in (3, 5, 7, 10, 12):
            size = map_sql.cell(zoom)
            level = map_sql.level_for(zoom)
            assert level is not None
            box = (
                int(COUNTRY[0] // size),
                int(COUNTRY[1] // size),
                int(COUNTRY[2] // size),
                int(COUNTRY[3] // size),
            )
            bounds = (box[0] * size, box[1] * size, (box[2] + 1) * size, (box[3] + 1) * size)
            cached = sorted(_cached_clusters(filters, level, zoom, box))
            grouped = sorted(_grouped_clusters(filters, bounds, size))
            assert [r[:3] for r in cached] == [r[:3] for r in grouped], zoom
            assert [r[5] for r in cached] == [r[5] for r in grouped]
            assert [r[3] for r in cached] == pytest.approx([r[3] for r in grouped])

    same(Filters())
    first = Initiative.objects.filter(state="selected").order_by("id").first()
    assert first is not None
    Initiative.objects.filter(pk=first.pk).update(state="implemented", latitude=43.3)
    gone = Initiative.objects.filter(state="implementing").order_by("id")[:1].get()
    Pledge.objects.filter(initiative=gone).delete()
    gone.delete()
    same(Filters())
    same(Filters(state="implemented"))
    same(Filters(kind="social", direction="sport"))
    same(Filters(region_id=first.region_id))
