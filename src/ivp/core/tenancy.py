"""Tenancy: rows that belong to one municipality, read only through `for_user()` (see ADR 0002)."""

from django.db import models

from .access import access_for


class MunicipalityOwnedQuerySet(models.QuerySet):
    """Signalen-style scoping: the only way views read municipality-owned rows."""

    def for_user(self, user):
        access = access_for(user)
        if access.read_all:
            return self
        if not access.authenticated:
            return self.filter(self.model.public_q())
        if access.readable_municipality_ids:
            # Municipal users see their own municipality only (another's objects answer 404, even
            # published ones); rows of the base team as a whole (no municipality) are shared with them.
            scope = models.Q(municipality_id__in=access.readable_municipality_ids) | models.Q(municipality__isnull=True)
            if access.partner_organisation_ids:
                scope |= self.model.shared_q(access.partner_organisation_ids)
        else:
            # Partners (and members without a municipal role): what is published plus what is
            # explicitly shared with their organisation (ADR 0002).
            scope = self.model.public_q() | self.model.shared_q(access.partner_organisation_ids)
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
