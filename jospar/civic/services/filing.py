"""Filing a report: who may, where it is, which akimat answers, the survey, the evidence.

The point decides the region, and the region its akimat; an administrator's route
(`TopicRoute`) sends a topic to a department of that akimat. A point outside Kazakhstan is
refused (``outside_kazakhstan``); so is a report with no location (``no_location``). A typed
address without a pin is looked up by the geocoder where one is configured; otherwise the
citizen chooses the region, and the report stands at the region's representative point,
marked as approximate (``location_is_approximate`` and a history entry).

Publication: at once (the default), or after a moderator's look when ``CIVIC_PREMODERATION``
is on. The answer date is counted at publication, in working days of Kazakhstan's calendar.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from jospar.civic import geocoding
from jospar.civic.events import EventKind
from jospar.civic.figure_counts import figures_added
from jospar.civic.media import CheckedMedia, StoredFiles, check_and_store, check_uploads
from jospar.civic.models import (
    CitizenReport,
    Follow,
    Open311Client,
    QuestionType,
    ReportEvent,
    ReportSource,
    ReportState,
    Topic,
    TopicQuestion,
    TopicRoute,
)
from jospar.civic.notify import notify_area_followers, notify_followers
from jospar.civic.privacy import mask_personal_data
from jospar.civic.services._common import (
    DESCRIPTION_MAX_CHARS,
    DESCRIPTION_MIN_CHARS,
    audit,
    clean_text,
    now,
    require_confirmed,
    snapshot,
    write_event,
)
from jospar.core.calendar import add_working_days
from jospar.core.errors import PermissionRefused, ServiceError
from jospar.core.models import Organisation, Region, User
from jospar.core.selectors.directory import region_at

STRING_MAX_CHARS = 500
TEXT_MAX_CHARS = 5000
ADDRESS_MAX_CHARS = 500


def premoderation() -> bool:
    return bool(getattr(settings, "CIVIC_PREMODERATION", False))


# --- location -------------------------------------------------------------------------------


def _location_error(code: str, message: str, field: str = "location") -> ServiceError:
    return ServiceError(code, message, {field: [message]})


def _no_location() -> ServiceError:
    return _location_error(
        "no_location",
        _(
            "Show where the problem is: put a pin on the map, or choose the region if you "
            "typed an address."
        ),
    )


def _coordinate(value: Any, low: float, high: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise _location_error(
            "invalid_location", _("The point on the map is not a valid coordinate.")
        ) from None
    if not math.isfinite(number) or not low <= number <= high:
        raise _location_error(
            "invalid_location", _("The point on the map is not a valid coordinate.")
        )
    return number


def _region_now(region: Region, day: dt.date) -> Region:
    if not region.existed_on(day):
        raise _location_error(
            "invalid_region",
            _("The region “%(region)s” no longer exists; choose today's region.")
            % {"region": region.name},
            "region",
        )
    return region


def locate(
    *,
    latitude: float | None,
    longitude: float | None,
    address: str,
    region: Region | None,
    day: dt.date,
) -> tuple[float, float, Region, bool]:
    """(latitude, longitude, region, approximate) — or a ``ServiceError``. Asks the geocoder,
    so it is called before the filing's transaction."""
    if latitude is not None or longitude is not None:
        if latitude is None or longitude is None:
            raise _location_error(
                "invalid_location", _("The point on the map is not a valid coordinate.")
            )
        lat = _coordinate(latitude, -90.0, 90.0)
        lon = _coordinate(longitude, -180.0, 180.0)
        found = region_at(lat, lon, day)
        if found is None:
            raise _location_error(
                "outside_kazakhstan",
                _(
                    "The point is outside Kazakhstan. Reports are about problems in "
                    "Kazakhstan: move the pin to where the problem is."
                ),
            )
        # The point decides; a region chosen as well is only a hint the pin overrides.
        return lat, lon, found, False
    if address.strip():
        point = geocoding.get_geocoder().geocode(address, region=region)
        if point is not None:
            found = region_at(point.latitude, point.longitude, day)
            if found is not None and (region is None or found.pk == region.pk):
                return point.latitude, point.longitude, found, False
    if region is not None:
        region = _region_now(region, day)
        centre = geocoding.region_point(region)
        if centre is None:
            raise _no_location()
        return centre.latitude, centre.longitude, region, True
    raise _no_location()


def akimat_of(region: Region) -> Organisation:
    akimat = Organisation.objects.filter(region=region, merged_into__isnull=True).first()
    if akimat is None:
        raise ServiceError(
            "no_akimat",
            _("No akimat is recorded for %(region)s yet; the report cannot be routed.")
            % {"region": region.name},
        )
    return akimat


