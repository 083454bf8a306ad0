"""Mangled uploads of a municipality's own figures: CSV with `,` and `;`, and XLSX (cells and bytes).

Property: the upload succeeds with storable data, or it raises SnapshotError whose issues name the file, the
line and the field; never another exception. After a failure no figure is written; the only trace is the
audit trail's `error` event of the attempt (that is by design: refused and failed writes are audited).

The upload below is a small self-written test fixture (made-up values), with real area codes of Vught.
"""

import io

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from ivp.indicators.services.local_figures import local_figures_upload
from ivp.indicators.services.snapshot_import import snapshot_import
from ivp.opendata.snapshot.records import SnapshotError

from .checks import assert_issues, assert_storable, data_dump, new_audit_events
from .mangle import FUZZ, FieldValue, apply, byte_mutations, csv_mutations, mangled

pytestmark = pytest.mark.django_db
KWB = ("population", "population_kwb2024_85984_meierij_gemeente_wijk_buurt.csv")
FIXTURE = (  # test fixture, not data
    "gebied_code,jaar,maat,waarde,eenheid,steekproef_n,bron\n"
    "GM0865,2023,vaak_onveilig,12.5,percentage,850,Veiligheidsmonitor (testfixture)\n"
    "GM0865,2024,vaak_onveilig,11,percentage,900,Veiligheidsmonitor (testfixture)\n"
    "WK086500,2023,meldingen_overlast,41,aantal,,Eigen registratie (testfixture)\n"
    "WK086501,2023,meldingen_overlast,17,aantal,,Eigen registratie (testfixture)\n"
    "WK086502,2023,rapportcijfer,6.8,score,120,Enquête (testfixture)\n"
)


@pytest.fixture
def base(users, vught, shared_data):
    snapshot_import(actor=None, root=shared_data.joinpath(*KWB))
    from ivp.core.backup import dump_database

    return dump_database()


def _check_upload(advisor, vught, name, content, before, *, lines_required=True):
    with transaction.atomic():
        try:
            local_figures_upload(actor=advisor, municipality=vught, file_name=name, content=content)
        except SnapshotError as exc:
            assert_issues(exc.issues, name, lines_required=lines_required)
            assert data_dump() == {k: v for k, v in before.items() if k != "core.auditevent"}
            events = new_audit_events(before)
            assert [(e["fields"]["action"], e["fields"]["result"]) for e in events] == \
                [("local_figures.upload", "error")]
        else:
            assert_storable()
        transaction.set_rollback(True)


@pytest.mark.parametrize("separator", [b",", b";"])
def test_mangled_csv_uploads(separator, base, users, vught):
    original = FIXTURE.encode("utf-8").replace(b",", separator)

    @FUZZ
    @given(mangled(csv_mutations(separator)))
    def run(mutations):
        _check_upload(users["advisor"], vught, "cijfers.csv", apply(mutations, original), base)

    run()


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value: str):
    """Numbers as numbers (as Excel stores them), the rest as text."""
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value


def test_mangled_xlsx_cells(base, users, vught):
    @FUZZ
    @given(mangled(csv_mutations()), st.booleans())
    def run(mutations, typed):
        text = apply(mutations, FIXTURE.encode("utf-8")).decode("utf-8", errors="replace")
        rows = [[_cell(v) if typed else v for v in line.split(",")] for line in text.split("\n")]
        try:
            content = _xlsx(rows)
        except (ValueError, IllegalCharacterError):  # openpyxl cannot write control characters: no upload
            return
        _check_upload(users["advisor"], vught, "cijfers.xlsx", content, base)

    run()


def test_mangled_xlsx_bytes(base, users, vught):
    original = _xlsx([line.split(",") for line in FIXTURE.strip().split("\n")])

    @FUZZ
    @given(mangled(byte_mutations(), max_size=2))
    def run(mutations):
        # A damaged workbook is refused as a whole: no line to point at.
        _check_upload(users["advisor"], vught, "cijfers.xlsx", apply(mutations, original), base,
                      lines_required=False)

    run()


def test_every_column_with_nasty_values(base, users, vught):
    """Systematic complement of the random mangling: each column of the first row, with values that broke the
    upload (found by the fuzzing): unicode digits, numbers beyond the database's range, over-long text."""
    original = FIXTURE.encode("utf-8")
    for column in range(7):
        for value in ("²", "١٢", "2147483648", "9" * 40, "1E999", "1E+12", "12.123456789", "x" * 300):
            content = FieldValue(0, column, value)(original)
            _check_upload(users["advisor"], vught, "cijfers.csv", content, base)
