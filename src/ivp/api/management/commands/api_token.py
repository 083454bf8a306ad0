from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ivp.api.services import api_token_create
from ivp.core.management.base import IvpCommand
from ivp.core.models import User


class Command(IvpCommand):
    help = ("Make a personal read token for the open API (/api/v1) and print it once. The token reads what the user "
            "reads on the pages; it is revoked on the user's Mijn IVP page. Audited.")

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="user name")
        parser.add_argument("--name", default="", help="what the token is for (default: command line)")
        parser.add_argument("--days", type=int, default=None, help="valid for this many days (default "
                            "IVP_API_TOKEN_DAYS, 180)")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(_("Unknown user %(name)s.") % {"name": options["user"]})
        try:
            token, secret = api_token_create(actor=None, user=user, name=options["name"] or _("command line"),
                                             days=options["days"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stderr.write(_("Token \"%(name)s\" for %(user)s, valid until %(until)s. It is shown only now:")
                          % {"name": token.name, "user": user.get_username(),
                             "until": token.expires_at.date().isoformat()})
        self.stdout.write(secret)
