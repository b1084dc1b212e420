"""The directory (organisations, regions), users and their roles, and the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Lang(models.TextChoices):
    KK = "kk", _("Kazakh")
    RU = "ru", _("Russian")
    EN = "en", _("English")


def pick_lang(obj: Any, field: str, lang: str | None = None) -> str:
    """The value of ``<field>_<lang>``, falling back Kazakh → Russian → English."""
    lang = (lang or translation.get_language() or "kk")[:2]
    order = [lang] + [code for code in ("kk", "ru", "en") if code != lang]
    for code in order:
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""


class _FormerName:
    """A former name stored as JSON, read like a model's ``name_<lang>`` fields."""

    def __init__(self, data: dict[str, Any]) -> None:
        for lang in ("kk", "ru", "en"):
            setattr(self, f"name_{lang}", str(data.get(f"name_{lang}", "")))


class RegionKind(models.TextChoices):
    OBLAST = "oblast", _("Oblast")
    CITY = "city", _("City of republican significance")


class RegionQuerySet(models.QuerySet["Region"]):
    def with_boundary(self) -> RegionQuerySet:
        """The regions with their boundary loaded in the same query (maps, point lookups)."""
        return self.select_related("boundary_row")


RegionManager = models.Manager.from_queryset(RegionQuerySet)


class Region(models.Model):
    """A first-level unit of Kazakhstan, with the dates it existed under this identity."""

    code = models.SlugField(_("code"), max_length=16, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=RegionKind.choices)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    valid_from = models.DateField(_("exists from"), null=True, blank=True)
    valid_to = models.DateField(_("exists until"), null=True, blank=True)
    predecessors = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="successors",
        blank=True,
        verbose_name=_("formed from"),
    )
    bbox = models.JSONField(_("bounding box"), null=True, blank=True)
    # Kept with the boundary it is computed from (``regions_load``): choosing which successor
    # continues a region needs the territories, not the 150 KB of shapes.
    area_km2 = models.FloatField(_("area, km²"), null=True, blank=True)
    boundary_source = models.CharField(_("boundary source"), max_length=200, blank=True)
    # Names the same region bore before, so that a plan of those years is still recognised:
    # [{"name_kk", "name_ru", "name_en", "valid_from", "valid_to"}] (dates ISO 8601).
    former_names = models.JSONField(_("former names"), default=list, blank=True)
    # Resident population on a date (jospar.core.population): the weight of the region's figures.
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_on = models.DateField(_("population on"), null=True, blank=True)

    objects = RegionManager()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_lang(self, "name")

    @property
    def former_names_display(self) -> str:
        """ "Nur-Sultan (2019-03-23 – 2022-09-17)", in the reader's language where given."""
        parts = []
        for former in self.former_names or []:
            if not isinstance(former, dict):
                continue
            name = pick_lang(_FormerName(former), "name")
            start, end = former.get("valid_from") or "…", former.get("valid_to") or "…"
            parts.append(f"{name} ({start} – {end})")
        return "; ".join(parts)

    def existed_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def boundary(self) -> dict[str, Any] | None:
        """The region's GeoJSON geometry, or None: loaded with the region by
        ``Region.objects.with_boundary()``, else read by a query of its own."""
        try:
            row = self.boundary_row
        except RegionBoundary.DoesNotExist:
            return None
        geometry: dict[str, Any] = row.geometry
        return geometry


class RegionBoundary(models.Model):
    """A region's boundary, in a table of its own: it is the bulk of a region (about 10 KB of
    GeoJSON for an oblast, decoded on every load) and only maps and point lookups read it, so
    no list that names a region, or joins one with ``select_related``, ever loads it."""

    region = models.OneToOneField(
        Region,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="boundary_row",
        verbose_name=_("region"),
    )
    # GeoJSON geometry (Polygon or MultiPolygon, WGS 84), simplified for display and lookup.
    geometry = models.JSONField(_("boundary"))

    class Meta:
        verbose_name = _("region's boundary")
        verbose_name_plural = _("regions' boundaries")

    def __str__(self) -> str:
        return str(self.region_id)


