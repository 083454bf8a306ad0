"""The API's representations. Field names are English and snake_case, as the code and `ivp indicator_series
--format json` (ADR 0019); identifiers are the stable codes (CBS area codes, indicator, theme, goal and lens codes).

Figures are built from the publication gate's view (`SeriesView`), never from the raw series: what the gate hides
(a count of 1-4 and what would give it back, everything before a published duiding) is null here too."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from ivp.budget.summary import YearSummary
from ivp.core.people import person_label
from ivp.indicators.documents import series_document
from ivp.indicators.labels import verdict_label
from ivp.indicators.publication import SeriesView
from ivp.indicators.series import public_source_name
from ivp.stats.small_areas import count_band

from .selectors import PublishedSeries


def _href(request, name: str, **kwargs) -> dict:
    return {"href": request.build_absolute_uri(reverse(f"api:{name}", kwargs=kwargs))}


class LinkSerializer(serializers.Serializer):
    href = serializers.URLField()


# --- plan ---------------------------------------------------------------------------------------------------------


class AdoptionSerializer(serializers.Serializer):
    municipality = serializers.CharField(source="municipality.cbs_code", help_text="CBS code")
    municipality_name = serializers.CharField(source="municipality.name")
    status = serializers.CharField(help_text="in_behandeling, vastgesteld or verworpen")
    date = serializers.DateField(allow_null=True)
    decision_reference = serializers.CharField()


class PlanSerializer(serializers.Serializer):
    key = serializers.CharField()
    version = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField(help_text="concept, ter_consultatie or vastgesteld")
    period_start = serializers.IntegerField()
    period_end = serializers.IntegerField()
    document_date = serializers.CharField()
    summary = serializers.CharField()
    adoptions = AdoptionSerializer(many=True)


class ThemeSerializer(serializers.Serializer):
    code = serializers.CharField()
    number = serializers.CharField()
    title = serializers.CharField()
    short_title = serializers.CharField()
    parent = serializers.CharField(source="parent.code", allow_null=True, default=None)
    sub_themes = serializers.SerializerMethodField()
    introduction = serializers.CharField()
    why_priority = serializers.SerializerMethodField()
    ambition = serializers.SerializerMethodField()
    planned_actions = serializers.SerializerMethodField()
    indicators = serializers.SerializerMethodField()

    def get_sub_themes(self, theme) -> list[str]:
        return [t.code for t in sorted(theme.sub_themes.all(), key=lambda t: t.order)]

    def get_why_priority(self, theme) -> list[str]:
        return theme.statements_of("why_priority")

    def get_ambition(self, theme) -> list[str]:
        return theme.statements_of("ambition")

    def get_planned_actions(self, theme) -> list[str]:
        return theme.statements_of("planned_action")

    def get_indicators(self, theme) -> list[str]:
        from ivp.indicators.definitions import INDICATORS

        return [code for code, ind in INDICATORS.items() if theme.code in ind.themes]


class GoalSerializer(serializers.Serializer):
    code = serializers.CharField()
    number = serializers.IntegerField()
    title = serializers.CharField()
    indicators = serializers.SerializerMethodField()

    def get_indicators(self, goal) -> list[str]:
        from ivp.indicators.definitions import INDICATORS

        return [code for code, ind in INDICATORS.items() if goal.code in ind.goals]


class LensSerializer(serializers.Serializer):
    code = serializers.CharField()
    number = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()


# --- municipalities and areas -------------------------------------------------------------------------------------


class MunicipalitySerializer(serializers.Serializer):
    cbs_code = serializers.CharField()
    name = serializers.CharField()
    code = serializers.CharField(help_text="the organisation's code in IVP")
    _links = serializers.SerializerMethodField()

    def get__links(self, organisation) -> dict[str, dict[str, str]]:
        request = self.context["request"]
        return {"self": _href(request, "municipality", cbs_code=organisation.cbs_code),
                "area": _href(request, "area", code=organisation.cbs_code)}


class AreaSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="CBS code (GM, WK, BU) or NL01 for the country")
    level = serializers.CharField(help_text="land, gemeente, wijk or buurt")
    name = serializers.CharField()
    parent = serializers.CharField(source="parent.code", allow_null=True, default=None)
    first_year = serializers.IntegerField(allow_null=True)
    last_year = serializers.IntegerField(allow_null=True)


# --- indicators ---------------------------------------------------------------------------------------------------


class SourceSerializer(serializers.Serializer):
    table = serializers.CharField()
    categories = serializers.ListField(child=serializers.CharField())
    levels = serializers.ListField(child=serializers.CharField())
    note = serializers.CharField()
    rounding = serializers.IntegerField(help_text="counts rounded to multiples of this by the source; 0: exact")
    publisher = serializers.SerializerMethodField()

    def get_publisher(self, source) -> str:
        return str(public_source_name(source))


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    unit = serializers.CharField()
    per = serializers.IntegerField(help_text="rates are per this many inhabitants")
    goals = serializers.ListField(child=serializers.CharField())
    themes = serializers.ListField(child=serializers.CharField())
    sources = SourceSerializer(many=True)


# --- series -------------------------------------------------------------------------------------------------------


class PointSerializer(serializers.Serializer):
    period = serializers.CharField()
    count = serializers.IntegerField(allow_null=True, help_text="null: hidden (a small count or one that would "
                                     "give it back), not published by the source, or a small area (see count_range)")
    count_range = serializers.CharField(allow_null=True, help_text="small areas: the count as a band (1-4, 5-9, ...)")
    hidden = serializers.BooleanField(help_text="hidden by disclosure control (shown as 'afgeschermd' on the pages)")
    count_lower = serializers.FloatField(allow_null=True)
    count_upper = serializers.FloatField(allow_null=True)
    population = serializers.IntegerField(allow_null=True, help_text="inhabitants on 1 January (CBS)")
    rate = serializers.FloatField(allow_null=True)
    rate_lower = serializers.FloatField(allow_null=True)
    rate_upper = serializers.FloatField(allow_null=True)
    verdict = serializers.CharField(allow_null=True)
    verdict_label = serializers.CharField()
    no_verdict_reason = serializers.CharField()
    change_method = serializers.CharField(allow_null=True)
    change_pct = serializers.FloatField(allow_null=True)
    p_value = serializers.FloatField(allow_null=True)
    p_adjusted = serializers.FloatField(allow_null=True)
    tests_in_family = serializers.IntegerField(allow_null=True)
    note = serializers.CharField()


class TrendSerializer(serializers.Serializer):
    verdict = serializers.CharField()
    verdict_label = serializers.CharField()
    reason = serializers.CharField(allow_null=True)
    points = serializers.IntegerField(allow_null=True)
    df = serializers.IntegerField(allow_null=True)
    change_pct_per_year = serializers.FloatField(allow_null=True)
    lower_pct = serializers.FloatField(allow_null=True)
    upper_pct = serializers.FloatField(allow_null=True)
    p_value = serializers.FloatField(allow_null=True)
    dispersion = serializers.FloatField(allow_null=True)
    reference_distribution = serializers.CharField(allow_null=True)


class InterpretationSerializer(serializers.Serializer):
    period = serializers.CharField()
    scope = serializers.CharField()
    text = serializers.CharField()
    published = serializers.BooleanField()
    author = serializers.CharField()
    cosigned_by = serializers.CharField(allow_null=True)
    cosigned_at = serializers.DateTimeField(allow_null=True)


class DispersionSerializer(serializers.Serializer):
    phi = serializers.FloatField(allow_null=True)
    df = serializers.IntegerField()


class SeriesSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    indicator_name = serializers.CharField()
    area = serializers.CharField()
    area_name = serializers.CharField()
    level = serializers.CharField()
    audience = serializers.CharField(help_text="public (anonymous, councillors, partners) or internal")
    hidden_reason = serializers.CharField(help_text="why nothing of this figure is shown (no published duiding)")
    withheld_note = serializers.CharField(help_text="newer periods wait for their duiding")
    covered_until = serializers.IntegerField(allow_null=True, help_text="the last year a published duiding "
                                             "covers (public audience)")
    source = serializers.CharField(help_text="who publishes the figures")
    source_table = serializers.CharField(allow_null=True)
    source_note = serializers.CharField()
    other_sources = serializers.ListField(child=serializers.CharField())
    no_data = serializers.BooleanField()
    no_data_reason = serializers.CharField()
    no_data_source = serializers.CharField()
    per = serializers.IntegerField()
    denominator = serializers.CharField()
    period_unit = serializers.CharField()
    confidence_level = serializers.FloatField()
    verdict_threshold = serializers.CharField()
    source_rounding = serializers.IntegerField()
    between_year_dispersion = DispersionSerializer()
    multiplicity = serializers.CharField(allow_null=True)
    points = PointSerializer(many=True)
    trend_note = serializers.CharField()
    trend = TrendSerializer(allow_null=True)
    interpretation = InterpretationSerializer(allow_null=True)


_HIDDEN_FIELDS = ("count", "count_lower", "count_upper", "rate", "rate_lower", "rate_upper", "change_pct",
                  "p_value", "p_adjusted")


def series_representation(published: PublishedSeries) -> dict:
    """The series document of `ivp indicator_series --format json`, restricted to what the gate lets this viewer
    see: only the covered periods, hidden counts and everything derived from them null, no trend where the gate
    withholds it. For the internal audience the points are the command's, value for value."""
    view: SeriesView = published.view
    series = view.series
    document = series_document(series)
    by_period = {p["period"]: p for p in document["points"]}
    points = []
    for shown in ([] if view.hidden_reason else view.points):
        point = dict(by_period[shown.period])
        point["hidden"] = shown.hidden
        point["count_range"] = None
        if shown.hidden:
            point.update({name: None for name in _HIDDEN_FIELDS})
            point.update(verdict=None, verdict_label=verdict_label(None), change_method=None)
        elif shown.verdict_hidden:
            point.update(verdict=None, verdict_label=verdict_label(None), change_pct=None, p_value=None,
                         p_adjusted=None)
        if shown.small_area and point["count"] is not None:
            # As on the pages: a small area's count only as a band (it has no rate anyway).
            point["count_range"] = count_band(point["count"])
            point.update(count=None, count_lower=None, count_upper=None)
        points.append(point)
    document["points"] = points
    if view.hidden_reason or view.trend is None:
        document["trend"] = None
    document["trend_note"] = view.trend_note if not view.hidden_reason else ""
    document.update(
        audience=published.audience, hidden_reason=view.hidden_reason, withheld_note=view.withheld_note,
        covered_until=view.covered_until, source=str(public_source_name(series.source)) if series.source else "",
    )
    note = published.interpretation
    document["interpretation"] = None if note is None else {
        "period": note.period, "scope": note.scope, "text": note.text, "published": note.published,
        "author": person_label(note.author), "cosigned_by": person_label(note.cosigned_by) or None,
        "cosigned_at": note.cosigned_at,
    }
    return document


