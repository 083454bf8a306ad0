"""Uploading a municipality's own figures (CSV/XLSX template). Values here are made up (test fixture)."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from ivp.areas.models import Area
from ivp.core.audit.models import AuditEvent
from ivp.indicators.models import LocalFigure
from ivp.indicators.services.local_figures import local_figures_upload
from ivp.indicators.upload import COLUMNS, template_csv
from ivp.opendata.snapshot.records import SnapshotError

pytestmark = pytest.mark.django_db
HEADER = ",".join(COLUMNS) + "\n"


@pytest.fixture
def areas(plan, vught, heusden):
    v = Area.objects.create(code="GM0865", level="gemeente", name="Vught", organisation=vught)
    Area.objects.create(code="GM0797", level="gemeente", name="Heusden", organisation=heusden)
    Area.objects.create(code="WK086500", level="wijk", name="Testwijk", parent=v)
    return v


def _upload(user, vught, text, name="cijfers.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return local_figures_upload(actor=user, municipality=vught, file_name=name, content=data)


def test_upload_then_reupload_then_change(users, vught, areas):
    text = HEADER + "GM0865,2023,vaak_onveilig,12.5,percentage,850,Testbron\nWK086500,2023,meldingen,41,aantal,,Eigen\n"
    result = _upload(users["advisor"], vught, text)
    assert (result.created, result.updated) == (2, 0)
    events = AuditEvent.objects.filter(action="local_figures.upload").count()
    assert _upload(users["advisor"], vught, text).unchanged == 2
    assert AuditEvent.objects.filter(action="local_figures.upload").count() == events  # a true no-op
    result = _upload(users["advisor"], vught, text.replace("12.5", "13.0"))
    assert result.updated == 1
    event = AuditEvent.objects.filter(action="local_figures.upload").latest("id")
    assert event.changes["GM0865/vaak_onveilig/2023"] == ["12.5000", "13.0"]


@pytest.mark.parametrize("body, line, field", [
    ("gebied,jaar\n", 1, "header"),
    (HEADER + "GM0865,2023,vaak_onveilig,veel,percentage,850,Testbron\n", 2, "waarde"),
    (HEADER + "GM0865,2023,vaak_onveilig,120,percentage,850,Testbron\n", 2, "waarde"),
    (HEADER + "GM0865,23,vaak_onveilig,12,percentage,850,Testbron\n", 2, "jaar"),
    (HEADER + "GM0797,2023,vaak_onveilig,12,percentage,850,Testbron\n", 2, "gebied_code"),
    (HEADER + "BU08659999,2023,vaak_onveilig,12,percentage,850,Testbron\n", 2, "gebied_code"),
    (HEADER + "GM0865,2023,Vaak Onveilig,12,percentage,850,Testbron\n", 2, "maat"),
    (HEADER + "GM0865,2023,vaak_onveilig,12,procent,850,Testbron\n", 2, "eenheid"),
    (HEADER + "GM0865,2023,vaak_onveilig,12,percentage,850,\n", 2, "bron"),
    (HEADER + "GM0865,2023,a,1,aantal,,X\nGM0865,2023,a,2,aantal,,X\n", 3, ""),
])
def test_bad_files_name_line_and_field_and_write_nothing(users, vught, areas, body, line, field):
    with pytest.raises(SnapshotError) as info:
        _upload(users["advisor"], vught, body)
    assert any(i.line == line and i.field == field and i.file == "cijfers.csv" for i in info.value.issues), \
        info.value.issues
    assert not LocalFigure.objects.exists()


def test_wrong_encoding_and_empty(users, vught, areas):
    with pytest.raises(SnapshotError) as info:
        _upload(users["advisor"], vught, (HEADER + "GM0865,2023,a,1,aantal,,Brón\n").encode("utf-16"))
    assert "UTF-8" in str(info.value)
    with pytest.raises(SnapshotError):
        _upload(users["advisor"], vught, b"")


def test_xlsx_and_semicolon_csv(users, vught, areas):
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    sheet.append(["GM0865", 2023, "vaak_onveilig", 12.5, "percentage", 850, "Testbron"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert _upload(users["advisor"], vught, buffer.getvalue(), name="cijfers.xlsx").created == 1
    semicolons = HEADER.replace(",", ";") + "WK086500;2023;meldingen;41;aantal;;Eigen\n"
    assert _upload(users["advisor"], vught, semicolons).created == 1


def test_only_editors_of_the_municipality(users, vught, areas):
    with pytest.raises(PermissionDenied):
        _upload(users["councillor"], vught, HEADER + "GM0865,2023,a,1,aantal,,X\n")
    assert AuditEvent.objects.filter(action="local_figures.upload", result="denied").exists()


def test_template_has_the_columns():
    assert template_csv().splitlines()[0] == ",".join(COLUMNS)
