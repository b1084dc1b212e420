"""Generous Heart («Жомарт жүрек»): an administrator opens the year's cycle (nationally or for a
region) with its stages' dates and the weighting of jury and public vote, adds nominations and
appoints the jury; anyone verified proposes a nominee with a reason while nominations are open
(eligibility checked from the data: a contribution to an initiative implemented that year, not
a member of the jury); the jury scores 1–10; citizens vote; an administrator publishes the
results, computed from the scores and the stored votes."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Avg
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.civic.services._common import require_confirmed
from jospar.core.audit import audit_record
from jospar.core.errors import Conflict, PermissionRefused, ServiceError
from jospar.core.models import Organisation, Region, Role, User
from jospar.initiatives.models import (
    Ballot,
    BallotKind,
    BallotOption,
    ContributorProfile,
    HeartCategory,
    HeartCycle,
    HeartJuror,
    HeartNomination,
    HeartNominee,
    HeartScore,
    HeartStage,
    ProposerKind,
    Vote,
    VoteState,
)
from jospar.initiatives.services._common import clean_text, now

DEFAULT_NOMINATIONS = (HeartCategory.PATRON, HeartCategory.VOLUNTEER, HeartCategory.NGO)
CYCLE_TYPE = "initiatives.heartcycle"
NOMINEE_TYPE = "initiatives.heartnominee"


def _require_admin(actor: Any) -> User:
    user = require_confirmed(actor)
    if not user.is_administrator:
        raise PermissionRefused("forbidden", _("Only an administrator may do this."))
    return user


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _ballot_for(nomination: HeartNomination, cycle: HeartCycle, actor: User) -> Ballot:
    return Ballot.objects.create(
        kind=BallotKind.NOMINATION,
        nomination=nomination,
        opens_at=_day_start(cycle.vote_from),
        closes_at=_day_start(cycle.vote_until + dt.timedelta(days=1)),
        created_by=actor,
        created_at=now(),
    )


def cycle_create(
    *,
    actor: Any,
    year: int,
    region: Region | None,
    nominations_from: dt.date,
    jury_from: dt.date,
    vote_from: dt.date,
    vote_until: dt.date,
    results_on: dt.date,
    jury_weight: int = 60,
) -> HeartCycle:
    user = _require_admin(actor)
    if not 2000 <= year <= 2100:
        message = _("Enter a year from 2000 to 2100.")
        raise ServiceError("bad_year", message, {"year": [message]})
    _check_dates(
        {
            "nominations_from": nominations_from,
            "jury_from": jury_from,
            "vote_from": vote_from,
            "vote_until": vote_until,
            "results_on": results_on,
        }
    )
    if not 0 <= jury_weight <= 100:
        message = _("The jury's weight is from 0 to 100 per cent.")
        raise ServiceError("bad_weight", message, {"jury_weight": [message]})
    with transaction.atomic():
        if HeartCycle.objects.filter(year=year, region=region).exists():
            raise Conflict("cycle_exists", _("This year's cycle already exists here."))
        cycle = HeartCycle.objects.create(
            year=year,
            region=region,
            nominations_from=nominations_from,
            jury_from=jury_from,
            vote_from=vote_from,
            vote_until=vote_until,
            results_on=results_on,
            jury_weight=jury_weight,
            created_by=user,
            created_at=now(),
        )
        for position, category in enumerate(DEFAULT_NOMINATIONS):
            nomination = HeartNomination.objects.create(
                cycle=cycle, category=category, criteria="", position=position
            )
            _ballot_for(nomination, cycle, user)
        audit_record(
            actor=user,
            action="heart.cycle_create",
            object_type=CYCLE_TYPE,
            object_id=cycle.pk,
            after={
                "year": year,
                "region": region.pk if region else None,
                "jury_weight": jury_weight,
                "vote": [vote_from.isoformat(), vote_until.isoformat()],
            },
        )
    return cycle


def _check_dates(dates: dict[str, dt.date]) -> None:
    if not (
        dates["nominations_from"]
        < dates["jury_from"]
        <= dates["vote_from"]
        <= dates["vote_until"]
        < dates["results_on"]
    ):
        message = _("The stages follow each other: nominations, jury, public vote, results.")
        raise ServiceError("bad_dates", message, {"nominations_from": [message]})


def cycle_schedule(
    *,
    actor: Any,
    cycle: HeartCycle,
    nominations_from: dt.date,
    jury_from: dt.date,
    vote_from: dt.date,
    vote_until: dt.date,
    results_on: dt.date,
) -> HeartCycle:
    """An administrator moves the cycle's dates (its votes open and close with them)."""
    user = _require_admin(actor)
    dates = {
        "nominations_from": nominations_from,
        "jury_from": jury_from,
        "vote_from": vote_from,
        "vote_until": vote_until,
        "results_on": results_on,
    }
    _check_dates(dates)
    with transaction.atomic():
        current = HeartCycle.objects.select_for_update().get(pk=cycle.pk)
        if current.results_published_at is not None:
            raise Conflict("published", _("The results are published."))
        before = {name: getattr(current, name).isoformat() for name in dates}
        for name, value in dates.items():
            setattr(current, name, value)
        current.save(update_fields=list(dates))
        Ballot.objects.filter(nomination__cycle=current).update(
            opens_at=_day_start(vote_from),
            closes_at=_day_start(vote_until + dt.timedelta(days=1)),
        )
        audit_record(
            actor=user,
            action="heart.cycle_schedule",
            object_type=CYCLE_TYPE,
            object_id=current.pk,
            before=before,
            after={name: value.isoformat() for name, value in dates.items()},
        )
    return current


