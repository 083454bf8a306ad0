from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ivp.core.management.base import IvpCommand
from ivp.plans.export import plan_document
from ivp.plans.models import Plan
from ivp.plans.planfile import dump_json, dump_yaml


class Command(IvpCommand):
    help = ("Write a plan version as a plan file (YAML) or JSON. Default: the current version; --proposal: the open "
            "proposal made in the application (a concept or a version out for consultation).")

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "yaml"], default="yaml")
        parser.add_argument("--key", help="plan key (default: the most recently loaded plan)")
        parser.add_argument("--plan-version", dest="plan_version", type=int,
                            help="plan version (default: the current one); any version, also a proposal")
        parser.add_argument("--proposal", action="store_true",
                            help="the open proposal (a new version or next period made in the application)")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, **options):
        plans = Plan.objects.all()
        if options["key"]:
            plans = plans.filter(key=options["key"])
        if options["plan_version"]:
            plans = plans.filter(version=options["plan_version"])
        elif options["proposal"]:
            plans = plans.filter(is_proposal=True)
        else:
            plans = plans.filter(is_proposal=False)
        plan = plans.order_by("-created_at", "-version").first()
        if plan is None and options["proposal"]:
            raise CommandError(_("There is no open proposal for a new plan version."))
        if plan is None:
            raise CommandError(_("No plan was found. First load a plan with: ivp load_plan FILE"))
        document = plan_document(plan)
        text = dump_json(document) if options["format"] == "json" else dump_yaml(document)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as fh:
                fh.write(text)
        else:
            self.stdout.write(text, ending="")
