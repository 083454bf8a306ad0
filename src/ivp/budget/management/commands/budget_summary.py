import datetime as dt
import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ivp.budget.export import summary_csv, summary_document
from ivp.budget.selectors import MAX_YEAR, MIN_YEAR
from ivp.budget.summary import year_summary
from ivp.core.management.base import IvpCommand
from ivp.money import format_euro, format_number


class Command(IvpCommand):
    help = ("Print the year summary of the safety fund: contributions per municipality (CBS code, population used, "
            "population date, rate, amount in cents), allocations, commitments, expenditures, balance and totals.")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=dt.date.today().year, help="year (default: this year)")
        parser.add_argument("--format", choices=["json", "csv", "text"], default="text")

    def handle(self, *args, **options):
        year = options["year"]
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise CommandError(_("Choose a year between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR})
        summary = year_summary(year)
        if options["format"] == "json":
            self.stdout.write(json.dumps(summary_document(summary), ensure_ascii=False, indent=2))
            return
        if options["format"] == "csv":
            self.stdout.write(summary_csv(summary).lstrip("\ufeff"), ending="")
            return
        self.stdout.write(_("Safety fund %(year)s, rate %(rate)s per inhabitant")
                          % {"year": year, "rate": format_euro(summary.rate_cents)})
        for c in summary.contributions:
            population = format_number(c.population) if c.population is not None else "-"
            date = c.population_date.isoformat() if c.population_date else "-"
            self.stdout.write(f"  {c.cbs_code}  {c.municipality.name:<22} {population:>9}  {date}  "
                              f"{format_euro(c.amount_cents):>14}")
        rows = [(_("Contributions"), summary.contributions_cents), (_("Allocated"), summary.allocated_cents),
                (_("Committed"), summary.committed_cents), (_("Spent"), summary.spent_cents),
                (_("Balance (contributions - expenditures)"), summary.balance_cents)]
        for label, cents in rows:
            self.stdout.write(f"{label:<44} {format_euro(cents):>14}")
        for warning in summary.warnings:
            self.stderr.write(warning)
