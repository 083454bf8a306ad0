"""The council information letter (raadsinformatiebrief): two or three pages for the council, made from the same
report model as the full report of its period (midterm evaluation or annual progress report): the key points, the
college's conclusions and recommendations, the state of the execution per theme and a reference to the full report.
It holds no figures of its own, so nothing in it can differ from the full report."""

from __future__ import annotations

import dataclasses
from collections import Counter

from django.utils.translation import gettext as _

from ivp import notation

from .. import content as c


def _addressee(report: c.Report) -> str:
    if report.is_base_team:
        return _("the municipal councils of the base team's municipalities")
    return _("the municipal council of %(name)s") % {"name": report.area_name}


def full_report_reference(report: c.Report, *, filename: str = "", sha256: str = "") -> list[str]:
    """How the letter points to the full report: title, version and state, the file, and its checksum when the
    report is adopted (the kept file the letter refers to)."""
    version = (_("version %(number)s") % {"number": report.report_number}) if report.report_number else ""
    lines = [", ".join(part for part in (report.title, version, report.status_label) if part) + "."]
    lines.append(_("File: %(name)s.") % {"name": filename or f"{report.file_stem}.pdf"})
    if sha256:
        lines.append(_("SHA-256 checksum of that file: %(hash)s.") % {"hash": sha256})
    lines.append(_("The full report is attached to this letter; councillors also find it under \"Reports\" of "
                   "%(area)s in the IVP-application.") % {"area": report.area_name})
    return lines


def as_letter(report: c.Report, *, filename: str = "", sha256: str = "") -> c.Report:
    """The letter as a report model of variant "letter" (rendered by the same HTML, PDF and DOCX pipeline)."""
    rows = []
    for theme in report.themes:
        statuses = Counter(a.status for a in theme.activities)
        rows.append((f"{theme.number}. {theme.title}", notation.integer(len(theme.activities)),
                     "; ".join(f"{label}: {notation.integer(n)}" for label, n in statuses.items()) or "-"))
    letter = dataclasses.replace(
        report, variant="letter", kind="letter", kind_label=_("Council information letter"),
        letter_title=report.title,
        title=_("Council information letter: %(title)s") % {"title": report.title},
        subtitle=_("Council information letter on the %(kind)s %(period)s") % {
            "kind": report.kind_label.lower(), "period": report.period},
        file_stem=report.file_stem.replace("tussentijdse-evaluatie-", "raadsinformatiebrief-tussentijdse-evaluatie-")
        .replace("voortgangsrapportage-", "raadsinformatiebrief-voortgangsrapportage-"),
        toc=[], letter_themes=rows)
    letter.letter_facts = [
        c.Fact(_("To"), _addressee(report)),
        c.Fact(_("From"), _("the college of mayor and aldermen")),
        c.Fact(_("Subject"), report.title),
        c.Fact(_("As of"), report.as_of_label),
        c.Fact(_("Status"), report.status_label),
        c.Fact(_("Date"), report.made_at_label),
    ]
    letter.full_report_reference = full_report_reference(report, filename=filename, sha256=sha256)
    return letter
