"""Report runs: one request to make a council report (midterm evaluation or annual progress report) of one
area, in one format, and the file it produced.

A run belongs to one municipality (NULL: a report of the base team as a whole) and is read only through
`ReportRun.objects.for_user(user)`. It is internal working data: nothing here is public, and partners do not
see it. The made file is kept in the database (`content`), so a database backup contains every report; see
docs/adr/0006-report-runs.md. List queries never load `content` (`.defer("content")`, see selectors).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ivp.core.tenancy import MunicipalityOwned


class ReportKind(models.TextChoices):
    """The kinds of `ivp.reports.api.KINDS`, with their labels."""

    MIDTERM = "midterm", _("Midterm evaluation")
    ANNUAL = "annual", _("Annual progress report")
    LETTER = "letter", _("Council information letter")


class ReportFormat(models.TextChoices):
    """The formats of `ivp.reports.api.FORMATS`, with their labels."""

    HTML = "html", _("web page (HTML)")
    PDF = "pdf", _("PDF")
    DOCX = "docx", _("Word (docx)")


class ReportRunStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


OPEN_STATUSES = (ReportRunStatus.QUEUED, ReportRunStatus.RUNNING)


def stale_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """A running run started before this moment was interrupted."""
    return (now or timezone.now()) - dt.timedelta(minutes=settings.IVP_REPORT_STALE_MINUTES)


class ReportRun(MunicipalityOwned):
    municipality = models.ForeignKey(
        "core.Organisation", verbose_name=_("municipality"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="report_runs", help_text=_("Empty: a report of the base team as a whole."),
    )
    area_code = models.CharField(_("area"), max_length=20, help_text=_("CBS code of the municipality, or basisteam."))
    kind = models.CharField(_("kind of report"), max_length=20, choices=ReportKind.choices)
    period = models.CharField(_("period"), max_length=20)
    fmt = models.CharField(_("format"), max_length=10, choices=ReportFormat.choices)
    status = models.CharField(_("status"), max_length=10, choices=ReportRunStatus.choices,
                              default=ReportRunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("current step"), max_length=200, blank=True)
    error = models.CharField(_("error message"), max_length=500, blank=True,
                             help_text=_("What the user sees when the run failed; never technical details."))
    content = models.BinaryField(_("file"), null=True, blank=True, editable=False)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    as_of = models.DateField(_("as of"), null=True, blank=True,
                             help_text=_("The report's as-of date (peildatum); empty: the end of its period."))
    council_report = models.ForeignKey(
        "reports.CouncilReport", verbose_name=_("report version"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="runs", help_text=_("The draft whose conclusions and as-of date the run used."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("made by"), on_delete=models.PROTECT,
                                   related_name="report_runs")
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        indexes = [models.Index(fields=["municipality", "-created_at"], name="report_run_area_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="report_run_progress_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period} ({self.area_code}, {self.fmt})"

    # --- what the user sees ---------------------------------------------------------------------------

    @property
    def is_interrupted(self) -> bool:
        """Running for longer than IVP_REPORT_STALE_MINUTES: the worker that ran it stopped (a crash, a kill).
        It shows as failed; the user can request it again. A queued run is not interrupted: its task is in the
        database and waits for `ivp worker` (ADR 0017)."""
        if self.status != ReportRunStatus.RUNNING:
            return False
        since = self.started_at or self.created_at
        return since is not None and since < stale_cutoff()

    @property
    def is_waiting_long(self) -> bool:
        """Queued for longer than IVP_REPORT_STALE_MINUTES: no worker has taken it (is `ivp worker` running?)."""
        return (self.status == ReportRunStatus.QUEUED and self.created_at is not None
                and self.created_at < stale_cutoff())

    @property
    def shown_status(self) -> str:
        return ReportRunStatus.FAILED if self.is_interrupted else self.status

    @property
    def shown_status_label(self) -> str:
        return ReportRunStatus(self.shown_status).label

    @property
    def shown_error(self) -> str:
        if self.is_interrupted:
            return str(_("The report was interrupted (for example by a restart of the server). "
                         "Please request it again."))
        return self.error

    @property
    def is_open(self) -> bool:
        """Still queued or running (and not interrupted): the page keeps polling."""
        return self.shown_status in OPEN_STATUSES

    @property
    def is_done(self) -> bool:
        return self.status == ReportRunStatus.DONE


# --- Council reports: conclusions, approval by the college, frozen files ------------------------------------------


class CouncilReportStatus(models.TextChoices):
    CONCEPT = "concept", _("draft")
    ADOPTED = "vastgesteld", _("adopted by the college")
    PRESENTED = "aangeboden", _("presented to the council")


FROZEN_STATUSES = (CouncilReportStatus.ADOPTED, CouncilReportStatus.PRESENTED)
COUNCIL_REPORT_KINDS = (ReportKind.MIDTERM, ReportKind.ANNUAL)


class CouncilReport(MunicipalityOwned):
    """One version of a council report (midterm evaluation or annual progress report) of an area and period: its
    as-of date, the conclusions and recommendations of the college (overall and per theme) and its way through the
    planning-and-control cycle: draft -> adopted by the college (date, decision) -> presented to the council (date).

    A draft is edited in place (optimistic locking on `version`). Adoption renders the report and its council
    information letter in every format once and keeps the files (`CouncilReportFile`, with SHA-256); from then on
    the files are served as they are and never made again. A change after adoption is a new draft with the next
    `number`. See docs/adr/0013-report-approval-and-peildatum.md."""

    municipality = models.ForeignKey(
        "core.Organisation", verbose_name=_("municipality"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="council_reports", help_text=_("Empty: a report of the base team as a whole."))
    area_code = models.CharField(_("area"), max_length=20)
    kind = models.CharField(_("kind of report"), max_length=20, choices=ReportKind.choices)
    period = models.CharField(_("period"), max_length=20)
    number = models.PositiveIntegerField(_("report version"), default=1)
    as_of = models.DateField(_("as of"), help_text=_("The date the report describes (peildatum)."))
    status = models.CharField(_("status"), max_length=20, choices=CouncilReportStatus.choices,
                              default=CouncilReportStatus.CONCEPT)
    conclusions = models.TextField(_("conclusions and recommendations"), blank=True)
    theme_conclusions = models.JSONField(_("conclusions per theme"), default=dict, blank=True,
                                         help_text=_("Per theme code of the plan: the text."))
    adopted_on = models.DateField(_("adopted by the college on"), null=True, blank=True)
    decision_reference = models.CharField(_("college decision reference"), max_length=200, blank=True)
    presented_on = models.DateField(_("presented to the council on"), null=True, blank=True)
    # Optimistic locking: every saved edit increments it; a save based on an older version is refused.
    version = models.PositiveIntegerField(_("edit version"), default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT,
                                   related_name="council_reports")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["area_code", "kind", "period", "-number"]
        verbose_name = _("council report")
        verbose_name_plural = _("council reports")
        constraints = [
            models.UniqueConstraint(fields=["area_code", "kind", "period", "number"],
                                    name="unique_council_report_version"),
            models.UniqueConstraint(fields=["area_code", "kind", "period"],
                                    condition=models.Q(status="concept"), name="one_draft_per_council_report"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period} ({self.area_code}), {self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_STATUSES

    @property
    def is_concept(self) -> bool:
        return self.status == CouncilReportStatus.CONCEPT


class FileVariant(models.TextChoices):
    REPORT = "report", _("report")
    LETTER = "letter", _("council information letter")


class FrozenFileError(Exception):
    """Raised on any attempt to change or remove a kept file of an adopted report."""


class CouncilReportFileQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise FrozenFileError("the files of an adopted report cannot be changed")

    def delete(self):
        raise FrozenFileError("the files of an adopted report cannot be deleted")


class CouncilReportFile(models.Model):
    """A file of an adopted report, made once at adoption and served byte for byte ever after (also guarded by a
    database trigger: never updated, on PostgreSQL never deleted)."""

    report = models.ForeignKey(CouncilReport, verbose_name=_("council report"), on_delete=models.PROTECT,
                               related_name="files")
    variant = models.CharField(_("document"), max_length=10, choices=FileVariant.choices)
    fmt = models.CharField(_("format"), max_length=10, choices=ReportFormat.choices)
    content = models.BinaryField(_("file"), editable=False)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("made"), auto_now_add=True)

    objects = CouncilReportFileQuerySet.as_manager()

    class Meta:
        ordering = ["report", "variant", "fmt"]
        verbose_name = _("file of an adopted report")
        verbose_name_plural = _("files of adopted reports")
        constraints = [models.UniqueConstraint(fields=["report", "variant", "fmt"], name="unique_council_report_file")]

    def __str__(self) -> str:
        return self.filename

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise FrozenFileError("the files of an adopted report cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenFileError("the files of an adopted report cannot be deleted")
