"""The append-only audit trail.

Events are only ever inserted. The model refuses updates and deletes, its queryset refuses bulk
update/delete, the admin is read-only, and a database trigger (migration 0002) refuses UPDATE on
every backend and DELETE on PostgreSQL.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditImmutableError(Exception):
    """Raised on any attempt to change or remove an audit event."""


class AuditResult(models.TextChoices):
    SUCCESS = "success", _("succeeded")
    DENIED = "denied", _("denied")
    ERROR = "error", _("error")


class AuditOrigin(models.TextChoices):
    WEB = "web", _("web")
    CLI = "cli", _("command line")
    SYSTEM = "system", _("system")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutableError("audit events cannot be updated")

    def delete(self):
        raise AuditImmutableError("audit events cannot be deleted")

    def for_object(self, obj) -> "AuditEventQuerySet":
        return self.filter(object_type=object_type_of(obj), object_id=str(obj.pk))


def object_type_of(obj) -> str:
    return obj._meta.label_lower


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=200)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    municipality = models.ForeignKey(
        "core.Organisation", verbose_name=_("municipality"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    result = models.CharField(_("result"), max_length=10, choices=AuditResult.choices)
    origin = models.CharField(_("origin"), max_length=10, choices=AuditOrigin.choices)
    origin_ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    message = models.TextField(_("explanation"), blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        app_label = "core"
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.result}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditImmutableError("audit events cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutableError("audit events cannot be deleted")
