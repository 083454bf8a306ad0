"""The report model: plain dataclasses, filled by `assembly.assemble()` and read by every renderer
(HTML, PDF, DOCX), so the three renderings show the same content by construction.

Texts in here are final, already translated strings (the assembly runs under the report language);
numbers are pre-formatted the way the dashboards format them (Dutch notation).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Fact:
    """One line of the cover's fact table."""

    label: str
    value: str


@dataclass
class ChartData:
    """What a chart shows, so a renderer can draw it again (DOCX: PNG) from the same numbers."""

    rows: list[dict]  # {"period", "value", "lower", "upper"}
    y_title: str
    x_title: str
    breaks: list[dict] = field(default_factory=list)
    title: str = ""
    description: str = ""


@dataclass
class FigureRow:
    period: str
    count: str
    population: str
    rate: str
    interval: str
    verdict: str
    note: str = ""


@dataclass
class Figure:
    """An indicator for the area, as the public dashboard shows it (via `card_for`)."""

    code: str
    name: str
    description: str
    unit: str  # "per 1,000 inhabitants" or "count"
    latest_period: str
    value: str  # the latest rate (or count when there is no rate), as shown on the dashboard
    interval: str  # the 95% interval of that value, "-" when none
    count: str  # the latest count as shown publicly ("<5" style suppression applied)
    verdict: str  # the verdict on the latest change
    trend: str  # the verdict on the trend, "" when none
    interpretation: str
    interpretation_by: str  # who wrote / co-signed the interpretation
    source: str  # the table id: for the appendix "Sources and method" only
    chart_svg: str
    chart: ChartData | None
    rows: list[FigureRow]
    too_small: bool = False
    notes: list[str] = field(default_factory=list)
    source_name: str = ""  # who publishes it, in words ("Politie (data.politie.nl)")
    source_note: str = ""

    @property
    def anchor(self) -> str:
        return f"fig-{self.code}"


@dataclass
class WithheldFigure:
    """A figure left out of the report (no published interpretation), listed instead of shown."""

    code: str
    name: str
    goals: list[str]
    latest_period: str
    reason: str


@dataclass
class GoalSection:
    number: int
    code: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)  # indicator names left out for lack of duiding
    without_data: list[tuple[str, str]] = field(default_factory=list)  # (indicator name, reason)
    see_also: list[tuple[str, str, str]] = field(default_factory=list)  # (name, figure anchor, goal where shown)
    toc_number: str = ""

    @property
    def anchor(self) -> str:
        return f"doel-{self.number}"


@dataclass
class Milestone:
    title: str
    due: str
    state: str  # translated: done / overdue / open, on the report's as-of date
    state_code: str = ""  # ivp.execution.asof.MilestoneState value


@dataclass
class ActivityItem:
    title: str
    municipality: str  # the owner of the execution plan ("Vught", "Basisteam")
    status: str  # as of the report's date (the latest status update on or before it)
    status_date: str  # the as-of date of that status update
    owner: str
    lenses: list[str]
    partners: list[str]
    themes: list[str]
    wijken: list[str]
    planned_budget: str
    actual_budget: str
    planned_budget_cents: int
    actual_budget_cents: int
    milestones: list[Milestone]
    narrative: str
    description: str = ""
    status_code: str = ""  # ActivityStatus value as of the report's date, "" without an update by then
    actual_budget_date: str = ""  # the date the spending figure describes


@dataclass
class ThemeNote:
    """How an execution plan adjusted a shared theme (local target, or not applicable with reason)."""

    municipality: str
    state: str
    text: str


@dataclass
class ThemeSection:
    number: str
    code: str
    title: str
    introduction: str
    ambitions: list[str]
    sub_themes: list[tuple[str, str]]  # (number, title)
    notes: list[ThemeNote]
    activities: list[ActivityItem]
    indicators: list[str] = field(default_factory=list)
    toc_number: str = ""

    @property
    def anchor(self) -> str:
        return f"thema-{self.code}"


@dataclass
class PrioritySection:
    title: str
    municipality: str
    domain: str
    description: str
    activities: list[ActivityItem]


@dataclass
class ExecutionSummaryRow:
    """Per owner of an execution plan (municipality or base team): what the plan holds."""

    name: str
    has_plan: bool
    activities: int
    by_status: list[tuple[str, int]]
    planned_budget: str
    actual_budget: str
    stale: int = 0
    activities_label: str = ""


@dataclass
class CoverageRow:
    theme: str
    is_sub_theme: bool
    cells: list[str]  # per lens: "3", "-" (gap) or "n.v.t."
    gaps: list[str]  # lens names without activity


@dataclass
class WijkRow:
    wijk: str
    municipality: str
    rate: str
    flag: str
    buurten: list[str]
    activities: list[str]


@dataclass
class CoverageSection:
    columns_label: str  # whose execution plans are counted
    lenses: list[str]
    rows: list[CoverageRow]
    gap_count: int
    has_plan: bool
    wijken: list[WijkRow]
    wijken_year: str
    wijken_reason: str
    wijken_target: str = ""
    wijken_withheld: list[str] = field(default_factory=list)  # municipalities without a published duiding of them
    gap_scope: str = ""  # the number of empty cells and whose execution plans they are counted in
    gap_definition: str = ""  # what an empty cell is (ivp.execution.coverage.EMPTY_CELL_DEFINITION)


