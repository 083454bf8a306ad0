import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ivp.areas.models import Area
from ivp.core.management.base import IvpCommand
from ivp.indicators.definitions import INDICATORS
from ivp.indicators.documents import series_document
from ivp.indicators.series import BASE_TEAM, indicator_series


class Command(IvpCommand):
    help = "Print an indicator's series for an area: period, count, population, rate, interval, verdict."

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help=f"CBS code (GM/WK/BU) or '{BASE_TEAM}'")
        parser.add_argument("--indicator", required=True, help="indicator code (see: ivp indicators)")
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument("--period", choices=["year", "month"], default="year",
                            help="yearly figures (default) or monthly ones (compared with the same month a "
                                 "year before)")

    def handle(self, *args, **options):
        code = options["indicator"]
        if code not in INDICATORS:
            raise CommandError(_("Unknown indicator %(code)s; known: %(known)s")
                               % {"code": code, "known": ", ".join(INDICATORS)})
        area = options["area"].strip()
        if area != BASE_TEAM:
            area = area.upper()
            if not Area.objects.filter(code=area).exists():
                raise CommandError(_("Unknown area %(code)s. Import the open data first (ivp import_opendata DIR).")
                                   % {"code": area})
        document = series_document(indicator_series(code, area, by_month=options["period"] == "month"))
        if options["format"] == "json":
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{document['indicator_name']} - {document['area_name']} ({document['source_table']})")
        if document["no_data"]:
            self.stdout.write(document["no_data_reason"])
        for p in document["points"]:
            self.stdout.write(f"{p['period']}  {p['count']!s:>7}  {p['population']!s:>8}  {p['rate']!s:>9}  "
                              f"[{p['rate_lower']}, {p['rate_upper']}]  {p['verdict'] or ''}  {p['note']}")
