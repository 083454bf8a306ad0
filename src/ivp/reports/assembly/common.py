"""Small helpers shared by the report's sections: people, the area, read permission, progress. Dates and
numbers are written with ivp.notation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from ivp.core.access import access_for
from ivp.core.models import Organisation
from ivp.core.people import person_label
from ivp.core.roles import OrganisationKind

from ..api import BASE_TEAM_AREA


class Progress:
    def __init__(self, callback, total: int):
        self.callback, self.total, self.done = callback, total, 0

    def step(self, label: str) -> None:
        if self.callback is not None:
            self.callback(label, min(self.done / self.total, 1.0))
        self.done += 1

    def finish(self, label: str) -> None:
        if self.callback is not None:
            self.callback(label, 1.0)


def area_of(area_code: str) -> tuple[Organisation | None, str]:
    if area_code == BASE_TEAM_AREA:
        team = Organisation.objects.filter(kind=OrganisationKind.BASE_TEAM).first()
        return None, team.name if team else _("Base team")
    org = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, cbs_code=area_code).first()
    if org is None:
        raise ValidationError({"area_code": _("Unknown area \"%(area)s\".") % {"area": area_code}})
    return org, org.name


def require_read(user, municipality: Organisation | None, area_name: str) -> None:
    access = access_for(user)
    if municipality is None and not access.read_all:
        raise PermissionDenied(_("Only the base team, police and OM may make the base-team report."))
    if municipality is not None and not access.can_read_municipality(municipality.pk):
        raise PermissionDenied(_("You may not read the data of %(name)s, so you cannot make its report.")
                               % {"name": area_name})


def years_of(kind: str, period: str) -> list[int]:
    if kind == "midterm":
        start, end = (int(p) for p in period.split("-"))
        return list(range(start, end + 1))
    return [int(period)]


def person_name(user) -> str:
    """Full name and function, never the user name (ivp.core.people)."""
    return person_label(user)


