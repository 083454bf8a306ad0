"""DOCX rendering with python-docx: A4 pages, real Heading 1/2/3 styles (Word's navigation pane uses them), a
table of contents written out (each entry a link to its heading's bookmark; no field to update), tables the full
width of the text with columns sized so that no word is broken and a header row that repeats on every page, charts
as PNG drawn from the same SVG as the web charts, and core properties (title, language nl-NL).

House style: when IVP_REPORT_TEMPLATE_DIR holds `<CBS code>.docx` (or `default.docx`), the report
starts from that document (its styles, page size, headers/footers, logo) and the content is appended."""

from __future__ import annotations

import io
import re
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _


def chart_png(svg: str, *, scale: float = 2.0) -> bytes:
    """The chart as PNG, rasterised from the SVG the dashboards and the PDF show (twice as fast as drawing the
    Vega-Lite spec again: no second compile; bench/report.py)."""
    import vl_convert

    return vl_convert.svg_to_png(svg, scale=scale)


def template_path(area_code: str) -> Path | None:
    folder = getattr(settings, "IVP_REPORT_TEMPLATE_DIR", "") or ""
    if not folder:
        return None
    for name in (f"{area_code}.docx", "default.docx"):
        candidate = Path(folder) / name
        if candidate.is_file():
            return candidate
    return None


def _set_repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)
    cant = OxmlElement("w:cantSplit")
    tr_pr.append(cant)


# A4 in twentieths of a point (Word's "twips"): 210 x 297 mm.
A4_WIDTH_TWIPS, A4_HEIGHT_TWIPS = 11906, 16838
MARGIN_TWIPS = 1247  # 2.2 cm
TABLE_FONT_PT = 9
# Average advance of a character at TABLE_FONT_PT in twips (DejaVu/Calibri at 9 pt, bold headers included), and the
# cell's left + right padding: a column is at least as wide as its longest word at this measure.
CHAR_TWIPS = 125
CELL_PADDING_TWIPS = 230
_NUMERIC = re.compile(r"^[€<>+\-\s\u00a0]*[\d.,%\s-]+$")
_DATE = re.compile(r"\b(\d{2})-(\d{2})-(\d{4})\b")
_SPACES = re.compile(r"[ \t\n]+")  # break opportunities (not the no-break space)


def cell_text(value) -> str:
    """A table cell's text as Word should break it: an amount ("€ 1.234,56") and a date (31-12-2024) stay whole."""
    text = str(value).replace("€ ", "€\u00a0")
    return _DATE.sub("\\1\u2011\\2\u2011\\3", text)


