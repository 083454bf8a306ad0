import json

import pytest

from ivp.opendata.odata.client import (
    DATADERDEN,
    DATADERDEN_FEED,
    OPENDATA_CBS,
    OPENDATA_CBS_FEED,
    TABLE_SOURCES,
    ODataClient,
    base_url_for,
    client_for,
    decode_response,
)
from ivp.opendata.odata.errors import ODataResponseError, UnknownTableError, UnrecordedRequestError
from ivp.opendata.odata.normalise import parse_area
from ivp.opendata.odata.query import build_url, startswith
from ivp.opendata.odata.samples import load_json_response, odata_envelope, read_cbsodatar_csv
from ivp.opendata.odata.tables import TABLE_SPECS
from ivp.opendata.odata.transport import RecordedTransport, UrlLibTransport

from .helpers import MEIERIJ

NAMES = {"GM0757": "Boxtel", "GM0797": "Heusden", "GM0845": "Sint-Michielsgestel", "GM0865": "Vught",
         "GM1948": "Meierijstad", "GM0788": "Haaren"}


def page(rows, next_link=None):
    return odata_envelope(rows, metadata="https://example.invalid/$metadata#TypedDataSet", next_link=next_link)


class TestRealTypedDataSet84489:
    """The real JSON response of CBS 84489NED (Woonplaatsen in Nederland 2019), cut to the Meierij subset."""

    @pytest.fixture
    def recorded(self, samples):
        url = build_url(OPENDATA_CBS, "84489NED", "TypedDataSet", top=10_000)
        return url, RecordedTransport({url: samples / "84489NED_TypedDataSet_meierij_subset.json"})

    def test_rows_through_typed_dataset(self, recorded):
        url, transport = recorded
        client = ODataClient(OPENDATA_CBS, transport=transport)
        rows = list(client.typed_dataset("84489NED"))

        assert transport.requests == [url]  # 27 < page size: one request, no paging
        assert len(rows) == 27
        assert {r["Code_3"] for r in rows} == MEIERIJ | {"GM0788"}
        assert {parse_area(r["Code_3"]).level for r in rows} == {"gemeente"}
        for row in rows:
            for key, value in row.items():
                assert not isinstance(value, str) or value == value.strip(), (key, value)
            assert row["Woonplaatscode_1"] == row["Woonplaatsen"]
            assert row["Naam_2"] == NAMES[row["Code_3"]]
            assert (row["Code_5"], row["Naam_4"], row["Code_7"]) == ("PV30", "Noord-Brabant", "LD04")
            assert isinstance(row["ID"], int)

    def test_strip_false_keeps_the_served_padding(self, recorded):
        _url, transport = recorded
        rows = list(ODataClient(OPENDATA_CBS, transport=transport).typed_dataset("84489NED", strip=False))
        assert {len(r["Naam_2"]) for r in rows} == {35}
        assert {r["Code_3"] for r in rows} == {code + "    " for code in MEIERIJ | {"GM0788"}}

    def test_envelope(self, samples):
        payload = load_json_response(samples / "84489NED_TypedDataSet_meierij_subset.json")
        assert payload["odata.metadata"].startswith("https://opendata.cbs.nl/ODataApi/OData/84489NED/$metadata")
        assert "odata.nextLink" not in payload


class TestRealMetadataThroughClient:
    """Real 47018NED metadata rows, served as JSON. The envelope is reconstructed (the CSV recordings lack it)."""

    @pytest.fixture
    def client(self, samples):
        def url(entity):
            return build_url(DATADERDEN, "47018NED", entity, top=10_000)

        recordings = {
            url(entity): odata_envelope(read_cbsodatar_csv(samples / f"47018NED_{name}.csv"))
            for entity, name in [("DataProperties", "DataProperties"), ("TableInfos", "TableInfos"),
                                 ("Perioden", "Perioden"), ("SoortMisdrijf", "SoortMisdrijf"),
                                 ("WijkenEnBuurten", "WijkenEnBuurten_meierij"),
                                 ("CategoryGroups", "CategoryGroups")]
        }
        return ODataClient.for_table("47018NED", transport=RecordedTransport(recordings))

    def test_endpoints(self, client):
        assert client.base_url == DATADERDEN
        assert client.data_properties("47018NED").dimension_keys == ("SoortMisdrijf", "WijkenEnBuurten", "Perioden")
        assert client.table_infos("47018NED")["Title"].startswith("Geregistreerde misdrijven; soort misdrijf, wijk")
        assert [i.key for i in client.dimension("47018NED", "Perioden")][-1] == "2023JJ00"
        assert client.dimension("47018NED", "SoortMisdrijf")[1].raw_key == "1.1.1 "
        wb = client.dimension("47018NED", "WijkenEnBuurten")
        assert len(wb) == 210 and wb[1].key == "GM0757" and wb[1].raw_key == "GM0757    "
        assert client.category_groups("47018NED") == []

    def test_unrecorded_url_is_a_clear_error(self, client):
        with pytest.raises(UnrecordedRequestError, match=r"no recorded response for .*47018NED/Gemeenten"):
            client.dimension("47018NED", "Gemeenten")


