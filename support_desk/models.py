"""Rows of the desk as a whole, not of one app: background tasks that failed for good."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ParkedTask(models.Model):
    """A background task that will not run again by itself: a dead letter for supervisors.

    Written when a task's worker process died on every delivery (a crash,
    the kernel's OOM killer) or when it raised after its last retry. The
    message is acknowledged, so the broker never hands it out again; a
    supervisor may send it again from the admin.
    """

    task_name = models.CharField(_("task"), max_length=200)
    task_id = models.CharField(_("task id"), max_length=64, unique=True)
    kwargs = models.JSONField(_("arguments"), default=dict, blank=True)
    tries = models.PositiveIntegerField(
        _("tries"), help_text=_("How many times a worker started it.")
    )
    error = models.CharField(_("error"), max_length=500, blank=True)
    parked_at = models.DateTimeField(_("parked at"), db_index=True)
    resent_at = models.DateTimeField(_("sent again at"), null=True, blank=True)

    class Meta:
        verbose_name = _("parked task")
        verbose_name_plural = _("parked tasks")
        ordering = ("-parked_at", "-id")

    def __str__(self) -> str:
        return f"{self.task_name}[{self.task_id}]"