class OrganisationKind(models.TextChoices):
    PRESIDENTIAL = "presidential", _("Presidential Administration and its bodies")
    MINISTRY = "ministry", _("Ministry")
    AGENCY = "agency", _("Agency or committee")
    COURT = "court", _("Court")
    AKIMAT = "akimat", _("Akimat")
    STATE_INSTITUTION = "state_institution", _("State institution")
    COMPANY = "company", _("Company")
    NGO = "ngo", _("Non-governmental organisation")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    """A body of the directory, as one identity over the dates it existed under that identity.

    Renames, mergers and splits are links between organisations (``Succession``), entered by a
    person: no document imported so far states them, and the directory invents no history.
    """

    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=500, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=500, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=500, blank=True)
    abbr_kk = models.CharField(_("abbreviation (Kazakh)"), max_length=64, blank=True)
    abbr_ru = models.CharField(_("abbreviation (Russian)"), max_length=64, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    region = models.OneToOneField(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="akimat",
        verbose_name=_("region (for an akimat)"),
    )
    valid_from = models.DateField(_("exists from"), null=True, blank=True)
    valid_to = models.DateField(_("exists until"), null=True, blank=True)
    # Set when an administrator merges a duplicate into another record; the duplicate stays so
    # that history pointing at it still resolves.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_duplicates",
        verbose_name=_("merged into"),
    )
    # The person who answers for the body: told when it misses a deadline. Set by an
    # administrator (`organisation_head_set`); without one, users of the body holding the
    # "head" role are told instead.
    head = models.ForeignKey(
        "core.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_organisations",
        verbose_name=_("head"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name_ru", "name_kk"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        abbr = pick_lang(self, "abbr")
        name = pick_lang(self, "name")
        return f"{name} ({abbr})" if abbr and name else (name or abbr or f"#{self.pk}")

    @property
    def name(self) -> str:
        return pick_lang(self, "name")

    @property
    def abbr(self) -> str:
        return pick_lang(self, "abbr")


class OrganisationAlias(models.Model):
    """A way a document names a body: an abbreviation with its expansion, in one language.

    Each is evidence: the plan (or other source) that used it, and that source's date.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="aliases",
        verbose_name=_("organisation"),
    )
    lang = models.CharField(_("language"), max_length=2, choices=Lang.choices)
    code = models.CharField(_("abbreviation as printed"), max_length=200, blank=True)
    name = models.CharField(_("name as printed"), max_length=500, blank=True)
    # Code and name folded for matching (case, spaces, quotes, look-alike letters), kept so that
    # a match is one indexed query: SQLite folds the case of ASCII letters only.
    code_key = models.CharField(_("abbreviation key"), max_length=200, blank=True, editable=False)
    name_key = models.CharField(_("name key"), max_length=500, blank=True, editable=False)
    first_seen_on = models.DateField(_("first seen in a document dated"), null=True, blank=True)
    last_seen_on = models.DateField(_("last seen in a document dated"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("name in a document")
        verbose_name_plural = _("names in documents")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "lang", "code", "name"], name="uniq_org_alias"
            )
        ]
        indexes = [
            models.Index(fields=["lang", "code"]),
            models.Index(fields=["lang", "code_key"]),
            models.Index(fields=["lang", "name_key"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}" if self.code else self.name


class SuccessionKind(models.TextChoices):
    RENAMED = "renamed", _("Renamed")
    MERGED = "merged", _("Merged into")
    SPLIT = "split", _("Split into")
    FUNCTIONS = "functions", _("Functions transferred")


class Succession(models.Model):
    """One body's functions passed to another on a date, as a person recorded it."""

    predecessor = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="successions_out",
        verbose_name=_("predecessor"),
    )
    successor = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="successions_in",
        verbose_name=_("successor"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SuccessionKind.choices)
    on_date = models.DateField(_("date"), null=True, blank=True)
    basis = models.CharField(_("basis (act)"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        "core.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor", "kind"], name="uniq_succession"
            ),
            models.CheckConstraint(
                condition=~models.Q(predecessor=models.F("successor")), name="succession_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    CONTROLLER = "controller", _("Controller")
    EXECUTOR = "executor", _("Executor")
    OBSERVER = "observer", _("Observer")
    # Gives no access by itself: marks who is told when the organisation misses a deadline,
    # where the organisation has no head set.
    HEAD = "head", _("Head of organisation")
    # The citizen portal: an official of an akimat (or its department) who answers citizens'
    # reports; a moderator who hides abuse and holds reports before publication.
    CIVIC_OFFICIAL = "civic_official", _("Official answering citizens' reports")
    MODERATOR = "moderator", _("Moderator")


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisation"),
    )
    language = models.CharField(_("language"), max_length=2, choices=Lang.choices, default=Lang.KK)
    email_notifications = models.BooleanField(
        _("send notifications by e-mail"),
        default=True,
        help_text=_("Notifications always appear in the application; this adds an e-mail."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def has_role(self, role: Role | str) -> bool:
        if not self.is_active:
            return False
        roles = getattr(self, "_role_cache", None)
        if roles is None:
            roles = set(self.role_grants.values_list("role", flat=True))
            self._role_cache = roles
        return str(role) in roles

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.has_role(Role.ADMINISTRATOR)


class RoleGrant(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    granted_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="uniq_role_grant")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class AuditEvent(models.Model):
    """One change of state, written by the service that made it, in the same transaction.

    Rows are only ever inserted. Each row's hash covers its content and the previous row's
    hash, so that an edited or deleted row breaks the chain (``jospar audit-verify``).
    """

    occurred_at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    actor_label = models.CharField(_("who"), max_length=200)
    action = models.CharField(_("what"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class AuditChainHead(models.Model):
    """A single row locked while appending, so that concurrent writers extend one chain.
    ``seq`` counts the events in the chain: what the anchors outside the database record."""

    last_hash = models.CharField(_("last hash"), max_length=64)
    seq = models.PositiveBigIntegerField(_("events"), default=0)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return self.last_hash


class CalendarDay(models.Model):
    """A day that breaks the ordinary week: a public holiday or day off on a weekday, or a
    Saturday or Sunday made a working day by a transfer. Ordinary weekdays and weekends are not
    stored. Seeded from the `holidays` package; an administrator corrects any year."""

    day = models.DateField(_("date"), unique=True)
    is_working = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    source = models.CharField(
        _("source"),
        max_length=16,
        choices=[("holidays", _("holidays package")), ("admin", _("administrator"))],
    )
    changed_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("working-day calendar")

    def __str__(self) -> str:
        kind = _("working day") if self.is_working else _("day off")
        return f"{self.day:%d.%m.%Y} — {kind} {self.name}".strip()


# Notifications and periodic runs live in their own module, registered with this app here.
from jospar.core.models_notifications import Notification as Notification  # noqa: E402
from jospar.core.models_notifications import NotificationKind as NotificationKind  # noqa: E402
from jospar.core.models_notifications import ScheduledRun as ScheduledRun  # noqa: E402
from jospar.core.models_notifications import (  # noqa: E402
    ScheduledRunState as ScheduledRunState,
)
from jospar.core.models_outbox import OutboxTask as OutboxTask  # noqa: E402
from jospar.core.models_places import Place as Place  # noqa: E402
