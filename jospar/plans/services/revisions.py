"""Saving imported plans: one importer for the web upload, the background task and the command.

A plan's text is parsed by :mod:`jospar.planparser` (no database); :func:`plan_revision_save`
saves the result atomically: a new plan, a new language version of a plan, or a new revision of one
language version with what changed. Importing the same text twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jospar.core import directory
from jospar.core.audit import audit_record
from jospar.core.errors import ServiceError
from jospar.core.models import Organisation, User
from jospar.core.selectors.directory import organisation_by_code
from jospar.planparser.model import AKIMATS
from jospar.plans.completion import completion_kinds_fill
from jospar.plans.models import (
    Activity,
    ActivityExecutor,
    GlossaryEntry,
    Plan,
    PlanRevision,
)

LANGS = ("kk", "ru")


@dataclass
class ImportOutcome:
    plan: Plan
    revision: PlanRevision | None
    created_plan: bool
    unchanged: bool
    changes: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    obligations_created: int = 0
    obligations_withdrawn: int = 0


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def content_sha256(source_text: str, corrections: list[dict[str, Any]] | None) -> str:
    """The identity of what is saved: the text, and the corrections a person made to it."""
    digest = hashlib.sha256(source_text.replace("\r\n", "\n").strip().encode("utf-8"))
    if corrections:
        digest.update(json.dumps(corrections, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


def _find_plan(parsed: dict[str, Any], lang: str, sha: str) -> Plan | None:
    approved_on = _date(parsed.get("approved_on"))
    number = parsed.get("approval_number") or ""
    if approved_on and number:
        plan = Plan.objects.filter(approved_on=approved_on, approval_number=number).first()
        if plan is not None:
            return plan
    revision = PlanRevision.objects.filter(source_sha256=sha).select_related("plan").first()
    if revision is not None:
        return revision.plan
    title = (parsed.get("title") or "").strip()
    if title:
        return Plan.objects.filter(**{f"title_{lang}": title}).order_by("id").first()
    return None


def _validate(parsed: dict[str, Any]) -> None:
    if parsed.get("lang") not in LANGS:
        raise ServiceError(
            "invalid_plan", _("The plan's language must be Kazakh or Russian."), {"lang": []}
        )
    activities = parsed.get("activities") or []
    if not activities:
        raise ServiceError("not_a_plan", _("The text holds no activities."))
    numbers = [str(a.get("number", "")) for a in activities]
    duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
    if duplicates:
        raise ServiceError(
            "duplicate_activity_numbers",
            _("Activity numbers repeat: %(numbers)s. Correct them before saving.")
            % {"numbers": ", ".join(duplicates)},
            {"activities": duplicates},
        )


def _executor_key(executor: dict[str, Any]) -> str:
    return AKIMATS if executor.get("code") == AKIMATS else str(executor.get("code", ""))


def _language_code_map(plan: Plan, lang: str, activities: list[dict[str, Any]]) -> dict[str, str]:
    """Pair the codes of the other language version with this one's, from both texts.

    The two texts list the same bodies in mostly the same order; a vote over all activities
    pairs each code with the code it most often stands beside (ИДМ ↔ МИР), so that a row
    where the order differs does not mislead.
    """
    other = "ru" if lang == "kk" else "kk"
    existing: dict[str, list[str]] = {}
    for activity in plan.activities.filter(in_force=True).prefetch_related("executors"):
        existing[activity.number] = [
            AKIMATS if e.is_akimat_group else getattr(e, f"code_{other}")
            for e in activity.executors.all()
            if e.in_force
        ]
    votes: Counter[tuple[str, str]] = Counter()
    for item in activities:
        theirs = existing.get(str(item["number"]))
        ours = [_executor_key(e) for e in item.get("executors", [])]
        if theirs and len(theirs) == len(ours):
            for mine, their in zip(ours, theirs, strict=True):
                if mine and their and (mine == AKIMATS) == (their == AKIMATS):
                    votes[(mine, their)] += 1
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for (mine, their), _count in votes.most_common():
        if mine not in mapping and their not in taken:
            mapping[mine] = their
            taken.add(their)
    return mapping


def _activity_snapshot(activity: Activity, lang: str) -> dict[str, Any]:
    return {
        "title": getattr(activity, f"title_{lang}"),
        "section": getattr(activity, f"section_{lang}"),
        "completion_form": getattr(activity, f"completion_form_{lang}"),
        "deadline_text": getattr(activity, f"deadline_text_{lang}"),
        "window": [
            activity.window_start.isoformat() if activity.window_start else None,
            activity.window_end.isoformat() if activity.window_end else None,
        ],
        "reports": list(activity.report_dates),
        "executors": [
            {
                "code": AKIMATS if e.is_akimat_group else getattr(e, f"code_{lang}"),
                "lead": e.lead,
                "by_agreement": e.by_agreement,
                "role": getattr(e, f"role_{lang}") or None,
            }
            for e in activity.executors.all()
            if e.in_force
        ],
    }


def _parsed_snapshot(item: dict[str, Any]) -> dict[str, Any]:
    window = item.get("window") or {}
    return {
        "title": item.get("title") or "",
        "section": item.get("section") or "",
        "completion_form": list(item.get("completion_form") or []),
        "deadline_text": item.get("deadline_text") or "",
        "window": [window.get("start"), window.get("end")],
        "reports": sorted(item.get("reports") or []),
        "executors": [
            {
                "code": _executor_key(e),
                "lead": bool(e.get("lead")),
                "by_agreement": bool(e.get("by_agreement")),
                "role": e.get("role") or None,
            }
            for e in item.get("executors") or []
        ],
    }


class _Importer:
    def __init__(
        self,
        *,
        actor: User | None,
        parsed: dict[str, Any],
        source_text: str,
        filename: str,
        corrections: list[dict[str, Any]],
        target_plan: Plan | None,
        progress: Callable[[int, int], None] | None = None,
        act: dict[str, Any] | None = None,
    ) -> None:
        self.progress = progress
        # The amending act this text applies: the plan's other language version may differ.
        self.act = act
        self.actor = actor
        self.parsed = parsed
        self.lang: str = parsed["lang"]
        self.other = "ru" if self.lang == "kk" else "kk"
        self.source_text = source_text
        self.filename = filename
        self.corrections = corrections
        self.target_plan = target_plan
        self.sha = content_sha256(source_text, corrections)
        self.glossary: dict[str, str] = dict(parsed.get("glossary") or {})
        self._organisations: dict[str, Organisation] = {}
        self.warnings: list[dict[str, Any]] = list(parsed.get("warnings") or [])
        for item in parsed["activities"]:
            self.warnings.extend(item.get("warnings") or [])

    def run(self) -> ImportOutcome:
        plan = self.target_plan or _find_plan(self.parsed, self.lang, self.sha)
        created = plan is None
        if plan is not None:
            current = plan.revisions.filter(lang=self.lang).order_by("-number").first()
            if current is not None and current.source_sha256 == self.sha and self.act is None:
                return ImportOutcome(
                    plan=plan, revision=current, created_plan=False, unchanged=True
                )
        else:
            plan = Plan.objects.create(
                created_by=self.actor if self.actor and self.actor.pk else None
            )
        self.plan = plan
        previous = plan.revisions.filter(lang=self.lang).order_by("-number").first()
        has_other = plan.revisions.filter(lang=self.other).exists()
        # The first language version saved decides the dates; the other must agree with it.
        # An amending act applied to one language first decides them until its other
        # language version follows.
        pending = plan.versions_differ or {}
        self.dates_authority = not has_other or (
            self.act is not None and pending.get("lang") in (None, self.lang)
        )
        if not self.dates_authority:
            self._check_same_dates()
        if self.act is not None and has_other:
            self._mark_versions(pending)
        self._update_plan()
        self.evidence_date = plan.approved_on or plan.period_start
        self.source_label = f"{plan.title[:200]} [{self.lang}] ({self.filename})"
        changes = self._save_activities(is_new_revision=previous is not None)
        revision = PlanRevision.objects.create(
            plan=plan,
            lang=self.lang,
            number=(previous.number + 1) if previous else 1,
            source_filename=self.filename[:255],
            source_sha256=self.sha,
            source_text=self.source_text,
            parsed=self.parsed,
            corrections=self.corrections,
            changes=changes,
            warnings=self.warnings,
            act=self.act,
            imported_by=self.actor if self.actor and self.actor.pk else None,
        )
        self._save_glossary(revision)
        # The evidence a report must give follows the forms of completion of both language
        # versions: read again whenever a revision (an import, an amending act) changes them.
        completion_kinds_fill(plan)
        controller = self._assign_controller()
        audit_record(
            actor=self.actor,
            action="plan.amended" if self.act else "plan.imported",
            object_type="plans.Plan",
            object_id=plan.pk,
            before=None if created else {"revision": previous.number if previous else None},
            after={
                "revision": revision.number,
                "lang": self.lang,
                "file": self.filename,
                "sha256": self.sha,
                "activities": len(self.parsed["activities"]),
                "changes": len(changes),
                "corrections": len(self.corrections),
                "controller_organisation": controller.pk if controller else None,
                **({"act": self.act} if self.act else {}),
            },
        )
        return ImportOutcome(
            plan=plan,
            revision=revision,
            created_plan=created,
            unchanged=False,
            changes=changes,
            warnings=self.warnings,
        )

    def _mark_versions(self, pending: dict[str, Any]) -> None:
        """An act applied to one language version leaves the plan's versions differing until
        the act's other language version is applied too."""
        assert self.act is not None
        key = (self.act.get("number"), self.act.get("date"))
        acts = [a for a in pending.get("acts") or [] if isinstance(a, dict)]
        if pending.get("lang") in (None, self.lang):
            acts.append({k: self.act.get(k) for k in ("title", "number", "date")})
            self.plan.versions_differ = {"lang": self.lang, "acts": acts}
        else:
            acts = [a for a in acts if (a.get("number"), a.get("date")) != key]
            self.plan.versions_differ = (
                {"lang": pending.get("lang"), "acts": acts} if acts else None
            )

    def _check_same_dates(self) -> None:
        existing = {a.number: a for a in self.plan.activities.filter(in_force=True)}
        ours = {str(a["number"]): a for a in self.parsed["activities"]}
        problems: list[str] = []
        for number in sorted(set(existing) | set(ours), key=_number_key):
            activity, item = existing.get(number), ours.get(number)
            if activity is None or item is None:
                problems.append(_("activity %(n)s is only in one language version") % {"n": number})
                continue
            window = item.get("window") or {}
            if (
                sorted(item.get("reports") or []) != list(activity.report_dates)
                or _date(window.get("start")) != activity.window_start
                or _date(window.get("end")) != activity.window_end
            ):
                problems.append(_("activity %(n)s has other dates") % {"n": number})
        if problems:
            raise ServiceError(
                "language_versions_disagree",
                _(
                    "This text is the other language version of “%(plan)s”, but the two do not"
                    " agree: %(problems)s. Correct the cells so that both give the same"
                    " activities and dates."
                )
                % {"plan": self.plan.title, "problems": "; ".join(problems)},
                {"activities": problems},
            )

    def _update_plan(self) -> None:
        plan, parsed = self.plan, self.parsed
        setattr(plan, f"title_{self.lang}", (parsed.get("title") or "").strip())
        approved_on = _date(parsed.get("approved_on"))
        if approved_on and not plan.approved_on:
            plan.approved_on = approved_on
            plan.approval_number = parsed.get("approval_number") or ""
        period = parsed.get("period") or {}
        if self.dates_authority:
            plan.period_start = _date(period.get("start"))
            plan.period_end = _date(period.get("end"))
        plan.save()

    def _organisation(self, code: str) -> Organisation:
        # A plan names the same executor in many rows: it is resolved, and its evidence noted,
        # once per import (every repeat cost a dozen queries and an alias check).
        if code not in self._organisations:
            self._organisations[code] = directory.organisation_for_executor(
                lang=self.lang,
                code=code,
                name=self.glossary.get(code),
                evidence_date=self.evidence_date,
                source=self.source_label,
                actor=self.actor,
            )
        return self._organisations[code]

    def _save_activities(self, *, is_new_revision: bool) -> list[dict[str, Any]]:
        lang = self.lang
        code_map = _language_code_map(self.plan, lang, self.parsed["activities"])
        existing = {a.number: a for a in self.plan.activities.prefetch_related("executors").all()}
        changes: list[dict[str, Any]] = []
        seen: set[str] = set()
        for position, item in enumerate(self.parsed["activities"], start=1):
            number = str(item["number"])
            seen.add(number)
            activity = existing.get(number)
            before = _activity_snapshot(activity, lang) if activity is not None else None
            if activity is None:
                activity = Activity(plan=self.plan, number=number, position=position)
            activity.position = position
            activity.in_force = True
            setattr(activity, f"title_{lang}", item.get("title") or "")
            setattr(activity, f"section_{lang}", item.get("section") or "")
            setattr(activity, f"completion_form_{lang}", list(item.get("completion_form") or []))
            setattr(activity, f"deadline_text_{lang}", item.get("deadline_text") or "")
            setattr(activity, f"financing_{lang}", item.get("financing") or "")
            if item.get("controller") is not None:
                activity.controller = item.get("controller")
            if self.dates_authority:
                window = item.get("window") or {}
                activity.window_start = _date(window.get("start"))
                activity.window_end = _date(window.get("end"))
                activity.report_dates = sorted(item.get("reports") or [])
            activity.warnings = [w for w in (activity.warnings or []) if w.get("lang") != lang] + [
                {**w, "lang": lang} for w in item.get("warnings") or []
            ]
            activity.save()
            self._save_executors(activity, item.get("executors") or [], code_map)
            if self.progress is not None:
                self.progress(position, len(self.parsed["activities"]))
            if is_new_revision:
                after = _parsed_snapshot(item)
                if before is None:
                    changes.append({"activity": number, "change": "added"})
                else:
                    for key, value in after.items():
                        if before.get(key) != value:
                            changes.append(
                                {
                                    "activity": number,
                                    "change": "changed",
                                    "field": key,
                                    "before": before.get(key),
                                    "after": value,
                                }
                            )
        if is_new_revision:
            for number, activity in existing.items():
                if number not in seen and activity.in_force and getattr(activity, f"title_{lang}"):
                    activity.in_force = False
                    activity.save(update_fields=["in_force"])
                    changes.append({"activity": number, "change": "removed"})
        return changes

    def _save_executors(
        self,
        activity: Activity,
        items: list[dict[str, Any]],
        code_map: dict[str, str],
    ) -> None:
        lang, other = self.lang, self.other
        current = [e for e in activity.executors.all() if e.in_force]
        unmatched = list(current)
        matches: list[ActivityExecutor | None] = []
        for item in items:
            key = _executor_key(item)
            found: ActivityExecutor | None = None
            for candidate in unmatched:
                if key == AKIMATS:
                    hit = candidate.is_akimat_group
                else:
                    hit = not candidate.is_akimat_group and (
                        getattr(candidate, f"code_{lang}") == key
                        or (
                            not getattr(candidate, f"code_{lang}")
                            and getattr(candidate, f"code_{other}") == code_map.get(key)
                        )
                    )
                if hit:
                    found = candidate
                    break
            if found is not None:
                unmatched.remove(found)
            matches.append(found)
        # What the vote could not pair is paired in printed order, when the other language
        # version has exactly as many executors left over.
        leftovers = [
            e for e in unmatched if not getattr(e, f"code_{lang}") and not e.is_akimat_group
        ]
        free = [
            i for i, m in enumerate(matches) if m is None and _executor_key(items[i]) != AKIMATS
        ]
        if leftovers and len(leftovers) == len(free):
            for index, executor in zip(free, leftovers, strict=True):
                matches[index] = executor
                unmatched.remove(executor)
        for position, (item, match) in enumerate(zip(items, matches, strict=True), start=1):
            key = _executor_key(item)
            executor = match if match is not None else ActivityExecutor(activity=activity)
            executor.position = position
            executor.in_force = True
            executor.is_akimat_group = key == AKIMATS
            executor.lead = bool(item.get("lead"))
            executor.by_agreement = bool(item.get("by_agreement"))
            setattr(executor, f"role_{lang}", item.get("role") or "")
            if key == AKIMATS:
                setattr(executor, f"code_{lang}", AKIMATS)
                executor.organisation = None
            else:
                setattr(executor, f"code_{lang}", key)
                organisation = self._organisation(key)
                if executor.organisation_id and executor.organisation_id != organisation.pk:
                    kk, ru = (
                        (organisation, executor.organisation)
                        if lang == "kk"
                        else (executor.organisation, organisation)
                    )
                    assert kk is not None
                    assert ru is not None
                    organisation = directory.organisations_pair_languages(
                        kk=kk,
                        ru=ru,
                        evidence_date=self.evidence_date,
                        source=self.source_label,
                        actor=self.actor,
                    )
                executor.organisation = organisation
            executor.save()
        for executor in unmatched:
            # Still named by the other language version: keep it; otherwise it left the plan.
            # An amending act applied first in this language decides who executes: the other
            # language version is behind it until its own act is applied.
            if (
                getattr(executor, f"code_{other}")
                and not (self.act is not None and self.dates_authority)
                and self.plan.revisions.filter(lang=other).exists()
            ):
                setattr(executor, f"code_{lang}", "")
                executor.save(update_fields=[f"code_{lang}"])
            else:
                executor.in_force = False
                executor.save(update_fields=["in_force"])

    def _assign_controller(self) -> Organisation | None:
        """The controlling department named by the plan's controller column, when one code
        stands in most of its cells (003: "ІСБ" in all 18) and the directory knows exactly one
        body by it. A department an administrator already assigned is kept."""
        if self.plan.controller_organisation_id is not None:
            return None
        code = dominant_controller_code(self.parsed["activities"])
        if code is None:
            return None
        organisation = organisation_by_code(self.lang, code)
        if organisation is not None:
            self.plan.controller_organisation = organisation
            self.plan.save(update_fields=["controller_organisation"])
        return organisation

    def _save_glossary(self, revision: PlanRevision) -> None:
        bodies = directory.glossary_register(
            lang=self.lang,
            glossary=self.glossary,
            evidence_date=self.evidence_date,
            source=self.source_label,
            actor=self.actor,
        )
        GlossaryEntry.objects.bulk_create(
            GlossaryEntry(
                revision=revision, code=code[:200], name=name, organisation=bodies.get(code)
            )
            for code, name in self.glossary.items()
        )


