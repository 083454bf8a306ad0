"""The integral safety plan: versions, adoption per council, themes, lenses, goals, principles and
local priorities.

A plan version is a complete, immutable-by-convention copy: loading a changed plan file creates a
new version and the old one stays readable. Adoption and local priorities are municipality-owned
and are read through `for_user()`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ivp.core.access import access_for


class PlanStatus(models.TextChoices):
    CONCEPT = "concept", _("concept")
    CONSULTATION = "ter_consultatie", _("ter consultatie")
    ADOPTED = "vastgesteld", _("vastgesteld")


class AdoptionStatus(models.TextChoices):
    PENDING = "in_behandeling", _("in behandeling")
    ADOPTED = "vastgesteld", _("vastgesteld")
    REJECTED = "verworpen", _("verworpen")


class SafetyDomain(models.TextChoices):
    SOCIAL = "sociaal", _("sociale veiligheid")
    PHYSICAL = "fysiek", _("fysieke veiligheid")


# Statuses whose plan text is public: a plan offered for consultation is a public document.
PUBLIC_PLAN_STATUSES = (PlanStatus.CONSULTATION, PlanStatus.ADOPTED)


class Plan(models.Model):
    key = models.SlugField(_("sleutel"), max_length=80)
    version = models.PositiveIntegerField(_("versie"))
    title = models.CharField(_("titel"), max_length=200)
    base_team = models.ForeignKey("core.Organisation", verbose_name=_("basisteam"), on_delete=models.PROTECT,
                                  related_name="plans")
    period_start = models.PositiveIntegerField(_("begin periode"))
    period_end = models.PositiveIntegerField(_("einde periode"))
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices)
    document_date = models.CharField(_("documentdatum"), max_length=10, blank=True)
    summary = models.TextField(_("samenvatting"), blank=True)
    introduction = models.TextField(_("inleiding"), blank=True)
    scope = models.TextField(_("reikwijdte"), blank=True)
    trends = models.JSONField(_("trends en ontwikkelingen"), default=list, blank=True)
    meaning_of_figures = models.TextField(_("betekenis van cijfers"), blank=True)
    cooperation_boa_police = models.TextField(_("samenwerking boa's en politie"), blank=True)
    finance = models.TextField(_("financiën"), blank=True)
    signatories = models.JSONField(_("ondertekening"), default=list, blank=True)
    # sha256 of the canonical document this version was created from (see planfile.canonical).
    source_hash = models.CharField(_("bron-hash"), max_length=64)
    source_name = models.CharField(_("bronbestand"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        ordering = ["key", "-version"]
        verbose_name = _("plan")
        verbose_name_plural = _("plannen")
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="unique_plan_version")]

    def __str__(self) -> str:
        return f"{self.title} (versie {self.version})"

    @property
    def period_label(self) -> str:
        return f"{self.period_start}-{self.period_end}"

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_PLAN_STATUSES


class PlanPart(models.Model):
    """Shared, base-team-owned plan content: readable by everyone who may read the plan."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE)

    class Meta:
        abstract = True


class PlanPartner(PlanPart):
    """A partner organisation named in this plan version."""

    organisation = models.ForeignKey("core.Organisation", verbose_name=_("organisatie"), on_delete=models.PROTECT,
                                     related_name="+")
    order = models.PositiveIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("partner in plan")
        verbose_name_plural = _("partners in plan")
        default_related_name = "plan_partners"
        constraints = [models.UniqueConstraint(fields=["plan", "organisation"], name="unique_plan_partner")]

    def __str__(self) -> str:
        return str(self.organisation)


