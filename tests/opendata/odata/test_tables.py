"""TableSpec / TableParser against the real 47018NED DataProperties.

No real TypedDataSet response of the crime tables exists offline (PROVENANCE.md section 11), so data rows here are
SYNTHETIC: the field names and padding follow the real table, the figures are made up.
"""

from dataclasses import replace

import pytest

from ivp.opendata.odata.client import DATADERDEN, ODataClient
from ivp.opendata.odata.errors import ODataShapeError
from ivp.opendata.odata.metadata import DataProperties
from ivp.opendata.odata.normalise import Period
from ivp.opendata.odata.query import build_url, startswith
from ivp.opendata.odata.samples import odata_envelope, read_cbsodatar_csv
from ivp.opendata.odata.tables import TABLE_SPECS, Observation, TableSpec, fetch_observations, spec_for
from ivp.opendata.odata.transport import RecordedTransport

SPEC = TABLE_SPECS["47018NED"]


def synthetic_row(**overrides):
    """A made-up 47018NED TypedDataSet row (padding as the service pads keys; the figure is invented)."""
    row = {
        "ID": 0,
        "SoortMisdrijf": "0.0.0 ",
        "WijkenEnBuurten": "GM0865    ",
        "Perioden": "2023JJ00",
        "GeregistreerdeMisdrijven_1": 111,
        "Gemeentenaam_2": "Vught                                   ",
        "SoortRegio_3": "Gemeente  ",
    }
    row.update(overrides)
    return row


@pytest.fixture
def props(samples):
    return DataProperties.from_rows("47018NED", read_cbsodatar_csv(samples / "47018NED_DataProperties.csv"))


class TestBind:
    def test_spec_matches_real_dataproperties(self, props):
        parser = SPEC.bind(props)
        assert [t.key for t in parser.topics] == ["GeregistreerdeMisdrijven_1"]
        assert parser.select == ["WijkenEnBuurten", "SoortMisdrijf", "Perioden", "GeregistreerdeMisdrijven_1"]

    def test_topic_discovery_takes_numeric_topics_only(self, props):
        parser = replace(SPEC, topics=None).bind(props)
        assert [(t.key, t.datatype) for t in parser.topics] == [("GeregistreerdeMisdrijven_1", "Long")]

    def test_wrong_dimensions(self, props):
        with pytest.raises(ODataShapeError, match=r"table 47013NED, field 'RegioS': dimensions differ from the spec"):
            TABLE_SPECS["47013NED"].bind(replace(props, table="47013NED"))

    def test_string_topic_rejected(self, props):
        with pytest.raises(ODataShapeError, match=r"field 'Gemeentenaam_2': topic has Datatype 'String'"):
            replace(SPEC, topics=("Gemeentenaam_2",)).bind(props)

    def test_unknown_topic_rejected(self, props):
        with pytest.raises(ODataShapeError, match=r"field 'Aangiften_2': topic not in DataProperties "
                                                  r"\(numeric topics: GeregistreerdeMisdrijven_1\)"):
            replace(SPEC, topics=("Aangiften_2",)).bind(props)

    def test_period_dimension_must_be_a_time_dimension(self, props):
        changed = DataProperties("47018NED", tuple(
            replace(p, type="Dimension") if p.key == "Perioden" else p for p in props))
        with pytest.raises(ODataShapeError, match=r"field 'Perioden': is Dimension, expected TimeDimension"):
            SPEC.bind(changed)

    def test_area_dimension_must_be_geographic(self, props):
        changed = DataProperties("47018NED", tuple(
            replace(p, type="Dimension") if p.key == "WijkenEnBuurten" else p for p in props))
        with pytest.raises(ODataShapeError, match=r"field 'WijkenEnBuurten': is Dimension, expected one of"):
            SPEC.bind(changed)


class TestParseRows:
    def test_observations(self, props):
        parser = SPEC.bind(props)
        rows = [
            synthetic_row(),
            synthetic_row(ID=1, SoortMisdrijf="1.1.1 ", WijkenEnBuurten="BU08650000", GeregistreerdeMisdrijven_1=None),
            synthetic_row(ID=2, WijkenEnBuurten="WK086500  ", Perioden="2022JJ00", GeregistreerdeMisdrijven_1=0),
        ]
        assert list(parser.parse_rows(rows)) == [
            Observation("47018NED", "GM0865", "gemeente", Period.for_year(2023), "GeregistreerdeMisdrijven_1",
                        "0.0.0", 111),
            Observation("47018NED", "BU08650000", "buurt", Period.for_year(2023), "GeregistreerdeMisdrijven_1",
                        "1.1.1", None),
            Observation("47018NED", "WK086500", "wijk", Period.for_year(2022), "GeregistreerdeMisdrijven_1",
                        "0.0.0", 0),
        ]

    def test_missing_value_is_none_not_zero(self, props):
        (obs,) = SPEC.bind(props).parse_row(synthetic_row(GeregistreerdeMisdrijven_1=None))
        assert obs.value is None

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"Perioden": "2023HJ01"}, "Perioden", "unsupported period code '2023HJ01'"),
            ({"WijkenEnBuurten": "   "}, "WijkenEnBuurten", "expected a non-empty code"),
            ({"SoortMisdrijf": None}, "SoortMisdrijf", "expected a non-empty code, got None"),
            ({"GeregistreerdeMisdrijven_1": "veel"}, "GeregistreerdeMisdrijven_1", "not a number: 'veel'"),
            ({"GeregistreerdeMisdrijven_1": 2.5}, "GeregistreerdeMisdrijven_1", "non-integral value 2.5"),
        ],
    )
    def test_bad_values_name_table_row_and_field(self, props, overrides, field, message):
        rows = [synthetic_row(), synthetic_row(ID=1, **overrides)]
        with pytest.raises(ODataShapeError) as info:
            list(SPEC.bind(props).parse_rows(rows))
        error = info.value
        assert (error.table, error.row_index, error.field) == ("47018NED", 1, field)
        assert str(error).startswith(f"table 47018NED, row 1, field '{field}': ")
        assert message in str(error)

    def test_missing_field(self, props):
        row = synthetic_row()
        del row["Perioden"]
        with pytest.raises(ODataShapeError, match=r"^table 47018NED, row 0, field 'Perioden': missing from row"):
            SPEC.bind(props).parse_row(row)

    def test_row_must_be_an_object(self, props):
        with pytest.raises(ODataShapeError, match="row 3: row is list"):
            SPEC.bind(props).parse_row([1, 2], 3)


