"""Project tasks ("жобалық тапсырма", the form at the end of `002_*`): a manager's request to a
state body, or to an organisation "by agreement", to do named things by a date, and the key
events with a date that their owner must report. Each becomes an obligation of the control loop
(`jospar.control.services.project_tasks`); this app only keeps what was asked."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jospar.core.models import Lang, Organisation, Region


class ProjectTaskKind(models.TextChoices):
    TASK = "task", _("Project task")
    # A key event with a date: its owner reports that it took place, the manager accepts.
    KEY_EVENT = "key_event", _("Key event")


class ProjectTask(models.Model):
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="project_tasks",
        verbose_name=_("program"),
    )
    # Its place in the tree: a sub-program, base project, direction or project (or, for a key
    # event's tracking, the key event itself).
    node = models.ForeignKey(
        "programs.ProgramNode",
        on_delete=models.PROTECT,
        related_name="project_tasks",
        verbose_name=_("node"),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=ProjectTaskKind.choices, default=ProjectTaskKind.TASK
    )
    lang = models.CharField(_("language"), max_length=2, choices=Lang.choices, default=Lang.KK)
    # The region the task is for (an akimat's region, or the regional office's): where the
    # regional roles may act on it.
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    required_items = models.JSONField(_("what is required"), default=list)
    deadline = models.DateField(_("deadline"))
    contact = models.TextField(_("contact for information and discussion"), blank=True)
    prepared_by_name = models.CharField(_("prepared by"), max_length=300, blank=True)
    prepared_by_title = models.CharField(_("position of who prepared it"), max_length=300)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    in_force = models.BooleanField(_("in force"), default=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("project task")
        verbose_name_plural = _("project tasks")
        indexes = [models.Index(fields=["node", "deadline"])]

    def __str__(self) -> str:
        return f"№{self.pk} · {self.deadline:%d.%m.%Y}"

    @property
    def title(self) -> str:
        items = [str(i) for i in (self.required_items or []) if str(i).strip()]
        return items[0] if items else ""


class ProjectTaskAddressee(models.Model):
    """A body the task goes to, as written and as resolved against the directory; the first
    named leads, the others send it their input (like a plan's co-executors)."""

    task = models.ForeignKey(
        ProjectTask, on_delete=models.CASCADE, related_name="addressees", verbose_name=_("task")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("as written"), max_length=500)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="project_tasks",
        verbose_name=_("organisation"),
    )
    lead = models.BooleanField(_("lead executor"), default=False)
    by_agreement = models.BooleanField(_("by agreement"), default=False)

    class Meta:
        ordering = ["task", "position"]
        verbose_name = _("addressee of a project task")
        verbose_name_plural = _("addressees of project tasks")
        constraints = [
            models.UniqueConstraint(fields=["task", "organisation"], name="task_addressee_once")
        ]

    def __str__(self) -> str:
        return self.text
