import os
import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ivp.core.management.base import IvpCommand
from ivp.reports.api import FORMATS, KINDS, build_report, render_report, validate_request

FIELD_OPTIONS = {"area_code": "--area", "kind": "--kind", "period": "--period", "fmt": "--format"}


class Command(IvpCommand):
    help = ("Make a council report (midterm evaluation or annual progress report) for a municipality or the base "
            "team, as HTML, PDF or DOCX. The data are read as --user, with that user's rights (the figures follow "
            "the public rules).")

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="CBS code of the municipality (GM0865) or 'basisteam'")
        parser.add_argument("--kind", required=True, help=f"one of: {', '.join(KINDS)}")
        parser.add_argument("--period", required=True, help="midterm: 2023-2024 or 2025-2026; annual: a year")
        parser.add_argument("--format", dest="fmt", required=True, help=f"one of: {', '.join(FORMATS)}")
        parser.add_argument("-o", "--output", required=True, help="the file to write")
        parser.add_argument("--user", required=True,
                            help="username whose rights apply (e.g. the municipality's safety advisor)")

    def handle(self, *args, **options):
        area, kind, period, fmt = options["area"], options["kind"], options["period"], options["fmt"]
        output = Path(options["output"])
        try:
            validate_request(area_code=area, kind=kind, period=period, fmt=fmt)
        except ValidationError as error:
            raise CommandError(self._messages(error)) from None
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(_("No active user \"%(name)s\".") % {"name": options["user"]})
        if not output.parent.exists() or not output.parent.is_dir():
            raise CommandError(_("The folder %(folder)s does not exist.") % {"folder": output.parent})

        def progress(step: str, fraction: float) -> None:
            self.stderr.write(f"[{round(fraction * 100):3d}%] {step}")

        try:
            report = build_report(user=user, area_code=area, kind=kind, period=period, progress=progress)
            rendered = render_report(report, fmt, progress=progress)
        except PermissionDenied as error:
            raise CommandError(str(error) or _("You may not make this report.")) from None
        except ValidationError as error:
            raise CommandError(self._messages(error)) from None
        _write_atomically(output, rendered.content)
        self.stderr.write(_("Written: %(path)s (%(size)s bytes)") % {"path": output, "size": len(rendered.content)})

    def _messages(self, error: ValidationError) -> str:
        if hasattr(error, "message_dict"):
            return "\n".join(f"{FIELD_OPTIONS.get(field, field)}: {' '.join(messages)}"
                             for field, messages in error.message_dict.items())
        return " ".join(error.messages)


def _write_atomically(path: Path, content: bytes) -> None:
    """Write to a temporary file beside the target, then rename: never a half-written file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
