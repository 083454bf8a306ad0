from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ivp.core.management.base import IvpCommand
from ivp.plans.export import plan_document
from ivp.plans.models import Plan
from ivp.plans.planfile import dump_json, dump_yaml


class Command(IvpCommand):
    help = "Write a plan version as a plan file (YAML) or JSON. Default: the newest version."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "yaml"], default="yaml")
        parser.add_argument("--key", help="plan key (default: the most recently loaded plan)")
        parser.add_argument("--plan-version", dest="plan_version", type=int, help="plan version (default: newest)")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, **options):
        plans = Plan.objects.all()
        if options["key"]:
            plans = plans.filter(key=options["key"])
        if options["plan_version"]:
            plans = plans.filter(version=options["plan_version"])
        plan = plans.order_by("-created_at", "-version").first()
        if plan is None:
            raise CommandError(_("No plan was found. First load a plan with: ivp load_plan FILE"))
        document = plan_document(plan)
        text = dump_json(document) if options["format"] == "json" else dump_yaml(document)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as fh:
                fh.write(text)
        else:
            self.stdout.write(text, ending="")
