"""Invite a person by e-mail (CLI parity with the People page): the account is made with its role, an e-mail with a
one-time link goes out (IVP_EMAIL_URL), and the link is printed (IVP_BASE_URL)."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ivp.core.management.base import IvpCommand
from ivp.core.models import Organisation
from ivp.core.people import INVITATION_VALIDITY, person_invite
from ivp.core.roles import Role


class Command(IvpCommand):
    help = ("Invite a person: make their account with a role in an organisation and send a one-time link (valid "
            f"{INVITATION_VALIDITY.days} days) to set their password; the link is printed too.")

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="e-mail address (also the user name)")
        parser.add_argument("--organisation", required=True,
                            help="CBS code of a municipality (GM0865) or the code of an organisation "
                                 "(basisteam-meierij, politie, om, ...)")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--name", required=True, help='full name, e.g. "Jan van der Berg"')
        parser.add_argument("--function", default="", help="function, e.g. policy advisor public order and safety")

    def handle(self, *args, **options):
        code = options["organisation"].strip()
        organisation = Organisation.objects.filter(Q(cbs_code__iexact=code) | Q(code__iexact=code)).first()
        if organisation is None:
            raise CommandError(_("Unknown organisation %(code)s.") % {"code": code})
        try:
            sent = person_invite(actor=None, email=options["email"], name=options["name"], organisation=organisation,
                                 role=options["role"], function=options["function"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        membership = sent.user.memberships.get()
        self.stdout.write(_("Invited %(name)s <%(email)s> as %(role)s, %(organisation)s.")
                          % {"name": sent.user.display_name, "email": sent.user.email,
                             "role": membership.get_role_display(), "organisation": organisation.name})
        self.stdout.write(_("E-mail sent.") if sent.mailed else _("The e-mail could not be sent (see the log); give "
                                                                  "the person this link yourself."))
        self.stdout.write(_("One-time link (valid until %(date)s):") % {
            "date": f"{timezone.localtime(sent.invitation.expires_at):%Y-%m-%d %H:%M}"})
        self.stdout.write(sent.url)