class TestTableSpecs:
    def test_spec_validation(self):
        with pytest.raises(ValueError, match="exactly the role dimensions"):
            TableSpec("x", ("RegioS", "Perioden", "Extra"), "RegioS")
        with pytest.raises(ValueError, match="exactly one of period_dimension and fixed_period"):
            TableSpec("x", ("RegioS",), "RegioS", period_dimension=None)
        with pytest.raises(ValueError, match="two roles"):
            TableSpec("x", ("RegioS",), "RegioS", period_dimension="RegioS")
        with pytest.raises(ValueError, match="non-empty"):
            TableSpec("x", ("RegioS", "Perioden"), "RegioS", topics=())

    def test_registered_shapes(self):
        assert TABLE_SPECS["47021NED"].category_dimension == "Overlast"
        assert TABLE_SPECS["47024NED"].topics == ("GeregistreerdeOverlast_1",)
        assert TABLE_SPECS["47022NED"].dimensions == ("WijkenEnBuurten", "SoortMisdrijf", "Perioden")
        assert TABLE_SPECS["37230ned"].category_dimension is None
        assert TABLE_SPECS["85984NED"].fixed_period == Period.for_year(2024)
        assert spec_for("37230NED") is TABLE_SPECS["37230ned"]
        with pytest.raises(KeyError):
            spec_for("12345NED")

    def test_table_without_time_dimension_uses_fixed_period(self):
        # SYNTHETIC DataProperties in the shape of the KWB tables (85984NED): one GeoDetail dimension, string
        # topics for names/codes, numeric topics for figures. Values made up.
        props = DataProperties.from_rows("85984NED", [
            {"ID": 0, "Type": "GeoDetail", "Key": "WijkenEnBuurten"},
            {"ID": 1, "Type": "Topic", "Key": "Gemeentenaam_1", "Datatype": "String"},
            {"ID": 2, "Type": "Topic", "Key": "Codering_3", "Datatype": "String"},
            {"ID": 3, "Type": "Topic", "Key": "AantalInwoners_5", "Datatype": "Long", "Unit": "aantal"},
            {"ID": 4, "Type": "Topic", "Key": "Bevolkingsdichtheid_33", "Datatype": "Double", "Unit": "per km2"},
        ])
        parser = TABLE_SPECS["85984NED"].bind(props)
        row = {"WijkenEnBuurten": "BU07570000", "Gemeentenaam_1": "Boxtel  ", "Codering_3": "BU07570000",
               "AantalInwoners_5": 1234, "Bevolkingsdichtheid_33": None}
        assert parser.parse_row(row) == [
            Observation("85984NED", "BU07570000", "buurt", Period.for_year(2024), "AantalInwoners_5", "", 1234),
            Observation("85984NED", "BU07570000", "buurt", Period.for_year(2024), "Bevolkingsdichtheid_33", "",
                        None),
        ]


def test_fetch_observations_end_to_end(samples):
    """Real DataProperties (JSON envelope reconstructed around the CSV rows) + SYNTHETIC TypedDataSet rows."""
    flt = startswith("WijkenEnBuurten", "BU0865")
    props_url = build_url(DATADERDEN, "47018NED", "DataProperties", top=10_000)
    data_url = build_url(DATADERDEN, "47018NED", "TypedDataSet", filter=flt,
                         select=["WijkenEnBuurten", "SoortMisdrijf", "Perioden", "GeregistreerdeMisdrijven_1"],
                         top=10_000)
    synthetic = [
        {"ID": 7, "SoortMisdrijf": "0.0.0 ", "WijkenEnBuurten": "BU08650000", "Perioden": "2023JJ00",
         "GeregistreerdeMisdrijven_1": 42},
        {"ID": 8, "SoortMisdrijf": "1.1.1 ", "WijkenEnBuurten": "BU08650000", "Perioden": "2023JJ00",
         "GeregistreerdeMisdrijven_1": None},
    ]
    transport = RecordedTransport({
        props_url: odata_envelope(read_cbsodatar_csv(samples / "47018NED_DataProperties.csv")),
        data_url: odata_envelope(synthetic),
    })
    observations = list(fetch_observations(ODataClient.for_table("47018NED", transport=transport), "47018NED",
                                           filter=flt))
    assert transport.requests == [props_url, data_url]
    assert [(o.area_code, o.category, o.period.label, o.value) for o in observations] == [
        ("BU08650000", "0.0.0", "2023", 42),
        ("BU08650000", "1.1.1", "2023", None),
    ]
