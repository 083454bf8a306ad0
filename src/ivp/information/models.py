"""The information registers of general goal 6 (issue 15, ADR 0021): aggregate counts, never persons.

Each register row belongs to one municipality (MunicipalityOwned) and records what kind, where (a wijk or buurt of
the areas table, or the municipality as a whole), when (month, date or quarter), how many, from which kind of
source and what was done; never who. The only free text is a short factual description, checked for personal data
on every save and import (`ivp.information.pii`). Nothing here points at a person: no user, no name, no address;
who wrote a row is in the audit trail only. `tests/information/test_models.py` lists every field against an
allow-list.

Reading is restricted (Capability.READ_INFORMATION, not READ): `for_user()` here follows that capability, so a
council member, who may read the rest of their municipality, reads none of these rows (only the suppressed
aggregates of `ivp.information.summary`). A municipality can share a register with a partner organisation such as
the RIEC (`RegisterShare`); members of that organisation then read that register of that municipality.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ivp.core.access import access_for
from ivp.core.roles import Capability, OrganisationKind
from ivp.core.tenancy import MunicipalityOwned, MunicipalityOwnedQuerySet

from .pii import MAX_TEXT_LENGTH


class Register(models.TextChoices):
    SIGNALS = "signals", _("Signals")
    CONTROLS = "controls", _("Integral controls")
    BIBOB = "bibob", _("Bibob procedures")
    YOUTH_GROUPS = "youth_groups", _("Youth groups")
    LIO = "lio", _("LIO meetings")
    AVE = "ave", _("AVE cases")


class SignalCategory(models.TextChoices):
    DRUGS = "drugs", _("undermining: drugs")
    HUMAN_TRAFFICKING = "human_trafficking", _("undermining: human trafficking")
    MONEY_LAUNDERING = "money_laundering", _("undermining: money laundering")
    REAL_ESTATE = "real_estate", _("undermining: real estate")
    UNDERMINING_OTHER = "undermining_other", _("undermining: other")
    POLARISATION = "polarisation", _("polarisation and social unrest")
    RESIDENTIAL_NUISANCE = "residential_nuisance", _("residential nuisance")
    YOUTH = "youth", _("youth")
    CARE_SAFETY = "care_safety", _("care and safety")
    DIGITAL = "digital", _("digital safety")
    OTHER = "other", _("other")


class SignalSource(models.TextChoices):
    MMA = "mma", _("Meld Misdaad Anoniem")
    POLICE = "police", _("police")
    PARTNER = "partner", _("partner")
    OWN_STAFF = "own_staff", _("own staff")
    RESIDENT = "resident", _("resident")
    SIGNALEN = "signalen", _("Signalen report")


class FollowUp(models.TextChoices):
    LIO = "lio", _("passed to the LIO")
    RIEC = "riec", _("passed to the RIEC")
    ZVH = "zvh", _("passed to the Care and Safety House")
    POLICE = "police", _("passed to the police")
    INVESTIGATING = "investigating", _("under investigation")
    NO_ACTION = "no_action", _("no action")


class PremisesKind(models.TextChoices):
    HOSPITALITY = "hospitality", _("hospitality")
    BUSINESS = "business", _("business premises")
    DWELLING = "dwelling", _("dwelling")
    SHED = "shed", _("shed or storage")
    OUTDOOR = "outdoor", _("outdoor area")
    OTHER = "other", _("other")


class ControlPartner(models.TextChoices):
    POLICE = "police", _("police")
    TAX = "tax", _("Tax Administration")
    LABOUR = "labour", _("Labour Inspectorate")
    ENVIRONMENT = "environment", _("environmental service")
    MUNICIPALITY = "municipality", _("municipal enforcement")
    OTHER = "other", _("other")


class BibobKind(models.TextChoices):
    HOSPITALITY = "hospitality", _("hospitality licence")
    OPERATING = "operating", _("operating licence")
    ENVIRONMENT = "environment", _("environmental permit")
    SUBSIDY = "subsidy", _("subsidy")
    REAL_ESTATE = "real_estate", _("real estate")


class BibobOutcome(models.TextChoices):
    GRANTED = "granted", _("granted")
    CONDITIONS = "conditions", _("granted with conditions")
    REFUSED = "refused", _("refused")
    WITHDRAWN = "withdrawn", _("withdrawn")
    LBB_ADVICE = "lbb_advice", _("LBB advice requested")


class YouthGroupType(models.TextChoices):
    ANNOYING = "annoying", _("annoying (hinderlijk)")
    NUISANCE = "nuisance", _("causing nuisance (overlastgevend)")
    CRIMINAL = "criminal", _("criminal (crimineel)")


class SizeBand(models.TextChoices):
    SMALL = "5-10", _("5 to 10")
    MEDIUM = "11-20", _("11 to 20")
    LARGE = "21+", _("more than 20")


class ApproachPhase(models.TextChoices):
    SIGNALLING = "signalling", _("signalling")
    SHORTLIST = "shortlist", _("shortlist made")
    APPROACH = "approach", _("approach agreed")
    EXECUTION = "execution", _("approach carried out")
    AFTERCARE = "aftercare", _("aftercare and monitoring")
    CLOSED = "closed", _("closed")


class AveStage(models.TextChoices):
    SIGNAL = "signal", _("signal")
    ANALYSIS = "analysis", _("analysis")
    INTERVENTION = "intervention", _("intervention")
    AFTERCARE = "aftercare", _("aftercare")
    CLOSED = "closed", _("closed")


class InformationQuerySet(MunicipalityOwnedQuerySet):
    """Scoped by Capability.READ_INFORMATION (not READ): see the module docstring."""

    def for_user(self, user):
        access = access_for(user)
        grant = access.grant(Capability.READ_INFORMATION)
        if access.can(Capability.READ_INFORMATION, None):
            return self
        scope = models.Q(municipality_id__in=grant.own_ids)
        if grant.shared_ids:
            scope |= self.model.shared_q(grant.shared_ids)
        return self.filter(scope)


class InformationRow(MunicipalityOwned):
    """Common fields of every register row."""

    REGISTER: str = ""

    municipality = models.ForeignKey("core.Organisation", verbose_name=_("municipality"), on_delete=models.PROTECT,
                                     related_name="+", limit_choices_to={"kind": OrganisationKind.MUNICIPALITY})
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = InformationQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def shared_q(cls, partner_organisation_ids) -> models.Q:
        """Rows of municipalities that shared this register with one of these organisations."""
        shares = RegisterShare.objects.filter(municipality_id=models.OuterRef("municipality_id"),
                                              register=cls.REGISTER,
                                              organisation_id__in=list(partner_organisation_ids))
        return models.Q(models.Exists(shares))


def _description():
    return models.CharField(_("description"), max_length=MAX_TEXT_LENGTH, blank=True,
                            help_text=_("Short and factual: what, where, how many. Never names, addresses, "
                                        "numbers or dates that point at a person."))


def _area():
    return models.ForeignKey("areas.Area", verbose_name=_("wijk or buurt"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+",
                             help_text=_("Empty: the municipality as a whole."))


class Signal(InformationRow):
    """A number of signals of one category from one kind of source in one month (in one wijk or buurt)."""

    REGISTER = Register.SIGNALS

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    area = _area()
    category = models.CharField(_("category"), max_length=30, choices=SignalCategory.choices)
    source_kind = models.CharField(_("source"), max_length=20, choices=SignalSource.choices)
    count = models.PositiveIntegerField(_("number"))
    follow_up = models.CharField(_("follow-up"), max_length=20, choices=FollowUp.choices)
    description = _description()

    class Meta:
        ordering = ["-month", "category", "id"]
        verbose_name = _("signal count")
        verbose_name_plural = _("signals")
        # One row per municipality, month, area, category, source and follow-up (the import's key; area may be
        # empty, which a unique constraint cannot cover on every database, so the services keep it).
        indexes = [models.Index(fields=["municipality", "month"], name="information_signal_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.get_category_display()}: {self.count}"


class IntegralControl(InformationRow):
    """One integral control (BIM) with its outcomes as counts."""

    REGISTER = Register.CONTROLS

    date = models.DateField(_("date"))
    area = _area()
    premises_kind = models.CharField(_("kind of premises"), max_length=20, choices=PremisesKind.choices)
    premises_count = models.PositiveIntegerField(_("premises checked"), default=1)
    partners = models.JSONField(_("participating partners"), default=list, blank=True)
    findings = models.PositiveIntegerField(_("findings"), default=0)
    closures = models.PositiveIntegerField(_("closures (art. 13b Opium Act)"), default=0)
    fines = models.PositiveIntegerField(_("administrative fines"), default=0)
    bibob_started = models.PositiveIntegerField(_("Bibob procedures started"), default=0)
    care_referrals = models.PositiveIntegerField(_("referrals to care"), default=0)
    description = _description()

    class Meta:
        ordering = ["-date", "id"]
        verbose_name = _("integral control")
        verbose_name_plural = _("integral controls")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_premises_kind_display()}"


class BibobCount(InformationRow):
    """The number of Bibob procedures of one kind with one outcome in one quarter."""

    REGISTER = Register.BIBOB

    year = models.PositiveIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    kind = models.CharField(_("kind"), max_length=20, choices=BibobKind.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=BibobOutcome.choices)
    count = models.PositiveIntegerField(_("number"))

    class Meta:
        ordering = ["-year", "-quarter", "kind", "outcome"]
        verbose_name = _("Bibob count")
        verbose_name_plural = _("Bibob procedures")
        constraints = [models.UniqueConstraint(fields=["municipality", "year", "quarter", "kind", "outcome"],
                                               name="information_bibob_unique")]

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter} {self.get_kind_display()} {self.get_outcome_display()}: {self.count}"


class YouthGroup(InformationRow):
    """A youth group of the shortlist method, by a code the municipality chooses (never names)."""

    REGISTER = Register.YOUTH_GROUPS

    code = models.CharField(_("group code"), max_length=20,
                            help_text=_("A code of your own, such as VU-2024-01; never names or nicknames."))
    group_type = models.CharField(_("type"), max_length=20, choices=YouthGroupType.choices)
    area = _area()
    size_band = models.CharField(_("size"), max_length=10, choices=SizeBand.choices)
    phase = models.CharField(_("phase of the approach"), max_length=20, choices=ApproachPhase.choices)
    partners = models.JSONField(_("partners involved"), default=list, blank=True)
    first_seen = models.DateField(_("on the shortlist since"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("youth group")
        verbose_name_plural = _("youth groups")
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="information_youth_group_code")]

    def __str__(self) -> str:
        return self.code


class YouthGroupTypeChange(InformationRow):
    """The history of a youth group's type (the first row is the type it was registered with)."""

    REGISTER = Register.YOUTH_GROUPS

    group = models.ForeignKey(YouthGroup, verbose_name=_("youth group"), on_delete=models.CASCADE,
                              related_name="type_changes")
    date = models.DateField(_("date"))
    old_type = models.CharField(_("previous type"), max_length=20, choices=YouthGroupType.choices, blank=True)
    new_type = models.CharField(_("new type"), max_length=20, choices=YouthGroupType.choices)

    class Meta:
        ordering = ["group", "date", "id"]
        verbose_name = _("type change of a youth group")
        verbose_name_plural = _("type changes of youth groups")

    def __str__(self) -> str:
        return f"{self.group.code} {self.date:%Y-%m-%d}: {self.new_type}"


