"""Obligations of a program's project tasks counted for its dashboard (`program_counts`)."""

from __future__ import annotations

from django.db import models


class ProgramCountGrain(models.TextChoices):
    # Per the task's node and the deadline's year: the tree's traffic lights.
    NODE = "n", "node"
    # Per sub-program and owing body, and the deadline's year.
    ORGANISATION = "o", "organisation"
    # Per sub-program and the task's region, and the deadline's year.
    REGION = "r", "region"
    # Per sub-program and the deadline's quarter: the trend.
    QUARTER = "q", "quarter"


class ProgramCount(models.Model):
    """How many obligations of a program's project tasks stand in one bucket, at one grain
    (see ``ProgramCountGrain``). Kept by the same services, in the same transaction and the same
    way as ``DisciplineCount`` (differences added; readers sum rows). Only facts are counted:
    whether a pending obligation is overdue is decided when read.

    ``period`` is, for pending obligations, the deadline's year (grains node, organisation and
    region; 0 for the other buckets, which do not depend on the date), and for every bucket of
    the grain quarter the deadline's quarter numbered year × 4 + (quarter − 1). ``bucket``:
    1 reported on time (awaiting review or accepted), 2 reported late, 5 pending (nothing
    standing reported)."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    grain = models.CharField(max_length=1, choices=ProgramCountGrain.choices)
    # The task's node (grain node) or its sub-program (the others; None above any).
    node = models.ForeignKey(
        "programs.ProgramNode",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    kind = models.CharField(max_length=16)
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    region = models.ForeignKey(
        "core.Region", on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    period = models.IntegerField()
    bucket = models.PositiveSmallIntegerField()
    obligations = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["program", "grain"],
                include=[
                    "node",
                    "kind",
                    "organisation",
                    "region",
                    "period",
                    "bucket",
                    "obligations",
                ],
                name="control_pc_program_grain",
            )
        ]

    def __str__(self) -> str:
        return f"{self.program_id}/{self.grain}/{self.node_id} {self.period} b{self.bucket}"