def nomination_add(*, actor: Any, cycle: HeartCycle, title: str, criteria: str) -> HeartNomination:
    """An administrator adds a nomination of their own before the nominations close."""
    user = _require_admin(actor)
    name = clean_text(title, "title", max_length=200)
    text = clean_text(criteria, "criteria", max_length=2000)
    with transaction.atomic():
        current = HeartCycle.objects.select_for_update().get(pk=cycle.pk)
        if current.stage_on(timezone.localdate()) not in (
            HeartStage.ANNOUNCED,
            HeartStage.NOMINATIONS,
        ):
            raise Conflict("too_late", _("Nominations are added before they close."))
        position = current.nominations.count()
        nomination = HeartNomination.objects.create(
            cycle=current,
            category=HeartCategory.OTHER,
            title=name,
            criteria=text,
            position=position,
        )
        _ballot_for(nomination, current, user)
        audit_record(
            actor=user,
            action="heart.nomination_add",
            object_type=CYCLE_TYPE,
            object_id=current.pk,
            after={"nomination": nomination.pk, "title": name},
        )
    return nomination


def juror_appoint(*, actor: Any, cycle: HeartCycle, user: User) -> HeartJuror:
    admin = _require_admin(actor)
    if not user.is_active:
        raise ServiceError("inactive", _("This account is not active."))
    with transaction.atomic():
        current = HeartCycle.objects.select_for_update().get(pk=cycle.pk)
        if current.results_published_at is not None:
            raise Conflict("published", _("The results are published."))
        if HeartNominee.objects.filter(nomination__cycle=current, person=user).exists():
            raise Conflict("is_nominee", _("A nominee cannot sit on the jury."))
        try:
            with transaction.atomic():
                juror = HeartJuror.objects.create(cycle=current, user=user, appointed_at=now())
        except IntegrityError:
            raise Conflict("already_juror", _("Already a member of this jury.")) from None
        audit_record(
            actor=admin,
            action="heart.juror_appoint",
            object_type=CYCLE_TYPE,
            object_id=current.pk,
            after={"juror": user.pk},
        )
    return juror


def proposer_kind(user: User) -> str:
    if user.is_administrator or user.has_role(Role.CIVIC_OFFICIAL):
        return ProposerKind.OFFICIAL
    if user.organisation_id is not None:
        return ProposerKind.ORGANISATION
    return ProposerKind.CITIZEN


def nominee_propose(
    *,
    actor: Any,
    nomination: HeartNomination,
    reason: str,
    person: User | None = None,
    organisation: Organisation | None = None,
) -> HeartNominee:
    """Propose a person (who agreed to a public profile) or an organisation, with a reason. The
    nominee's contributions that year are attached from the data and must exist."""
    from jospar.initiatives.selectors.heart import fits, nominee_evidence

    user = require_confirmed(actor)
    text = clean_text(reason, "reason", max_length=2000)
    if (person is None) == (organisation is None):
        message = _("Choose whom you propose.")
        raise ServiceError("no_nominee", message, {"candidate": [message]})
    with transaction.atomic():
        cycle = HeartCycle.objects.select_for_update().get(pk=nomination.cycle_id)
        if cycle.stage_on(timezone.localdate()) != HeartStage.NOMINATIONS:
            raise Conflict("closed", _("Nominations are not open."))
        if not fits(nomination.category, person.pk if person else None, organisation):
            message = _("This nominee does not fit the nomination.")
            raise ServiceError("wrong_category", message, {"candidate": [message]})
        if person is not None:
            if person.pk == user.pk:
                raise Conflict("self", _("You cannot nominate yourself."))
            if HeartJuror.objects.filter(cycle=cycle, user=person).exists():
                raise Conflict("jury_member", _("A member of the jury cannot be nominated."))
            if not ContributorProfile.objects.filter(user=person, is_public=True).exists():
                raise Conflict(
                    "private_person",
                    _("This person has not agreed to show their contributions publicly."),
                )
        nominee = HeartNominee(
            nomination=nomination,
            person=person,
            organisation=organisation,
            proposed_by=user,
            proposer_kind=proposer_kind(user),
            reason=text,
            created_at=now(),
        )
        nominee.nomination.cycle = cycle
        if nominee_evidence(nominee).empty:
            raise Conflict(
                "no_contribution",
                _(
                    "No contribution to an initiative implemented in %(year)d is found for "
                    "this nominee."
                )
                % {"year": cycle.year},
            )
        try:
            with transaction.atomic():
                nominee.save()
        except IntegrityError:
            raise Conflict("already_nominated", _("Already nominated here.")) from None
        ballot = Ballot.objects.get(nomination=nomination)
        BallotOption.objects.create(ballot=ballot, nominee=nominee)
        audit_record(
            actor=user,
            action="heart.nominee_propose",
            object_type=NOMINEE_TYPE,
            object_id=nominee.pk,
            after={
                "nomination": nomination.pk,
                "person": person.pk if person else None,
                "organisation": organisation.pk if organisation else None,
            },
        )
    return nominee