class LioMeeting(InformationRow):
    """A Lokaal Informatie Overleg: how many cases per category, actions agreed, cases closed."""

    REGISTER = Register.LIO

    date = models.DateField(_("date"))
    cases_by_category = models.JSONField(_("cases discussed per category"), default=dict, blank=True)
    actions_agreed = models.PositiveIntegerField(_("actions agreed"), default=0)
    cases_closed = models.PositiveIntegerField(_("cases closed"), default=0)

    class Meta:
        ordering = ["-date", "id"]
        verbose_name = _("LIO meeting")
        verbose_name_plural = _("LIO meetings")
        constraints = [models.UniqueConstraint(fields=["municipality", "date"], name="information_lio_date")]

    def __str__(self) -> str:
        return f"LIO {self.date:%Y-%m-%d}"

    @property
    def cases_discussed(self) -> int:
        return sum(self.cases_by_category.values())


class AveCount(InformationRow):
    """The number of AVE escalation cases in one stage at the end of a quarter."""

    REGISTER = Register.AVE

    year = models.PositiveIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    stage = models.CharField(_("stage"), max_length=20, choices=AveStage.choices)
    count = models.PositiveIntegerField(_("number"))

    class Meta:
        ordering = ["-year", "-quarter", "stage"]
        verbose_name = _("AVE count")
        verbose_name_plural = _("AVE cases")
        constraints = [models.UniqueConstraint(fields=["municipality", "year", "quarter", "stage"],
                                               name="information_ave_unique")]

    def __str__(self) -> str:
        return f"AVE {self.year} Q{self.quarter} {self.get_stage_display()}: {self.count}"


