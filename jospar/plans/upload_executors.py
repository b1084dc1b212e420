"""The executors of an uploaded plan that the directory does not know yet, with the bodies they
likely are ("did you mean …"), and a person's choice of one, before the plan is saved.

Choosing a body records the printing (code and name as this plan prints them) as that body's
alias, so that the import finds the body instead of making a new record for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from jospar.core.errors import ServiceError
from jospar.core.matching import Candidate, organisation_candidates
from jospar.core.models import Organisation, OrganisationAlias, User
from jospar.core.services.organisations import (
    organisation_alias_confirm,
    organisation_find_for_executor,
)
from jospar.planparser.model import AKIMATS
from jospar.plans.models import PlanUpload
from jospar.plans.review import reference_date
from jospar.plans.services.upload import _require_draft, _require_importer


@dataclass
class UnknownExecutor:
    code: str
    name: str
    activities: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def printed(self) -> str:
        if self.code and self.name and self.code != self.name:
            return f"{self.code} — {self.name}"
        return self.name or self.code


def _printed_executors(upload: PlanUpload) -> dict[tuple[str, str], list[str]]:
    parsed = upload.parsed or {}
    glossary: dict[str, str] = dict(parsed.get("glossary") or {})
    found: dict[tuple[str, str], list[str]] = {}
    for item in parsed.get("activities") or []:
        for executor in item.get("executors") or []:
            code = str(executor.get("code") or "").strip()
            if code == AKIMATS:
                continue
            name = str(executor.get("name") or glossary.get(code) or "").strip()
            if not code and not name:
                continue
            numbers = found.setdefault((code, name), [])
            number = str(item.get("number") or "")
            if number and number not in numbers:
                numbers.append(number)
    return found


def upload_unknown_executors(upload: PlanUpload) -> list[UnknownExecutor]:
    """Executors that would become new records on saving, each with likely bodies."""
    day = reference_date(upload.parsed or {})
    unknown = [
        UnknownExecutor(code=code, name=name, activities=numbers)
        for (code, name), numbers in _printed_executors(upload).items()
        if organisation_find_for_executor(
            lang=upload.lang, code=code, name=name or None, evidence_date=day
        )
        is None
    ]
    if unknown:
        candidates = organisation_candidates([(u.code, u.name) for u in unknown])
        for item in unknown:
            item.candidates = candidates[(item.code, item.name)]
    return unknown


def upload_executor_link(
    *, actor: User, upload: PlanUpload, code: str, name: str, organisation_id: int
) -> OrganisationAlias:
    """A person says which body an executor of the upload is (one the directory did not know)."""
    _require_importer(actor)
    _require_draft(upload)
    if (code, name) not in _printed_executors(upload):
        raise ServiceError(
            "unknown_executor",
            _("This plan names no such executor."),
            {"executor": [_("Choose an executor listed on the page.")]},
        )
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise ServiceError(
            "unknown_organisation",
            _("No such organisation in the directory."),
            {"organisation": [_("Choose one of the bodies offered.")]},
        )
    return organisation_alias_confirm(
        actor=actor,
        organisation=organisation,
        lang=upload.lang,
        code=code,
        name=name,
        source=_("chosen while checking the upload “%(file)s”") % {"file": upload.filename},
    )
