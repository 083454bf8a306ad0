"""Organisations (base team, municipalities, partners), users and their memberships."""

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .audit.models import AuditEvent  # noqa: F401  (registers the model with this app)
from .roles import ROLE_ORGANISATION_KIND, OrganisationKind, PartnerKind, Role

cbs_municipality_code = RegexValidator(r"^GM\d{4}$", _("A CBS municipality code is GM followed by 4 digits."))


class User(AbstractUser):
    """A person who signs in. What they may do follows from their memberships.

    Councils and partners read people by their full name and function (`ivp.core.people.person_label`); the user
    name is for signing in and the internal history pages only."""

    function = models.CharField(_("function"), max_length=200, blank=True,
                                help_text=_("Shown beside the name in reports and on public pages, e.g. "
                                            "\"veiligheidsadviseur\"."))

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.get_username()


class Organisation(models.Model):
    kind = models.CharField(_("type"), max_length=20, choices=OrganisationKind.choices)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    cbs_code = models.CharField(
        _("CBS code"), max_length=6, unique=True, null=True, blank=True, validators=[cbs_municipality_code]
    )
    partner_kind = models.CharField(_("partner type"), max_length=30, choices=PartnerKind.choices, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind=OrganisationKind.MUNICIPALITY) | models.Q(cbs_code__isnull=False),
                name="municipality_has_cbs_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_municipality(self) -> bool:
        return self.kind == OrganisationKind.MUNICIPALITY


class Membership(models.Model):
    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="unique_membership_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} ({self.organisation})"

    def clean(self) -> None:
        required = ROLE_ORGANISATION_KIND.get(Role(self.role)) if self.role else None
        if required and self.organisation_id and self.organisation.kind != required:
            raise ValidationError(
                {"organisation": _("The role %(role)s belongs to an organisation of type %(kind)s.")
                 % {"role": Role(self.role).label, "kind": OrganisationKind(required).label}}
            )


class MfaEnrolmentPermit(models.Model):
    """Permission to set up a first authenticator without one (issue 17): given with a new account, by an
    administrator, or by `ivp bootstrap`; it expires, and it is used up when the authenticator is confirmed. Without
    it a password alone cannot add an authenticator to an editor's account (a stolen password would otherwise do)."""

    user = models.OneToOneField(User, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="mfa_enrolment_permit")
    issued_by = models.ForeignKey(User, verbose_name=_("issued by"), null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("permit to set up an authenticator")
        verbose_name_plural = _("permits to set up an authenticator")

    def __str__(self) -> str:
        return f"{self.user} (tot {self.expires_at:%Y-%m-%d %H:%M})"


class Invitation(models.Model):
    """A one-time link with which an invited person sets their password (issue 14, ADR 0014). Only the SHA-256 hash
    of the link's token is stored; the link expires, is used up by accepting it, and a new invitation for the same
    person revokes the older ones."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(_("token (SHA-256)"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(User, verbose_name=_("invited by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    def is_open(self, now=None) -> bool:
        from django.utils import timezone

        return self.accepted_at is None and self.revoked_at is None and self.expires_at > (now or timezone.now())


class CommentQuerySet(models.QuerySet):
    def for_user(self, user):
        """Comments on objects of municipalities the user reads in full; shared-plan comments for all."""
        from .access import access_for

        access = access_for(user)
        if access.read_all:
            return self
        if not access.authenticated:
            return self.none()
        return self.filter(
            models.Q(municipality__isnull=True) | models.Q(municipality_id__in=access.readable_municipality_ids)
        )


class Comment(models.Model):
    """A remark by police, OM, an advisor or the coordinator on a plan object. Never edited."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    municipality = models.ForeignKey(Organisation, verbose_name=_("municipality"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(User, verbose_name=_("author"), on_delete=models.PROTECT, related_name="comments")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["content_type", "object_id"], name="comment_target_idx")]

    def __str__(self) -> str:
        return self.text[:80]