def _a4(document) -> None:
    """Every section on portrait A4 with 2.2 cm margins (python-docx's own template is US Letter)."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Twips

    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Twips(A4_WIDTH_TWIPS), Twips(A4_HEIGHT_TWIPS)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Twips(MARGIN_TWIPS))


def _text_width_twips(document) -> int:
    section = document.sections[-1]
    return int((section.page_width - section.left_margin - section.right_margin) / 635)  # EMU -> twips


def column_widths(header: list[str] | None, rows: list[list[str]], total: int) -> list[int]:
    """Widths (twips) that add up to `total`: each column at least its longest word wide (no word is broken), the
    rest shared out by how much text a column holds."""
    columns = len(header) if header else max((len(r) for r in rows), default=1)
    texts = [[cell_text(header[i])] if header else [] for i in range(columns)]
    for row in rows:
        for i, text in enumerate(row[:columns]):
            texts[i].append(cell_text(text))
    minimum, wanted = [], []
    for cells in texts:
        words = [len(w) for text in cells for w in _SPACES.split(text) if w] or [1]
        longest_line = max((len(text) for text in cells), default=1)
        minimum.append(max(words) * CHAR_TWIPS + CELL_PADDING_TWIPS)
        wanted.append(max(minimum[-1], min(longest_line, 60) * CHAR_TWIPS + CELL_PADDING_TWIPS))
    if sum(minimum) >= total:  # too many columns for the page: shrink evenly (words may then break)
        return [int(total * m / sum(minimum)) for m in minimum]
    if sum(wanted) <= total:  # room to spare: widen every column in proportion
        widths = [int(total * w / sum(wanted)) for w in wanted]
    else:
        spare, extra = total - sum(minimum), [w - m for w, m in zip(wanted, minimum, strict=True)]
        widths = [m + int(spare * e / sum(extra)) for m, e in zip(minimum, extra, strict=True)]
    widths[-1] += total - sum(widths)
    return widths


def _full_width(table, widths: list[int]) -> None:
    """Fixed layout at the full text width, with these column widths (twips)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Twips

    table.autofit = False
    tbl_pr = table._tbl.tblPr
    for tag in ("w:tblW", "w:tblLayout"):
        for old in tbl_pr.findall(qn(tag)):
            tbl_pr.remove(old)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(sum(widths)))
    width.set(qn("w:type"), "dxa")
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    # The schema's order: tblStyle, ..., tblW, jc, ..., tblLayout, tblCellMar, tblLook (readers skip misplaced ones).
    style = tbl_pr.find(qn("w:tblStyle"))
    if style is not None:
        style.addnext(width)
    else:
        tbl_pr.insert(0, width)
    later = next((tbl_pr.find(qn(tag)) for tag in ("w:tblCellMar", "w:tblLook", "w:tblCaption")
                  if tbl_pr.find(qn(tag)) is not None), None)
    if later is not None:
        later.addprevious(layout)
    else:
        tbl_pr.append(layout)
    for column, twips in zip(table.columns, widths, strict=True):
        column.width = Twips(twips)
    for row in table.rows:
        for cell, twips in zip(row.cells, widths, strict=True):
            cell.width = Twips(twips)


def bookmark_name(anchor: str) -> str:
    """A Word bookmark name for an HTML anchor: letters, digits and underscores, starting with a letter, <= 40."""
    return ("ivp_" + re.sub(r"[^A-Za-z0-9]", "_", anchor))[:40]