def dominant_controller_code(activities: list[dict[str, Any]]) -> str | None:
    """The code the controller column gives in at least two thirds of the activities that have
    a controller cell, and more often than any other code; else None."""
    cells = [a.get("controller") or [] for a in activities]
    cells = [c for c in cells if c]
    if not cells:
        return None
    counts = Counter(code for cell in cells for code in dict.fromkeys(cell))
    ranked = counts.most_common(2)
    code, count = ranked[0]
    if count * 3 < len(cells) * 2 or (len(ranked) > 1 and ranked[1][1] == count):
        return None
    return str(code)


def _number_key(number: str) -> tuple[int, str]:
    digits = "".join(ch for ch in number if ch.isdigit())
    return (int(digits) if digits else 10**9, number)


def plan_find_for_text(
    parsed: dict[str, Any], source_text: str, corrections: list[dict[str, Any]] | None = None
) -> Plan | None:
    """The saved plan a parsed text belongs to (by its approval act, the same text, the same
    title), as :func:`plan_revision_save` finds it; None for a new plan."""
    lang = parsed.get("lang")
    if lang not in LANGS:
        return None
    return _find_plan(parsed, str(lang), content_sha256(source_text, corrections))


def plan_revision_save(
    *,
    actor: User | None,
    parsed: dict[str, Any],
    source_text: str,
    filename: str,
    corrections: list[dict[str, Any]] | None = None,
    target_plan: Plan | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportOutcome:
    """Save a parsed plan text (the JSON of ``jospar parse-plan``) as a plan, a language version
    or a revision, all or nothing. The control schedule is not touched here: callers go through
    ``jospar.control.services.plan_revisions.plan_import``, which re-derives it."""
    _validate(parsed)
    with transaction.atomic():
        return _Importer(
            actor=actor,
            parsed=parsed,
            source_text=source_text,
            filename=filename,
            corrections=list(corrections or []),
            target_plan=target_plan,
            progress=progress,
        ).run()
