"""The benchmark's fake service answers the connector's filters like the service would (SYNTHETIC rows)."""

import pytest
from bench.fakeservice import FakeService, Filter

HEADER = "ID,SoortMisdrijf,WijkenEnBuurten,Perioden,GeregistreerdeMisdrijven_1\n"
SELECT = ["SoortMisdrijf", "WijkenEnBuurten", "Perioden", "GeregistreerdeMisdrijven_1"]


@pytest.fixture
def service(tmp_path):
    # SYNTHETIC: made-up rows in the shape of 47022NED, fake area codes (GM9xxx range).
    rows = [(0, "0.0.0 ", "BU90000000", "2025MM06", 3), (1, "0.0.0 ", "BU90000000", "2025MM07", 4),
            (2, "1.1.1 ", "BU90000000", "2025MM08", 5), (3, "0.0.0 ", "BU90010000", "2025MM09", 6),
            (4, "0.0.0 ", "WK900000  ", "2025MM09", 7)]
    (tmp_path / "SYNTHETIC_47022NED_TypedDataSet.csv").write_text(HEADER + "".join(
        f"{i},{c},{a},{p},{v}\n" for i, c, a, p, v in rows))
    (tmp_path / "SYNTHETIC_47022NED_update_2026MM01.csv").write_text(HEADER + "5,0.0.0 ,BU90000000,2026MM01,8\n")
    return FakeService(tmp_path, with_update=True)


def periods(service, filt):
    return [r["Perioden"] for r in service.typed_dataset("47022NED", filter=filt, select=SELECT)]


def test_period_floor_and_prefixes(service):
    filt = "(startswith(WijkenEnBuurten,'BU9000')) and (startswith(SoortMisdrijf,'0.0.0')) and (Perioden ge '2025MM07')"
    assert periods(service, filt) == ["2025MM07", "2026MM01"]
    assert periods(service, "Perioden ge '2025MM08'") == ["2025MM08", "2025MM09", "2025MM09", "2026MM01"]
    assert periods(service, None) == ["2025MM06", "2025MM07", "2025MM08", "2025MM09", "2025MM09", "2026MM01"]
    rows = list(service.typed_dataset("47022NED", filter="startswith(WijkenEnBuurten,'WK')", select=SELECT))
    assert rows == [{"ID": 4, "SoortMisdrijf": "0.0.0", "WijkenEnBuurten": "WK900000", "Perioden": "2025MM09",
                     "GeregistreerdeMisdrijven_1": 7}]
    assert service.transport_s > 0


@pytest.mark.parametrize("filt", ["Perioden eq '2025MM07'", "Perioden gt '2025MM07'",
                                  "(startswith(WijkenEnBuurten,'BU')) or (Perioden ge '2025MM07')",
                                  "substringof('MM',Perioden)"])
def test_unknown_filters_are_refused(filt):
    with pytest.raises(NotImplementedError):
        Filter(filt)
