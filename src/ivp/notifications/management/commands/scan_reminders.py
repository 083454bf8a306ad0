from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ivp.notifications.jobs import scan_reminders


class Command(BaseCommand):
    help = _("Look for stale activities, overdue milestones and agreement reviews that are due, and notify the "
             "people concerned (once per occasion). Run daily.")

    def handle(self, *args, **options) -> None:
        counts = scan_reminders()
        total = sum(counts.values())
        self.stdout.write(_("%(count)d new notification(s).") % {"count": total})
        for key, count in counts.items():
            self.stdout.write(f"  {key}: {count}")
