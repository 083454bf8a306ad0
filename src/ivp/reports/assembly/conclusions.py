"""The college's conclusions and recommendations (overall and per theme) and the report's approval state, from the
council report version the report is made for (ivp.reports.models.CouncilReport; None: no version registered)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from ivp import notation

from .. import content as c


def paragraphs(text: str) -> list[str]:
    """Text as written in the form: paragraphs separated by a blank line, single line breaks kept as spaces."""
    return [" ".join(part.split()) for part in re.split(r"\n\s*\n", text or "") if part.strip()]


def approval_label(council_report) -> str:
    """"concept" or "vastgesteld door het college op 11-02-2025 (besluit B&W 2025/17)"."""
    if council_report is None or council_report.is_concept:
        return _("draft")
    text = _("adopted by the college on %(date)s") % {"date": notation.date(council_report.adopted_on)}
    if council_report.decision_reference:
        text = _("%(state)s (decision %(reference)s)") % {"state": text,
                                                          "reference": council_report.decision_reference}
    return text


def conclusions_section(council_report, themes: list[c.ThemeSection]) -> c.ConclusionsSection:
    if council_report is None:
        return c.ConclusionsSection([], [], _("The college has not yet written conclusions and recommendations for "
                                             "this report."))
    per_theme = council_report.theme_conclusions or {}
    items = [c.ThemeConclusion(f"conclusie-{theme.code}",
                               _("Theme %(number)s: %(title)s") % {"number": theme.number, "title": theme.title},
                               paragraphs(per_theme.get(theme.code, "")))
             for theme in themes if paragraphs(per_theme.get(theme.code, ""))]
    overall = paragraphs(council_report.conclusions)
    if council_report.is_concept:
        note = (_("Draft: the college has not adopted these conclusions and recommendations yet.")
                if overall or items else
                _("The college has not yet written conclusions and recommendations for this report."))
    else:
        note = _("The college adopted this report, with these conclusions and recommendations, on %(date)s.") % {
            "date": notation.date(council_report.adopted_on)}
    return c.ConclusionsSection(overall, items, note)
