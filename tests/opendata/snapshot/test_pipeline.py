"""Reading snapshot files: the real folder parses; malformed files give file/line/field errors.

The malformed files are small fixtures written by these tests (values made up, labelled as such).
"""

import shutil

import pytest

from ivp.opendata.snapshot.pipeline import read_snapshot
from ivp.opendata.snapshot.records import SnapshotError

HEADER_47013 = "gm_code,regio_naam,regio_type,jaar,geregistreerde_misdrijven,statline_symbool\n"
NAME_47013 = "crime_total_gemeente_47013_2022_2024_meierij.csv"


def _issues(folder):
    with pytest.raises(SnapshotError) as info:
        read_snapshot(folder)
    return info.value.issues


def _write(tmp_path, name, text, encoding="utf-8"):
    (tmp_path / name).write_bytes(text.encode(encoding))
    return tmp_path


def test_real_folder_parses(shared_data):
    snapshot = read_snapshot(shared_data)
    vught = [o for o in snapshot.observations.values()
             if o.area_code == "GM0865" and o.table == "47013NED"]
    assert sorted((o.year, o.value) for o in vught)[1] == (2023, 1062)  # PROVENANCE: Vught 2023 is 1,062
    assert len([a for a in snapshot.areas.values() if a.level == "buurt" and a.code.startswith("BU0865")]) > 0
    ignored = dict(snapshot.ignored)
    assert any("unofficial" in name for name in ignored)


def test_wrong_header(tmp_path):
    [issue] = _issues(_write(tmp_path, NAME_47013, "gm,naam\nGM0865,Vught\n"))
    assert (issue.file, issue.line, issue.field) == (NAME_47013, 1, "header")


def test_text_in_a_number(tmp_path):
    text = HEADER_47013 + "GM0865,Vught,gemeente,2023,1062,\nGM0865,Vught,gemeente,2024,veel,\n"
    [issue] = _issues(_write(tmp_path, NAME_47013, text))
    assert (issue.line, issue.field) == (3, "geregistreerde_misdrijven")


def test_statline_symbol_only_where_published_as_such(tmp_path):
    ok = HEADER_47013 + "GM0865,Vught,gemeente,2023,,.\n"
    snapshot = read_snapshot(_write(tmp_path, NAME_47013, ok))
    [obs] = snapshot.observations.values()
    assert obs.value is None  # "no figure", never 0
    bad = HEADER_47013 + "GM0865,Vught,gemeente,2023,.,\n"
    [issue] = _issues(_write(tmp_path, NAME_47013, bad))
    assert issue.field == "geregistreerde_misdrijven"


def test_unknown_area_code(tmp_path):
    text = HEADER_47013 + "GM865,Vught,gemeente,2023,1062,\n"
    [issue] = _issues(_write(tmp_path, NAME_47013, text))
    assert (issue.line, issue.field) == (2, "gm_code")


def test_buurt_of_an_unknown_wijk(tmp_path):
    name = "crime_total_buurt_47022sum_2021_2025_meierij.csv"
    text = ("gm_code,gemeente,wijk_code,buurt_code,buurt_naam,jaar,geregistreerde_misdrijven\n"
            "GM0865,Vught,WK086599,BU08659999,Testbuurt,2023,12\n")
    issues = _issues(_write(tmp_path, name, text))
    assert any("WK086599" in i.message for i in issues)


def test_duplicate_key(tmp_path):
    text = HEADER_47013 + "GM0865,Vught,gemeente,2023,1062,\nGM0865,Vught,gemeente,2023,1063,\n"
    [issue] = _issues(_write(tmp_path, NAME_47013, text))
    assert issue.line == 3 and ("line 2" in issue.message or "regel 2" in issue.message)


def test_truncated_file(tmp_path):
    text = HEADER_47013 + "GM0865,Vught,gemeente,2023,1062,\nGM0865,Vught,gem"
    [issue] = _issues(_write(tmp_path, NAME_47013, text))
    assert issue.line == 3


def test_wrong_encoding(tmp_path):
    text = HEADER_47013 + "GM0865,Vught (ĳ),gemeente,2023,1062,\n"
    (tmp_path / NAME_47013).write_bytes(text.encode("utf-16"))
    [issue] = _issues(tmp_path)
    assert issue.line == 1 and "UTF-8" in issue.message


def test_unknown_file_is_an_error_not_skipped(tmp_path):
    _write(tmp_path, "mystery.csv", "a,b\n1,2\n")
    [issue] = _issues(tmp_path)
    assert issue.file == "mystery.csv"


def test_two_files_disagreeing(tmp_path, shared_data):
    shutil.copy(shared_data / "crime" / NAME_47013, tmp_path / NAME_47013)
    nl = shared_data / "crime" / "crime_total_gemeente_47013_2022_2024_nl.csv"
    text = nl.read_text(encoding="utf-8").replace("GM0865,Vught,gemeente,2023,1062,", "GM0865,Vught,gemeente,2023,1,")
    (tmp_path / nl.name).write_text(text, encoding="utf-8")
    issues = _issues(tmp_path)
    assert len(issues) == 1 and "1062" in issues[0].message


def test_a_gemeente_row_without_code_is_an_error_not_skipped(tmp_path):
    text = HEADER_47013 + ",Vught,gemeente,2023,1062,\n,Oost-Brabant (RE),regionale_eenheid,2023,5,\n"
    [issue] = _issues(_write(tmp_path, NAME_47013, text))
    assert (issue.line, issue.field) == (2, "gm_code")


def test_a_frame_with_unknown_areas_gives_one_issue_per_area():
    # Made-up figures in the SYNTHETIC code range GM99xx (never issued by CBS).
    import polars as pl

    from ivp.opendata.snapshot.observation_frames import observation_frame
    from ivp.opendata.snapshot.pipeline import Snapshot, check_area_tree
    from ivp.opendata.snapshot.records import AreaRecord

    snapshot = Snapshot(areas={"BU99010101": AreaRecord("BU99010101", "buurt", "SYNTHETIC", "WK990101")})
    figures = pl.DataFrame({"category": ["1.1.1"] * 4, "area_code": ["BU99010101", "BU99019999", "BU99010000",
                                                                     "BU99019999"],
                            "year": [2024] * 4, "month": [1, 1, 2, 2], "value": [1, None, 3, 4]})
    snapshot.observation_frames.append(observation_frame("47022NED", figures, boundary_year=2024,
                                                         source_file="odata:47022NED"))
    issues = check_area_tree(snapshot, known={"WK990101"})
    assert [(i.file, i.field, i.message) for i in issues] == [
        ("odata:47022NED", "area", "onbekende gebiedscode BU99010000"),
        ("odata:47022NED", "area", "onbekende gebiedscode BU99019999")]
    assert snapshot.observation_count() == 4
    assert snapshot.observations_frame()["value"].to_list() == [1, None, 3, 4]
