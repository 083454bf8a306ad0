from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ivp.notifications.jobs import send_digests


class Command(BaseCommand):
    help = _("E-mail everyone their weekly digest of unread notifications (each notification once). Run weekly.")

    def handle(self, *args, **options) -> None:
        sent = send_digests()
        self.stdout.write(_("%(count)d digest e-mail(s) sent.") % {"count": sent})
