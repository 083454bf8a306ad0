"""Execution (uitvoering) of the plan: the two-year execution plan of each municipality and of the
base team, its local adjustments of the shared themes, and the activities that carry it out.

An execution plan belongs to one plan version and one two-year period. It inherits every theme
of the shared plan; a `ThemeAdjustment` records where the municipality deviates (its own target,
or "not applicable here" with a reason). Activities serve themes or local priorities and at
least one focus lens; their status updates are an append-only history.

Execution plans and activities are municipality-owned (municipality NULL: the base team's plan for
shared projects) and are read only through `for_user()`. They are internal working data, except what the
municipality's editors mark public: an activity with `is_public` (its title, description, themes, lenses, status,
owner organisation and planned budget) and, per status update, an explanation with `narrative_public`. The public
pages and the open API read those only through `ivp.execution.selectors.public_activities()` (ADR 0020).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ivp.core.tenancy import MunicipalityOwned, MunicipalityOwnedQuerySet


class ExecutionPlanStatus(models.TextChoices):
    CONCEPT = "concept", _("draft")
    ADOPTED = "vastgesteld", _("adopted")


class ExecutionPlan(MunicipalityOwned):
    """The execution plan of one municipality (or the base team) for one two-year period."""

    plan = models.ForeignKey("plans.Plan", verbose_name=_("plan"), on_delete=models.PROTECT,
                             related_name="execution_plans")
    municipality = models.ForeignKey("core.Organisation", verbose_name=_("municipality"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="execution_plans",
                                     help_text=_("empty: the base team's plan for shared projects"))
    period_start = models.PositiveIntegerField(_("first year"))
    period_end = models.PositiveIntegerField(_("last year"))
    status = models.CharField(_("status"), max_length=20, choices=ExecutionPlanStatus.choices,
                              default=ExecutionPlanStatus.CONCEPT)
    adopted_on = models.DateField(_("date of the college decision"), null=True, blank=True)
    decision_reference = models.CharField(_("college decision reference"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    local_priorities = models.ManyToManyField("plans.LocalPriority", verbose_name=_("local priorities"), blank=True,
                                              related_name="execution_plans")
    version = models.PositiveIntegerField(_("version"), default=1)  # optimistic locking (ivp.core.locking)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["plan", "period_start", "municipality__name"]
        verbose_name = _("execution plan")
        verbose_name_plural = _("execution plans")
        constraints = [
            models.UniqueConstraint(fields=["plan", "municipality", "period_start"], name="unique_execution_plan"),
            models.UniqueConstraint(fields=["plan", "period_start"], condition=models.Q(municipality__isnull=True),
                                    name="unique_base_team_execution_plan"),
        ]

    def __str__(self) -> str:
        owner = self.municipality.name if self.municipality_id else gettext("base team")
        return gettext("Execution plan %(owner)s %(period)s") % {"owner": owner, "period": self.period_label}

    @property
    def period_label(self) -> str:
        return f"{self.period_start}-{self.period_end}"

    @property
    def is_base_team(self) -> bool:
        return self.municipality_id is None


class ThemeAdjustment(models.Model):
    """Where an execution plan deviates from a shared theme: a local target, or "not applicable
    here" with a reason. Read through its (for_user-checked) execution plan. Never deleted: going
    back to the shared plan empties the row, so its history stays attached."""

    execution_plan = models.ForeignKey(ExecutionPlan, verbose_name=_("execution plan"), on_delete=models.CASCADE,
                                       related_name="adjustments")
    theme = models.ForeignKey("plans.Theme", verbose_name=_("theme"), on_delete=models.PROTECT, related_name="+")
    local_target = models.TextField(_("local target"), blank=True)
    not_applicable = models.BooleanField(_("not applicable here"), default=False)
    reason = models.TextField(_("reason"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)  # optimistic locking (ivp.core.locking)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["execution_plan", "theme__order"]
        verbose_name = _("local adjustment")
        verbose_name_plural = _("local adjustments")
        constraints = [models.UniqueConstraint(fields=["execution_plan", "theme"], name="unique_theme_adjustment")]

    def __str__(self) -> str:
        return f"{self.execution_plan}: {self.theme}"

    @property
    def is_inherited(self) -> bool:
        return not self.not_applicable and not self.local_target


class ActivityStatus(models.TextChoices):
    ON_TRACK = "op_koers", _("on track")
    AT_RISK = "risico", _("at risk")
    BEHIND = "achter", _("behind")
    COMPLETED = "afgerond", _("completed")
    STOPPED = "gestopt", _("stopped")


FINAL_STATUSES = (ActivityStatus.COMPLETED, ActivityStatus.STOPPED)


class PartnerRole(models.TextChoices):
    RESPONSIBLE = "verantwoordelijk", _("responsible")
    CONTRIBUTING = "bijdragend", _("contributing")
    INFORMED = "geinformeerd", _("informed")


class ActivityQuerySet(MunicipalityOwnedQuerySet):
    def active(self):
        return self.exclude(status__in=FINAL_STATUSES)


class Activity(MunicipalityOwned):
    """A project or activity in an execution plan. `municipality` equals the execution plan's."""

    execution_plan = models.ForeignKey(ExecutionPlan, verbose_name=_("execution plan"), on_delete=models.PROTECT,
                                       related_name="activities")
    municipality = models.ForeignKey("core.Organisation", verbose_name=_("municipality"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="activities")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    themes = models.ManyToManyField("plans.Theme", verbose_name=_("themes"), blank=True, related_name="activities")
    local_priorities = models.ManyToManyField("plans.LocalPriority", verbose_name=_("local priorities"), blank=True,
                                              related_name="activities")
    focus_lenses = models.ManyToManyField("plans.FocusLens", verbose_name=_("focus lenses"),
                                          related_name="activities")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT,
                              related_name="owned_activities")
    partners = models.ManyToManyField("core.Organisation", verbose_name=_("partners"), through="ActivityPartner",
                                      blank=True, related_name="partner_activities")
    wijken = models.ManyToManyField("areas.Area", verbose_name=_("districts (wijken)"), blank=True,
                                    related_name="activities")
    # What the activity addresses in the information position (issue 15, ADR 0021); optional. The youth groups are
    # shown only to readers of the municipality's information registers (never on public pages or in the API).
    signal_categories = models.JSONField(_("signal categories addressed"), default=list, blank=True)
    youth_groups = models.ManyToManyField("information.YouthGroup", verbose_name=_("youth groups addressed"),
                                          blank=True, related_name="activities")
    planned_budget_cents = models.PositiveBigIntegerField(_("planned budget (cents)"), default=0)
    actual_budget_cents = models.PositiveBigIntegerField(_("actual spending (cents)"), default=0)
    budget_as_of = models.DateField(_("spending as of"), null=True, blank=True,
                                    help_text=_("The date the spending figure describes (peildatum)."))
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    # Shown on the public pages and in the open API (ADR 0020): never the owner's name, the spending or the
    # explanations of status updates (those only when an update itself is marked public).
    is_public = models.BooleanField(
        _("public"), default=False,
        help_text=_("Shown on the public pages: title, description, themes, focus lenses, status, the organisation "
                    "responsible and the planned budget. Never the owner's name or internal explanations."))
    # The status of the status update with the latest as-of date ("" before the first); kept for lists and the matrix.
    status = models.CharField(_("status"), max_length=20, choices=ActivityStatus.choices, blank=True)
    last_update_at = models.DateTimeField(_("last status update"), null=True, blank=True)
    # Optimistic locking: every saved edit increments the version; a save based on an older one is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["execution_plan", "title", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status not in FINAL_STATUSES

    @staticmethod
    def shared_q(partner_organisation_ids) -> models.Q:
        """Partners see the activities in which their organisation has a role."""
        return models.Q(pk__in=ActivityPartner.objects.filter(organisation_id__in=list(partner_organisation_ids))
                        .values("activity_id"))

    def is_stale(self, *, now: dt.datetime | None = None, days: int | None = None) -> bool:
        """An active activity that has had no status update for `days` days (IVP_STALE_AFTER_DAYS).

        Before the first update the clock runs from the moment the activity was added; an activity
        that has not started yet is not stale."""
        if not self.is_active:
            return False
        now = now or timezone.now()
        days = settings.IVP_STALE_AFTER_DAYS if days is None else days
        if self.start_date and self.start_date > timezone.localdate(now):
            return False
        since = self.last_update_at or self.created_at
        return now - since > dt.timedelta(days=days)


