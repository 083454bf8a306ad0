from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ivp.core.management.base import IvpCommand
from ivp.information.services import purge_expired_information


class Command(IvpCommand):
    help = ("Delete rows of the information registers whose period ended more than the retention ago "
            "(IVP_INFORMATION_RETENTION_YEARS, default 5; counted from 1 January), with one audit event. Meant to "
            "run from the scheduler; see docs/privacy.md.")

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=None,
                            help="keep this many years (default: IVP_INFORMATION_RETENTION_YEARS)")

    def handle(self, *args, **options):
        years = options["years"] if options["years"] is not None else settings.IVP_INFORMATION_RETENTION_YEARS
        if years < 1:
            raise CommandError(_("--years must be at least 1."))
        counts = purge_expired_information(years=years)
        self.stdout.write(_("Register rows older than %(years)d years deleted: %(total)d.")
                          % {"years": years, "total": sum(counts.values())})
