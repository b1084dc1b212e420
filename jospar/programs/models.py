"""State programs as a tree: program → sub-program → base project → project → key event.

A program is read from its official text (`jospar.planparser.program`) and then kept and edited
as this tree. Nodes keep their identity across re-imports of a corrected text (matched by kind and
folded name within their parent), because tasks, people and indicator values will point at them;
a node the new text no longer has leaves force, it is never deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jospar.core.models import Lang, Organisation, Region, pick_lang
from jospar.programs.roles import ProjectRole


class Program(models.Model):
    title_kk = models.TextField(_("title (Kazakh)"), blank=True)
    title_ru = models.TextField(_("title (Russian)"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("state program")
        verbose_name_plural = _("state programs")

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"

    @property
    def title(self) -> str:
        return pick_lang(self, "title")


class ProgramStage(models.Model):
    """A stage of the program as its text states it ("Бірінші кезеңде (2017-2022 жылдары)")."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="stages", verbose_name=_("program")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))

    class Meta:
        ordering = ["program", "position"]
        verbose_name = _("program stage")
        verbose_name_plural = _("program stages")
        constraints = [
            models.UniqueConstraint(fields=["program", "position"], name="program_stage_position"),
            models.CheckConstraint(
                condition=models.Q(start_year__lte=models.F("end_year")), name="program_stage_years"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start_year}–{self.end_year}"


class ProgramRevision(models.Model):
    """One imported text of one language version; a changed text is a new revision."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("program")
    )
    lang = models.CharField(_("language"), max_length=2, choices=Lang.choices)
    number = models.PositiveIntegerField(_("revision"))
    source_filename = models.CharField(_("file"), max_length=255)
    source_sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64, db_index=True)
    source_text = models.TextField(_("source text"))
    parsed = models.JSONField(_("parsed program"))
    corrections = models.JSONField(_("corrections"), default=list, blank=True)
    changes = models.JSONField(_("changes from the previous revision"), default=list, blank=True)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )

    class Meta:
        ordering = ["program", "number"]
        verbose_name = _("program revision")
        verbose_name_plural = _("program revisions")
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="program_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.program_id} r{self.number} ({self.lang})"


class NodeKind(models.TextChoices):
    SUBPROGRAM = "subprogram", _("Sub-program")
    BASE_PROJECT = "base_project", _("Base project")
    DIRECTION = "direction", _("Direction")
    PROJECT = "project", _("Project")
    KEY_EVENT = "key_event", _("Key event")


class Phase(models.TextChoices):
    """The life-cycle phase of ISO 21500 (ҚР СТ ISO 21500-2014), as `002_*` prescribes."""

    INITIATING = "initiating", _("Initiating")
    PLANNING = "planning", _("Planning")
    IMPLEMENTING = "implementing", _("Implementing")
    CONTROLLING = "controlling", _("Controlling")
    CLOSING = "closing", _("Closing")


# Which kind of node may stand under which (None: directly under the program).
ALLOWED_PARENTS: dict[str, tuple[str | None, ...]] = {
    NodeKind.SUBPROGRAM: (None,),
    NodeKind.BASE_PROJECT: (NodeKind.SUBPROGRAM,),
    NodeKind.DIRECTION: (NodeKind.SUBPROGRAM,),
    NodeKind.PROJECT: (NodeKind.BASE_PROJECT, NodeKind.DIRECTION, NodeKind.SUBPROGRAM),
    NodeKind.KEY_EVENT: (NodeKind.SUBPROGRAM, NodeKind.BASE_PROJECT, NodeKind.PROJECT),
}


# The nodes a project task is issued on (a key event is put on control, not given tasks).
TASK_NODES: tuple[str, ...] = (
    NodeKind.SUBPROGRAM,
    NodeKind.BASE_PROJECT,
    NodeKind.DIRECTION,
    NodeKind.PROJECT,
)


class ProgramNode(models.Model):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="nodes", verbose_name=_("program")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NodeKind.choices)
    position = models.PositiveIntegerField(_("position"))
    printed_number = models.CharField(_("number as printed"), max_length=16, blank=True)
    name_kk = models.TextField(_("name (Kazakh)"), blank=True)
    name_ru = models.TextField(_("name (Russian)"), blank=True)
    # The node's texts by language: summary, description, purpose, goals, tasks, methods,
    # target group, direction activities, other sections — as the reader gives them.
    content_kk = models.JSONField(_("content (Kazakh)"), default=dict, blank=True)
    content_ru = models.JSONField(_("content (Russian)"), default=dict, blank=True)
    # Co-executing bodies as printed ("ЖАО", "МАМині"), by language; resolved ones below.
    co_executor_codes = models.JSONField(_("co-executors as printed"), default=list, blank=True)
    co_executors = models.ManyToManyField(
        Organisation, blank=True, related_name="program_nodes", verbose_name=_("co-executors")
    )
    phase = models.CharField(
        _("life-cycle phase"), max_length=16, choices=Phase.choices, default=Phase.INITIATING
    )
    start_year = models.PositiveSmallIntegerField(_("first year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    deadline_text = models.CharField(_("deadline as printed"), max_length=200, blank=True)
    due_on = models.DateField(_("date"), null=True, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    # Read from the program's text (a re-import may retire it) or added by a person (it may not).
    from_text = models.BooleanField(_("read from the text"), default=False)
    in_force = models.BooleanField(_("in force"), default=True)

    class Meta:
        ordering = ["program", "parent_id", "position", "id"]
        verbose_name = _("program node")
        verbose_name_plural = _("program nodes")
        indexes = [models.Index(fields=["program", "parent", "position"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_lang(self, "name")

    def content(self, lang: str) -> dict[str, object]:
        value = getattr(self, f"content_{lang}", None) or {}
        return value if isinstance(value, dict) else {}


class IndicatorKind(models.TextChoices):
    TARGET = "target", _("Target indicator")
    OUTCOME = "outcome", _("Outcome indicator")


class IndicatorDirection(models.TextChoices):
    INCREASE = "increase", _("Higher is better")
    DECREASE = "decrease", _("Lower is better")


class NodeIndicator(models.Model):
    """An indicator as the program's text states it, on its node (the indicators app measures)."""

    node = models.ForeignKey(
        ProgramNode, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("node")
    )
    position = models.PositiveIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=8, choices=IndicatorKind.choices)
    text_kk = models.TextField(_("text (Kazakh)"), blank=True)
    text_ru = models.TextField(_("text (Russian)"), blank=True)
    target_value = models.DecimalField(
        _("target value"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    target_unit = models.CharField(_("unit"), max_length=32, blank=True)
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    direction = models.CharField(
        _("which way is better"), max_length=8, choices=IndicatorDirection.choices, blank=True
    )
    in_force = models.BooleanField(_("in force"), default=True)

    class Meta:
        ordering = ["node", "position", "id"]
        verbose_name = _("indicator of a program node")
        verbose_name_plural = _("indicators of program nodes")

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return pick_lang(self, "text")


class ProgramUploadStatus(models.TextChoices):
    DRAFT = "draft", _("Being checked")
    SAVED = "saved", _("Saved")
    DISCARDED = "discarded", _("Discarded")


class ProgramUpload(models.Model):
    """A program's text read but not yet saved: a person checks the tree and corrects it."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    filename = models.CharField(_("file"), max_length=255)
    source_text = models.TextField(_("source text"))
    lang = models.CharField(_("language"), max_length=2, choices=Lang.choices)
    target_program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("add to program"),
    )
    parsed = models.JSONField(_("read program"))
    corrections = models.JSONField(_("corrections"), default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProgramUploadStatus.choices,
        default=ProgramUploadStatus.DRAFT,
    )
    saved_program = models.ForeignKey(
        Program,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved as"),
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("program upload")
        verbose_name_plural = _("program uploads")

    def __str__(self) -> str:
        return self.filename


class ProgramRole(models.Model):
    """A person given one of the sixteen roles of Appendix 2 on a node of the tree (none: the
    whole program), and for the regional roles in one region. What the role may do:
    `jospar.programs.roles`; who may do what where: `jospar.programs.policy`."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="roles", verbose_name=_("program")
    )
    node = models.ForeignKey(
        ProgramNode,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("node"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="program_roles",
        verbose_name=_("person"),
    )
    role = models.CharField(_("project role"), max_length=32, choices=ProjectRole.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    in_force = models.BooleanField(_("in force"), default=True)

    class Meta:
        ordering = ["program", "node_id", "role", "id"]
        verbose_name = _("project role")
        verbose_name_plural = _("project roles")
        # One person holds a role on a node (and region) once: checked by `program_role_assign`
        # (a unique constraint over nullable columns would not hold on every database).
        indexes = [models.Index(fields=["user", "program", "in_force"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


from jospar.programs.models_office import (  # noqa: E402
    BoardCard as BoardCard,
)
from jospar.programs.models_office import (  # noqa: E402
    DeclaredStatus as DeclaredStatus,
)
from jospar.programs.models_office import (  # noqa: E402
    NodeStatus as NodeStatus,
)
from jospar.programs.models_office import (  # noqa: E402
    Risk as Risk,
)
from jospar.programs.models_office import (  # noqa: E402
    StatusReport as StatusReport,
)
from jospar.programs.models_office import (  # noqa: E402
    StatusReportReview as StatusReportReview,
)
from jospar.programs.models_office import (  # noqa: E402
    StatusSchedule as StatusSchedule,
)
from jospar.programs.models_tasks import (  # noqa: E402
    ProjectTask as ProjectTask,
)
from jospar.programs.models_tasks import (  # noqa: E402
    ProjectTaskAddressee as ProjectTaskAddressee,
)
from jospar.programs.models_tasks import (  # noqa: E402
    ProjectTaskKind as ProjectTaskKind,
)
