"""The integral safety plan: versions, adoption per council, themes, lenses, goals, principles and
local priorities.

A plan version is a complete, immutable-by-convention copy: loading a changed plan file creates a
new version and the old one stays readable. Adoption and local priorities are municipality-owned
and are read through `for_user()`.
"""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ivp.core.tenancy import MunicipalityOwned


class PlanStatus(models.TextChoices):
    CONCEPT = "concept", _("draft")
    CONSULTATION = "ter_consultatie", _("out for consultation")
    ADOPTED = "vastgesteld", _("adopted")


class AdoptionStatus(models.TextChoices):
    PENDING = "in_behandeling", _("pending")
    ADOPTED = "vastgesteld", _("adopted")
    REJECTED = "verworpen", _("rejected")


class SafetyDomain(models.TextChoices):
    SOCIAL = "sociaal", _("social safety")
    PHYSICAL = "fysiek", _("physical safety")


# Statuses whose plan text is public: a plan offered for consultation is a public document.
PUBLIC_PLAN_STATUSES = (PlanStatus.CONSULTATION, PlanStatus.ADOPTED)


class Plan(models.Model):
    key = models.SlugField(_("key"), max_length=80)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    base_team = models.ForeignKey("core.Organisation", verbose_name=_("base team"), on_delete=models.PROTECT,
                                  related_name="plans")
    period_start = models.PositiveIntegerField(_("start of period"))
    period_end = models.PositiveIntegerField(_("end of period"))
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices)
    document_date = models.CharField(_("document date"), max_length=10, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    scope = models.TextField(_("scope"), blank=True)
    trends = models.JSONField(_("trends and developments"), default=list, blank=True)
    meaning_of_figures = models.TextField(_("meaning of the figures"), blank=True)
    cooperation_boa_police = models.TextField(
        _("cooperation between special enforcement officers (boas) and police"), blank=True
    )
    finance = models.TextField(_("finances"), blank=True)
    signatories = models.JSONField(_("signatories"), default=list, blank=True)
    # sha256 of the canonical document this version was created from (see planfile.canonical).
    source_hash = models.CharField(_("source hash"), max_length=64)
    source_name = models.CharField(_("source file"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # A version proposed in the application (a re-prioritisation or the next period's plan): not the current
    # version until every council adopted it (ADR 0015). Versions loaded from a plan file are never proposals.
    is_proposal = models.BooleanField(_("proposal"), default=False)
    based_on = models.ForeignKey("self", verbose_name=_("copied from"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["key", "-version"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="unique_plan_version")]

    def __str__(self) -> str:
        return gettext("%(title)s (version %(version)s)") % {"title": self.title, "version": self.version}

    @property
    def period_label(self) -> str:
        return f"{self.period_start}-{self.period_end}"

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_PLAN_STATUSES

    @property
    def is_draft_proposal(self) -> bool:
        """A proposal whose text may still be changed (concept; not yet out for consultation)."""
        return self.is_proposal and self.status == PlanStatus.CONCEPT


class PlanPart(models.Model):
    """Shared, base-team-owned plan content: readable by everyone who may read the plan."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE)

    class Meta:
        abstract = True


class PlanPartner(PlanPart):
    """A partner organisation named in this plan version."""

    organisation = models.ForeignKey("core.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT,
                                     related_name="+")
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("partner in plan")
        verbose_name_plural = _("partners in plan")
        default_related_name = "plan_partners"
        constraints = [models.UniqueConstraint(fields=["plan", "organisation"], name="unique_plan_partner")]

    def __str__(self) -> str:
        return str(self.organisation)


class Theme(PlanPart):
    parent = models.ForeignKey("self", verbose_name=_("parent theme"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="sub_themes")
    number = models.CharField(_("number"), max_length=10)
    code = models.SlugField(_("code"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    short_title = models.CharField(_("short title"), max_length=100)
    introduction = models.TextField(_("introduction"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)  # optimistic locking (ivp.core.locking)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("strategic theme")
        verbose_name_plural = _("strategic themes")
        default_related_name = "themes"
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="unique_theme_code")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def is_sub_theme(self) -> bool:
        return self.parent_id is not None

    def statements_of(self, kind: str) -> list[str]:
        return [s.text for s in self.statements.all() if s.kind == kind]


class StatementKind(models.TextChoices):
    WHY = "why_priority", _("Why is this a priority?")
    AMBITION = "ambition", _("Ambition for 2023-2026")
    ACTION = "planned_action", _("What will we do?")


class ThemeStatement(models.Model):
    theme = models.ForeignKey(Theme, verbose_name=_("theme"), on_delete=models.CASCADE, related_name="statements")
    kind = models.CharField(_("type"), max_length=20, choices=StatementKind.choices)
    order = models.PositiveIntegerField(_("order"))
    text = models.TextField(_("text"))
    version = models.PositiveIntegerField(_("version"), default=1)  # optimistic locking (ivp.core.locking)

    class Meta:
        ordering = ["theme", "kind", "order"]
        verbose_name = _("theme statement")
        verbose_name_plural = _("theme statements")

    def __str__(self) -> str:
        return self.text[:80]


class FocusLens(PlanPart):
    number = models.PositiveIntegerField(_("number"))
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)  # optimistic locking (ivp.core.locking)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("focus lens")
        verbose_name_plural = _("focus lenses")
        default_related_name = "focus_lenses"
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="unique_lens_code")]

    def __str__(self) -> str:
        return self.name


class GeneralGoal(PlanPart):
    number = models.PositiveIntegerField(_("number"))
    code = models.SlugField(_("code"), max_length=60)
    title = models.CharField(_("title"), max_length=300)
    version = models.PositiveIntegerField(_("version"), default=1)  # optimistic locking (ivp.core.locking)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("general goal")
        verbose_name_plural = _("general goals")
        default_related_name = "general_goals"
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="unique_goal_code")]

    def __str__(self) -> str:
        return self.title


class Principle(PlanPart):
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("explanation"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)  # optimistic locking (ivp.core.locking)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("principle")
        verbose_name_plural = _("principles")
        default_related_name = "principles"

    def __str__(self) -> str:
        return self.title


class Adoption(MunicipalityOwned):
    """The adoption (vaststelling) of a plan version by one council."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="adoptions")
    municipality = models.ForeignKey("core.Organisation", verbose_name=_("municipality"), on_delete=models.PROTECT,
                                     related_name="adoptions")
    status = models.CharField(_("status"), max_length=20, choices=AdoptionStatus.choices,
                              default=AdoptionStatus.PENDING)
    date = models.DateField(_("date of council decision"), null=True, blank=True)
    decision_reference = models.CharField(_("council decision reference"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)  # optimistic locking (ivp.core.locking)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        constraints = [models.UniqueConstraint(fields=["plan", "municipality"], name="unique_adoption")]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.get_status_display()}"

    @staticmethod
    def public_q() -> models.Q:
        # A council decision is public; so is the fact that a public plan awaits one.
        return models.Q(plan__status__in=PUBLIC_PLAN_STATUSES)


class LocalPriority(MunicipalityOwned):
    """A municipality's own priority, added to the shared plan (physical safety topics allowed)."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="local_priorities")
    municipality = models.ForeignKey("core.Organisation", verbose_name=_("municipality"), on_delete=models.PROTECT,
                                     related_name="local_priorities")
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    domain = models.CharField(_("domain"), max_length=10, choices=SafetyDomain.choices, default=SafetyDomain.SOCIAL)
    description = models.TextField(_("explanation"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)  # optimistic locking (ivp.core.locking)

    class Meta:
        ordering = ["plan", "municipality__name", "order", "id"]
        verbose_name = _("local priority")
        verbose_name_plural = _("local priorities")

    def __str__(self) -> str:
        return self.title

    @staticmethod
    def public_q() -> models.Q:
        # Local priorities become public with the council's adoption of the plan.
        adopted_here = Adoption.objects.filter(
            plan=models.OuterRef("plan"), municipality=models.OuterRef("municipality"),
            status=AdoptionStatus.ADOPTED,
        )
        return models.Q(models.Exists(adopted_here))
