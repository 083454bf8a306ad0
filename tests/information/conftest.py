import pytest

from ivp.areas.models import Area, AreaLevel


def _area(code, level, name, parent=None, organisation=None):
    area, _ = Area.objects.get_or_create(code=code, defaults={"level": level, "name": name, "parent": parent,
                                                              "organisation": organisation})
    return area


@pytest.fixture
def areas(vught, heusden):
    """A few real CBS areas of Vught and Heusden (codes and names as in the CBS wijken-en-buurten table; a test
    fixture, enough for the registers' location checks)."""
    gm_vught = _area("GM0865", AreaLevel.MUNICIPALITY, "Vught", organisation=vught)
    gm_heusden = _area("GM0797", AreaLevel.MUNICIPALITY, "Heusden", organisation=heusden)
    vught_zuid = _area("WK086501", AreaLevel.DISTRICT, "Wijk 01 Vught-Zuid", gm_vught)
    return {
        "vught": gm_vught, "heusden": gm_heusden, "vught_zuid": vught_zuid,
        "vught_centre": _area("WK086500", AreaLevel.DISTRICT, "Wijk 00 Vught", gm_vught),
        "cromvoirt": _area("WK086502", AreaLevel.DISTRICT, "Wijk 02 Cromvoirt", gm_vught),
        "helvoirt": _area("WK086503", AreaLevel.DISTRICT, "Wijk 03 Helvoirt", gm_vught),
        "buurt": _area("BU08650101", AreaLevel.NEIGHBOURHOOD, "Buurt in Vught-Zuid", vught_zuid),
        "heusden_wijk": _area("WK079701", AreaLevel.DISTRICT, "Wijk 01 Heusden", gm_heusden),
    }
