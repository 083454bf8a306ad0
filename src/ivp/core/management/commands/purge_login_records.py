from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ivp.core.login_records import login_records_purge
from ivp.core.management.base import IvpCommand


class Command(IvpCommand):
    help = ("Delete sign-in records (IP address, browser) older than the retention: django-axes' access logs, "
            "failure logs and attempts, and the audit trail's sign-in events. Default: "
            "IVP_LOGIN_RECORDS_RETENTION_DAYS (180). Run daily, e.g. from cron. See docs/operations.md.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help="keep this many days (default: IVP_LOGIN_RECORDS_RETENTION_DAYS)")

    def handle(self, *args, **options):
        days = options["days"] if options["days"] is not None else settings.IVP_LOGIN_RECORDS_RETENTION_DAYS
        if days < 1:
            raise CommandError(_("--days must be at least 1."))
        counts = login_records_purge(actor=None, older_than_days=days)
        self.stdout.write(_("Sign-in records older than %(days)d days deleted: %(events)d audit events, "
                            "%(logs)d access logs, %(failures)d failure logs, %(attempts)d attempts.")
                          % {"days": days, "events": counts["audit_events"], "logs": counts["axes_access_logs"],
                             "failures": counts["axes_failure_logs"], "attempts": counts["axes_attempts"]})
