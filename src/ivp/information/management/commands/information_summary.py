import json

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ivp.core.management.base import IvpCommand
from ivp.core.models import Organisation
from ivp.core.roles import OrganisationKind
from ivp.information.services import record_read
from ivp.information.summary import Period, information_summary


class Command(IvpCommand):
    help = ("Print the aggregates of a municipality's information registers (signals, integral controls, Bibob, "
            "youth groups, LIO, AVE) for a year or quarter, as USER may see them: in detail for the coordinator, "
            "the municipality's advisor, police and OM; for others only municipal totals that passed the "
            "publication gate and suppression. Every run is recorded in the audit trail.")

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="the municipality's CBS code, e.g. GM0865")
        parser.add_argument("--period", required=True, help="a year (2024) or a quarter (2024-Q1)")
        parser.add_argument("--user", required=True, help="the user whose view is printed (and recorded)")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, **options):
        municipality = Organisation.objects.filter(cbs_code=options["area"].strip().upper(),
                                                   kind=OrganisationKind.MUNICIPALITY).first()
        if municipality is None:
            raise CommandError(_("No municipality with CBS code %s.") % options["area"])
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(_("No active user %s.") % options["user"])
        try:
            period = Period.parse(options["period"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        document = information_summary(user=user, municipality=municipality, period=period)
        record_read(actor=user, what="information.summary", municipality=municipality,
                    detail={"period": period.label, "audience": document["audience"],
                            "registers": sorted(document["registers"]), "format": options["format"]})
        if options["format"] == "json":
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{municipality.name} ({municipality.cbs_code}), {period.label}: {document['audience']}")
        for register, values in document["registers"].items():
            self.stdout.write(f"  {register}: {json.dumps(values, ensure_ascii=False)}")
        for register in document.get("withheld", []):
            self.stdout.write("  " + _("%(register)s: not published") % {"register": register})
