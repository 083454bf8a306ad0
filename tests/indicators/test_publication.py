"""The one publication gate on the real open data: nothing public without a published duiding, small counts hidden
with their protection, and a differencing attack on everything one public viewer can see (issue 12, ADR 0011)."""

import re

import pytest
from django.urls import reverse

from ivp.areas.models import Area, Population
from ivp.indicators import dashboard
from ivp.indicators.definitions import INDICATORS
from ivp.indicators.models import Observation
from ivp.indicators.publication import FigureGate, hidden_text
from ivp.indicators.services.interpretations import interpretation_save
from ivp.stats.disclosure import CellStatus, Relation
from ivp.stats.small_areas import MIN_POPULATION_FOR_RATE
from tests.stats.test_disclosure import recovered

pytestmark = pytest.mark.django_db
MUNICIPALITIES = ("GM0757", "GM0797", "GM0845", "GM0865", "GM1948")


def _publish_neighbourhoods(coordinator, year="2024"):
    for code in MUNICIPALITIES:
        interpretation_save(actor=coordinator, indicator="crime_total", area=Area.objects.get(code=code),
                            period=year, text=f"Duiding buurten {code} (test)", published=True,
                            scope="neighbourhoods")


def _buurt_counts(year):
    return {code: value for code, value in Observation.objects.filter(
        table="47022NED", category="0.0.0", area__level="buurt", year=year, month=0).values_list("area__code", "value")}


def test_nothing_of_the_figures_is_public_on_a_fresh_instance(client, imported):
    vught = client.get(reverse("web:municipality_dashboard", kwargs={"cbs_code": "GM0865"})).content.decode()
    team = client.get(reverse("web:base_team_dashboard")).content.decode()
    for html in (vught, team):
        assert "<svg" not in html  # no chart, map or funnel plot
        assert "is shown publicly once an interpretation" in html or "wordt openbaar getoond" in html
    assert "986" not in vught  # Vught 2024 (47013NED)
    assert "BU08650000" not in vught  # no neighbourhood rows
    assert "funnel-gemeenten" not in team and 'id="funnel-caption"' not in team  # no comparison table
    for word in ("stands out", "valt op"):
        assert word not in vught and word not in team


def test_published_duiding_opens_the_figures_and_small_counts_stay_hidden(client, users, imported):
    coordinator = users["coordinator"]
    vught = Area.objects.get(code="GM0865")
    interpretation_save(actor=coordinator, indicator="crime_total", area=vught, period="2024",
                        text="Duiding Vught 2024 (test)", published=True)
    _publish_neighbourhoods(coordinator)
    interpretation_save(actor=coordinator, indicator="crime_total", area=None, period="2024",
                        text="Duiding vergelijking (test)", published=True, scope="comparison")
    html = client.get(reverse("web:municipality_dashboard", kwargs={"cbs_code": "GM0865"})).content.decode()
    assert "986" in html and "Duiding Vught 2024 (test)" in html
    assert 'id="map-buurten-title"' in html and 'id="funnel-buurten-title"' in html
    counts = _buurt_counts(2024)
    small = [code for code in counts if code.startswith("BU0865") and counts[code] and counts[code] < 5]
    assert small, "the real data have small counts in Vught's buurten"
    for code in small:
        row = html.split(code, 1)[1].split("</tr>", 1)[0]
        cells = [c.strip() for c in re.findall(r"<td[^>]*>([^<]*)", row)]
        assert cells[0] == hidden_text() or cells[0] in ("afgeschermd",), (code, cells)
        assert str(counts[code]) not in cells
    team = client.get(reverse("web:base_team_dashboard")).content.decode()
    assert 'id="funnel-gemeenten-title"' in team and "Duiding vergelijking (test)" in team


def test_a_duiding_covers_its_year_and_earlier_not_later(imported, users):
    interpretation_save(actor=users["coordinator"], indicator="crime_total", area=Area.objects.get(code="GM0865"),
                        period="2023", text="Duiding 2023 (test)", published=True)
    card = dashboard.card_for(None, INDICATORS["crime_total"], "GM0865")
    assert [p.period for p in card.view.points] == ["2022", "2023"]
    assert card.view.withheld_note  # 2024 exists and waits for its duiding
    assert card.view.trend is None