class ActivityPartner(models.Model):
    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE,
                                 related_name="partner_roles")
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("partner"), on_delete=models.PROTECT,
                                     related_name="+")
    role = models.CharField(_("role"), max_length=20, choices=PartnerRole.choices)
    # Since when the activity is shared with this partner: its history before that is not theirs to read.
    shared_at = models.DateTimeField(_("shared since"), default=timezone.now)

    class Meta:
        ordering = ["activity", "role", "organisation__name"]
        verbose_name = _("partner of an activity")
        verbose_name_plural = _("partners of activities")
        constraints = [models.UniqueConstraint(fields=["activity", "organisation"], name="unique_activity_partner")]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class Milestone(models.Model):
    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE,
                                 related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("due date"))
    done = models.BooleanField(_("done"), default=False)
    done_on = models.DateField(_("completed on"), null=True, blank=True,
                               help_text=_("The date the milestone was reached (peildatum); empty while open."))

    class Meta:
        ordering = ["activity", "due_date", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title

    def state_on(self, day: dt.date | None = None):
        """Done, overdue or open on `day` (default today): see ivp.execution.asof.milestone_state."""
        from .asof import milestone_state

        return milestone_state(self, day)


class StatusUpdateImmutableError(Exception):
    """Raised on any attempt to change or remove a status update: the history is append-only."""


class StatusUpdateQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise StatusUpdateImmutableError("status updates cannot be changed")

    def delete(self):
        raise StatusUpdateImmutableError("status updates cannot be deleted")


class StatusUpdate(models.Model):
    """One entry in an activity's status history. Only ever added: never edited or deleted."""

    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.PROTECT,
                                 related_name="status_updates")
    status = models.CharField(_("status"), max_length=20, choices=ActivityStatus.choices)
    narrative = models.TextField(_("explanation"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT,
                               related_name="+")
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    # The date the status describes (peildatum), which may lie before the moment of entry: the state at the end of
    # 2024 entered in January 2025. Filled from the moment of entry when not given.
    as_of = models.DateField(_("as of"), help_text=_("The date this status describes (peildatum)."))
    # The explanation may be shown on the public pages of a public activity (ADR 0020); default private. Chosen when
    # the update is entered, like the rest of it (append-only).
    narrative_public = models.BooleanField(_("explanation is public"), default=False)

    objects = StatusUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-as_of", "-created_at", "-id"]
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")

    def __str__(self) -> str:
        return f"{self.activity}: {self.get_status_display()} ({self.as_of or self.created_at:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise StatusUpdateImmutableError("status updates cannot be changed")
        if self.as_of is None:
            self.as_of = timezone.localdate(self.created_at) if timezone.is_aware(self.created_at) \
                else self.created_at.date()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise StatusUpdateImmutableError("status updates cannot be deleted")
