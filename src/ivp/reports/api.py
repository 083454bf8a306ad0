"""The interface of the council reports, for the web views, the background runner and the CLI.

    validate_request(area_code=..., kind=..., period=..., fmt=..., as_of=None) -> None or ValidationError({field: msg})
    period_choices(kind)                                             -> ["2023-2024", "2025-2026"] / ["2023", ...]
    default_as_of(kind, period)                                      -> the end of the period (today while it runs)
    build_report(user=..., area_code=..., kind=..., period=..., progress=None, as_of=None) -> Report
    render_report(report, fmt, progress=None)                         -> RenderedReport(content, filename, content_type)

`progress`, when given, is called as `progress(step, fraction)`: a translated label and 0..1.
See docs/reports.md and docs/adr/0005-council-reports.md.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ivp.registry import Registry

KINDS = ("midterm", "annual", "letter")
# The council information letter (raadsinformatiebrief) is made from the full report of its period: the midterm
# evaluation of a two-year period, the annual progress report of a year.
LETTER = "letter"
KIND_ALIASES = {"raadsinformatiebrief": LETTER}
BASE_TEAM_AREA = "basisteam"

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class Renderer:
    """A format a report is rendered in. The renderer is imported when it is used: the PDF and Word libraries
    are large, and a web process that only lists reports never needs them."""

    content_type: str
    module: str
    function: str

    def load(self) -> Callable[..., bytes]:
        return getattr(importlib.import_module(self.module), self.function)


RENDERERS: Registry[Renderer] = Registry("report format")
RENDERERS.register("html", Renderer("text/html; charset=utf-8", "ivp.reports.render.html", "render_html"))
RENDERERS.register("pdf", Renderer("application/pdf", "ivp.reports.render.pdf", "render_pdf"))
RENDERERS.register("docx", Renderer("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                    "ivp.reports.render.docx", "render_docx"))

FORMATS = tuple(RENDERERS)
CONTENT_TYPES = {fmt: renderer.content_type for fmt, renderer in RENDERERS.items()}


@dataclass(frozen=True)
class RenderedReport:
    content: bytes
    filename: str
    content_type: str


def kind_label(kind: str) -> str:
    return {"midterm": _("Midterm evaluation"), "annual": _("Annual progress report"),
            LETTER: _("Council information letter")}.get(kind, kind)


def normalise_kind(kind: str) -> str:
    kind = (kind or "").strip().lower()
    return KIND_ALIASES.get(kind, kind)


def full_kind(kind: str, period: str) -> str:
    """The kind of the full report behind a report of this kind: a letter's is its period's midterm evaluation or
    annual progress report."""
    if kind != LETTER:
        return kind
    return "midterm" if "-" in period else "annual"


def _report_plan():
    """The plan whose periods the reports cover: the newest version of the newest plan key."""
    from ivp.plans.models import Plan

    return Plan.objects.order_by("-created_at", "-version").first()


def period_choices(kind: str) -> list[str]:
    """The periods a report of this kind can cover, from the current plan: the two-year execution periods
    for a midterm evaluation ("2023-2024"), the years for an annual report ("2023")."""
    plan = _report_plan()
    if plan is None:
        return []
    if kind == "midterm":
        from ivp.execution.selectors import periods_of

        return [f"{start}-{end}" for start, end in periods_of(plan)]
    if kind == "annual":
        return [str(year) for year in range(plan.period_start, plan.period_end + 1)]
    if kind == LETTER:
        return period_choices("midterm") + period_choices("annual")
    return []


def area_choices() -> list[tuple[str, str]]:
    """(code, name): the base team, then the municipalities of the base team by name."""
    from ivp.core.models import Organisation
    from ivp.core.roles import OrganisationKind

    rows = [(BASE_TEAM_AREA, _("Base team Meierij (all municipalities)"))]
    rows += [(o.cbs_code, o.name) for o in
             Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).order_by("name")]
    return rows


def period_years(kind: str, period: str) -> tuple[int, int]:
    """(first year, last year) of a valid period of this kind."""
    if "-" in period:
        start, end = (int(p) for p in period.split("-"))
        return start, end
    return int(period), int(period)


def default_as_of(kind: str, period: str, *, today: dt.date | None = None) -> dt.date:
    """A report is made "per" the end of its period; while the period is still running, per today."""
    today = today or timezone.localdate()
    return min(dt.date(period_years(kind, period)[1], 12, 31), today)


def check_as_of(kind: str, period: str, as_of: dt.date | None, *, today: dt.date | None = None) -> dt.date:
    """The as-of date of a report (default `default_as_of`): within its period and not in the future."""
    today = today or timezone.localdate()
    if as_of is None:
        return default_as_of(kind, period, today=today)
    first, last = period_years(kind, period)
    if as_of > today:
        raise ValidationError({"as_of": _("The as-of date lies in the future.")})
    if not dt.date(first, 1, 1) <= as_of <= dt.date(last, 12, 31):
        raise ValidationError({"as_of": _("The as-of date must lie within the period %(period)s.")
                               % {"period": period}})
    return as_of


def validate_request(*, area_code: str, kind: str, period: str, fmt: str, as_of: dt.date | None = None) -> None:
    errors = {}
    codes = [code for code, _name in area_choices()]
    if area_code not in codes:
        errors["area_code"] = _("Unknown area \"%(area)s\". Choose one of: %(choices)s.") % {
            "area": area_code, "choices": ", ".join(codes)}
    if kind not in KINDS:
        errors["kind"] = _("Unknown kind of report \"%(kind)s\". Choose \"midterm\" (midterm evaluation), "
                           "\"annual\" (annual progress report) or \"letter\" (council information letter).") % {
            "kind": kind}
    else:
        periods = period_choices(kind)
        if not periods:
            errors["period"] = _("There is no plan yet, so there is no period to report on. Load the plan first.")
        elif period not in periods:
            errors["period"] = _("Period \"%(period)s\" does not fit this kind of report. Choose one of: "
                                 "%(choices)s.") % {"period": period, "choices": ", ".join(periods)}
    if fmt not in FORMATS:
        errors["fmt"] = _("Unknown format \"%(fmt)s\". Choose one of: %(choices)s.") % {
            "fmt": fmt, "choices": ", ".join(FORMATS)}
    if as_of is not None and "kind" not in errors and "period" not in errors:
        try:
            check_as_of(kind, period, as_of)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)


def build_report(*, user, area_code: str, kind: str, period: str, progress: Progress | None = None,
                 as_of: dt.date | None = None, council_report=None):
    """Assemble the report model from live data, read as `user` (see ivp.reports.assembly), "per" `as_of` (default:
    the end of the period, or today while it runs), with the conclusions and approval state of `council_report` (a
    CouncilReport version of the full report; None: none registered). Kind "letter" gives the council information
    letter, made from the same model as its full report."""
    from .assembly import assemble
    from .assembly.letter import as_letter

    report = assemble(user=user, area_code=area_code, kind=full_kind(kind, period), period=period,
                      progress=progress, as_of=as_of, council_report=council_report)
    return as_letter(report) if kind == LETTER else report


def render_report(report, fmt: str, *, progress: Progress | None = None) -> RenderedReport:
    """Render the report as "html" (standalone document), "pdf" (tagged PDF/UA) or "docx"."""
    if fmt not in RENDERERS:
        raise ValidationError({"fmt": _("Unknown format \"%(fmt)s\".") % {"fmt": fmt}})
    content = RENDERERS[fmt].load()(report, progress=progress)
    return RenderedReport(content=content, filename=f"{report.file_stem}.{fmt}", content_type=CONTENT_TYPES[fmt])
