from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError
from django.utils.translation import gettext as _

from ivp.core.backup import BackupError, backup_write
from ivp.core.management.base import IvpCommand


class Command(IvpCommand):
    help = ("Write a database-independent backup (gzip'd JSON with a manifest and checksums) of every table, "
            "audit trail and users included. See docs/operations.md.")

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="backup file to write (e.g. ivp-2026-11-28.json.gz)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias (default: default)")

    def handle(self, *args, **options):
        try:
            summary = backup_write(options["output"], using=options["database"])
        except (BackupError, OSError, DatabaseError) as exc:
            raise CommandError(_("No backup was written: %(error)s") % {"error": exc}) from exc
        self.stdout.write(_("Backup written to %(path)s: %(models)d tables, %(rows)d rows, %(size)d bytes, "
                            "sha256 %(sha256)s.")
                          % {"path": summary.path, "models": summary.models, "rows": summary.rows,
                             "size": summary.size, "sha256": summary.sha256})
