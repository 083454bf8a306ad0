"""Indicator series on the real imported data, checked against the source files and scipy."""

import csv
import json
import math
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from scipy import stats as sps

from ivp.indicators.series import indicator_series

pytestmark = pytest.mark.django_db


def _series_json(*args):
    out = StringIO()
    call_command("indicator_series", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_vught_crime_total_equals_source_and_scipy(imported, shared_data):
    doc = _series_json("--area", "GM0865", "--indicator", "crime_total")
    assert doc["source_table"] == "47013NED"
    with open(shared_data / "crime" / "crime_total_gemeente_47013_2022_2024_meierij.csv", encoding="utf-8") as fh:
        source = {int(r["jaar"]): int(r["geregistreerde_misdrijven"]) for r in csv.DictReader(fh)
                  if r["gm_code"] == "GM0865"}
    with open(shared_data / "population" / "population_gemeente_37230_2002_2024_meierij.csv", encoding="utf-8") as fh:
        population = {int(r["jaar"]): int(r["bevolking_begin_jaar"]) for r in csv.DictReader(fh)
                      if r["regio_code"] == "GM0865"}
    points = {int(p["period"]): p for p in doc["points"]}
    assert {y: p["count"] for y, p in points.items()} == source
    for year, point in points.items():
        count, pop = source[year], population[year]
        assert point["population"] == pop
        lower = sps.chi2.ppf(0.025, 2 * count) / 2
        upper = sps.chi2.ppf(0.975, 2 * (count + 1)) / 2
        assert point["rate"] == pytest.approx(1000 * count / pop, abs=1e-4)
        assert point["rate_lower"] == pytest.approx(1000 * lower / pop, abs=1e-4)
        assert point["rate_upper"] == pytest.approx(1000 * upper / pop, abs=1e-4)
    # Change 2023 -> 2024: the counts vary more between years than Poisson noise (a dispersion pooled over Dutch
    # municipalities of comparable size), so the test is the quasi-Poisson one on the log rate ratio with a t
    # reference, recomputed here with scipy; it is more cautious than the exact Poisson test would be.
    dispersion = doc["between_year_dispersion"]
    assert dispersion["phi"] > 1 and dispersion["df"] >= 20
    log_ratio = math.log((source[2024] / population[2024]) / (source[2023] / population[2023]))
    se = math.sqrt(dispersion["phi"] * (1 / source[2023] + 1 / source[2024]))
    expected_p = 2 * sps.t.sf(abs(log_ratio) / se, dispersion["df"])
    assert points[2024]["change_method"] == "quasi_poisson"
    assert points[2024]["p_value"] == pytest.approx(expected_p, abs=1e-3)
    n = source[2023] + source[2024]
    p0 = population[2024] / (population[2023] + population[2024])
    assert points[2024]["p_value"] > sps.binomtest(source[2024], n, p0).pvalue
    expected_verdict = "within_normal_variation" if expected_p >= 0.05 else (
        "significant_decrease" if log_ratio < 0 else "significant_increase")
    assert points[2024]["verdict"] == expected_verdict
    assert doc["verdict_threshold"] == "two-sided p < 0.05"
    assert "1 January" in doc["denominator"]


def test_no_rate_across_a_boundary_change(imported):
    # 47013NED is in current boundaries; Vught's population before 2021 is in pre-Haaren boundaries.
    series = indicator_series("crime_total", "GM0865")
    assert all(p.rate is not None for p in series.points)  # 2022-2024: after the change, rates allowed
    historic = indicator_series("violent_crime_cbs", "GM0865")  # 83648NED, historic boundaries: allowed
    assert historic.source.table == "83648NED" and all(p.rate is not None for p in historic.points)


def test_no_data_is_an_answer_not_a_guess(imported):
    doc = _series_json("--area", "GM0865", "--indicator", "residential_burglary")
    assert doc["no_data"] is True and doc["points"] == []
    assert "47013NED" in doc["no_data_source"]  # the technical source: command line and methods appendix only
    assert "data.politie.nl" in doc["no_data_reason"] and "NED" not in doc["no_data_reason"]


def test_buurt_rates_only_with_matching_population(imported):
    series = indicator_series("crime_total", "BU08650000")
    by_year = {p.year: p for p in series.points}
    assert by_year[2024].rate is not None  # KWB 2024 population
    assert by_year[2023].rate is None and by_year[2023].note


def test_base_team_is_the_sum_of_its_municipalities(imported):
    team = indicator_series("crime_total", "basisteam")
    members = [indicator_series("crime_total", code) for code in ("GM0757", "GM0797", "GM0845", "GM0865", "GM1948")]
    for point in team.points:
        assert point.count == sum(next(p.count for p in m.points if p.year == point.year) for m in members)
    before_meierijstad = indicator_series("violent_crime_cbs", "basisteam").points[0]
    assert before_meierijstad.count is None and "Meierijstad" in before_meierijstad.note


def test_cli_lists_indicators_and_rejects_unknown_codes(imported):
    out = StringIO()
    call_command("indicators", "--format", "json", stdout=out)
    codes = [i["code"] for i in json.loads(out.getvalue())]
    assert "crime_total" in codes and "confused_persons" in codes
    with pytest.raises(CommandError):
        call_command("indicator_series", "--area", "GM0865", "--indicator", "nope")
    with pytest.raises(CommandError):
        call_command("indicator_series", "--area", "GM9999", "--indicator", "crime_total")