# --- fund ---------------------------------------------------------------------------------------------------------


class ContributionSerializer(serializers.Serializer):
    municipality = serializers.CharField(source="cbs_code")
    municipality_name = serializers.CharField(source="municipality.name")
    population = serializers.IntegerField(allow_null=True, help_text="inhabitants on 1 January (CBS 37230ned)")
    population_year = serializers.IntegerField(allow_null=True)
    rate_cents = serializers.IntegerField()
    amount_cents = serializers.IntegerField()


class BenefitSerializer(serializers.Serializer):
    municipality = serializers.CharField(source="municipality.cbs_code")
    contributed_cents = serializers.IntegerField()
    allocated_cents = serializers.IntegerField()
    spent_cents = serializers.IntegerField()
    net_cents = serializers.IntegerField(help_text="spent on the municipality minus its contribution")


class AllocationSerializer(serializers.Serializer):
    title = serializers.CharField(source="allocation.title")
    beneficiary = serializers.CharField(source="allocation.beneficiary.cbs_code", allow_null=True, default=None)
    amount_cents = serializers.IntegerField(source="allocation.amount_cents")
    committed_cents = serializers.IntegerField()
    spent_cents = serializers.IntegerField()


class FundYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    currency = serializers.SerializerMethodField()
    rate_cents = serializers.IntegerField(help_text="contribution per inhabitant, in euro cents")
    population_total = serializers.IntegerField()
    contributions_cents = serializers.IntegerField()
    allocated_cents = serializers.IntegerField()
    committed_cents = serializers.IntegerField()
    spent_cents = serializers.IntegerField()
    outstanding_cents = serializers.IntegerField()
    balance_cents = serializers.IntegerField(help_text="contributions minus expenditures")
    contributions = ContributionSerializer(many=True)
    benefits = BenefitSerializer(many=True)
    allocations = AllocationSerializer(many=True, help_text="empty unless the token's owner may read the fund's "
                                       "details")
    details_hidden = serializers.BooleanField()
    warnings = serializers.ListField(child=serializers.CharField())

    def get_currency(self, summary: YearSummary) -> str:
        return "EUR"

    def to_representation(self, summary):
        data = super().to_representation(summary)
        data["warnings"] = [str(w) for w in summary.council_warnings] if not summary.details_hidden else [
            c.council_warning for c in summary.contributions if c.warning]
        return data