def department_for(topic: Topic, region: Region) -> Organisation | None:
    route = TopicRoute.objects.filter(topic=topic, region=region).select_related("department")
    found = route.first()
    return found.department if found is not None else None


# --- survey ---------------------------------------------------------------------------------


def _choice_keys(question: TopicQuestion) -> set[str]:
    return {str(v.get("key")) for v in question.values or [] if isinstance(v, dict)}


def _answer(question: TopicQuestion, value: Any) -> Any:
    """The answer in its stored form, or ``ValueError`` with the message."""
    kind = question.datatype
    if kind in (QuestionType.STRING, QuestionType.TEXT):
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise ValueError(_("Write the answer as text."))
        text = str(value).strip()
        limit = STRING_MAX_CHARS if kind == QuestionType.STRING else TEXT_MAX_CHARS
        if kind == QuestionType.STRING and "\n" in text:
            raise ValueError(_("Write the answer on one line."))
        if len(text) > limit:
            raise ValueError(
                _("The answer may have at most %(limit)d characters.") % {"limit": limit}
            )
        return text
    if kind == QuestionType.NUMBER:
        if isinstance(value, bool):
            raise ValueError(_("Enter a number."))
        try:
            number = Decimal(str(value).strip().replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            raise ValueError(_("Enter a number.")) from None
        if not number.is_finite() or abs(number) > Decimal("1e12"):
            raise ValueError(_("Enter a number."))
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == QuestionType.DATETIME:
        text = str(value).strip()
        moment = parse_datetime(text) if "T" in text or " " in text else None
        if moment is not None:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            return moment.isoformat()
        try:
            day = parse_date(text)
        except ValueError:
            day = None
        if day is None:
            raise ValueError(_("Enter a date (YYYY-MM-DD) or a date and time."))
        return day.isoformat()
    if kind == QuestionType.SINGLE:
        key = str(value).strip()
        if key not in _choice_keys(question):
            raise ValueError(_("Choose one of the answers offered."))
        return key
    if kind == QuestionType.MULTI:
        values = value if isinstance(value, list | tuple) else [value]
        keys = [str(v).strip() for v in values if str(v).strip()]
        allowed = _choice_keys(question)
        if any(key not in allowed for key in keys):
            raise ValueError(_("Choose among the answers offered."))
        return list(dict.fromkeys(keys))
    raise ValueError(_("This question cannot be answered."))


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | tuple) and not value)


def validate_survey(topic: Topic, survey: dict[str, Any] | None) -> dict[str, Any]:
    """The answers checked against the topic's questions, by each question's datatype."""
    survey = dict(survey or {})
    questions = {q.code: q for q in topic.questions.all()}
    problems: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for code in survey:
        if code not in questions:
            problems[f"survey.{code}"] = [_("This question is not asked for this topic.")]
    for code, question in questions.items():
        value = survey.get(code)
        if _empty(value):
            if question.required:
                problems[f"survey.{code}"] = [_("Answer this question.")]
            continue
        try:
            clean[code] = _answer(question, value)
        except ValueError as exc:
            problems[f"survey.{code}"] = [str(exc)]
    if problems:
        raise ServiceError(
            "survey_invalid", _("Some answers of the survey need correcting."), problems
        )
    return clean


# --- contact (an Open311 client's citizen without an account) -------------------------------


