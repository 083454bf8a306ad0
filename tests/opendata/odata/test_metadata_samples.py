"""The real 47018NED metadata (cbsodataR CSV serialisations of the JSON endpoints) through the parsers."""

import csv
from collections import Counter

import pytest

from ivp.opendata.odata.errors import ODataShapeError
from ivp.opendata.odata.metadata import DataProperties, DimensionItem
from ivp.opendata.odata.normalise import municipality_of, parse_area, parse_period
from ivp.opendata.odata.samples import parse_cbsodatar_csv, read_cbsodatar_csv

from .helpers import MEIERIJ


def items(path, dimension):
    return [DimensionItem.from_row(r, table="47018NED", dimension=dimension, index=i)
            for i, r in enumerate(read_cbsodatar_csv(path))]


class TestDataProperties:
    def test_dimensions_and_topics_derived_exactly(self, samples):
        props = DataProperties.from_rows("47018NED", read_cbsodatar_csv(samples / "47018NED_DataProperties.csv"))
        assert [(p.key, p.type) for p in props.dimensions] == [
            ("SoortMisdrijf", "Dimension"),
            ("WijkenEnBuurten", "GeoDetail"),
            ("Perioden", "TimeDimension"),
        ]
        assert props.time_dimension.key == "Perioden"
        assert [p.key for p in props.geo_dimensions] == ["WijkenEnBuurten"]
        assert [(t.key, t.datatype, t.unit) for t in props.topics] == [
            ("GeregistreerdeMisdrijven_1", "Long", "aantal"),
            ("Gemeentenaam_2", "String", "naam"),
            ("SoortRegio_3", "String", "omschrijving"),
        ]
        assert [t.key for t in props.numeric_topics] == ["GeregistreerdeMisdrijven_1"]
        measure = props.get("GeregistreerdeMisdrijven_1")
        assert (measure.title, measure.decimals, measure.default, measure.position) == (
            "Geregistreerde misdrijven", 0, "Zero", 3)
        # the TopicGroup heading has no key and is neither a dimension nor a topic
        group = [p for p in props if p.type == "TopicGroup"]
        assert len(group) == 1 and group[0].key == "" and group[0].title == "Regioaanduiding"
        assert props.get("Gemeentenaam_2").parent_id == group[0].id == 4
        assert props.get("WijkenEnBuurten").description == "Wijken en buurten (indeling 2024)"

    def test_unknown_type_is_a_shape_error(self, samples):
        rows = read_cbsodatar_csv(samples / "47018NED_DataProperties.csv")
        rows[2] = {**rows[2], "Type": "TimeDimensionV2"}  # modified copy of a real row
        with pytest.raises(ODataShapeError, match=r"table 47018NED, row 2, field 'Type': unknown DataProperties"):
            DataProperties.from_rows("47018NED", rows)

    def test_duplicate_key_is_a_shape_error(self, samples):
        rows = read_cbsodatar_csv(samples / "47018NED_DataProperties.csv")
        with pytest.raises(ODataShapeError, match="duplicate DataProperties Key 'SoortMisdrijf'"):
            DataProperties.from_rows("47018NED", rows + rows[:1])


def test_perioden_2012_to_2023(samples):
    perioden = items(samples / "47018NED_Perioden.csv", "Perioden")
    periods = [parse_period(item.key) for item in perioden]
    assert [p.year for p in periods] == list(range(2012, 2024))
    assert {p.kind for p in periods} == {"year"}
    assert [p.label for p in periods][:2] == ["2012", "2013"]
    assert {item.extra["Status"] for item in perioden} == {"Definitief"}


def test_soortmisdrijf_keys_are_padded_and_match_the_politie_code_list(samples, reference):
    soort = items(samples / "47018NED_SoortMisdrijf.csv", "SoortMisdrijf")
    assert len(soort) == 59
    assert soort[0].raw_key == "0.0.0 " and soort[0].key == "0.0.0" and soort[0].title == "Totaal misdrijven"
    assert {len(i.raw_key) for i in soort} == {6}  # fixed width: "1.1.1 ", "2.6.10"
    with open(reference / "ref_soort_misdrijf_politie.csv", newline="", encoding="utf-8") as fh:
        reference_codes = [row["code"] for row in csv.DictReader(fh)]
    assert [i.key for i in soort] == reference_codes


def test_wijkenenbuurten_codes_stripped_and_matching_reference(samples, reference):
    wb = items(samples / "47018NED_WijkenEnBuurten_meierij.csv", "WijkenEnBuurten")
    with open(reference / "ref_wijkenbuurten_47018NED_2024_meierij.csv", newline="", encoding="utf-8") as fh:
        ref = list(csv.DictReader(fh))

    assert {len(i.raw_key) for i in wb} == {10}  # padded to 10 characters as served
    assert all(i.key == i.raw_key.rstrip() and " " not in i.key for i in wb)

    levels = Counter(parse_area(i.key).level for i in wb)
    assert levels == {"buurt": 175, "wijk": 29, "gemeente": 5, "land": 1}

    by_level = {(parse_area(i.key).level, i.key) for i in wb}
    assert by_level == {(r["niveau"], r["code"]) for r in ref}
    assert {i.key: i.raw_key for i in wb} == {r["code"]: r["odata_key_raw"] for r in ref}
    assert {i.key for i in wb if parse_area(i.key).level == "gemeente"} == MEIERIJ

    ref_gm = {r["code"]: r["gm_code"] for r in ref}
    for item in wb:
        if item.key == "NL00":
            continue
        assert item.extra["Municipality"] == ref_gm[item.key] == municipality_of(item.key)
        assert item.extra["DetailRegionCode"] == item.key


def test_table_infos_sample(samples):
    (info,) = read_cbsodatar_csv(samples / "47018NED_TableInfos.csv")
    assert info["Identifier"] == "47018NED"
    assert info["Catalog"] == "Politie"  # Politie catalog: served by dataderden.cbs.nl
    assert info["Period"] == "2012-2023"
    assert info["Modified"] == "2024-08-15T02:00:00"
    assert info["ID"] == 0


def test_category_groups_sample_is_empty(samples):
    assert read_cbsodatar_csv(samples / "47018NED_CategoryGroups.csv") == []


class TestCsvReader:
    def test_quoted_empty_is_empty_string_unquoted_empty_is_null(self):
        text = ('"Key","Title","Description","N","Flag"\r\n'
                '"2019JJ00","2019",,7,FALSE\r\n'
                '"2012JJ00","2012","",1.5,TRUE\r\n')
        assert parse_cbsodatar_csv(text) == [
            {"Key": "2019JJ00", "Title": "2019", "Description": None, "N": 7, "Flag": False},
            {"Key": "2012JJ00", "Title": "2012", "Description": "", "N": 1.5, "Flag": True},
        ]

    def test_embedded_newlines_quotes_and_padding(self):
        text = '"Key","Description"\n"1.1.1 ","line one\nsays ""hi"", ok"\n'
        assert parse_cbsodatar_csv(text) == [{"Key": "1.1.1 ", "Description": 'line one\nsays "hi", ok'}]

    def test_ragged_record_rejected(self):
        with pytest.raises(ValueError, match="record 2 has 1 fields"):
            parse_cbsodatar_csv('"a","b"\n"x"\n')
