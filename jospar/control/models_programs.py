"""Obligations of a program's project tasks counted for its dashboard (`program_counts`)."""

from __future__ import annotations

from django.db import models


class ProgramCountGrain(models.TextChoices):
    # Per node, each obligation on its task's node and on every node above it (a row is its
    # node's whole subtree): the tree's traffic lights, read for the shown nodes only.
    NODE = "n", "node with its subtree"
    # Per sub-program and owing body.
    ORGANISATION = "o", "organisation"
    # Per sub-program and the task's region.
    REGION = "r", "region"
    # Per sub-program and the deadline's month, every bucket: the trend by quarter.
    MONTH = "m", "month"


class ProgramCount(models.Model):
    """How many obligations of a program's project tasks stand in one bucket, at one grain
    (see ``ProgramCountGrain``). Kept by the same services, in the same transaction and the same
    way as ``DisciplineCount`` (differences added; readers sum rows). Only facts are counted:
    whether a pending obligation is overdue is decided when read.

    ``period`` is, for pending obligations, the deadline's month numbered year × 12 +
    (month − 1) (grains node, organisation and region; 0 for the other buckets, which do not
    depend on the date), and for every bucket of the grain month the deadline's month. ``bucket``:
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
            ),
            # The node grain read for the few nodes a dashboard shows.
            models.Index(
                fields=["program", "grain", "node"],
                include=["kind", "period", "bucket", "obligations"],
                name="control_pc_node",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program_id}/{self.grain}/{self.node_id} {self.period} b{self.bucket}"
