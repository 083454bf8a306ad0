"""Base for IVP's management commands: Dutch messages and a command-line audit origin."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from ivp.core.audit.context import origin
from ivp.core.audit.models import AuditOrigin


class IvpCommand(BaseCommand):
    def execute(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE), origin(AuditOrigin.CLI):
            return super().execute(*args, **options)
