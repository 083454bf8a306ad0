"""`ivp import_signals`: the documented example loads; personal data, bad values and wrong shapes refuse the whole
file with file, line and field; nothing is written then; a re-run changes nothing."""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ivp.core.audit.models import AuditEvent
from ivp.information.importer import read_signals, signals_import
from ivp.information.models import Signal

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "signals.csv"


def _import(path):
    out = io.StringIO()
    call_command("import_signals", str(path), "--organisation", "GM0865", stdout=out)
    return out.getvalue()


def test_the_example_loads_and_a_rerun_changes_nothing(vught, areas):
    assert "24" in _import(EXAMPLE)
    assert Signal.objects.filter(municipality=vught).count() == 24
    assert Signal.objects.filter(area__isnull=True).count() == 6  # the municipality as a whole
    events = AuditEvent.objects.filter(action="information.import_signals", result="success")
    assert events.count() == 1 and events.get().changes["created"] == [None, 24]
    _import(EXAMPLE)
    assert Signal.objects.count() == 24
    assert events.count() == 1  # nothing changed, nothing recorded


def test_the_example_uses_the_real_wijken_of_vught(shared_data):
    with open(shared_data / "reference" / "ref_wijkenbuurten_47018NED_2024_meierij.csv", encoding="utf-8") as f:
        real = {row["code"] for row in csv.DictReader(f) if row["gm_code"] == "GM0865" or row["code"] == "GM0865"}
    with open(EXAMPLE, encoding="utf-8") as f:
        used = {row["gebied"] for row in csv.DictReader(f)}
    assert used <= real and any(code.startswith("WK") for code in used)


@pytest.mark.parametrize(("replacement", "kind"), [
    ("Stankoverlast bij Jansen, J.", "naam"),
    ("Melding met BSN 111222333", "burgerservicenummer"),
    ("Melder bereikbaar via info@example.nl", "e-mailadres"),
])
def test_personal_data_in_a_description_refuses_the_whole_file(vught, areas, tmp_path, replacement, kind):
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    row = lines[23].rsplit(",", 1)[0]
    lines[23] = f'{row},"{replacement}"'
    bad = tmp_path / "signals.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        _import(bad)
    message = str(refused.value)
    assert f"{bad}:24: omschrijving:" in message and kind in message
    assert replacement.split()[-1] not in message  # the refused text is never repeated
    assert not Signal.objects.exists()
    event = AuditEvent.objects.get(action="information.import_signals")
    assert event.result == "error" and "111222333" not in event.message and "@" not in event.message


def test_every_problem_is_named_with_line_and_field(vught, areas):
    content = (b"maand,gebied,categorie,bron,aantal,opvolging,omschrijving\n"
               b"2024-13,WK079701,drugs,mma,3,lio,\n"
               b"2024-03,GM0865,onbekend,fax,drie,later,\n"
               b"2024-03,GM0865,drugs,mma,3,lio,eerste\n"
               b"2024-03,GM0865,drugs,mma,4,lio,dubbel\n"
               b"2024-04,GM0865,drugs,mma,3,lio,een, twee\n")
    rows, issues = read_signals("f.csv", content, vught, today=dt.date(2024, 12, 1))
    where = {(i.line, i.field) for i in issues}
    assert {(2, "maand"), (2, "gebied"), (3, "categorie"), (3, "bron"), (3, "aantal"), (3, "opvolging"), (5, ""),
            (6, "omschrijving")} <= where
    with pytest.raises(Exception):  # noqa: B017 (SignalsImportRefused)
        signals_import(actor=None, municipality=vught, name="f.csv", content=content)
    assert not Signal.objects.exists()


def test_wrong_header_and_xlsx(vught, areas):
    _, issues = read_signals("f.csv", b"month,area\n2024-01,GM0865\n", vught)
    assert issues[0].field == "header"
    from ivp.core.tabular import append_row, new_workbook, workbook_bytes

    workbook = new_workbook()
    sheet = workbook.active
    append_row(sheet, ["maand", "gebied", "categorie", "bron", "aantal", "opvolging", "omschrijving"])
    append_row(sheet, ["2024-02", "WK086503", "drugs", "politie", 2, "riec", "Loods in het buitengebied"])
    result = signals_import(actor=None, municipality=vught, name="overzicht.xlsx", content=workbook_bytes(workbook))
    assert result.created == 1 and Signal.objects.get().area == areas["helvoirt"]


def test_a_user_without_edit_rights_cannot_import(users, vught, areas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        signals_import(actor=users["councillor"], municipality=vught, name="x.csv", content=EXAMPLE.read_bytes())
    assert signals_import(actor=users["advisor"], municipality=vught, name="x.csv",
                          content=EXAMPLE.read_bytes()).created == 24
