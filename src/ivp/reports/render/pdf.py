"""PDF rendering with WeasyPrint: the standalone HTML document plus print CSS, written as tagged
PDF/UA-1 (structure tree, /MarkInfo, /Lang from <html lang>, the title as document metadata, shown
in the viewer's title bar). Page numbers "pagina X van Y" and the table of contents' page numbers
come from CSS (@page counters, target-counter)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .html import render_document


def html_to_pdf(html: str, *, identifier: str) -> bytes:
    """A standalone HTML document (with its print CSS) as tagged PDF/UA-1: the same machinery as the reports, for
    other documents (the quarterly safety picture, ivp.information.safety_picture)."""
    import weasyprint  # heavy import: only when a PDF is made

    document = weasyprint.HTML(string=html, base_url=None).render(
        pdf_variant="pdf/ua-1", pdf_tags=True, presentational_hints=False)
    return document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True, custom_metadata=True,
                              pdf_identifier=identifier.encode("ascii", "ignore") or None)


def render_pdf(report, *, progress=None) -> bytes:
    import weasyprint  # heavy import: only when a PDF is made

    if progress is not None:
        progress(_("Laying out the pages"), 0.0)
    html = render_document(report, print_css=True)
    document = weasyprint.HTML(string=html, base_url=None).render(
        pdf_variant="pdf/ua-1", pdf_tags=True, presentational_hints=False)
    if progress is not None:
        progress(_("Writing the PDF"), 0.7)
    pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True, custom_metadata=True,
                             pdf_identifier=report.file_stem.encode("ascii", "ignore") or None)
    if progress is not None:
        progress(_("PDF ready"), 1.0)
    return pdf
