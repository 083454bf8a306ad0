"""Which populations may be used for a rate: only those in the same boundaries as the figure.

Known municipal boundary changes around base team Meierij (CBS, "Gemeentelijke indeling";
see ../shared/data/PROVENANCE.md): Haaren (GM0788) was dissolved on 1-1-2021 and split over
Boxtel, Oisterwijk, Tilburg and Vught; Meierijstad (GM1948) was formed on 1-1-2017 from Schijndel
(GM0844), Sint-Oedenrode (GM0846) and Veghel (GM0860).
"""

from __future__ import annotations

from collections.abc import Iterable

KNOWN_BOUNDARY_CHANGES: list[tuple[str, int, str]] = [
    ("GM0865", 2021, "Haaren (GM0788) opgeheven; een deel (Helvoirt) is bij Vught gevoegd."),
    ("GM0757", 2021, "Haaren (GM0788) opgeheven; een deel (Esch) is bij Boxtel gevoegd."),
    ("GM1948", 2017, "Meierijstad gevormd uit Schijndel, Sint-Oedenrode en Veghel."),
]


def boundaries_match(change_years: Iterable[int], figure_boundary_year: int, population_boundary_year: int) -> bool:
    """True when no boundary change falls between the two boundary vintages.

    A change in year C (1 January) separates vintages < C from vintages >= C.
    """
    low, high = sorted((figure_boundary_year, population_boundary_year))
    return not any(low < year <= high for year in change_years)
