"""List the accounts (CLI parity with the People page): name, e-mail, function, organisation, role, active, status,
second factor set up. One row per role; an account without a role has one row without organisation and role."""

import json

from django.utils.translation import gettext as _

from ivp.core.management.base import IvpCommand
from ivp.core.mfa import requires_mfa
from ivp.core.models import User
from ivp.core.selectors import person_status


def _organisation_code(organisation) -> str:
    return organisation.cbs_code or organisation.code


class Command(IvpCommand):
    help = "List the accounts with their organisation, role, status and whether two-factor authentication is set up."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, **options):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        with_mfa = set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
        rows = []
        for user in User.objects.prefetch_related("memberships__organisation", "invitations").order_by("username"):
            base = {
                "username": user.username, "name": user.get_full_name(), "email": user.email,
                "function": user.function, "active": user.is_active, "status": str(person_status(user)),
                "mfa_set_up": user.pk in with_mfa, "mfa_required": requires_mfa(user),
                "superuser": user.is_superuser,
            }
            memberships = list(user.memberships.all()) or [None]
            for membership in memberships:
                rows.append({**base,
                             "organisation": _organisation_code(membership.organisation) if membership else None,
                             "organisation_name": membership.organisation.name if membership else None,
                             "role": membership.role if membership else None})
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            mfa = _("2FA set up") if row["mfa_set_up"] else (_("2FA not set up") if row["mfa_required"] else "")
            self.stdout.write(f"{row['username']:<32} {row['name'] or '-':<28} {row['role'] or '-':<12} "
                              f"{row['organisation'] or '-':<20} {row['status']:<18} {mfa}")
        self.stdout.write(_("%d accounts") % len({row["username"] for row in rows}))
