from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ivp.core.management.base import IvpCommand
from ivp.plans.planfile import PlanFileError, parse_plan_file
from ivp.plans.services import PlanLoadConflict, plan_load


class Command(IvpCommand):
    help = "Load a plan file (YAML). Idempotent; a changed file creates a new plan version."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the plan file (docs/plan-file-format.md)")
        parser.add_argument("--replace-app-edits", action="store_true",
                            help="create a new version even though the current one was edited in the app")

    def handle(self, *args, **options):
        path = options["file"]
        try:
            document = parse_plan_file(path)
            result = plan_load(actor=None, document=document, source_name=str(path),
                               replace_app_edits=options["replace_app_edits"])
        except PlanFileError as exc:
            raise CommandError(_("The plan file was not loaded; nothing was changed.") + "\n" + str(exc)) from exc
        except PlanLoadConflict as exc:
            raise CommandError(str(exc)) from exc
        plan = result.plan
        if result.created:
            self.stdout.write(_("Plan %(key)s version %(version)d loaded from %(path)s.")
                              % {"key": plan.key, "version": plan.version, "path": path})
        else:
            self.stdout.write(_("Plan %(key)s is unchanged (version %(version)d); nothing was changed.")
                              % {"key": plan.key, "version": plan.version})
