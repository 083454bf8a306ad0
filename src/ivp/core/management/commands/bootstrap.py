"""Set up a local installation: migrate, load the plan, create the local administrator once.

Safe to re-run: an unchanged plan is not loaded again and an existing administrator keeps their
password unless --reset-admin-password is given.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from ivp.core.management.base import IvpCommand
from ivp.core.models import Membership, User
from ivp.core.roles import ADMINISTRATOR_ROLE
from ivp.core.selectors import base_team
from ivp.core.services import membership_create, mfa_enrolment_permit_issue, user_create, user_set_password

ADMIN_USERNAME = "admin"


class Command(IvpCommand):
    help = "Migrate, load the plan file and create the local administrator (password printed once)."

    def add_arguments(self, parser):
        parser.add_argument("--reset-admin-password", action="store_true",
                            help="give the local administrator a new random password and print it")
        parser.add_argument("--plan-file", default=None, help="plan file to load (default: IVP_PLAN_FILE)")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(_("Database updated."))
        try:
            call_command("load_plan", options["plan_file"] or settings.IVP_PLAN_FILE, stdout=self.stdout)
        except CommandError as exc:
            # An app-edited plan is not an installation failure: report it and go on.
            self.stderr.write(str(exc))
        self._load_open_data()
        self._ensure_admin(reset=options["reset_admin_password"])

    def _load_open_data(self) -> None:
        """Figures: the offline snapshot when IVP_OPENDATA_DIR is set, else the open-data service.

        A failure here never stops the installation: the app starts and says which figures are missing.
        """
        from ivp.indicators.services.online_import import OnlineImportError, online_import
        from ivp.opendata.snapshot.records import SnapshotError

        folder = settings.IVP_OPENDATA_DIR
        if folder:
            try:
                call_command("import_opendata", folder, stdout=self.stdout)
            except CommandError as exc:
                self.stderr.write(_("Open data from %(folder)s could not be imported:") % {"folder": folder})
                self.stderr.write(str(exc))
            return
        self.stdout.write(_("IVP_OPENDATA_DIR is not set: fetching figures from the CBS/Politie open-data service..."))
        try:
            result = online_import(actor=None)
        except (OnlineImportError, SnapshotError) as exc:
            self.stderr.write(
                _("No figures loaded: the open-data service could not be used (%(error)s). The app starts without "
                  "figures; set IVP_OPENDATA_DIR to an offline snapshot folder (e.g. ../shared/data) and run again.")
                % {"error": exc})
            return
        self.stdout.write(_("Figures fetched from the open-data service.") if result.changed
                          else _("Figures from the open-data service unchanged."))

    def _ensure_admin(self, *, reset: bool) -> None:
        admin = User.objects.filter(username=ADMIN_USERNAME).first()
        password = None
        if admin is None:
            admin, password = user_create(actor=None, username=ADMIN_USERNAME, is_superuser=True)
        elif reset:
            password = user_set_password(actor=None, user=admin)
            if not TOTPDevice.objects.filter(user=admin, confirmed=True).exists():
                # Whoever runs this command on the server may let the administrator set up an authenticator.
                mfa_enrolment_permit_issue(actor=None, user=admin)
        team = base_team()
        if team and not Membership.objects.filter(user=admin, organisation=team, role=ADMINISTRATOR_ROLE).exists():
            membership_create(actor=None, user=admin, organisation=team, role=ADMINISTRATOR_ROLE)
        if password:
            bar = "=" * 64
            self.stdout.write(
                f"{bar}\n" + _("Local administrator: username %(user)s, password %(password)s")
                % {"user": ADMIN_USERNAME, "password": password}
                + "\n" + _("This password is shown only once. New password: scripts/run "
                           "--reset-admin-password") + f"\n{bar}"
            )
        else:
            self.stdout.write(_("Local administrator %(user)s already exists; the password has not been changed.")
                              % {"user": ADMIN_USERNAME})
