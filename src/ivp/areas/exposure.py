"""Areas where the number of residents is the wrong denominator for registered crime.

A rate per 1,000 inhabitants assumes that the people at risk live there. In a business park, a town or shopping
centre, a prison or a recreation area most people present are workers, shoppers, inmates or visitors, so a rate per
resident looks extreme without saying anything about the residents. Such areas are marked (not hidden) wherever
their rate is shown. The mark comes from the CBS name of the area; an area that is not named after its use (some
business parks are named after the old field name) is not recognised, which is why the pages also explain the mark
in words. Areas with very few residents get no rate at all (ivp.stats small-area rule), which covers most of them.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

_KINDS = (
    (re.compile(r"industrie|bedrijven|bedrijfs|bedrijventerrein", re.I), "business"),
    (re.compile(r"\bcentrum\b|winkel", re.I), "centre"),
    (re.compile(r"penitentiair|gevangenis|\bpi\b|kazerne", re.I), "institution"),
    (re.compile(r"recreatie|camping|vakantie", re.I), "recreation"),
)


def exposure_kind(area_name: str) -> str:
    """'business', 'centre', 'institution', 'recreation' or '' (residents are a fair denominator)."""
    for pattern, kind in _KINDS:
        if pattern.search(area_name or ""):
            return kind
    return ""


def exposure_note(area_name: str) -> str:
    """A short Dutch note for an area whose rate per resident misleads; '' otherwise."""
    kind = exposure_kind(area_name)
    if kind == "business":
        return _("business area: most people there are not residents, so the rate per inhabitant overstates")
    if kind == "centre":
        return _("centre with shops and nightlife: many visitors, so the rate per inhabitant overstates")
    if kind == "institution":
        return _("institution: most people there are not counted as residents, so the rate per inhabitant "
                 "overstates")
    if kind == "recreation":
        return _("recreation area: many visitors, so the rate per inhabitant overstates")
    return ""