# --- council reports ----------------------------------------------------------------------------------------------


class ReportFileSerializer(serializers.Serializer):
    variant = serializers.CharField(help_text="report or letter (council information letter)")
    format = serializers.CharField(source="fmt", help_text="pdf, docx or html")
    filename = serializers.CharField()
    size = serializers.IntegerField(help_text="bytes")
    sha256 = serializers.CharField()
    _links = serializers.SerializerMethodField()

    def get__links(self, kept) -> dict[str, dict[str, str]]:
        return {"download": _href(self.context["request"], "report_file", pk=kept.report_id, variant=kept.variant,
                                  fmt=kept.fmt)}


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    area = serializers.CharField(source="area_code", help_text="CBS code of the municipality, or basisteam")
    kind = serializers.CharField(help_text="midterm or annual")
    kind_label = serializers.CharField(source="get_kind_display")
    period = serializers.CharField()
    number = serializers.IntegerField(help_text="report version")
    status = serializers.CharField(help_text="concept, vastgesteld (by the college) or aangeboden (to the council)")
    as_of = serializers.DateField(help_text="the date the report describes (peildatum)")
    adopted_on = serializers.DateField(allow_null=True)
    decision_reference = serializers.CharField()
    presented_on = serializers.DateField(allow_null=True)
    files = ReportFileSerializer(many=True)
    _links = serializers.SerializerMethodField()

    def get__links(self, report) -> dict[str, dict[str, str]]:
        return {"self": _href(self.context["request"], "report", pk=report.pk)}


# --- published activities ----------------------------------------------------------------------------------------


class PublicThemeSerializer(serializers.Serializer):
    code = serializers.CharField()
    number = serializers.CharField()
    title = serializers.CharField()


class ActivitySerializer(serializers.Serializer):
    """An activity its municipality marked public (ivp.execution.selectors.public_activities): never a person, the
    spending or an explanation that was not itself marked public."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    municipality = serializers.CharField(source="municipality_code", allow_null=True,
                                         help_text="CBS code; null: the base team's execution plan")
    owner_organisation = serializers.CharField(help_text="the municipality (or base team) responsible")
    period_start = serializers.IntegerField()
    period_end = serializers.IntegerField()
    themes = PublicThemeSerializer(many=True)
    local_priorities = serializers.ListField(child=serializers.CharField())
    focus_lenses = serializers.ListField(child=serializers.CharField())
    status = serializers.CharField(help_text="empty: no status update on or before status_as_of")
    status_label = serializers.CharField()
    status_date = serializers.DateField(allow_null=True, help_text="the as-of date of the status update shown")
    status_as_of = serializers.DateField()
    narrative = serializers.CharField(help_text="the explanation of that update, only when it was marked public")
    planned_budget_cents = serializers.IntegerField()
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