class RegisterShare(MunicipalityOwned):
    """A municipality shares one register with a partner organisation (e.g. the RIEC): its members then read that
    register's rows of that municipality. Made and ended through audited services by whoever may edit the
    municipality's registers."""

    municipality = models.ForeignKey("core.Organisation", verbose_name=_("municipality"), on_delete=models.PROTECT,
                                     related_name="+", limit_choices_to={"kind": OrganisationKind.MUNICIPALITY})
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("shared with"), on_delete=models.PROTECT,
                                     related_name="+", limit_choices_to={"kind": OrganisationKind.PARTNER})
    register = models.CharField(_("register"), max_length=20, choices=Register.choices)
    created_at = models.DateTimeField(_("shared since"), auto_now_add=True)

    objects = InformationQuerySet.as_manager()

    class Meta:
        ordering = ["municipality", "register", "organisation"]
        verbose_name = _("shared register")
        verbose_name_plural = _("shared registers")
        constraints = [models.UniqueConstraint(fields=["municipality", "organisation", "register"],
                                               name="information_share_unique")]

    def __str__(self) -> str:
        return f"{self.get_register_display()}: {self.municipality} -> {self.organisation}"

    @staticmethod
    def shared_q(partner_organisation_ids) -> models.Q:
        return models.Q(organisation_id__in=list(partner_organisation_ids))


REGISTER_MODELS: dict[str, list[type[InformationRow]]] = {
    Register.SIGNALS: [Signal],
    Register.CONTROLS: [IntegralControl],
    Register.BIBOB: [BibobCount],
    Register.YOUTH_GROUPS: [YouthGroup, YouthGroupTypeChange],
    Register.LIO: [LioMeeting],
    Register.AVE: [AveCount],
}
