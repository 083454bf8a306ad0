"""Columnar parsing (frames.py) against the row parser, on the real 47018NED DataProperties and SYNTHETIC rows
(made-up figures, as in test_tables.py): same content, same errors with the same row index as fetch_observations,
whose rows the client strips before the row parser sees them."""

import polars as pl
import pytest

from ivp.opendata.odata.errors import ODataShapeError
from ivp.opendata.odata.frames import COLUMNS, parse_pages
from ivp.opendata.odata.metadata import DataProperties
from ivp.opendata.odata.normalise import strip_row
from ivp.opendata.odata.samples import read_cbsodatar_csv
from ivp.opendata.odata.tables import TABLE_SPECS

from .test_tables import synthetic_row

SPEC = TABLE_SPECS["47018NED"]


@pytest.fixture
def parser(samples):
    return SPEC.bind(DataProperties.from_rows("47018NED", read_cbsodatar_csv(samples / "47018NED_DataProperties.csv")))


def as_rows(frames):
    return [tuple(row) for frame in frames for row in frame.select(list(COLUMNS)).iter_rows()]


def stripped(rows):
    return [strip_row(r) if isinstance(r, dict) else r for r in rows]


def by_row_parser(parser, rows):
    rows = stripped(rows)
    return [(o.area_code, o.area_level, o.period.year, o.period.kind, o.period.month, o.period.quarter, o.measure,
             o.category, o.value) for o in parser.parse_rows(rows)]


def test_same_content_as_the_row_parser(parser):
    rows = [synthetic_row(ID=0), synthetic_row(ID=1, WijkenEnBuurten="BU08650000", Perioden="2024MM07"),
            synthetic_row(ID=2, WijkenEnBuurten="WK086500  ", Perioden="2024KW03", GeregistreerdeMisdrijven_1=None),
            synthetic_row(ID=3, WijkenEnBuurten="NL00      ", SoortMisdrijf="1.1.1 "),
            synthetic_row(ID=4, WijkenEnBuurten="PV30      ", Perioden="2024MM12", GeregistreerdeMisdrijven_1=0)]
    frames = list(parse_pages(parser, rows, page_rows=2, chunk_rows=2))
    assert [f.height for f in frames] == [2, 2, 1]
    assert as_rows(frames) == by_row_parser(parser, rows)
    assert frames[0].schema == COLUMNS
    # Pages are converted together up to chunk_rows rows.
    chunked = list(parse_pages(parser, rows, page_rows=2, chunk_rows=4))
    assert [f.height for f in chunked] == [4, 1]
    assert as_rows(chunked) == by_row_parser(parser, rows)


def test_a_page_for_the_row_parser_keeps_the_order_of_the_rows(parser):
    rows = [synthetic_row(ID=i, GeregistreerdeMisdrijven_1=i) for i in range(6)]
    rows[3]["GeregistreerdeMisdrijven_1"] = 3.0  # page 2 (rows 2-3) goes through the row parser
    frames = list(parse_pages(parser, rows, page_rows=2, chunk_rows=100))
    assert [f.height for f in frames] == [2, 2, 2]
    assert [row[-1] for row in as_rows(frames)] == list(range(6))


def test_values_the_columnar_path_does_not_take_go_through_the_row_parser(parser):
    # An integral float and a StatLine symbol are accepted by the row parser (3 and None), as before.
    rows = [synthetic_row(ID=0, GeregistreerdeMisdrijven_1=3.0), synthetic_row(ID=1, GeregistreerdeMisdrijven_1=".")]
    assert as_rows(parse_pages(parser, rows)) == by_row_parser(parser, rows)
    assert as_rows(parse_pages(parser, rows))[0][-1] == 3


@pytest.mark.parametrize("chunk_rows", [4, 100])
@pytest.mark.parametrize("overrides", [
    {"Perioden": "2023HJ01"}, {"Perioden": "0999JJ00"}, {"WijkenEnBuurten": "   "}, {"SoortMisdrijf": None},
    {"GeregistreerdeMisdrijven_1": "veel"}, {"GeregistreerdeMisdrijven_1": 2.5}, {"GeregistreerdeMisdrijven_1": True},
])
def test_errors_are_those_of_the_row_parser(parser, overrides, chunk_rows):
    rows = [synthetic_row(ID=i) for i in range(5)] + [synthetic_row(ID=5, **overrides)]
    with pytest.raises(ODataShapeError) as expected:
        list(parser.parse_rows(stripped(rows)))
    with pytest.raises(ODataShapeError) as columnar:
        list(parse_pages(parser, rows, page_rows=2, chunk_rows=chunk_rows))
    assert str(columnar.value) == str(expected.value)
    assert columnar.value.row_index == 5


def test_missing_field_and_non_object_rows(parser):
    row = synthetic_row()
    del row["Perioden"]
    for bad in (row, [1, 2]):
        rows = [synthetic_row(), bad]
        with pytest.raises(ODataShapeError) as expected:
            list(parser.parse_rows(stripped(rows)))
        with pytest.raises(ODataShapeError) as columnar:
            list(parse_pages(parser, rows))
        assert str(columnar.value) == str(expected.value)


def test_a_number_beyond_64_bits_is_kept_as_a_float_for_the_callers_check(parser):
    rows = [synthetic_row(ID=0, GeregistreerdeMisdrijven_1=10**20), synthetic_row(ID=1, GeregistreerdeMisdrijven_1=1)]
    [frame] = parse_pages(parser, rows)
    assert frame.schema["value"] == pl.Float64
    assert frame["value"].to_list() == [1e20, 1.0]