def _contact(contact: dict[str, str] | None) -> dict[str, str]:
    contact = dict(contact or {})
    name = str(contact.get("name") or "").strip()
    if not name:
        name = " ".join(
            str(contact.get(part) or "").strip() for part in ("first_name", "last_name")
        ).strip()
    email = str(contact.get("email") or "").strip()
    phone = str(contact.get("phone") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            message = _("Enter a valid e-mail address.")
            raise ServiceError("invalid_contact", message, {"email": [message]}) from None
    return {"contact_name": name[:200], "contact_email": email[:254], "contact_phone": phone[:50]}


# --- the service ----------------------------------------------------------------------------


def _who(actor: User | None, api_client: Open311Client | None) -> User | None:
    if actor is not None and actor.is_authenticated:
        return require_confirmed(actor)
    if api_client is None:
        raise PermissionRefused("login_required", _("Log in to file a report."))
    return None


def report_file(
    *,
    actor: User | None,
    topic: Topic,
    description: str,
    latitude: float | None,
    longitude: float | None,
    address: str = "",
    region: Region | None = None,
    is_anonymous: bool = False,
    survey: dict[str, Any] | None = None,
    media: Sequence[Any] = (),
    source: str = "web",
    api_client: Open311Client | None = None,
    contact: dict[str, str] | None = None,
) -> CitizenReport:
    """File a report («өтінім»). Published at once unless premoderation is on.

    ``actor`` is the signed-in citizen (confirmed e-mail), or ``None`` for an Open311 client's
    request made without an account, which then carries ``contact``."""
    author = _who(actor, api_client)
    if api_client is not None and api_client.revoked_at is not None:
        raise PermissionRefused("client_revoked", _("This application's key has been revoked."))
    if not topic.is_active:
        message = _("This topic is no longer offered; choose another.")
        raise ServiceError("topic_inactive", message, {"topic": [message]})
    text = clean_text(
        description,
        field="description",
        min_chars=DESCRIPTION_MIN_CHARS,
        max_chars=DESCRIPTION_MAX_CHARS,
        code="description_required",
        required_message=_("Describe the problem in at least %(n)d characters.")
        % {"n": DESCRIPTION_MIN_CHARS},
    )
    address = str(address or "").strip()[:ADDRESS_MAX_CHARS]
    day = timezone.localdate()
    answers = validate_survey(topic, survey)
    people = _contact(contact) if author is None else {}
    lat, lon, where, approximate = locate(
        latitude=latitude, longitude=longitude, address=address, region=region, day=day
    )
    akimat = akimat_of(where)
    checked: list[CheckedMedia] = check_uploads(list(media))
    if source not in ReportSource.values:
        source = ReportSource.OPEN311 if api_client is not None else ReportSource.WEB
    if api_client is not None:
        source = ReportSource.OPEN311

    stored = StoredFiles()
    try:
        with transaction.atomic():
            at = now()
            report = CitizenReport.objects.create(
                topic=topic,
                description=text,
                public_description=mask_personal_data(text),
                latitude=lat,
                longitude=lon,
                address=address,
                location_is_approximate=approximate,
                region=where,
                akimat=akimat,
                department=department_for(topic, where),
                author=author,
                is_anonymous=bool(is_anonymous),
                survey=answers,
                source=source,
                api_client=api_client,
                state=ReportState.SUBMITTED,
                submitted_at=at,
                updated_at=at,
                **people,
            )
            write_event(
                report,
                actor=author,
                kind=EventKind.SUBMITTED,
                to_state=ReportState.SUBMITTED,
                at=at,
            )
            if approximate:
                write_event(
                    report,
                    actor=author,
                    kind=EventKind.LOCATION_APPROXIMATE,
                    public_note=_(
                        "No point was put on the map: the report stands at the centre of "
                        "%(region)s. Address given: %(address)s"
                    )
                    % {"region": where.name, "address": address or "—"},
                    at=at,
                )
            check_and_store(report=report, checked=checked, uploaded_by=author, stored=stored)
            if author is not None:
                Follow.objects.get_or_create(user=author, report=report)
            audit(
                actor=author,
                action="report.filed",
                report=report,
                before=None,
                after={
                    **snapshot(report),
                    "topic": topic.code,
                    "region": where.code,
                    "akimat_id": akimat.pk,
                    "approximate": approximate,
                    "media": len(checked),
                    "source": source,
                    "api_client_id": api_client.pk if api_client else None,
                },
            )
            if not premoderation():
                publish(report, actor=author, at=at, automatic=True)
            figures_added(report.pk)
    except BaseException:
        stored.remove_all()
        raise
    return report


def response_due_on(topic: Topic, published: dt.datetime) -> dt.date:
    return add_working_days(timezone.localdate(published), topic.response_working_days)


def publish(
    report: CitizenReport, *, actor: User | None, at: dt.datetime, automatic: bool = False
) -> ReportEvent:
    """Make a submitted report public (inside the caller's transaction, report locked); its
    followers and the followers of its area are told."""
    before = snapshot(report)
    report.state = ReportState.PUBLISHED
    report.held = False
    report.published_at = at
    report.response_due_on = response_due_on(report.topic, at)
    report.updated_at = at
    report.save(update_fields=["state", "held", "published_at", "response_due_on", "updated_at"])
    event = write_event(
        report,
        actor=actor,
        kind=EventKind.PUBLISHED,
        from_state=ReportState.SUBMITTED,
        to_state=ReportState.PUBLISHED,
        at=at,
    )
    audit(
        actor=actor,
        action="report.published",
        report=report,
        before=before,
        after={**snapshot(report), "response_due_on": report.response_due_on.isoformat()},
        reason=_("Published at once (no premoderation)") if automatic else "",
    )
    notify_followers(report=report, event=event, actor=actor)
    notify_area_followers(report=report, event=event)
    return event
