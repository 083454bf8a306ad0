"""Roles a user can hold in an organisation, and which organisation kind each role needs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    BASE_TEAM = "base_team", _("Basisteam")
    MUNICIPALITY = "municipality", _("Gemeente")
    PARTNER = "partner", _("Partner")


class PartnerKind(models.TextChoices):
    POLICE = "police", _("Politie")
    PROSECUTOR = "prosecutor", _("Openbaar Ministerie")
    RIEC = "riec", _("RIEC")
    CARE_SAFETY_HOUSE = "care_safety_house", _("Zorg- en Veiligheidshuis")
    HEALTH = "health", _("Zorg en gezondheid")
    HOUSING = "housing", _("Woningcorporatie")
    SAFETY_REGION = "safety_region", _("Veiligheidsregio")
    ENVIRONMENT = "environment", _("Omgevingsdienst")
    WELFARE = "welfare", _("Welzijn")
    EDUCATION = "education", _("Onderwijs")
    OTHER = "other", _("Overig")


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coördinator basisteam")
    ADVISOR = "advisor", _("Veiligheidsadviseur gemeente")
    POLICE = "police", _("Politie")
    PROSECUTOR = "prosecutor", _("Openbaar Ministerie")
    PARTNER = "partner", _("Partner")
    COUNCILLOR = "councillor", _("Raadslid")


# The organisation kind each role is held in.
ROLE_ORGANISATION_KIND = {
    Role.COORDINATOR: OrganisationKind.BASE_TEAM,
    Role.ADVISOR: OrganisationKind.MUNICIPALITY,
    Role.COUNCILLOR: OrganisationKind.MUNICIPALITY,
    Role.POLICE: OrganisationKind.PARTNER,
    Role.PROSECUTOR: OrganisationKind.PARTNER,
    Role.PARTNER: OrganisationKind.PARTNER,
}
