"""The midterm report's chapter on the information position: municipal totals only, through the public gate
(a published duiding first, 1-4 hidden), never a wijk, a youth-group code, a signal description or a source."""

import datetime as dt

import pytest

from ivp.areas.models import Area, Population
from ivp.indicators.publication import hidden_text
from ivp.indicators.services.interpretations import interpretation_save
from ivp.information import services as information
from ivp.reports.api import build_report, render_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def registers(plan, vught, users, django_capture_on_commit_callbacks):
    """TEST FIXTURE, not data: made-up register rows of Vught."""
    area = Area.objects.create(code="GM0865", level="gemeente", name="Vught", organisation=vught)
    wijk = Area.objects.create(code="WK086501", level="wijk", name="Wijk 01 Vught-Zuid", parent=area)
    for year in (2023, 2024):
        Population.objects.create(area=area, year=year, value=26000 + year, boundary_year=year,
                                  source_table="37230ned")
    advisor = users["advisor"]
    with django_capture_on_commit_callbacks(execute=True):
        for month, count in ((3, 9), (9, 8)):
            information.signal_create(actor=advisor, municipality=vught, month=dt.date(2024, month, 1),
                                      category="drugs", source_kind="mma", count=count, follow_up="riec", area=wijk,
                                      description="Testmelding kwekerij-xq (testfixture)")
        information.bibob_save(actor=advisor, municipality=vught, year=2024, quarter=2, kind="hospitality",
                               outcome="refused", count=2)
        information.youth_group_create(actor=advisor, municipality=vught, code="VU-TEST-7", group_type="criminal",
                                       size_band="5-10", phase="approach", first_seen=dt.date(2024, 2, 1))
    return area


def _publish(users, area, *codes):
    for code in codes:
        interpretation_save(actor=users["coordinator"], indicator=code, area=area, period="2024",
                            text="Testduiding (testfixture)", published=True)


def test_nothing_is_shown_before_a_duiding(registers, users):
    report = build_report(user=users["advisor"], area_code="GM0865", kind="midterm", period="2023-2024")
    info = report.information
    assert info is not None and info.rows == []
    assert "Signals received" in info.withheld or "Ontvangen signalen" in info.withheld


def test_published_totals_only_and_small_counts_hidden(registers, users):
    _publish(users, registers, "info_signals", "info_bibob", "info_youth_groups_criminal")
    report = build_report(user=users["advisor"], area_code="GM0865", kind="midterm", period="2023-2024")
    rows = {row.name: row.values for row in report.information.rows}
    signals = next(v for k, v in rows.items() if k in ("Signals received", "Ontvangen signalen"))
    assert signals == ["-", "17"]
    bibob = next(v for k, v in rows.items() if k in ("Bibob procedures", "Bibob-procedures"))
    assert bibob[1] == hidden_text()  # 2: never shown in a council report
    content = render_report(report, "html").content
    html = content.decode() if isinstance(content, bytes) else content
    assert 'id="informatiepositie"' in html
    chapter = html.split('id="informatiepositie"')[1].split("</section>")[0]
    assert "17" in chapter
    for detail in ("WK086501", "Vught-Zuid", "VU-TEST-7", "kwekerij-xq"):
        assert detail not in html, detail  # nowhere in the report, not only not in this chapter


def test_the_annual_report_has_no_such_chapter(registers, users):
    report = build_report(user=users["advisor"], area_code="GM0865", kind="annual", period="2024")
    assert report.information is None
