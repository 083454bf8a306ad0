from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from ivp.core.backup import BackupError, backup_read, backup_restore
from ivp.core.management.base import IvpCommand


class Command(IvpCommand):
    help = ("Restore a backup made with `ivp backup` into a freshly migrated, empty database with the same "
            "migrations; all or nothing. See docs/operations.md.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="backup file written by `ivp backup`")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias (default: default)")
        parser.add_argument("--check", action="store_true",
                            help="only check the file (gzip, manifest, checksums, every row); write nothing")

    def handle(self, *args, **options):
        try:
            if options["check"]:
                backup = backup_read(options["file"])
            else:
                backup = backup_restore(options["file"], using=options["database"])
        except BackupError as exc:
            raise CommandError(_("Nothing was restored: %(error)s") % {"error": exc}) from exc
        values = {"file": options["file"], "models": len(backup.objects), "rows": backup.rows,
                  "created": backup.manifest.get("created_at"), "version": backup.manifest.get("ivp_version")}
        if options["check"]:
            self.stdout.write(_("%(file)s is a complete backup: %(models)d tables, %(rows)d rows, made %(created)s "
                                "by IVP %(version)s.") % values)
        else:
            self.stdout.write(_("Restored %(file)s: %(models)d tables, %(rows)d rows (backup of %(created)s, "
                                "IVP %(version)s).") % values)
