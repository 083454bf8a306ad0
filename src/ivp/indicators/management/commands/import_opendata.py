import sys
import time

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ivp.core.management.base import IvpCommand
from ivp.indicators.services.snapshot_import import snapshot_import
from ivp.opendata.snapshot.records import SnapshotError


class Progress:
    """A one-line progress indicator on stderr (only when stderr is a terminal, or when forced)."""

    def __init__(self, stream, enabled: bool):
        self.stream, self.enabled, self.last = stream, enabled, 0.0

    def __call__(self, name: str, rows: int) -> None:
        now = time.monotonic()
        if self.enabled and now - self.last > 0.1:
            self.stream.write(f"\r  {name}: {rows:>8,} " + _("rows read") + " " * 10)
            self.stream.flush()
            self.last = now

    def done(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * 100 + "\r")


class Command(IvpCommand):
    help = "Import an offline open-data snapshot folder (sub-folders included) or a single file."

    def add_arguments(self, parser):
        parser.add_argument("path", help="folder (e.g. ../shared/data) or file")
        parser.add_argument("--progress", action="store_true", help="show progress even when not on a terminal")

    def handle(self, *args, **options):
        progress = Progress(sys.stderr, options["progress"] or sys.stderr.isatty())
        try:
            result = snapshot_import(actor=None, root=options["path"], progress=progress)
        except SnapshotError as exc:
            progress.done()
            raise CommandError(
                _("The open data were not imported; nothing was changed. %(n)d problem(s):")
                % {"n": len(exc.issues)} + "\n" + str(exc)
            ) from exc
        progress.done()
        for name, fmt, rows in result.files:
            self.stdout.write(_("  read %(name)s (%(fmt)s): %(rows)d rows") % {"name": name, "fmt": fmt, "rows": rows})
        for name, reason in result.ignored:
            # The reasons are marked for translation where the formats are registered (ivp.opendata.snapshot.formats).
            self.stdout.write(_("  not imported: %(name)s (%(reason)s)") % {"name": name, "reason": _(reason)})
        self.stdout.write(result.summary())