class TestPaging:
    """SYNTHETIC fixtures: response bodies built here, rows and values made up; only the envelope shape is real."""

    def test_follows_odata_next_link(self):
        first = build_url(DATADERDEN, "47022NED", "TypedDataSet", filter=startswith("WijkenEnBuurten", "BU0865"),
                          top=10_000)
        # made-up continuation link in the form the bulk feed uses ($skiptoken)
        second = ("https://dataderden.cbs.nl/ODataApi/OData/47022NED/TypedDataSet"
                  "?$format=json&$filter=startswith(WijkenEnBuurten,'BU0865')&$skiptoken=3")
        synthetic = [{"ID": i, "WijkenEnBuurten": "BU08650000", "Value": i} for i in range(5)]
        transport = RecordedTransport({first: page(synthetic[:3], next_link=second), second: page(synthetic[3:])})
        client = ODataClient(DATADERDEN, transport=transport)

        rows = list(client.typed_dataset("47022NED", filter=startswith("WijkenEnBuurten", "BU0865")))

        assert [r["ID"] for r in rows] == [0, 1, 2, 3, 4]
        assert transport.requests == [first, second]

    def test_relative_next_link_without_format_gets_json(self):
        first = build_url(OPENDATA_CBS, "37230ned", "TypedDataSet", top=10_000)
        resolved = "https://opendata.cbs.nl/ODataApi/OData/37230ned/TypedDataSet?$skiptoken=1&$format=json"
        transport = RecordedTransport({first: page([{"ID": 0}], next_link="TypedDataSet?$skiptoken=1"),
                                       resolved: page([{"ID": 1}])})
        rows = list(ODataClient(OPENDATA_CBS, transport=transport).typed_dataset("37230ned"))
        assert [r["ID"] for r in rows] == [0, 1]

    def test_skip_paging_when_pages_are_full_and_there_is_no_next_link(self):
        def url(skip=None):
            return build_url(DATADERDEN, "47013NED", "TypedDataSet", top=2, skip=skip)

        transport = RecordedTransport({
            url(): page([{"ID": 0}, {"ID": 1}]),
            url(2): page([{"ID": 2}, {"ID": 3}]),
            url(4): page([{"ID": 4}]),
        })
        rows = list(ODataClient(DATADERDEN, transport=transport, page_size=2).typed_dataset("47013NED"))
        assert [r["ID"] for r in rows] == [0, 1, 2, 3, 4]
        assert transport.requests == [url(), url(2), url(4)]
        # The same rows page by page, as served, for the columnar reader.
        pages = ODataClient(DATADERDEN, transport=transport, page_size=2).typed_dataset_pages("47013NED")
        assert [[r["ID"] for r in rows] for rows in pages] == [[0, 1], [2, 3], [4]]

    def test_exactly_full_last_page_ends_with_an_empty_page(self):
        def url(skip=None):
            return build_url(DATADERDEN, "47013NED", "TypedDataSet", top=2, skip=skip)

        transport = RecordedTransport({url(): page([{"ID": 0}, {"ID": 1}]), url(2): page([])})
        rows = list(ODataClient(DATADERDEN, transport=transport, page_size=2).typed_dataset("47013NED"))
        assert [r["ID"] for r in rows] == [0, 1]
        assert len(transport.requests) == 2
        pages = ODataClient(DATADERDEN, transport=transport, page_size=2).typed_dataset_pages("47013NED")
        assert [len(rows) for rows in pages] == [2]  # no empty page

    def test_next_link_loop_is_detected(self):
        first = build_url(DATADERDEN, "47013NED", "TypedDataSet", top=10_000)
        transport = RecordedTransport({first: page([{"ID": 0}], next_link=first)})
        with pytest.raises(ODataResponseError, match="paging loop"):
            list(ODataClient(DATADERDEN, transport=transport).typed_dataset("47013NED"))

    def test_next_link_to_another_host_is_refused(self):
        first = build_url(DATADERDEN, "47013NED", "TypedDataSet", top=10_000)
        transport = RecordedTransport({first: page([{"ID": 0}], next_link="https://elsewhere.invalid/x?$skiptoken=1")})
        with pytest.raises(ODataResponseError, match="leaves the service host dataderden.cbs.nl"):
            list(ODataClient(DATADERDEN, transport=transport).typed_dataset("47013NED"))

    def test_page_size_bounds(self):
        with pytest.raises(ValueError):
            ODataClient(DATADERDEN, page_size=10_001)
        with pytest.raises(ValueError):
            ODataClient(DATADERDEN, page_size=0)


