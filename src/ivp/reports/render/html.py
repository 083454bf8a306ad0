"""HTML renderings: the in-app body (`reports/_body.html`, no inline styles) and the standalone
document (`reports/document.html`, the stylesheet inlined into one <style> element)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

STATIC = Path(__file__).resolve().parents[1] / "static" / "reports"
SCREEN_CSS = STATIC / "report.css"
PRINT_CSS = STATIC / "print.css"


@cache
def stylesheet(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def render_body(report) -> str:
    """The report body for inclusion in a page of the web app (link `reports/report.css` there)."""
    template = "reports/_letter_body.html" if report.variant == "letter" else "reports/_body.html"
    return render_to_string(template, {"report": report})


def render_document(report, *, print_css: bool = False) -> str:
    css = stylesheet("report.css") + ("\n" + stylesheet("print.css") if print_css else "")
    return render_to_string("reports/document.html", {"report": report, "css": css})


def render_html(report, *, progress=None) -> bytes:
    if progress is not None:
        progress(_("Writing the HTML document"), 0.0)
    html = render_document(report)
    if progress is not None:
        progress(_("HTML document ready"), 1.0)
    return html.encode("utf-8")
