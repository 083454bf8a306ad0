import json

from django.utils.translation import gettext as _

from ivp.core.management.base import IvpCommand
from ivp.indicators.definitions import INDICATORS


class Command(IvpCommand):
    help = "List the indicators: code, name, general goals, themes, sources."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, **options):
        rows = [{
            "code": i.code, "name": str(i.name), "description": str(i.description), "goals": list(i.goals),
            "themes": list(i.themes), "unit": i.unit, "per": i.per,
            "sources": [{"table": s.table, "categories": list(s.categories), "levels": list(s.levels)
                         + list(s.sum_children_for)} for s in i.sources],
            "production_source": str(i.production_source),
        } for i in INDICATORS.values()]
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            self.stdout.write(f"{row['code']:<24} {row['name']}  [{', '.join(row['goals'])}]")
        self.stdout.write(_("%d indicators") % len(rows))
