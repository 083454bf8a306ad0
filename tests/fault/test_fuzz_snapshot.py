"""Mangled snapshot files, one format of the registry at a time (`ivp.opendata.snapshot.formats`).

Property: the import succeeds with storable data, or it raises SnapshotError whose issues name the file, the
line and the field; never another exception, and after a failure the database is exactly as before.

Inputs are small excerpts of the real files (the first records), written to a temporary folder at test time.
"""

import csv
import io
import json

import pytest
from django.db import transaction
from hypothesis import given

from ivp.indicators.services.snapshot_import import snapshot_import
from ivp.opendata.snapshot.formats import FORMATS, GEOJSON_FORMATS
from ivp.opendata.snapshot.records import SnapshotError
from ivp.plans.planfile import parse_plan_file
from ivp.plans.services import plan_load
from tests.conftest import PLAN_FILE

from .checks import assert_issues, assert_storable
from .mangle import FUZZ, FieldValue, apply, csv_mutations, json_mutations, mangled

pytestmark = pytest.mark.django_db
KWB = ("population", "population_kwb2024_85984_meierij_gemeente_wijk_buurt.csv")
EXCERPT_RECORDS = 25


def _real_file(shared_data, pattern):
    found = sorted(p for p in shared_data.rglob("*") if p.is_file() and pattern.match(p.name)
                   and "odata_samples" not in p.parts)
    return found[0] if found else None


def _csv_excerpt(path) -> bytes:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [row for _i, row in zip(range(EXCERPT_RECORDS + 1), csv.reader(fh), strict=False)]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _geojson_excerpt(path) -> bytes:
    document = json.loads(path.read_text(encoding="utf-8"))
    document["features"] = document["features"][:3]
    for feature in document["features"]:  # fewer points, same shape
        geometry = feature.get("geometry") or {}
        if geometry.get("type") == "Polygon":
            geometry["coordinates"] = [ring[:8] for ring in geometry["coordinates"]]
    return json.dumps(document).encode("utf-8")


IMPORTED = [f for f in FORMATS.values() if not f.ignored]
IGNORED = [f for f in FORMATS.values() if f.ignored]
BOUNDARY = [(f.pattern, f.boundary) for f in GEOJSON_FORMATS.values() if f.boundary is not None]


@pytest.fixture
def base(shared_data):
    """The plan and the real areas of the five municipalities (KWB file), as before any fuzzed import."""
    plan_load(actor=None, document=parse_plan_file(PLAN_FILE), source_name=str(PLAN_FILE))
    snapshot_import(actor=None, root=shared_data.joinpath(*KWB))
    from .checks import data_dump

    return data_dump(exclude=())


def _check_import(path, name, before, *, lines_required=True):
    from ivp.core.backup import dump_database

    with transaction.atomic():
        try:
            snapshot_import(actor=None, root=path)
        except SnapshotError as exc:
            assert_issues(exc.issues, name, lines_required=lines_required)
            assert dump_database() == before
        else:
            assert_storable()
        transaction.set_rollback(True)


@pytest.mark.parametrize("fmt", IMPORTED, ids=[f.key for f in IMPORTED])
def test_mangled_csv_files_are_imported_or_refused_whole(fmt, base, shared_data, tmp_path):
    source = _real_file(shared_data, fmt.pattern)
    assert source is not None, f"no real file for {fmt.key}"
    original = _csv_excerpt(source)
    target = tmp_path / source.name

    @FUZZ
    @given(mangled(csv_mutations()))
    def run(mutations):
        target.write_bytes(apply(mutations, original))
        _check_import(target, source.name, base)

    run()


@pytest.mark.parametrize("fmt", IGNORED, ids=[f.key for f in IGNORED])
def test_known_files_that_are_not_imported_stay_ignored_whatever_their_content(fmt, base, tmp_path):
    name = fmt.pattern.pattern.strip("^$").replace("\\d{4}", "2024").replace("\\", "").replace(".*", "x")
    name = name.replace("(meierij|nl)", "meierij")
    target = tmp_path / name
    assert fmt.pattern.match(name), name
    target.write_bytes(b"\x00\xff garbage")
    with transaction.atomic():
        result = snapshot_import(actor=None, root=tmp_path)
        assert not result.changed and result.ignored == [(name, fmt.description)]
        transaction.set_rollback(True)


@pytest.mark.parametrize("pattern, spec", BOUNDARY, ids=[str(s) for _p, s in BOUNDARY])
def test_mangled_boundary_files_are_imported_or_refused_whole(pattern, spec, base, shared_data, tmp_path):
    source = _real_file(shared_data, pattern)
    assert source is not None
    original = _geojson_excerpt(source)
    target = tmp_path / source.name

    @FUZZ
    @given(mangled(json_mutations()))
    def run(mutations):
        target.write_bytes(apply(mutations, original))
        # GeoJSON problems are located by a field path (features[3].properties.statcode), not a line.
        _check_import(target, source.name, base, lines_required=False)

    run()


@pytest.mark.parametrize("fmt", IMPORTED, ids=[f.key for f in IMPORTED])
def test_every_column_with_a_huge_number_or_a_long_text(fmt, base, shared_data, tmp_path):
    """Systematic complement of the random mangling: each column of the first row, with values that SQLite
    stores but PostgreSQL refuses (found by the fuzzing above: numbers beyond the integer range, over-long text)."""
    source = _real_file(shared_data, fmt.pattern)
    original = _csv_excerpt(source)
    target = tmp_path / source.name
    for column in range(len(fmt.columns)):
        for value in ("2147483648", "x" * 301):
            target.write_bytes(FieldValue(0, column, value)(original))
            _check_import(target, source.name, base)


def test_an_unknown_parent_or_area_names_the_file_and_the_line(base, shared_data, tmp_path):
    """Found by the fuzzing: a mangled parent code gave an issue without file and line ("-: WK...")."""
    source = shared_data.joinpath(*KWB)
    target = tmp_path / source.name
    rows = _csv_excerpt(source).decode().split("\n")
    wijk = next(i for i, row in enumerate(rows) if row.startswith("wijk,"))
    rows[wijk] = rows[wijk].replace(",GM0757,", ",GM0999,")
    target.write_text("\n".join(rows), encoding="utf-8")
    with pytest.raises(SnapshotError) as info:
        snapshot_import(actor=None, root=target)
    assert_issues(info.value.issues, source.name)
    assert info.value.issues[0].line == wijk + 1
