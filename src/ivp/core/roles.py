"""Roles a user can hold in an organisation, and which organisation kind each role needs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    BASE_TEAM = "base_team", _("Base team")
    MUNICIPALITY = "municipality", _("Municipality")
    PARTNER = "partner", _("Partner")


class PartnerKind(models.TextChoices):
    POLICE = "police", _("Police")
    PROSECUTOR = "prosecutor", _("Public Prosecution Service")
    RIEC = "riec", _("RIEC")
    CARE_SAFETY_HOUSE = "care_safety_house", _("Care and Safety House")
    HEALTH = "health", _("Care and health")
    HOUSING = "housing", _("Housing association")
    SAFETY_REGION = "safety_region", _("Safety region")
    ENVIRONMENT = "environment", _("Environmental service")
    WELFARE = "welfare", _("Welfare")
    EDUCATION = "education", _("Education")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Base team coordinator")
    ADVISOR = "advisor", _("Municipal safety advisor")
    POLICE = "police", _("Police")
    PROSECUTOR = "prosecutor", _("Public Prosecution Service")
    PARTNER = "partner", _("Partner")
    COUNCILLOR = "councillor", _("Council member")


# The organisation kind each role is held in.
ROLE_ORGANISATION_KIND = {
    Role.COORDINATOR: OrganisationKind.BASE_TEAM,
    Role.ADVISOR: OrganisationKind.MUNICIPALITY,
    Role.COUNCILLOR: OrganisationKind.MUNICIPALITY,
    Role.POLICE: OrganisationKind.PARTNER,
    Role.PROSECUTOR: OrganisationKind.PARTNER,
    Role.PARTNER: OrganisationKind.PARTNER,
}
