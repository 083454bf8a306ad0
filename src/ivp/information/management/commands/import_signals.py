from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ivp.core.management.base import IvpCommand
from ivp.core.models import Organisation
from ivp.core.roles import OrganisationKind
from ivp.information.importer import SignalsImportRefused, signals_import


class Command(IvpCommand):
    help = ("Import an aggregated overview of signals (CSV or XLSX; columns maand, gebied, categorie, bron, aantal, "
            "opvolging, omschrijving; see docs/examples/signals.csv) into a municipality's signals register. The "
            "whole file is checked first, including the personal-data check; any problem refuses it as a whole "
            "(file:line: field: message) and nothing is written. Running the same file again changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--organisation", required=True, help="the municipality's CBS code, e.g. GM0865")
        parser.add_argument("--user", default=None,
                            help="record the import as this user (who must be able to edit the registers); "
                                 "default: the command line")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("File not found: %s") % path)
        municipality = Organisation.objects.filter(cbs_code=options["organisation"].strip().upper(),
                                                   kind=OrganisationKind.MUNICIPALITY).first()
        if municipality is None:
            raise CommandError(_("No municipality with CBS code %s.") % options["organisation"])
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(_("No active user %s.") % options["user"])
        try:
            result = signals_import(actor=actor, municipality=municipality, name=str(path),
                                    content=path.read_bytes())
        except SignalsImportRefused as refused:
            raise CommandError(_("The file was not imported; nothing was written:\n%s") % refused) from None
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(_("%(name)s: %(created)d rows added, %(updated)d changed, %(unchanged)d unchanged.")
                          % {"name": municipality, "created": result.created, "updated": result.updated,
                             "unchanged": result.unchanged})
