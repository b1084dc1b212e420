"""Publications proposed as evidence for what they carry out, and the decisions on them.

A publication is proposed for an activity when it contains one of the keywords an
administrator set for the activity, or a rubric the plan prescribes (a name in «» quotes in the
activity's text, such as «Туған жер»), or when most of the activity's content words are in it;
and for a program node whose short name (a project, a rubric) it names. The controller, or an
executor of the activity's organisation, confirms or rejects a proposal; a confirmed one is
attached to that executor's open execution report as a link with its source and date
(``jospar.control.services.reports.report_link_add``, so the control loop's own rules and audit
apply).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.control.access.obligations import can_control, can_report_for
from jospar.control.models import ExecutionReport, Obligation, ReportState
from jospar.control.services.reports import report_draft_save, report_link_add
from jospar.core.audit import audit_record
from jospar.core.errors import Conflict, PermissionRefused
from jospar.core.models import User
from jospar.media.models import (
    ActivityKeywords,
    MatchProposal,
    MatchReason,
    ProposalState,
    Publication,
)
from jospar.plans.access import is_controller
from jospar.plans.models import Activity
from jospar.programs.models import ProgramNode

_QUOTED = re.compile(r"[«\"“]([^»\"”]{3,60})[»\"”]")
_WORD = re.compile(r"\w+", re.UNICODE)
SIMILAR = 0.6
SIMILAR_MIN_WORDS = 4
RUBRIC_MAX_WORDS = 5
# Names every text of the campaign carries: not a rubric.
_NOT_RUBRICS = {"мәңгілік ел", "нация единого будущего", "болашағы біртұтас ел", "рухани жаңғыру"}


@dataclass(frozen=True)
class Candidate:
    activity_id: int | None
    node_id: int | None
    reason: str
    detail: str
    score: float


def _words(text: str) -> set[str]:
    return {w for w in (m.lower() for m in _WORD.findall(text)) if len(w) >= 5}


def _rubrics(text: str) -> set[str]:
    found = set()
    for name in _QUOTED.findall(text or ""):
        name = " ".join(name.split()).lower()
        if name and len(name.split()) <= RUBRIC_MAX_WORDS and name not in _NOT_RUBRICS:
            found.add(name)
    return found


@dataclass(frozen=True)
class _ActivityTerms:
    activity_id: int
    rubrics: tuple[str, ...]
    # The content words of its Kazakh and of its Russian title (each matched on its own).
    contents: tuple[frozenset[str], ...]


@dataclass(frozen=True)
class Matcher:
    """What publications are matched against, read and prepared once for a collection run (a
    day's publications are matched against the same activities and nodes): the keywords, the
    activities' rubrics and content words, and the nodes' names as compiled patterns."""

    keywords: tuple[tuple[int, tuple[str, ...]], ...]
    activities: tuple[_ActivityTerms, ...]
    nodes: tuple[tuple[int, str, re.Pattern[str]], ...]


def matcher_load() -> Matcher:
    keywords = tuple(
        (row.activity_id, tuple(k for k in (str(w) for w in row.keywords) if k.strip()))
        for row in ActivityKeywords.objects.filter(activity__in_force=True)
    )
    activities = []
    for activity in Activity.objects.filter(in_force=True).only("pk", "title_kk", "title_ru"):
        titles = (activity.title_kk, activity.title_ru)
        rubrics = tuple(dict.fromkeys(r for text in titles for r in sorted(_rubrics(text))))
        contents = tuple(
            c
            for c in (frozenset(_words(text or "")) for text in titles)
            if len(c) >= SIMILAR_MIN_WORDS
        )
        if rubrics or contents:
            activities.append(_ActivityTerms(activity.pk, rubrics, contents))
    nodes = []
    for node in ProgramNode.objects.only("pk", "name_kk", "name_ru"):
        for name in (node.name_kk, node.name_ru):
            names = _rubrics(name)
            plain = " ".join((name or "").split()).strip(" .").lower()
            if not names and 1 <= len(plain.split()) <= RUBRIC_MAX_WORDS and len(plain) >= 5:
                names.add(plain)
            for rubric in sorted(names - _NOT_RUBRICS):
                nodes.append((node.pk, rubric, re.compile(rf"(?<!\w){re.escape(rubric)}")))
    return Matcher(tuple(keywords), tuple(activities), tuple(nodes))


def candidates(publication: Publication, matcher: Matcher | None = None) -> list[Candidate]:
    matcher = matcher or matcher_load()
    body = f"{publication.title}\n{publication.text}".lower()
    words = _words(body)
    out: dict[tuple[int | None, int | None], Candidate] = {}

    def keep(candidate: Candidate) -> None:
        key = (candidate.activity_id, candidate.node_id)
        if key not in out or out[key].score < candidate.score:
            out[key] = candidate

    for activity_id, keywords in matcher.keywords:
        for keyword in keywords:
            if keyword.lower() in body:
                keep(Candidate(activity_id, None, MatchReason.KEYWORD, keyword, 1.0))
    for terms in matcher.activities:
        for rubric in terms.rubrics:
            if rubric in body:
                keep(Candidate(terms.activity_id, None, MatchReason.RUBRIC, rubric, 0.9))
        for content in terms.contents:
            share = len(content & words) / len(content)
            if share >= SIMILAR:
                keep(Candidate(terms.activity_id, None, MatchReason.SIMILAR, "", round(share, 3)))
    for node_id, rubric, pattern in matcher.nodes:
        if rubric in body and pattern.search(body):
            keep(Candidate(None, node_id, MatchReason.RUBRIC, rubric, 0.8))
    return sorted(out.values(), key=lambda c: -c.score)


def proposals_make(*, publication: Publication, matcher: Matcher | None = None) -> int:
    """Propose the publication where it matches (idempotent: a proposal is made once)."""
    found = candidates(publication, matcher)
    if not found:
        return 0
    with transaction.atomic():
        made = MatchProposal.objects.bulk_create(
            [
                MatchProposal(
                    publication=publication,
                    activity_id=c.activity_id,
                    program_node_id=c.node_id,
                    reason=c.reason,
                    detail=c.detail[:300],
                    score=c.score,
                )
                for c in found
            ],
            ignore_conflicts=True,
        )
    return len(made)


def _open_obligation(actor: User, activity_id: int) -> Obligation | None:
    if actor.organisation_id is None:
        return None
    obligations = (
        Obligation.objects.filter(
            activity_id=activity_id,
            organisation_id=actor.organisation_id,
            in_force=True,
            accepted_at__isnull=True,
        )
        .select_related("activity", "activity__plan")
        .order_by("deadline", "due_on", "pk")
    )
    return next((o for o in obligations if can_report_for(actor, o)), None)


def can_decide(actor: User, proposal: MatchProposal) -> bool:
    if proposal.state != ProposalState.PROPOSED and not (
        proposal.state == ProposalState.CONFIRMED and proposal.report_link_id is None
    ):
        return False
    if proposal.activity_id is None:
        return is_controller(actor) or actor.is_administrator
    activity = proposal.activity
    if activity is not None and can_control(actor, activity.plan):
        return proposal.state == ProposalState.PROPOSED
    return _open_obligation(actor, proposal.activity_id) is not None


def _link_title(publication: Publication) -> str:
    day = publication.published_on.isoformat() if publication.published_on else ""
    title = publication.title or publication.url
    return f"{title} — {publication.source.name}{', ' + day if day else ''}"[:500]


def _attach(actor: User, proposal: MatchProposal) -> int | None:
    if proposal.activity_id is None:
        return None
    obligation = _open_obligation(actor, proposal.activity_id)
    if obligation is None:
        return None
    draft = (
        ExecutionReport.objects.filter(obligation=obligation, state=ReportState.DRAFT)
        .order_by("-version")
        .first()
    )
    if draft is None:
        draft = report_draft_save(actor=actor, obligation=obligation, text="", lang="kk")
    publication = proposal.publication
    link = report_link_add(
        actor=actor, report=draft, url=publication.url, title=_link_title(publication)
    )
    return link.pk


def proposal_confirm(*, actor: User, proposal: MatchProposal) -> MatchProposal:
    """Confirm the proposal; an executor's confirmation attaches it to their open report."""
    with transaction.atomic():
        locked = (
            MatchProposal.objects.select_for_update(of=("self",))
            .select_related("publication", "publication__source", "activity", "activity__plan")
            .get(pk=proposal.pk)
        )
        if not can_decide(actor, locked):
            raise PermissionRefused(
                "not_yours", _("Only the controller or an executor of the activity decides this.")
            )
        link_id = _attach(actor, locked)
        locked.state = ProposalState.CONFIRMED
        if locked.decided_by_id is None or link_id is None:
            locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.report_link_id = link_id or locked.report_link_id
        locked.save()
        audit_record(
            actor=actor,
            action="media.proposal_confirmed",
            object_type="media.MatchProposal",
            object_id=locked.pk,
            after={
                "publication": locked.publication_id,
                "activity": locked.activity_id,
                "program_node": locked.program_node_id,
                "report_link": locked.report_link_id,
            },
        )
    return locked


def proposal_reject(*, actor: User, proposal: MatchProposal) -> MatchProposal:
    with transaction.atomic():
        locked = (
            MatchProposal.objects.select_for_update(of=("self",))
            .select_related("activity", "activity__plan")
            .get(pk=proposal.pk)
        )
        if locked.state != ProposalState.PROPOSED:
            raise Conflict("decided", _("This proposal has already been decided."))
        if not can_decide(actor, locked):
            raise PermissionRefused(
                "not_yours", _("Only the controller or an executor of the activity decides this.")
            )
        locked.state = ProposalState.REJECTED
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.save()
        audit_record(
            actor=actor,
            action="media.proposal_rejected",
            object_type="media.MatchProposal",
            object_id=locked.pk,
            after={"publication": locked.publication_id, "activity": locked.activity_id},
        )
    return locked


def proposals_open_q() -> Q:
    return Q(state=ProposalState.PROPOSED)
