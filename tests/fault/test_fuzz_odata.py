"""Mangled responses of the CBS/Politie open-data service (OData v3 JSON pages), through the whole online import.

A fake service answers the connector's real requests (paging with $top/$skip included) with JSON pages: the
recorded 47018NED DataProperties and WijkenEnBuurten code list (../shared/data/odata_samples, keys padded as
served) and SYNTHETIC figures for Vught (made up for this test; they say nothing about Vught). One response of
a complete import is then mangled (bytes or JSON structure).

Property: the import succeeds with storable data, or raises OnlineImportError (the service's answer is not
usable) or SnapshotError (the figures do not fit); never another exception, and nothing is written then.
"""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import transaction
from hypothesis import example, given
from hypothesis import strategies as st

from ivp.core.backup import dump_database
from ivp.indicators.services.online_import import OnlineImportError, online_import
from ivp.opendata.odata import ODataClient, ODataResponseError, UnrecordedRequestError, decode_response
from ivp.opendata.odata.query import canonical_url
from ivp.opendata.odata.samples import odata_envelope, read_cbsodatar_csv
from ivp.opendata.snapshot.records import SnapshotError

from .checks import assert_storable
from .mangle import FUZZ, JsonNode, apply, json_mutations, mangled

pytestmark = pytest.mark.django_db
PAGE_SIZE = 7


def _prop(i, kind, key, datatype=None):
    return {"odata.type": f"Cbs.OData.{kind}", "ID": i, "Position": i, "ParentID": None, "Type": kind, "Key": key,
            "Title": key, "Description": "", "Datatype": datatype, "Unit": "aantal" if datatype else None}


def _tables(samples):
    areas = [r for r in read_cbsodatar_csv(samples / "47018NED_WijkenEnBuurten_meierij.csv")
             if r["Key"].strip()[2:6] == "0865" or r["Key"].strip() == "GM0865"][:12]
    buurten = [r["Key"] for r in areas if r["Key"].startswith("BU")][:2]
    years = [r["Key"] for r in read_cbsodatar_csv(samples / "47018NED_Perioden.csv")][-3:]
    crime_properties = read_cbsodatar_csv(samples / "47018NED_DataProperties.csv")
    return {
        ("85984NED", "DataProperties"): [_prop(0, "GeoDetail", "WijkenEnBuurten"),
                                         _prop(1, "Topic", "AantalInwoners_5", "Long")],
        ("85984NED", "WijkenEnBuurten"): areas,
        ("85984NED", "TypedDataSet"): [{"WijkenEnBuurten": r["Key"], "AantalInwoners_5": 100 + i}
                                       for i, r in enumerate(areas)],
        ("37230ned", "DataProperties"): [_prop(0, "GeoDimension", "RegioS"), _prop(1, "TimeDimension", "Perioden"),
                                         _prop(2, "Topic", "BevolkingAanHetBeginVanDePeriode_1", "Long")],
        ("37230ned", "TypedDataSet"): [{"RegioS": "GM0865    ", "Perioden": y, "BevolkingAanHetBeginVanDePeriode_1":
                                        1000 + i} for i, y in enumerate(years)],
        ("47013NED", "DataProperties"): [_prop(0, "GeoDimension", "RegioS"), _prop(1, "Dimension", "SoortMisdrijf"),
                                         _prop(2, "TimeDimension", "Perioden"),
                                         _prop(3, "Topic", "GeregistreerdeMisdrijven_1", "Long")],
        ("47013NED", "TypedDataSet"): [{"RegioS": "GM0865    ", "SoortMisdrijf": "0.0.0 ", "Perioden": y,
                                        "GeregistreerdeMisdrijven_1": 40 + i} for i, y in enumerate(years)],
        ("47022NED", "DataProperties"): crime_properties,
        ("47022NED", "TypedDataSet"): [{"WijkenEnBuurten": b, "SoortMisdrijf": "0.0.0 ", "Perioden": f"2024MM{m:02d}",
                                        "GeregistreerdeMisdrijven_1": m % 4} for b in buurten for m in range(1, 13)],
    }


class FakeService:
    """Serves the tables above page by page ($top/$skip), as the ODataApi variant does; records every answer."""

    def __init__(self, tables):
        self.tables = tables
        self.answers: list[tuple[str, bytes]] = []

    def get(self, url: str) -> bytes:
        parts = urlsplit(url)
        table, entity = parts.path.rstrip("/").split("/")[-2:]
        query = parse_qs(parts.query)
        rows = self.tables[(table, entity)]
        skip = int(query.get("$skip", ["0"])[0])
        top = int(query.get("$top", [str(len(rows))])[0])
        body = odata_envelope(rows[skip: skip + top], metadata=f"https://example.invalid/{table}/$metadata")
        self.answers.append((url, body))
        return body


class MangledService:
    """Replays the recorded answers, with answer `index` mangled."""

    def __init__(self, answers, index, mutations):
        self.answers = {canonical_url(url): body for url, body in answers}
        self.target = canonical_url(answers[index % len(answers)][0])
        self.mutations = mutations

    def get(self, url: str) -> bytes:
        key = canonical_url(url)
        if key not in self.answers:
            raise UnrecordedRequestError(url, sorted(self.answers))
        body = self.answers[key]
        return apply(self.mutations, body) if key == self.target else body


def _factory(transport):
    return lambda table, **kwargs: ODataClient.for_table(table, transport=transport, page_size=PAGE_SIZE)


@pytest.fixture
def recorded(plan, shared_data):
    service = FakeService(_tables(shared_data / "odata_samples"))
    with transaction.atomic():
        result = online_import(actor=None, municipality_codes=["GM0865"], client_factory=_factory(service))
        assert result.changed
        transaction.set_rollback(True)
    assert len(service.answers) > 8
    return service.answers


def test_mangled_service_answers_are_imported_or_refused_whole(recorded):
    before = dump_database()

    @FUZZ
    @given(st.integers(min_value=0, max_value=1000), mangled(json_mutations()))
    # Found by this test: negative, huge and out-of-range counts reached the database (answer 8 is the 47013NED
    # TypedDataSet; node 6 its first figure), and 2**31 is refused by PostgreSQL only.
    @example(8, [JsonNode(6, "replace", -1)])
    @example(8, [JsonNode(6, "replace", 10**20)])
    @example(8, [JsonNode(6, "replace", 1e300)])
    @example(8, [JsonNode(6, "replace", 2**31)])
    def run(index, mutations):
        service = MangledService(recorded, index, mutations)
        with transaction.atomic():
            try:
                online_import(actor=None, municipality_codes=["GM0865"], client_factory=_factory(service))
            except (OnlineImportError, SnapshotError):
                assert dump_database() == before
            else:
                assert_storable()
            transaction.set_rollback(True)

    run()


def test_the_real_recorded_page_decodes_or_fails_cleanly(shared_data, tmp_path):
    """decode_response on the real recorded 84489NED page, mangled: rows, or ODataResponseError."""
    original = (shared_data / "odata_samples" / "84489NED_TypedDataSet_meierij_subset.json").read_bytes()
    rows, _next = decode_response(original, "https://example.invalid/84489NED/TypedDataSet")
    assert rows

    @FUZZ
    @given(mangled(json_mutations()))
    def run(mutations):
        try:
            rows, next_link = decode_response(apply(mutations, original), "https://example.invalid/84489NED")
        except ODataResponseError as exc:
            assert "https://example.invalid/84489NED" in str(exc)
        else:
            assert all(isinstance(r, dict) for r in rows)
            assert next_link is None or isinstance(next_link, str)
            json.dumps(rows)

    run()
