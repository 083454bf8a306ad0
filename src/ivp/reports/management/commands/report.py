import datetime as dt
import os
import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ivp.core.management.base import IvpCommand
from ivp.reports.api import (
    FORMATS,
    KINDS,
    LETTER,
    build_report,
    full_kind,
    normalise_kind,
    render_report,
    validate_request,
)
from ivp.reports.models import FileVariant
from ivp.reports.selectors import council_report_file, latest_council_report
from ivp.reports.services import normalise_area_code

FIELD_OPTIONS = {"area_code": "--area", "kind": "--kind", "period": "--period", "fmt": "--format",
                 "as_of": "--as-of"}


class Command(IvpCommand):
    help = ("Make a council report (midterm evaluation or annual progress report) for a municipality or the base "
            "team, as HTML, PDF or DOCX. The data are read as --user, with that user's rights (the figures follow "
            "the public rules).")

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="CBS code of the municipality (GM0865) or 'basisteam'")
        parser.add_argument("--kind", required=True,
                            help=f"one of: {', '.join(KINDS)} (letter: the council information letter, "
                                 f"raadsinformatiebrief)")
        parser.add_argument("--period", required=True, help="midterm: 2023-2024 or 2025-2026; annual: a year")
        parser.add_argument("--format", dest="fmt", required=True, help=f"one of: {', '.join(FORMATS)}")
        parser.add_argument("-o", "--output", required=True, help="the file to write")
        parser.add_argument("--user", required=True,
                            help="username whose rights apply (e.g. the municipality's safety advisor)")
        parser.add_argument("--as-of", dest="as_of", default=None, metavar="YYYY-MM-DD",
                            help="the report's as-of date (peildatum): each activity as it stood that day; "
                                 "default the end of the period (today while the period runs)")

    def handle(self, *args, **options):
        area, kind, period, fmt = options["area"], normalise_kind(options["kind"]), options["period"], options["fmt"]
        output = Path(options["output"])
        as_of = None
        if options["as_of"]:
            try:
                as_of = dt.date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError(_("--as-of: give a date as YYYY-MM-DD, e.g. 2024-12-31.")) from None
        try:
            validate_request(area_code=area, kind=kind, period=period, fmt=fmt, as_of=as_of)
        except ValidationError as error:
            raise CommandError(self._messages(error)) from None
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(_("No active user \"%(name)s\".") % {"name": options["user"]})
        if not output.parent.exists() or not output.parent.is_dir():
            raise CommandError(_("The folder %(folder)s does not exist.") % {"folder": output.parent})

        def progress(step: str, fraction: float) -> None:
            self.stderr.write(f"[{round(fraction * 100):3d}%] {step}")

        area_code = normalise_area_code(area)
        council_report = latest_council_report(area_code, full_kind(kind, period), period)
        try:
            if council_report is not None and council_report.is_frozen:
                content = self._kept_file(user, council_report, kind, fmt, as_of)
            else:
                report = build_report(user=user, area_code=area_code, kind=kind, period=period, progress=progress,
                                      as_of=as_of, council_report=council_report)
                content = render_report(report, fmt, progress=progress).content
        except PermissionDenied as error:
            raise CommandError(str(error) or _("You may not make this report.")) from None
        except ValidationError as error:
            raise CommandError(self._messages(error)) from None
        _write_atomically(output, content)
        self.stderr.write(_("Written: %(path)s (%(size)s bytes)") % {"path": output, "size": len(content)})

    def _kept_file(self, user, council_report, kind: str, fmt: str, as_of) -> bytes:
        """An adopted report is never made again: its kept file, byte for byte (read with the user's rights)."""
        if as_of is not None and as_of != council_report.as_of:
            raise CommandError(_("--as-of: this report was adopted by the college as of %(date)s and is frozen; "
                                 "start a new draft version for another as-of date.") % {
                "date": council_report.as_of.strftime("%d-%m-%Y")})
        variant = FileVariant.LETTER if kind == LETTER else FileVariant.REPORT
        kept = council_report_file(user, council_report.pk, variant, fmt)
        if kept is None:
            raise PermissionDenied(_("You may not read this report."))
        self.stderr.write(_("Adopted by the college on %(date)s (version %(number)s): the kept file is written, not "
                            "made again.") % {"date": council_report.adopted_on.strftime("%d-%m-%Y"),
                                              "number": council_report.number})
        return bytes(kept.content)

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
