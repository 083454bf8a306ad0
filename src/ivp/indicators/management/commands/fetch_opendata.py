"""Fetch the figures of the plan's municipalities from the CBS/Politie open-data service (OData v3).

Incremental by default: once the police figures are in the database, only the revision window is fetched
(docs/adr/0008-incremental-open-data-update.md). ``--full`` fetches and compares everything again.
"""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ivp.core.management.base import IvpCommand
from ivp.indicators.services.online_import import OnlineImportError, online_import
from ivp.opendata.snapshot.records import SnapshotError


class Command(IvpCommand):
    help = "Fetch the figures from the CBS/Politie open-data service (an update of recent months; --full: all)."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true",
                            help="fetch every period again instead of the recent months (revision window)")

    def handle(self, *args, **options):
        try:
            result = online_import(actor=None, full=options["full"])
        except (OnlineImportError, SnapshotError) as exc:
            raise CommandError(_("The open data were not imported; nothing was changed. %(error)s")
                               % {"error": exc}) from exc
        self.stdout.write(result.summary())
