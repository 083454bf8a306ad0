"""The pooled budget of the base team (Veiligheidsfonds): a rate per inhabitant per year, allocations,
commitments and expenditures against them. Money is integer cents, never floats.

Contributions are not stored: they follow from the rate and the CBS population (see `summary.py`), so a
corrected population figure corrects the contribution. The fund belongs to the base team as a whole;
an allocation may name the municipality that benefits from it, which does not make it that
municipality's row (only the coordinator edits the fund).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_RATE_CENTS = 100  # 1 euro per inhabitant (plan 2023-2026, "Financiën")


class AllocationKind(models.TextChoices):
    PROJECT = "project", _("Project")
    BIM = "bim", _("BIM (Bestuurlijk Interventieteam Meierij)")
    BIBOB = "bibob", _("Bibob legal capacity")
    OTHER = "other", _("Other")


class FundYear(models.Model):
    """Settings of one year of the fund: the rate, and the coordinator's approval of a negative balance.

    A year without a row uses the default rate. Write services lock this row, so two writes that
    together would take the balance below zero are checked one after the other.
    """

    year = models.PositiveIntegerField(_("year"), unique=True)
    rate_cents = models.BigIntegerField(_("rate per inhabitant (cents)"), default=DEFAULT_RATE_CENTS)
    negative_balance_approved = models.BooleanField(_("negative balance approved"), default=False)
    negative_balance_reason = models.TextField(_("reason for the negative balance"), blank=True)
    negative_balance_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("negative balance approved by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    negative_balance_approved_at = models.DateTimeField(_("negative balance approved at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)  # optimistic locking (ivp.core.locking)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("fund year")
        verbose_name_plural = _("fund years")
        constraints = [models.CheckConstraint(condition=models.Q(rate_cents__gte=0), name="fund_rate_not_negative")]

    def __str__(self) -> str:
        return str(_("Safety fund %(year)s") % {"year": self.year})


class FundQuerySet(models.QuerySet):
    def for_user(self, user):
        """Fund rows in detail: coordinator, police, OM and advisors (see selectors.fund_access_for)."""
        from .selectors import fund_access_for

        return self if fund_access_for(user).read_fund else self.none()


class Allocation(models.Model):
    year = models.PositiveIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=AllocationKind.choices, default=AllocationKind.PROJECT)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("explanation"), blank=True)
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    beneficiary = models.ForeignKey(
        "core.Organisation", verbose_name=_("benefiting municipality"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="fund_allocations",
        help_text=_("Empty: the allocation benefits the whole base team."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)  # optimistic locking (ivp.core.locking)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = FundQuerySet.as_manager()

    class Meta:
        ordering = ["year", "kind", "title", "id"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [models.CheckConstraint(condition=models.Q(amount_cents__gt=0),
                                              name="allocation_amount_positive")]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class FundEntry(models.Model):
    """A commitment or expenditure against an allocation; it counts in the allocation's year."""

    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=300)
    reference = models.CharField(_("reference"), max_length=100, blank=True,
                                 help_text=_("For example an order, contract or invoice number."))
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = FundQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.description} ({self.date:%Y-%m-%d})"


class Commitment(FundEntry):
    """Money promised (a contract, an order) that has not necessarily been paid yet."""

    allocation = models.ForeignKey(Allocation, verbose_name=_("allocation"), on_delete=models.PROTECT,
                                   related_name="commitments")

    class Meta(FundEntry.Meta):
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [models.CheckConstraint(condition=models.Q(amount_cents__gt=0),
                                              name="commitment_amount_positive")]


class Expenditure(FundEntry):
    """Money paid out of the fund."""

    allocation = models.ForeignKey(Allocation, verbose_name=_("allocation"), on_delete=models.PROTECT,
                                   related_name="expenditures")

    class Meta(FundEntry.Meta):
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        constraints = [models.CheckConstraint(condition=models.Q(amount_cents__gt=0),
                                              name="expenditure_amount_positive")]
