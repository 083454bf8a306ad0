"""The indicators: which published figures measure which general goal and theme.

A typed registry (open-forms style): each Indicator names, per area level, the source series that
measure it (table + category codes to add up), in order of preference. Where no source covers a
level, the indicator answers "no data" for that level: never an estimate.

Goal codes and theme codes are those of the plan file (plans/meierij-ivp-2023-2026.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from ivp.registry import Registry


@dataclass(frozen=True)
class SourceSeries:
    table: str
    categories: tuple[str, ...]
    levels: tuple[str, ...]  # area levels this table publishes: gemeente, wijk, buurt, land
    note: str = ""
    sum_children_for: tuple[str, ...] = ()  # levels computed as the exact sum of published children
    rounding: int = 0  # the source rounds its counts to multiples of this (CBS 83648NED: 5); 0 = exact counts


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    description: str
    goals: tuple[str, ...]
    themes: tuple[str, ...]
    sources: tuple[SourceSeries, ...]
    production_source: str  # where production fetches it (OData), shown when offline data lack it
    unit: str = "count"
    per: int = 1000
    tags: tuple[str, ...] = field(default_factory=tuple)
    # Why the change and trend tests do not apply to this indicator (shown instead of a verdict); "" : they apply.
    method_note: str = ""

    def sources_for(self, level: str) -> list[SourceSeries]:
        return [s for s in self.sources if level in s.levels or level in s.sum_children_for]


_P47 = ("47013NED", "47018NED", "47022NED")

INDICATORS: Registry[Indicator] = Registry("indicator")


def register(indicator: Indicator) -> Indicator:
    """Add an indicator under its code; a code registered twice fails when this module is imported."""
    return INDICATORS.register(indicator.code, indicator)


_CBS_NOTE = _("CBS 83648NED, municipal boundaries of each year; counts rounded to multiples of 5.")
_NATIONAL_NOTE = _("Only the national figure is shown here; the police publish the figures per municipality on "
                   "data.politie.nl.")


def _police(code, name, description, goals, themes, categories, production):
    return register(Indicator(
        code=code, name=name, description=description, goals=goals, themes=themes,
        sources=(SourceSeries("47013NED", categories, ("gemeente", "land")),
                 SourceSeries("47022NED", categories, ("gemeente", "buurt"), sum_children_for=("wijk",)),
                 SourceSeries("47025NED", categories, ("land",), note=_NATIONAL_NOTE)),
        production_source=production,
    ))


def _cbs(code, name, description, goals, themes, category):
    return register(Indicator(
        code=code, name=name, description=description, goals=goals, themes=themes,
        sources=(SourceSeries("83648NED", (category,), ("gemeente",), note=_CBS_NOTE, rounding=5),),
        production_source="83648NED",
    ))


register(Indicator(
    code="crime_total",
    name=_("Registered crime, total"),
    description=_("All crimes registered by the police (attempts included)."),
    goals=("crime_reduction",), themes=(),
    sources=(
        SourceSeries("47013NED", ("0.0.0",), ("gemeente", "land")),
        SourceSeries("47022NED", ("0.0.0",), ("gemeente", "buurt"), sum_children_for=("wijk",),
                     note=_("Yearly sum of the monthly buurt figures; sexual offences are not published per "
                            "buurt, so the total is slightly below 47013NED.")),
        SourceSeries("83648NED", ("T001161",), ("gemeente",), note=_CBS_NOTE, rounding=5),
        SourceSeries("47025NED", ("0.0.0",), ("land",)),
    ),
    production_source="47013NED / 47022NED",
))
_police("residential_burglary", _("Residential burglary"), _("Burglary of homes (police type 1.1.1), attempts "
        "included."), ("crime_reduction", "neighbourhood_safety"), (), ("1.1.1",), "47013NED / 47022NED 1.1.1")
_police("violence", _("Violent crime"), _("Open violence against persons, threats, assault, street robbery and "
        "hold-ups (police types 1.4.3-1.4.7)."), ("crime_reduction", "safety_perception"), ("care_and_safety",),
        ("1.4.3", "1.4.4", "1.4.5", "1.4.6", "1.4.7"), "47013NED / 47022NED 1.4.3-1.4.7")
_police("vandalism", _("Vandalism"), _("Vandalism and damage to property (police type 2.2.1)."),
        ("public_order", "neighbourhood_safety"), (), ("2.2.1",), "47013NED / 47022NED 2.2.1")
_police("fraud", _("Fraud against citizens and businesses (incl. online)"), _("Horizontal fraud, such as "
        "online purchase and WhatsApp fraud (police type 3.9.1)."), ("resilience",), ("digital_safety",),
        ("3.9.1",), "47013NED 3.9.1")
_police("cybercrime", _("Cybercrime"), _("Cybercrime in the narrow sense, such as hacking (police type 3.7.4)."),
        ("resilience",), ("digital_safety",), ("3.7.4",), "47013NED 3.7.4")
_police("drug_trafficking", _("Drug trafficking"), _("Drug trafficking (police type 3.1.1), a signal for "
        "subversive crime."), ("crime_reduction", "intelligence"), ("subversion",), ("3.1.1",), "47013NED 3.1.1")
_cbs("property_crime_cbs", _("Property crime (CBS main group 1)"), _("Theft, burglary, fraud and other property "
     "crime."), ("crime_reduction",), (), "CRI1000")
_cbs("public_order_crime_cbs", _("Vandalism and public-order crime (CBS main group 2)"), _("Vandalism, "
     "public-order and authority offences."), ("public_order",), ("polarisation",), "CRI2000")
_cbs("violent_crime_cbs", _("Violent and sexual crime (CBS main group 3)"), _("Assault, threats, sexual and "
     "other violent crime."), ("crime_reduction",), ("care_and_safety",), "CRI3000")
_cbs("drug_crime_cbs", _("Drug crime (CBS main group 6)"), _("Opium Act offences."), ("crime_reduction",),
     ("subversion",), "CRI6000")
for code, name, description, goals, category in [
    ("confused_persons", _("Nuisance by confused persons (E33)"), _("Police registrations of nuisance by a "
     "confused or overwrought person."), ("public_order",), "E33"),
    ("youth_nuisance", _("Youth nuisance (E35)"), _("Police registrations of youth nuisance."),
     ("public_order", "neighbourhood_safety"), "E35"),
]:
    register(Indicator(
        code=code, name=name, description=description, goals=goals, themes=("care_and_safety",),
        sources=(SourceSeries("47021NED", (category,), ("land",),
                              note=_("National series; the source set missing values to 0.")),),
        production_source=f"47021NED / 47024NED {category}",
    ))
register(Indicator(
    code="safety_perception",
    name=_("Often feeling unsafe in one's own neighbourhood"),
    description=_("Share of residents aged 15+ who often feel unsafe in their own neighbourhood "
                  "(Veiligheidsmonitor)."),
    goals=("safety_perception",), themes=(),
    sources=(),
    production_source=_("Veiligheidsmonitor (CBS 85146NED, municipalities of 70,000+ only); others via upload"),
    unit="percentage",
))


# --- the information registers (issue 15 item 5, ADR 0021): counts per municipality and year -------------------
# Computed by ivp.information.figures from the registers into the table REGISTER_TABLE; never below the municipality.

_REGISTER_NOTE = _("Counted from the municipality's own information registers in IVP; only the municipal total.")
_REGISTER_METHOD = _("No verdict on change or trend: these are counts of the partners' own work (more controls "
                     "give more findings, more attention gives more signals), not a measure of how often something "
                     "happens. Whether a difference between years is more than chance cannot be tested this way.")
_REGISTER_PRODUCTION = _("the municipality's information registers in IVP (kept by the municipality itself)")


def _register(code, name, description, goals, themes, categories):
    from ivp.information.codes import REGISTER_TABLE

    return register(Indicator(
        code=code, name=name, description=description, goals=goals, themes=themes,
        sources=(SourceSeries(REGISTER_TABLE, tuple(categories), ("gemeente",), note=_REGISTER_NOTE),),
        production_source=_REGISTER_PRODUCTION, method_note=_REGISTER_METHOD, tags=("register",),
    ))


def _register_indicators() -> None:
    from ivp.information import codes as f  # the category codes of the register figures

    undermining, polarisation = f.UNDERMINING_SIGNALS, f.POLARISATION_SIGNALS
    _register("info_signals", _("Signals received"), _("All signals recorded in the signals register (residents, "
              "Meld Misdaad Anoniem, police, partners, own staff)."), ("intelligence",), (),
              f.SIGNAL_CODES.values())
    _register("info_signals_undermining", _("Signals of undermining"), _("Signals about drugs, human trafficking, "
              "money laundering, real estate and other undermining."), ("intelligence",), ("subversion",),
              undermining)
    _register("info_signals_polarisation", _("Signals of polarisation and social unrest"), _("Signals about "
              "polarisation and social unrest."), ("intelligence",), ("polarisation",), polarisation)
    _register("info_controls", _("Integral controls carried out"), _("Integral controls by the BIM (municipality, "
              "police and partners together)."), ("intelligence",), ("subversion",), (f.CONTROLS,))
    _register("info_closures", _("Closures (article 13b Opium Act)"), _("Premises closed by the mayor after an "
              "integral control."), ("intelligence",), ("subversion",), (f.CLOSURES,))
    _register("info_bibob", _("Bibob procedures"), _("Bibob procedures completed in the year, all outcomes."),
              ("intelligence",), ("subversion",), f.BIBOB_CODES.values())
    _register("info_bibob_refused", _("Bibob: refused or withdrawn"), _("Bibob procedures that ended in a refusal "
              "or a withdrawn application."), ("intelligence",), ("subversion",),
              (f.BIBOB_CODES["refused"], f.BIBOB_CODES["withdrawn"]))
    _register("info_youth_groups", _("Problematic youth groups"), _("Youth groups on the shortlist during the year, "
              "all types."), ("intelligence",), ("polarisation",), f.YOUTH_CODES.values())
    _register("info_youth_groups_criminal", _("Criminal youth groups"), _("Youth groups of the criminal type "
              "(at the end of the year)."), ("intelligence",), ("subversion",), (f.YOUTH_CODES["criminal"],))
    _register("info_lio_cases", _("Cases discussed in the LIO"), _("Cases discussed in the local information "
              "meetings (LIO)."), ("intelligence",), ("subversion",), (f.LIO_CASES,))
    _register("info_ave_cases", _("Open AVE cases"), _("Cases in the approach of radicalisation and extremism (AVE) "
              "that are not closed, at the end of the last quarter with counts."), ("intelligence",),
              ("polarisation",), f.AVE_OPEN)


_register_indicators()
