from django.utils.translation import gettext as _

from ivp.core.management.base import IvpCommand
from ivp.core.models import Organisation
from ivp.core.roles import OrganisationKind
from ivp.information.figures import sync_register_figures


class Command(IvpCommand):
    help = ("Recompute the figures of the information registers (the register indicators of goal 6) for every "
            "municipality, or one. Normally not needed: every register change does this itself; use it after a "
            "restore. A re-run changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--organisation", default="", help="CBS code of one municipality, e.g. GM0865")

    def handle(self, *args, **options):
        municipalities = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).order_by("name")
        if options["organisation"]:
            municipalities = municipalities.filter(cbs_code=options["organisation"])
        for municipality in municipalities:
            changed = sync_register_figures(municipality=municipality)
            self.stdout.write(_("%(name)s: %(n)d register figures changed.") % {"name": municipality.name,
                                                                                 "n": changed})