class TestDecodeResponse:
    def test_service_error_message(self):
        body = json.dumps({"odata.error": {"code": "", "message": {"lang": "nl-NL", "value": "Onbekende tabel"}}})
        with pytest.raises(ODataResponseError, match="service error: Onbekende tabel"):
            decode_response(body.encode(), "https://x/t")

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            (b"<feed xmlns='http://www.w3.org/2005/Atom'/>", "not JSON"),
            (b"[1, 2]", "expected a JSON object"),
            (b'{"rows": []}', "no 'value'"),
            (b'{"value": [1]}', "not a list of objects"),
            (b'{"value": [], "odata.nextLink": 5}', "nextLink is not a string"),
        ],
    )
    def test_bad_bodies(self, body, message):
        with pytest.raises(ODataResponseError, match=message):
            decode_response(body, "https://x/t")

    def test_verbose_json_form(self):
        body = json.dumps({"d": {"results": [{"ID": 0}], "__next": "https://x/t?$skiptoken=1"}}).encode()
        assert decode_response(body, "https://x/t") == ([{"ID": 0}], "https://x/t?$skiptoken=1")

    def test_bom_is_tolerated(self):
        assert decode_response(b'\xef\xbb\xbf{"value": []}', "https://x/t") == ([], None)


class TestRegistry:
    def test_politie_tables_on_dataderden_cbs_tables_on_opendata(self):
        for table in ("47013NED", "47018NED", "47021NED", "47022NED", "47024NED", "47025NED"):
            assert base_url_for(table) == "https://dataderden.cbs.nl/ODataApi/OData"
        for table in ("83648NED", "85984NED", "37230ned"):
            assert base_url_for(table) == "https://opendata.cbs.nl/ODataApi/OData"

    def test_lookup_is_case_insensitive(self):
        assert base_url_for("37230NED") == base_url_for("37230ned") == OPENDATA_CBS
        assert base_url_for("47018ned") == DATADERDEN

    def test_unknown_table(self):
        with pytest.raises(UnknownTableError, match="'99999NED' is not in TABLE_SOURCES"):
            base_url_for("99999NED")

    def test_client_for_uses_the_registry(self):
        client = client_for("47024NED", transport=RecordedTransport({}))
        assert client.base_url == DATADERDEN

    def test_feed_variant(self):
        assert base_url_for("47018NED", feed=True) == DATADERDEN_FEED == "https://dataderden.cbs.nl/ODataFeed/OData"
        assert base_url_for("85984NED", feed=True) == OPENDATA_CBS_FEED
        assert ODataClient.for_table("37230ned", feed=True, transport=RecordedTransport({})).base_url == (
            "https://opendata.cbs.nl/ODataFeed/OData")

    def test_default_transport_is_urllib(self):
        client = ODataClient(OPENDATA_CBS, timeout=5, retries=2)
        assert isinstance(client.transport, UrlLibTransport)
        assert client.transport.timeout == 5 and client.transport.policy.retries == 2

    def test_every_registered_table_has_a_spec(self):
        assert set(TABLE_SOURCES) == set(TABLE_SPECS)