def _bookmark(paragraph, anchor: str, number: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), bookmark_name(anchor))
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def _internal_link(paragraph, text: str, anchor: str, *, bold: bool = False) -> None:
    """A run in `paragraph` that links to the bookmark of `anchor` (Ctrl+click in Word, a click in LibreOffice)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), bookmark_name(anchor))
    link.set(qn("w:history"), "1")
    run = OxmlElement("w:r")
    if bold:
        properties = OxmlElement("w:rPr")
        properties.append(OxmlElement("w:b"))
        run.append(properties)
    text_element = OxmlElement("w:t")
    text_element.set(qn("xml:space"), "preserve")
    text_element.text = text
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)


def _language(document, lang: str = "nl-NL") -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document.core_properties.language = lang
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        return
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang_el = rpr.find(qn("w:lang"))
    if lang_el is None:
        lang_el = OxmlElement("w:lang")
        rpr.append(lang_el)
    lang_el.set(qn("w:val"), lang)


class _Writer:
    def __init__(self, document):
        self.doc = document
        self._styles: dict = {}
        self._bookmarks = 0
        self.text_width = _text_width_twips(document)

    def style(self, name: str):
        """The style object, looked up by name once: python-docx searches the styles part on every lookup by name
        (a third of a report's DOCX time before, bench/report.py)."""
        if name not in self._styles:
            self._styles[name] = self.doc.styles[name]
        return self._styles[name]

    def heading(self, text: str, level: int, anchor: str = ""):
        paragraph = self.doc.add_paragraph(text, style=self.style("Title" if level == 0 else f"Heading {level}"))
        if anchor:
            self._bookmarks += 1
            _bookmark(paragraph, anchor, self._bookmarks)
        return paragraph

    def para(self, text: str, style: str | None = None, bold_prefix: str = ""):
        p = self.doc.add_paragraph(style=self.style(style)) if style else self.doc.add_paragraph()
        if bold_prefix:
            p.add_run(bold_prefix).bold = True
        p.add_run(text)
        return p

    def bullets(self, items):
        for item in items:
            self.doc.add_paragraph(str(item), style=self.style("List Bullet"))

    def contents(self, sections) -> None:
        """The table of contents written out: one line per chapter and section, each a link to its heading."""
        from docx.shared import Cm

        for section in sections:
            for entry, level in [(section, 0), *((child, 1) for child in section.children)]:
                paragraph = self.doc.add_paragraph()
                paragraph.paragraph_format.left_indent = Cm(0.8 * level)
                paragraph.paragraph_format.space_after = Cm(0.05)
                _internal_link(paragraph, f"{entry.number}  {entry.title}", entry.anchor, bold=level == 0)

    def table(self, caption: str, header: list[str] | None, rows: list[list[str]]):
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        self.doc.add_paragraph(caption, style=self.style("Caption"))
        columns = len(header) if header else max((len(r) for r in rows), default=1)
        table = self.doc.add_table(rows=0, cols=columns)
        try:
            table.style = self.style("Table Grid")
        except KeyError:  # a house-style template without it
            pass
        numeric = [bool(rows) and all(_NUMERIC.match(str(r[i])) for r in rows if i < len(r) and str(r[i]) != "-")
                   and any(i < len(r) and str(r[i]) != "-" for r in rows) for i in range(columns)]

        def fill(cell, text, *, bold=False, right=False):
            cell.text = ""
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(cell_text(text))
            run.bold = bold
            run.font.size = Pt(TABLE_FONT_PT)
            if right:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT

        if header:
            cells = table.add_row().cells
            for i, (cell, text) in enumerate(zip(cells, header, strict=False)):
                fill(cell, text, bold=True, right=numeric[i] and i > 0)
            _set_repeat_header(table.rows[0])
        for row in rows:
            cells = table.add_row().cells
            for i, (cell, text) in enumerate(zip(cells, row, strict=False)):
                fill(cell, text, right=numeric[i] and i > 0)
        _full_width(table, column_widths(header, rows, self.text_width))
        self.doc.add_paragraph()
        return table


def _build(report, document, progress=None) -> None:
    from docx.shared import Cm

    w = _Writer(document)
    document.add_heading(report.title, level=0)
    w.para(_("Information for the municipal council on the execution of the Integral Safety Plan in %(area)s, "
             "reporting period %(period)s.") % {"area": report.area_name, "period": report.period})
    w.table(_("About this report"), None, [[f.label, f.value] for f in report.facts])
    w.heading(_("Contents"), 1)
    w.contents(report.toc)
    document.add_page_break()
    n = report.numbers

    w.heading(f"{n['samenvatting']} {_('Summary')}", 1, "samenvatting")
    for paragraph in report.introduction:
        w.para(paragraph)
    w.heading(_("Key points"), 2)
    w.bullets(report.key_points)

    _conclusions(w, report)

    w.heading(f"{n['cijfers']} {_('Figures per general goal')}", 1, "cijfers")
    total = max(len(report.goals), 1)
    for index, goal in enumerate(report.goals):
        if progress is not None:
            progress(_("Writing the figures"), 0.1 + 0.5 * index / total)
        w.heading(f"{goal.toc_number} " + _("Goal %(number)s: %(title)s") % {"number": goal.number,
                                                                            "title": goal.title}, 2, goal.anchor)
        if not goal.figures and not goal.see_also:
            w.para(_("No figure with a published interpretation is available for this goal."))
        for figure in goal.figures:
            w.heading(figure.name, 3)
            w.para(figure.description)
            w.table(_("%(name)s: latest figure (%(period)s)") % {"name": figure.name, "period": figure.latest_period},
                    None, [[_("Value (%(unit)s)") % {"unit": figure.unit}, figure.value],
                           [_("95% interval"), figure.interval], [_("Verdict on the change"), figure.verdict]]
                    + ([[_("Trend over all years"), figure.trend]] if figure.trend else []))
            w.para(figure.interpretation, bold_prefix=_("Interpretation (duiding)") + ": ")
            if figure.interpretation_by:
                w.para(figure.interpretation_by)
            for note in figure.notes:
                w.para(note)
            if figure.chart is not None:
                document.add_picture(io.BytesIO(chart_png(figure.chart_svg)), width=Cm(15))
                w.para(_("%(name)s per year; the band is the 95%% interval. The numbers are in the table below.")
                       % {"name": figure.name}, style="Caption")
            w.table(_("%(name)s: figures per year") % {"name": figure.name},
                    [_("Year"), _("Count"), _("Inhabitants"), _("Per 1,000"), _("95% interval"), _("Verdict")],
                    [[r.period, r.count, r.population, r.rate, r.interval, r.verdict] for r in figure.rows])
        for name, _anchor, where in goal.see_also:
            w.para(_("%(name)s: shown under goal %(goal)s.") % {"name": name, "goal": where})
        if goal.withheld:
            w.para(", ".join(goal.withheld), bold_prefix=_("Left out for lack of a published interpretation:") + " ")
        if goal.without_data:
            w.para(_("No figures are available for:"))
            w.bullets([f"{name}: {reason}" for name, reason in goal.without_data])
    w.heading(f"{n['zonder_duiding']} {_('Figures without interpretation (not included)')}", 2, "zonder-duiding")
    if report.withheld:
        w.table(_("Figures without a published interpretation"),
                [_("Indicator"), _("General goal(s)"), _("Latest period"), _("Reason")],
                [[x.name, "; ".join(x.goals), x.latest_period, x.reason] for x in report.withheld])
    else:
        w.para(_("Every available figure has a published interpretation."))

    if progress is not None:
        progress(_("Writing the execution"), 0.65)
    w.heading(f"{n['uitvoering']} {_('Execution per theme')}", 1, "uitvoering")
    w.para(report.execution_note)
    w.table(_("Execution plans and activities"),
            [_("Execution plan of"), _("Activities"), _("By status"), _("Planned budget"), _("Spent")],
            [[r.name, r.activities_label if r.has_plan else _("no execution plan"),
              "; ".join(f"{label}: {count}" for label, count in r.by_status) or "-",
              r.planned_budget,
              r.actual_budget] for r in report.execution])

    def activities(items, caption):
        header = [_("Activity"), _("Status"), _("Owner"), _("Planned"), _("Spent")]
        if report.is_base_team:
            header.insert(1, _("Execution plan"))
        rows = []
        for a in items:
            status = a.status + (" (" + _("as of %(date)s") % {"date": a.status_date} + ")" if a.status_date else "")
            row = [a.title, status, a.owner, a.planned_budget,
                   a.actual_budget]
            if report.is_base_team:
                row.insert(1, a.municipality)
            rows.append(row)
        w.table(_("Activities: %(what)s") % {"what": caption}, header, rows)
        for a in items:
            w.para(a.narrative or a.description or "", bold_prefix=f"{a.title}: ")
            w.para(", ".join(a.lenses) or "-", bold_prefix=_("Focus lenses") + ": ")
            w.para(", ".join(a.partners) or "-", bold_prefix=_("Partners") + ": ")
            if a.actual_budget_date:
                w.para(a.actual_budget, bold_prefix=_("Spending as of") + f" {a.actual_budget_date}: ")
            if a.milestones:
                w.para("; ".join(f"{m.title} ({m.due}, {m.state})" for m in a.milestones),
                       bold_prefix=_("Milestones") + ": ")

    for theme in report.themes:
        w.heading(f"{theme.toc_number} " + _("Theme %(number)s: %(title)s") % {"number": theme.number,
                                                                              "title": theme.title}, 2, theme.anchor)
        if theme.sub_themes:
            w.para("; ".join(f"{num} {title}" for num, title in theme.sub_themes), bold_prefix=_("Sub-themes:") + " ")
        if theme.ambitions:
            w.para(_("Ambitions in the plan"), bold_prefix="")
            w.bullets(theme.ambitions)
        for note in theme.notes:
            w.para(note.text, bold_prefix=f"{note.municipality} ({note.state}): ")
        if theme.activities:
            activities(theme.activities, theme.title)
        else:
            w.para(_("No activities in the execution plan(s) serve this theme."))
    w.heading(f"{n['lokale_prioriteiten']} {_('Local priorities')}", 2, "lokale-prioriteiten")
    for priority in report.priorities:
        w.heading(priority.title, 3)
        w.para(priority.description or priority.domain)
        if priority.activities:
            activities(priority.activities, priority.title)
        else:
            w.para(_("No activities serve this local priority yet."))
    if not report.priorities:
        w.para(_("No local priorities have been added to the plan for this area."))

    if progress is not None:
        progress(_("Writing coverage, fund and agreements"), 0.8)
    cov = report.coverage
    w.heading(f"{n['dekking']} {_('Coverage gaps')}", 1, "dekking")
    w.para(cov.columns_label)
    if cov.has_plan:
        w.para(f" {cov.gap_definition}", bold_prefix=cov.gap_scope)
        w.table(_("Activities per theme and focus lens"), [_("Theme"), *cov.lenses],
                [[r.theme, *r.cells] for r in cov.rows])
    else:
        w.para(_("There is no execution plan for this period, so every combination of theme and focus lens is "
                 "still open."))
    w.heading(_("Districts that stand out in the figures"), 2)
    if cov.wijken:
        w.table(_("Districts that stand out, and the activities there"),
                [_("District"), _("Municipality"), _("Per 1,000"), _("Compared with the base team"),
                 _("Activities there")],
                [[x.wijk, x.municipality, x.rate, x.flag, ", ".join(x.activities) or _("none")] for x in cov.wijken])
    else:
        w.para(cov.wijken_reason or _("No district stands out in the figures of %(year)s.") % {"year": cov.wijken_year})
    if cov.wijken_withheld and cov.wijken:
        w.para(_("Not included, for want of a published interpretation of the neighbourhoods: %(names)s.")
               % {"names": ", ".join(cov.wijken_withheld)})

    w.heading(f"{n['fonds']} {_('Safety fund')}", 1, "fonds")
    if report.fund.hidden_reason:
        w.para(report.fund.hidden_reason)
    for year in report.fund.years:
        w.heading(_("Safety fund %(year)s (rate %(rate)s per inhabitant)") % {"year": year.year, "rate": year.rate}, 2)
        w.table(_("Fund totals %(year)s") % {"year": year.year}, None, [
            [_("Contributions"), year.contributions], [_("Allocated"), year.allocated],
            [_("Committed"), year.committed], [_("Spent"), year.spent], [_("Open commitments"), year.outstanding],
            [_("Balance (contributions - expenditures)"), year.balance]])
        if year.benefit_rows:
            w.table(_("Contribution and benefit per municipality, %(year)s") % {"year": year.year},
                    [_("Municipality"), _("Contributed"), _("Allocated to it"), _("Spent on it")],
                    [list(r) for r in year.benefit_rows])
        if year.allocation_rows:
            w.table(_("Allocations %(year)s") % {"year": year.year},
                    [_("Allocation"), _("For"), _("Allocated"), _("Committed"), _("Spent")],
                    [list(r) for r in year.allocation_rows])
        w.bullets(year.warnings)

    w.heading(f"{n['afspraken']} {_('Cooperation agreements')}", 1, "afspraken")
    if report.agreements:
        w.table(_("Cooperation agreements and their review"),
                [_("Agreement"), _("Kind"), _("Of"), _("Parties"), _("Status"), _("Review date")],
                [[a.title, a.kind, a.owner_area, ", ".join(a.parties), a.status,
                  a.review_date + (" — " + _("review overdue") if a.overdue else "")] for a in report.agreements])
    else:
        w.para(report.agreements_note)

    if report.information is not None:
        info = report.information
        w.heading(f"{n['informatiepositie']} {_('Information position')}", 1, "informatiepositie")
        w.para(_("General goal 6 of the plan asks the partners to collect information systematically and to analyse "
                 "it together: signals from residents and partners, integral controls, Bibob procedures, the approach "
                 "of problematic youth groups and the LIO. The municipality keeps these in its own registers. This "
                 "chapter shows only totals for the whole municipality; what lies behind them stays with the safety "
                 "partners."))
        if info.rows:
            w.table(_("Information position: totals for the whole municipality per year"), [_("Figure"), *info.years],
                    [[row.name, *row.values] for row in info.rows])
        else:
            w.para(_("No total of the information registers has a published interpretation for this period yet."))
        if info.withheld:
            w.para(_("Not shown for lack of a published interpretation:") + " " + ", ".join(info.withheld) + ".")
        if info.method_note:
            w.para(info.method_note)
        w.para(info.activities_note)

    if report.diff is not None:
        d = report.diff
        w.heading(f"{n['herprioritering']} {_('Proposed re-prioritisation')}", 1, "herprioritering")
        w.table(_("Compared plan versions"), None, [[_("Adopted version"), d.adopted_label or _("none")],
                                                    [_("Proposed version"), d.proposed_label or _("none")]])
        if d.message:
            w.para(d.message)
        if d.changes:
            w.table(_("Changes in the proposed version compared with the adopted version"),
                    [_("Part"), _("Where"), _("Change"), _("Adopted text"), _("Proposed text")],
                    [[x.part, x.where, x.change_label, x.old or "-", x.new or "-"] for x in d.changes])

    w.heading(f"{n['verantwoording']} {_('Sources and method')}", 1, "verantwoording")
    w.bullets(report.sources)


def _build_letter(report, document) -> None:
    """The council information letter: letterhead facts, occasion, key points, conclusions, the state of the
    execution per theme and the reference to the full report."""
    w = _Writer(document)
    w.para(f"{report.kind_label} · {report.period}" + (f" · {_('draft')}" if report.is_concept else ""),
           style="Caption")
    document.add_heading(report.title, level=0)
    w.table(_("About this letter"), None, [[f.label, f.value] for f in report.letter_facts])
    w.heading(_("Occasion"), 1)
    for paragraph in report.introduction[:1]:
        w.para(paragraph)
    w.para(_("This letter gives the key points and the college's conclusions; the full report, as of %(date)s, is "
             "attached.") % {"date": report.as_of_label})
    w.heading(_("Key points"), 1)
    w.bullets(report.key_points)
    con = report.conclusions
    w.heading(_("Conclusions and recommendations"), 1)
    w.para(con.note, style="Caption")
    for paragraph in con.overall:
        w.para(paragraph)
    for theme in con.themes:
        w.heading(theme.title, 2)
        for paragraph in theme.paragraphs:
            w.para(paragraph)
    w.heading(_("State of the execution"), 1)
    w.table(_("Activities per theme and their status as of %(date)s") % {"date": report.as_of_label},
            [_("Theme"), _("Activities"), _("By status")], [list(row) for row in report.letter_themes])
    w.heading(_("The full report"), 1)
    for line in report.full_report_reference:
        w.para(line)
    w.para(_("Figures appear only with a published interpretation (duiding), as on the public pages; sources and "
             "method are described in the full report."), style="Caption")


def _conclusions(w: _Writer, report) -> None:
    con = report.conclusions
    w.heading(f"{report.numbers['conclusies']} {_('Conclusions and recommendations')}", 1, "conclusies")
    w.para(con.note, style="Caption")
    for paragraph in con.overall:
        w.para(paragraph)
    for theme in con.themes:
        w.heading(f"{theme.toc_number} {theme.title}", 2, theme.anchor)
        for paragraph in theme.paragraphs:
            w.para(paragraph)


def render_docx(report, *, progress=None) -> bytes:
    import docx

    if progress is not None:
        progress(_("Writing the Word document"), 0.0)
    template = template_path(report.area_code)
    document = docx.Document(str(template)) if template else docx.Document()
    if template is None:
        _a4(document)  # a house-style template keeps its own page setup
    _language(document)
    props = document.core_properties
    props.title = report.title
    props.subject = report.subtitle
    props.author = report.area_name
    props.keywords = "IVP, " + report.kind_label
    if report.variant == "letter":
        _build_letter(report, document)
    else:
        _build(report, document, progress)
    buffer = io.BytesIO()
    document.save(buffer)
    if progress is not None:
        progress(_("Word document ready"), 1.0)
    return buffer.getvalue()