def test_councillors_and_partners_get_the_public_view_police_and_advisors_the_internal(users):
    assert not FigureGate(users["councillor"]).internal and not FigureGate(users["partner"]).internal
    assert FigureGate(users["police"]).internal and FigureGate(users["advisor"]).internal
    assert not FigureGate(None).internal


def _public_cells(year):
    """Every count of `year` that the public can read on the wijk and buurt pages and the neighbourhood tables:
    {area code: count or None (hidden)}."""
    gate = FigureGate.public()
    seen = {}
    for area in Area.objects.filter(level__in=["wijk", "buurt"], parent__isnull=False).order_by("code"):
        card = dashboard.card_for(None, INDICATORS["crime_total"], area.code, gate=gate, with_chart=False)
        for point in card.view.points:
            if point.year == year and point.published:
                seen[area.code] = point.count
    for code in MUNICIPALITIES:
        table = dashboard.neighbourhood_table(None, Area.objects.get(code=code), gate=gate)
        if table["year"] != year:
            continue
        for row in table["rows"]:
            shown = row["count"].replace(".", "")
            if shown.isdigit():
                assert seen.get(row["code"], int(shown)) == int(shown)
                seen[row["code"]] = int(shown)
    return seen


@pytest.mark.parametrize("year", [2022, 2024])
def test_differencing_recovers_no_hidden_buurt_count(imported, users, year):
    """The attack: every wijk = the sum of its buurten; fill in what the public sees on the wijk and buurt pages and
    the neighbourhood tables; every count >= 0 (>= 1 for a hidden one, since zeros are shown); the smallest and
    largest value each hidden count can take."""
    _publish_neighbourhoods(users["coordinator"])
    seen = _public_cells(year)
    truth = _buurt_counts(year)
    hidden = sorted(code for code, count in seen.items() if count is None)
    assert any(code.startswith("BU") and 0 < truth[code] < 5 for code in hidden), "a small count to protect"
    relations = [Relation(wijk.code, tuple(wijk.children.values_list("code", flat=True)))
                 for wijk in Area.objects.filter(level="wijk", code__in=list(seen))]
    wijk_totals = {r.total: sum(truth[p] for p in r.parts) for r in relations}
    counts = {**truth, **wijk_totals}
    status = {code: CellStatus.SECONDARY if seen.get(code, 0) is None else CellStatus.SHOWN for code in counts}
    assert all(counts[code] == seen[code] for code in seen if seen[code] is not None)  # what is shown is true
    assert recovered(counts, status, relations) == []  # the attack of tests/stats/test_disclosure.py
    for code in hidden:  # and nothing hidden is printed in the pages' charts either
        card = dashboard.card_for(None, INDICATORS["crime_total"], code, gate=FigureGate.public(), with_chart=False)
        assert all(p.rate is None and p.count is None for p in card.view.points if p.year == year)


def test_the_public_chart_draws_no_hidden_point(imported, users, monkeypatch):
    _publish_neighbourhoods(users["coordinator"])
    counts = _buurt_counts(2024)
    populated = set(Population.objects.filter(area__level="buurt", value__gte=MIN_POPULATION_FOR_RATE)
                    .values_list("area__code", flat=True))
    code = next(c for c in sorted(counts) if c in populated and counts[c] and counts[c] < 5)
    drawn = {}
    real = dashboard.charts.series_spec

    def capture(rows, **kwargs):
        drawn["rows"] = rows
        return real(rows, **kwargs)

    monkeypatch.setattr(dashboard.charts, "series_spec", capture)
    card = dashboard.card_for(None, INDICATORS["crime_total"], code, gate=FigureGate.public())
    assert card.chart_svg
    assert "2024" not in {r["period"] for r in drawn["rows"]}
    assert any(p.hidden and p.year == 2024 for p in card.view.points)