@dataclass
class FundYearSection:
    year: int
    rate: str
    contributions: str
    allocated: str
    committed: str
    spent: str
    outstanding: str
    balance: str
    is_negative: bool
    contribution_rows: list[tuple[str, str, str, str]]  # (municipality, population, population date, amount)
    benefit_rows: list[tuple[str, str, str, str]]  # (municipality, contributed, allocated to it, spent on it)
    allocation_rows: list[tuple[str, str, str, str, str]]  # (title, beneficiary, allocated, committed, spent)
    warnings: list[str]
    own_contribution: str = ""
    own_benefit_allocated: str = ""
    own_benefit_spent: str = ""


@dataclass
class FundSection:
    years: list[FundYearSection]
    hidden_reason: str = ""
    totals: dict[str, str] = field(default_factory=dict)


@dataclass
class AgreementRow:
    title: str
    kind: str
    owner_area: str  # municipality or base team
    parties: list[str]
    status: str
    start_date: str
    review_date: str
    overdue: bool


@dataclass
class InformationRow:
    name: str
    values: list[str]  # per year of the report: the count as the public audience may see it, "-" or "hidden"


@dataclass
class InformationSection:
    """The information position (goal 6): municipal totals of the registers through the public gate only."""

    years: list[str]
    rows: list[InformationRow]
    withheld: list[str]  # indicators without a published interpretation for these years
    method_note: str
    activities_note: str


@dataclass
class DiffChange:
    part: str  # translated category ("Ambition", "Theme", ...)
    where: str  # e.g. "3.1 Ondermijning"
    change: str  # "added" / "removed" / "changed" (translated in .change_label)
    change_label: str
    old: str
    new: str


@dataclass
class DiffSection:
    adopted_label: str  # "versie 1 (vastgesteld door de raad op 12-03-2023)" or ""
    proposed_label: str
    message: str  # explanation when there is no adopted or proposed version
    changes: list[DiffChange] = field(default_factory=list)
    counts: list[tuple[str, int]] = field(default_factory=list)  # (label, n) per change kind


@dataclass
class ThemeConclusion:
    anchor: str
    title: str  # "Thema 1: Zorg en Veiligheid"
    paragraphs: list[str]
    toc_number: str = ""


@dataclass
class ConclusionsSection:
    """The college's conclusions and recommendations (overall and per theme), written in the app by the advisor or
    coordinator; `note` says whether the college adopted them."""

    overall: list[str]
    themes: list[ThemeConclusion]
    note: str

    @property
    def empty(self) -> bool:
        return not self.overall and not self.themes


@dataclass
class Section:
    """An entry of the table of contents."""

    anchor: str
    number: str
    title: str
    children: list[Section] = field(default_factory=list)


@dataclass
class Report:
    kind: str
    kind_label: str
    area_code: str
    area_name: str
    is_base_team: bool
    period: str
    years: list[int]
    title: str
    subtitle: str
    made_at: dt.datetime
    made_at_label: str
    plan_title: str
    plan_version: str
    adoption: str
    facts: list[Fact]
    introduction: list[str]
    key_points: list[str]
    goals: list[GoalSection]
    withheld: list[WithheldFigure]
    themes: list[ThemeSection]
    priorities: list[PrioritySection]
    unlinked: list[ActivityItem]
    execution: list[ExecutionSummaryRow]
    execution_note: str
    coverage: CoverageSection | None
    fund: FundSection
    agreements: list[AgreementRow]
    agreements_note: str
    diff: DiffSection | None
    sources: list[str]
    information: InformationSection | None = None  # midterm evaluations only
    as_of: dt.date | None = None  # the report's peildatum: everything is shown as it stood that day
    as_of_label: str = ""
    conclusions: ConclusionsSection | None = None
    status_label: str = ""  # "concept" or "vastgesteld door het college op ... (besluit ...)"
    is_concept: bool = True
    report_number: int = 0  # the version of the council report (0: none registered)
    variant: str = "report"  # "report", or "letter" (the council information letter made from the same model)
    letter_title: str = ""  # the letter's subject: the title of the full report
    letter_facts: list[Fact] = field(default_factory=list)
    letter_themes: list[tuple[str, str, str]] = field(default_factory=list)  # (theme, activities, by status)
    full_report_reference: list[str] = field(default_factory=list)  # the letter's reference to the full report
    toc: list[Section] = field(default_factory=list)
    file_stem: str = "rapport"
    language: str = "nl"

    @property
    def numbers(self) -> dict[str, str]:
        """Section number per anchor ("cijfers" -> "2"; "-" becomes "_" for templates), for headings."""
        result = {}
        for section in self.toc:
            result[section.anchor.replace("-", "_")] = section.number
            result.update({child.anchor.replace("-", "_"): child.number for child in section.children})
        return result

    @property
    def figures(self) -> list[Figure]:
        seen, result = set(), []
        for goal in self.goals:
            for figure in goal.figures:
                if figure.code not in seen:
                    seen.add(figure.code)
                    result.append(figure)
        return result
