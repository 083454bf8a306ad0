"""The observation categories of the register figures (pure constants: ivp.indicators.definitions imports them
before the apps are ready). tests/information/test_figures.py checks them against the registers' choices."""

from __future__ import annotations

REGISTER_TABLE = "IVP-REGISTERS"

SIGNAL_CATEGORIES = ("drugs", "human_trafficking", "money_laundering", "real_estate", "undermining_other",
                     "polarisation", "residential_nuisance", "youth", "care_safety", "digital", "other")
SIGNAL_CODES = {category: f"SIG-{i:02d}" for i, category in enumerate(SIGNAL_CATEGORIES, start=1)}
UNDERMINING_SIGNALS = tuple(SIGNAL_CODES[c] for c in ("drugs", "human_trafficking", "money_laundering",
                                                      "real_estate", "undermining_other"))
POLARISATION_SIGNALS = (SIGNAL_CODES["polarisation"],)
CONTROLS = "CTL-CONTROLS"
CLOSURES = "CTL-CLOSURES"
BIBOB_OUTCOMES = ("granted", "conditions", "refused", "withdrawn", "lbb_advice")
BIBOB_CODES = {outcome: f"BIB-{outcome}" for outcome in BIBOB_OUTCOMES}
YOUTH_TYPES = ("annoying", "nuisance", "criminal")
YOUTH_CODES = {kind: f"JG-{kind}" for kind in YOUTH_TYPES}
LIO_CASES = "LIO-CASES"
AVE_STAGES = ("signal", "analysis", "intervention", "aftercare", "closed")
AVE_CODES = {stage: f"AVE-{stage}" for stage in AVE_STAGES}
AVE_OPEN = tuple(code for stage, code in AVE_CODES.items() if stage != "closed")

# The indicator whose published duiding releases a register's aggregates to the public audience: the dashboards
# and `information_summary` use the same key (FigureGate.covered_until).
GATE_KEYS = {
    "signals": "info_signals",
    "controls": "info_controls",
    "bibob": "info_bibob",
    "youth_groups": "info_youth_groups",
    "lio": "info_lio_cases",
    "ave": "info_ave_cases",
}
