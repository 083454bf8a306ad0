"""Verdict codes are stable strings; the threshold is strict."""

import json

from ivp.stats.verdict import Verdict, verdict_for


def test_codes_are_the_documented_strings():
    assert [v.value for v in Verdict] == [
        "significant_decrease", "within_normal_variation", "significant_increase", "insufficient_data",
    ]
    assert Verdict.SIGNIFICANT_INCREASE == "significant_increase"
    assert json.dumps({"verdict": Verdict.INSUFFICIENT_DATA}) == '{"verdict": "insufficient_data"}'


def test_dutch_wording_is_documented_for_every_code():
    doc = __import__("ivp.stats.verdict", fromlist=["x"]).__doc__
    for code, label in [
        ("significant_decrease", "significante daling"),
        ("within_normal_variation", "binnen normale schommeling"),
        ("significant_increase", "significante stijging"),
        ("insufficient_data", "te weinig gegevens"),
    ]:
        assert code in doc and label in doc


def test_wording_makes_no_chance_claim_for_poisson_only_tests():
    doc = " ".join(__import__("ivp.stats.verdict", fromlist=["x"]).__doc__.split())
    assert "toeval te verklaren" not in doc and "than chance alone explains" not in doc
    # the significance labels are reserved for tests that account for the dispersion; Poisson-only tests get
    # a label without the claim
    assert "only for a test that accounts for the dispersion" in doc
    assert "opvallende daling" in doc and "opvallende stijging" in doc


def test_threshold_is_strict_and_not_fooled_by_rounding():
    assert verdict_for(0.0499, increase=True, level=0.95) == Verdict.SIGNIFICANT_INCREASE
    assert verdict_for(0.05, increase=True, level=0.95) == Verdict.WITHIN_NORMAL_VARIATION  # 1 - 0.95 > 0.05 in floats
    assert verdict_for(0.0099, increase=False, level=0.99) == Verdict.SIGNIFICANT_DECREASE
    assert verdict_for(0.02, increase=False, level=0.99) == Verdict.WITHIN_NORMAL_VARIATION
