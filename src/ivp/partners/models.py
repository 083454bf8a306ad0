"""The partner register and cooperation agreements (samenwerkingsafspraken).

Partner organisations are `core.Organisation` rows of kind "partner" (loaded from the plan file);
a PartnerProfile adds what the register needs. IVP holds aggregate information only: the contact is
a role, department or general mailbox, never a person.

Cooperation agreements (boa-politie, LIO, BIM, covenants) belong to one municipality or, with no
municipality, to the base team as a whole; they are read through `for_user()`. A partner user sees
only the agreements their organisation is a party to (`shared_q`).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ivp.core.roles import OrganisationKind
from ivp.core.tenancy import MunicipalityOwned, MunicipalityOwnedQuerySet


class PartnerProfile(models.Model):
    organisation = models.OneToOneField(
        "core.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="partner_profile",
        limit_choices_to={"kind": OrganisationKind.PARTNER},
    )
    contact_role = models.CharField(
        _("contact (role or department)"), max_length=200, blank=True,
        help_text=_("A function or department, not a person's name."),
    )
    contact_email = models.EmailField(_("general mailbox"), blank=True,
                                      help_text=_("A shared address, not a personal one."))
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    municipalities = models.ManyToManyField(
        "core.Organisation", verbose_name=_("works in"), blank=True, related_name="+",
        limit_choices_to={"kind": OrganisationKind.MUNICIPALITY},
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("partner register entry")
        verbose_name_plural = _("partner register")

    def __str__(self) -> str:
        return str(self.organisation)


class AgreementKind(models.TextChoices):
    BOA_POLICE = "boa_police", _("boa-police cooperation")
    LIO = "lio", _("Local Information Consultation (LIO)")
    BIM = "bim", _("Administrative Intervention Team Meierij (BIM)")
    COVENANT = "covenant", _("covenant")
    OTHER = "other", _("other")


class AgreementStatus(models.TextChoices):
    CONCEPT = "concept", _("draft")
    ACTIVE = "active", _("active")
    UNDER_REVIEW = "under_review", _("under review")
    ENDED = "ended", _("ended")


class CooperationAgreementQuerySet(MunicipalityOwnedQuerySet):
    def overdue(self, today=None):
        """A review date in the past, and not ended."""
        today = today or timezone.localdate()
        return self.filter(review_date__lt=today).exclude(status=AgreementStatus.ENDED)


class CooperationAgreement(MunicipalityOwned):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    municipality = models.ForeignKey(
        "core.Organisation", verbose_name=_("municipality"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="cooperation_agreements", help_text=_("Empty: an agreement of the base team as a whole."),
    )
    parties = models.ManyToManyField(
        "core.Organisation", verbose_name=_("parties"), related_name="agreements_as_party",
        limit_choices_to={"kind__in": [OrganisationKind.MUNICIPALITY, OrganisationKind.PARTNER]},
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT,
                              related_name="owned_agreements")
    start_date = models.DateField(_("start date"))
    review_date = models.DateField(_("review date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=AgreementStatus.choices,
                              default=AgreementStatus.CONCEPT)
    summary = models.TextField(_("summary"), blank=True)
    task_division = models.TextField(_("task division"), blank=True)
    backup = models.TextField(_("back-up"), blank=True)
    information_sharing = models.TextField(_("information sharing"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CooperationAgreementQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        indexes = [models.Index(fields=["review_date", "status"], name="agreement_review_idx")]

    def __str__(self) -> str:
        return self.title

    @staticmethod
    def shared_q(partner_organisation_ids) -> models.Q:
        """Agreements one of these organisations is a party to."""
        party = CooperationAgreement.parties.through.objects.filter(
            cooperationagreement_id=models.OuterRef("pk"), organisation_id__in=list(partner_organisation_ids),
        )
        return models.Q(models.Exists(party))

    @property
    def is_overdue(self) -> bool:
        return (self.review_date is not None and self.status != AgreementStatus.ENDED
                and self.review_date < timezone.localdate())
