"""One row per run of a scheduled job and due slot: the lock that makes a slot run once, and the record of how
it went (docs/adr/0017-task-queue.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledRunStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ScheduledRun(models.Model):
    job = models.CharField(_("job"), max_length=100, help_text=_("The key of the job in the schedule."))
    slot = models.DateTimeField(_("due at"), help_text=_("The due moment this run is for."))
    status = models.CharField(_("status"), max_length=10, choices=ScheduledRunStatus.choices,
                              default=ScheduledRunStatus.QUEUED)
    message = models.TextField(_("result"), blank=True,
                               help_text=_("The job's summary, or the error when it failed."))
    task_id = models.CharField(_("task"), max_length=64, blank=True,
                               help_text=_("The id of the queued task that carries out this run."))
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-slot", "job"]
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="scheduled_run_once_per_slot")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M}"