class Theme(PlanPart):
    parent = models.ForeignKey("self", verbose_name=_("hoofdthema"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="sub_themes")
    number = models.CharField(_("nummer"), max_length=10)
    code = models.SlugField(_("code"), max_length=60)
    title = models.CharField(_("titel"), max_length=200)
    short_title = models.CharField(_("korte titel"), max_length=100)
    introduction = models.TextField(_("inleiding"), blank=True)
    order = models.PositiveIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("strategisch thema")
        verbose_name_plural = _("strategische thema's")
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
    WHY = "why_priority", _("Waarom is dit een prioriteit?")
    AMBITION = "ambition", _("Ambitie voor 2023-2026")
    ACTION = "planned_action", _("Wat gaan we doen?")


class ThemeStatement(models.Model):
    theme = models.ForeignKey(Theme, verbose_name=_("thema"), on_delete=models.CASCADE, related_name="statements")
    kind = models.CharField(_("soort"), max_length=20, choices=StatementKind.choices)
    order = models.PositiveIntegerField(_("volgorde"))
    text = models.TextField(_("tekst"))

    class Meta:
        ordering = ["theme", "kind", "order"]
        verbose_name = _("themapunt")
        verbose_name_plural = _("themapunten")

    def __str__(self) -> str:
        return self.text[:80]


class FocusLens(PlanPart):
    number = models.PositiveIntegerField(_("nummer"))
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("naam"), max_length=100)
    description = models.TextField(_("omschrijving"), blank=True)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("focus")
        verbose_name_plural = _("focus")
        default_related_name = "focus_lenses"
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="unique_lens_code")]

    def __str__(self) -> str:
        return self.name


class GeneralGoal(PlanPart):
    number = models.PositiveIntegerField(_("nummer"))
    code = models.SlugField(_("code"), max_length=60)
    title = models.CharField(_("titel"), max_length=300)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("algemeen doel")
        verbose_name_plural = _("algemene doelen")
        default_related_name = "general_goals"
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="unique_goal_code")]

    def __str__(self) -> str:
        return self.title


class Principle(PlanPart):
    number = models.PositiveIntegerField(_("nummer"))
    title = models.CharField(_("titel"), max_length=300)
    description = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("uitgangspunt")
        verbose_name_plural = _("uitgangspunten")
        default_related_name = "principles"

    def __str__(self) -> str:
        return self.title


class MunicipalityOwnedQuerySet(models.QuerySet):
    """Signalen-style scoping: the only way views read municipality-owned rows."""

    def for_user(self, user):
        access = access_for(user)
        if access.read_all:
            return self
        if not access.authenticated:
            return self.filter(self.model.public_q())
        # Municipal users see their own municipality only (another's objects answer 404).
        scope = models.Q(municipality_id__in=access.readable_municipality_ids)
        if access.partner_organisation_ids:
            scope |= self.model.public_q() | self.model.shared_q(access.partner_organisation_ids)
        return self.filter(scope)


class MunicipalityOwned(models.Model):
    """Base for rows that belong to one municipality."""

    objects = MunicipalityOwnedQuerySet.as_manager()

    class Meta:
        abstract = True

    @staticmethod
    def public_q() -> models.Q:
        return models.Q(pk__in=[])

    @staticmethod
    def shared_q(partner_organisation_ids) -> models.Q:
        """Rows explicitly shared with one of these partner organisations (none by default)."""
        return models.Q(pk__in=[])


class Adoption(MunicipalityOwned):
    """The adoption (vaststelling) of a plan version by one council."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="adoptions")
    municipality = models.ForeignKey("core.Organisation", verbose_name=_("gemeente"), on_delete=models.PROTECT,
                                     related_name="adoptions")
    status = models.CharField(_("status"), max_length=20, choices=AdoptionStatus.choices,
                              default=AdoptionStatus.PENDING)
    date = models.DateField(_("datum raadsbesluit"), null=True, blank=True)
    decision_reference = models.CharField(_("kenmerk raadsbesluit"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("vaststelling")
        verbose_name_plural = _("vaststellingen")
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
    municipality = models.ForeignKey("core.Organisation", verbose_name=_("gemeente"), on_delete=models.PROTECT,
                                     related_name="local_priorities")
    order = models.PositiveIntegerField(_("volgorde"), default=0)
    title = models.CharField(_("titel"), max_length=200)
    domain = models.CharField(_("domein"), max_length=10, choices=SafetyDomain.choices, default=SafetyDomain.SOCIAL)
    description = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["plan", "municipality__name", "order", "id"]
        verbose_name = _("lokale prioriteit")
        verbose_name_plural = _("lokale prioriteiten")

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
