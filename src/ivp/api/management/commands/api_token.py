from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ivp.api.models import ApiToken
from ivp.api.services import api_token_create, api_token_revoke
from ivp.core.management.base import IvpCommand
from ivp.core.models import User


class Command(IvpCommand):
    help = ("Make a personal read token for the open API (/api/v1) and print it once. The token reads what the user "
            "reads on the pages; it is revoked on the user's Mijn IVP page, or here with --revoke. Audited.")

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="user name")
        parser.add_argument("--name", default="", help="what the token is for (default: command line)")
        parser.add_argument("--days", type=int, default=None, help="valid for this many days (default "
                            "IVP_API_TOKEN_DAYS, 180)")
        parser.add_argument("--revoke", metavar="START", default="",
                            help="revoke the user's tokens that start with these characters (at least 10, as shown "
                                 "on Mijn IVP) instead of making one")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(_("Unknown user %(name)s.") % {"name": options["user"]})
        if options["revoke"]:
            self._revoke(user, options["revoke"])
            return
        try:
            token, secret = api_token_create(actor=None, user=user, name=options["name"] or _("command line"),
                                             days=options["days"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stderr.write(_("Token \"%(name)s\" for %(user)s, valid until %(until)s. It is shown only now:")
                          % {"name": token.name, "user": user.get_username(),
                             "until": token.expires_at.date().isoformat()})
        self.stdout.write(secret)

    def _revoke(self, user, start: str) -> None:
        if len(start) < 10:
            raise CommandError(_("Give at least the first 10 characters of the token."))
        tokens = [t for t in ApiToken.objects.filter(user=user, revoked_at__isnull=True) if start.startswith(t.hint)
                  or t.hint.startswith(start)]
        if not tokens:
            raise CommandError(_("No unrevoked token of %(user)s starts with %(start)s.")
                               % {"user": user.get_username(), "start": start})
        for token in tokens:
            api_token_revoke(actor=None, token=token)
            self.stdout.write(_("Revoked: %(token)s") % {"token": token})
