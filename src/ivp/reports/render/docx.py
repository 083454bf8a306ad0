"""DOCX rendering with python-docx: real Heading 1/2/3 styles (Word's navigation pane and the TOC
field use them), a TOC field (Word fills it on opening: "update fields"), tables whose header row
repeats on every page, charts as PNG drawn from the same Vega-Lite spec as the web charts, and core
properties (title, language nl-NL).

House style: when IVP_REPORT_TEMPLATE_DIR holds `<CBS code>.docx` (or `default.docx`), the report
starts from that document (its styles, headers/footers, logo) and the content is appended."""

from __future__ import annotations

import io
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


def _toc_field(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = 'TOC \\o "1-3" \\h \\z \\u'
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t")
    placeholder.text = _("Right-click and choose \"Update field\" to show the table of contents.")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate, placeholder, end):
        run._r.append(element)


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

    def style(self, name: str):
        """The style object, looked up by name once: python-docx searches the styles part on every lookup by name
        (a third of a report's DOCX time before, bench/report.py)."""
        if name not in self._styles:
            self._styles[name] = self.doc.styles[name]
        return self._styles[name]

    def heading(self, text: str, level: int):
        return self.doc.add_paragraph(text, style=self.style("Title" if level == 0 else f"Heading {level}"))

    def para(self, text: str, style: str | None = None, bold_prefix: str = ""):
        p = self.doc.add_paragraph(style=self.style(style)) if style else self.doc.add_paragraph()
        if bold_prefix:
            p.add_run(bold_prefix).bold = True
        p.add_run(text)
        return p

    def bullets(self, items):
        for item in items:
            self.doc.add_paragraph(str(item), style=self.style("List Bullet"))

    def table(self, caption: str, header: list[str] | None, rows: list[list[str]]):
        self.doc.add_paragraph(caption, style=self.style("Caption"))
        columns = len(header) if header else max((len(r) for r in rows), default=1)
        table = self.doc.add_table(rows=0, cols=columns)
        try:
            table.style = self.style("Table Grid")
        except KeyError:  # a house-style template without it
            pass
        if header:
            cells = table.add_row().cells
            for cell, text in zip(cells, header, strict=False):
                cell.text = ""
                cell.paragraphs[0].add_run(str(text)).bold = True
            _set_repeat_header(table.rows[0])
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=False):
                cell.text = str(text)
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
    _toc_field(document.add_paragraph())
    document.add_page_break()
    n = report.numbers

    w.heading(f"{n['samenvatting']} {_('Summary')}", 1)
    for paragraph in report.introduction:
        w.para(paragraph)
    w.heading(_("Key points"), 2)
    w.bullets(report.key_points)

    w.heading(f"{n['cijfers']} {_('Figures per general goal')}", 1)
    total = max(len(report.goals), 1)
    for index, goal in enumerate(report.goals):
        if progress is not None:
            progress(_("Writing the figures"), 0.1 + 0.5 * index / total)
        w.heading(f"{goal.toc_number} " + _("Goal %(number)s: %(title)s") % {"number": goal.number,
                                                                            "title": goal.title}, 2)
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
    w.heading(f"{n['zonder_duiding']} {_('Figures without interpretation (not included)')}", 2)
    if report.withheld:
        w.table(_("Figures without a published interpretation"),
                [_("Indicator"), _("General goal(s)"), _("Latest period"), _("Reason")],
                [[x.name, "; ".join(x.goals), x.latest_period, x.reason] for x in report.withheld])
    else:
        w.para(_("Every available figure has a published interpretation."))

    if progress is not None:
        progress(_("Writing the execution"), 0.65)
    w.heading(f"{n['uitvoering']} {_('Execution per theme')}", 1)
    w.para(report.execution_note)
    w.table(_("Execution plans and activities"),
            [_("Execution plan of"), _("Activities"), _("By status"), _("Planned budget"), _("Spent")],
            [[r.name, str(r.activities) if r.has_plan else _("no execution plan"),
              "; ".join(f"{label}: {count}" for label, count in r.by_status) or "-", r.planned_budget,
              r.actual_budget] for r in report.execution])

    def activities(items, caption):
        header = [_("Activity"), _("Status"), _("Owner"), _("Planned"), _("Spent")]
        if report.is_base_team:
            header.insert(1, _("Execution plan"))
        rows = []
        for a in items:
            row = [a.title, a.status + (f" ({a.status_date})" if a.status_date else ""), a.owner, a.planned_budget,
                   a.actual_budget]
            if report.is_base_team:
                row.insert(1, a.municipality)
            rows.append(row)
        w.table(_("Activities: %(what)s") % {"what": caption}, header, rows)
        for a in items:
            w.para(a.narrative or a.description or "", bold_prefix=f"{a.title}: ")
            w.para(", ".join(a.lenses) or "-", bold_prefix=_("Focus lenses") + ": ")
            w.para(", ".join(a.partners) or "-", bold_prefix=_("Partners") + ": ")
            if a.milestones:
                w.para("; ".join(f"{m.title} ({m.due}, {m.state})" for m in a.milestones),
                       bold_prefix=_("Milestones") + ": ")

    for theme in report.themes:
        w.heading(f"{theme.toc_number} " + _("Theme %(number)s: %(title)s") % {"number": theme.number,
                                                                              "title": theme.title}, 2)
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
    w.heading(f"{n['lokale_prioriteiten']} {_('Local priorities')}", 2)
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
    w.heading(f"{n['dekking']} {_('Coverage gaps')}", 1)
    w.para(cov.columns_label)
    if cov.has_plan:
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

    w.heading(f"{n['fonds']} {_('Safety fund')}", 1)
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

    w.heading(f"{n['afspraken']} {_('Cooperation agreements')}", 1)
    if report.agreements:
        w.table(_("Cooperation agreements and their review"),
                [_("Agreement"), _("Kind"), _("Of"), _("Parties"), _("Status"), _("Review date")],
                [[a.title, a.kind, a.owner_area, ", ".join(a.parties), a.status,
                  a.review_date + (" — " + _("review overdue") if a.overdue else "")] for a in report.agreements])
    else:
        w.para(report.agreements_note)

    if report.diff is not None:
        d = report.diff
        w.heading(f"{n['herprioritering']} {_('Proposed re-prioritisation')}", 1)
        w.table(_("Compared plan versions"), None, [[_("Adopted version"), d.adopted_label or _("none")],
                                                    [_("Proposed version"), d.proposed_label or _("none")]])
        if d.message:
            w.para(d.message)
        if d.changes:
            w.table(_("Changes in the proposed version compared with the adopted version"),
                    [_("Part"), _("Where"), _("Change"), _("Adopted text"), _("Proposed text")],
                    [[x.part, x.where, x.change_label, x.old or "-", x.new or "-"] for x in d.changes])

    w.heading(f"{n['verantwoording']} {_('Sources and method')}", 1)
    w.bullets(report.sources)


def render_docx(report, *, progress=None) -> bytes:
    import docx

    if progress is not None:
        progress(_("Writing the Word document"), 0.0)
    template = template_path(report.area_code)
    document = docx.Document(str(template)) if template else docx.Document()
    _language(document)
    props = document.core_properties
    props.title = report.title
    props.subject = report.subtitle
    props.author = report.area_name
    props.keywords = "IVP, " + report.kind_label
    _build(report, document, progress)
    buffer = io.BytesIO()
    document.save(buffer)
    if progress is not None:
        progress(_("Word document ready"), 1.0)
    return buffer.getvalue()