def score_record(*, actor: Any, nominee: HeartNominee, score: int, comment: str = "") -> HeartScore:
    """A member of the jury scores a nominee 1–10 (and may change it) until the vote ends."""
    user = require_confirmed(actor)
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 10:
        message = _("Choose from 1 to 10.")
        raise ServiceError("bad_score", message, {"score": [message]})
    text = clean_text(comment, "comment", required=False, max_length=1000)
    with transaction.atomic():
        cycle = HeartCycle.objects.select_for_update().get(nominations__nominees=nominee.pk)
        if not HeartJuror.objects.filter(cycle=cycle, user=user).exists():
            raise PermissionRefused("forbidden", _("Only a member of this jury scores."))
        if cycle.stage_on(timezone.localdate()) not in (HeartStage.JURY, HeartStage.VOTE):
            raise Conflict("closed", _("The jury does not score now."))
        row, created = HeartScore.objects.update_or_create(
            nominee=nominee,
            juror=user,
            defaults={"score": score, "comment": text, "scored_at": now()},
        )
        audit_record(
            actor=user,
            action="heart.score",
            object_type=NOMINEE_TYPE,
            object_id=nominee.pk,
            after={"score": score, "new": created},
        )
    return row


_CENT = Decimal("0.01")


def results_publish(*, actor: Any, cycle: HeartCycle) -> HeartCycle:
    """After the vote: each nominee's jury average (1–10, jury members' scores only), counted
    votes, and the final score = jury weight × average/10 + public weight × share of the
    nomination's counted votes, on 0–100; places by the final score."""
    from jospar.initiatives.selectors.votes import tally_many

    user = _require_admin(actor)
    with transaction.atomic():
        current = HeartCycle.objects.select_for_update().get(pk=cycle.pk)
        if current.results_published_at is not None:
            raise Conflict("published", _("The results are already published."))
        if timezone.localdate() <= current.vote_until:
            raise Conflict("vote_open", _("The public vote has not ended."))
        ballots = list(
            Ballot.objects.filter(nomination__cycle=current).values_list("pk", flat=True)
        )
        if Vote.objects.filter(ballot_id__in=ballots, state=VoteState.HELD).exists():
            raise Conflict("votes_held", _("Some votes are held for review: review them first."))
        counts = tally_many(ballots)
        results_compute(current, counts)
        current.results_published_at = now()
        current.save(update_fields=["results_published_at"])
        audit_record(
            actor=user,
            action="heart.results_publish",
            object_type=CYCLE_TYPE,
            object_id=current.pk,
            after={"votes": sum(counts.values())},
        )
    return current


def results_compute(cycle: HeartCycle, counts: dict[int, int]) -> None:
    """Write each nominee's kept results (jury average, counted votes, final score, place)
    from the jury members' scores and ``counts`` (option → counted votes, jurors' votes left
    out). Inside the caller's transaction; also used to rebuild synthetic cycles' results."""
    jurors = HeartJuror.objects.filter(cycle=cycle).values("user_id")
    for nomination in HeartNomination.objects.filter(cycle=cycle):
        nominees = list(
            HeartNominee.objects.filter(nomination=nomination)
            .select_related("option")
            .annotate(avg=Avg("scores__score", filter=_juror_filter(jurors)))
        )
        votes = {n.pk: counts.get(n.option.pk, 0) for n in nominees}
        total = sum(votes.values())
        for nominee in nominees:
            average = Decimal(str(nominee.avg or 0)).quantize(_CENT, ROUND_HALF_UP)
            share = Decimal(votes[nominee.pk]) / total if total else Decimal(0)
            final = Decimal(cycle.jury_weight) * average / 10 + (
                Decimal(cycle.public_weight) * share
            )
            nominee.jury_average = average
            nominee.votes = votes[nominee.pk]
            nominee.final_score = final.quantize(_CENT, ROUND_HALF_UP)
        nominees.sort(key=lambda n: (-(n.final_score or 0), -(n.votes or 0), n.pk))
        for place, nominee in enumerate(nominees, start=1):
            nominee.place = place
        HeartNominee.objects.bulk_update(
            nominees, ["jury_average", "votes", "final_score", "place"]
        )


def _juror_filter(jurors: Any) -> Any:
    from django.db.models import Q

    return Q(scores__juror_id__in=jurors)
