"""The interface of the council reports, for the web views, the background runner and the CLI.

    validate_request(area_code=..., kind=..., period=..., fmt=...)   -> None or ValidationError({field: msg})
    period_choices(kind)                                             -> ["2023-2024", "2025-2026"] / ["2023", ...]
    build_report(user=..., area_code=..., kind=..., period=..., progress=None) -> Report (ivp.reports.content)
    render_report(report, fmt, progress=None)                         -> RenderedReport(content, filename, content_type)

`progress`, when given, is called as `progress(step, fraction)`: a translated label and 0..1.
See docs/reports.md and docs/adr/0005-council-reports.md.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ivp.registry import Registry

KINDS = ("midterm", "annual")
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
    return {"midterm": _("Midterm evaluation"), "annual": _("Annual progress report")}.get(kind, kind)


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
    return []


def area_choices() -> list[tuple[str, str]]:
    """(code, name): the base team, then the municipalities of the base team by name."""
    from ivp.core.models import Organisation
    from ivp.core.roles import OrganisationKind

    rows = [(BASE_TEAM_AREA, _("Base team Meierij (all municipalities)"))]
    rows += [(o.cbs_code, o.name) for o in
             Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).order_by("name")]
    return rows


def validate_request(*, area_code: str, kind: str, period: str, fmt: str) -> None:
    errors = {}
    codes = [code for code, _name in area_choices()]
    if area_code not in codes:
        errors["area_code"] = _("Unknown area \"%(area)s\". Choose one of: %(choices)s.") % {
            "area": area_code, "choices": ", ".join(codes)}
    if kind not in KINDS:
        errors["kind"] = _("Unknown kind of report \"%(kind)s\". Choose \"midterm\" (midterm evaluation) or "
                           "\"annual\" (annual progress report).") % {"kind": kind}
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
    if errors:
        raise ValidationError(errors)


def build_report(*, user, area_code: str, kind: str, period: str, progress: Progress | None = None):
    """Assemble the report model from live data, read as `user` (see ivp.reports.assembly)."""
    from .assembly import assemble

    return assemble(user=user, area_code=area_code, kind=kind, period=period, progress=progress)


def render_report(report, fmt: str, *, progress: Progress | None = None) -> RenderedReport:
    """Render the report as "html" (standalone document), "pdf" (tagged PDF/UA) or "docx"."""
    if fmt not in RENDERERS:
        raise ValidationError({"fmt": _("Unknown format \"%(fmt)s\".") % {"fmt": fmt}})
    content = RENDERERS[fmt].load()(report, progress=progress)
    return RenderedReport(content=content, filename=f"{report.file_stem}.{fmt}", content_type=CONTENT_TYPES[fmt])
