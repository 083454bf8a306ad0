"""Council report benchmark: build + render a report as PDF and DOCX through `ivp.reports.api`.

Against the scratch database filled by `bench ingest` (national SYNTHETIC data at --scale): the report of a
synthetic municipality (and of the base team), both kinds. A council report is public, so a figure appears only
with a published interpretation: the benchmark first publishes a (synthetic, labelled) interpretation for the
latest period of every indicator with data, so that the report carries its figures, tables and charts.
Goals (for a ~30-page report): PDF < 10 s, DOCX < 3 s (build time reported separately and included).
"""

from __future__ import annotations

import re
import time
import zlib

from .common import save, use_database, verdict

GOAL_PDF_S = 10.0
GOAL_DOCX_S = 3.0
TEXT = ("SYNTHETISCHE duiding voor de benchmark: deze cijfers zijn verzonnen en zeggen niets over een echte "
        "gemeente. ") * 4


def publish_interpretations(coordinator, area_codes: list[str]) -> int:
    from ivp.areas.models import Area
    from ivp.indicators.definitions import INDICATORS
    from ivp.indicators.models import Interpretation
    from ivp.indicators.series import BASE_TEAM, indicator_series
    from ivp.indicators.services.interpretations import interpretation_save

    made = 0
    for code in area_codes:
        area = None if code == BASE_TEAM else Area.objects.get(code=code)
        for indicator in INDICATORS:
            series = indicator_series(indicator, code)
            if series.latest is None:
                continue
            for point in series.points:
                if point.count is None or Interpretation.objects.filter(
                        indicator=indicator, area=area, period=point.period).exists():
                    continue
                interpretation_save(actor=coordinator, indicator=indicator, area=area, period=point.period,
                                    text=TEXT, published=True)
                made += 1
    return made


PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def pdf_pages(content: bytes) -> int:
    """Page objects, also inside compressed object streams (WeasyPrint writes PDF 1.5 object streams)."""
    pages = len(PAGE.findall(content))
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            pages += len(PAGE.findall(zlib.decompress(match.group(1))))
        except zlib.error:
            continue
    return pages


def run(*, backend: str, scale: float) -> dict:
    use_database(backend, scale)
    from ivp.core.models import Organisation, User
    from ivp.indicators.series import BASE_TEAM
    from ivp.reports.api import build_report, period_choices, render_report

    coordinator = User.objects.get(username="bench-coordinator")
    codes = list(Organisation.objects.filter(code__startswith="synthetisch-").order_by("cbs_code")
                 .values_list("cbs_code", flat=True))
    t = time.perf_counter()
    made = publish_interpretations(coordinator, [codes[0], BASE_TEAM])
    print(f"published {made} synthetic interpretations in {time.perf_counter() - t:.1f} s (setup, not timed)")
    figures: dict = {"backend": backend, "scale": scale, "reports": []}
    lines = []
    for area_code in (codes[0], BASE_TEAM):
        for kind in ("midterm", "annual"):
            periods = period_choices(kind)
            if not periods:
                continue
            period = periods[-1]
            row = {"area": area_code, "kind": kind, "period": period}
            t, c = time.perf_counter(), time.process_time()
            report = build_report(user=coordinator, area_code=area_code, kind=kind, period=period)
            row["build_s"] = round(time.perf_counter() - t, 2)
            row["build_cpu_s"] = round(time.process_time() - c, 2)
            contents = {}
            for fmt in ("pdf", "docx"):
                t, c = time.perf_counter(), time.process_time()
                rendered = render_report(report, fmt)
                contents[fmt] = rendered.content
                row[f"{fmt}_render_s"] = round(time.perf_counter() - t, 2)
                row[f"{fmt}_total_cpu_s"] = round(row["build_cpu_s"] + time.process_time() - c, 2)
                row[f"{fmt}_total_s"] = round(row["build_s"] + row[f"{fmt}_render_s"], 2)
                row[f"{fmt}_bytes"] = len(rendered.content)
            row["pdf_pages"] = pdf_pages(contents["pdf"])
            figures["reports"].append(row)
            line = (f"{area_code} {kind} {period}: {row['pdf_pages']} pages; PDF {row['pdf_total_s']} s (build "
                    f"{row['build_s']} + render {row['pdf_render_s']}; goal < {GOAL_PDF_S} s: "
                    f"{verdict(row['pdf_total_s'] < GOAL_PDF_S)}), DOCX {row['docx_total_s']} s (goal < "
                    f"{GOAL_DOCX_S} s: {verdict(row['docx_total_s'] < GOAL_DOCX_S)}); CPU seconds: PDF "
                    f"{row['pdf_total_cpu_s']}, DOCX {row['docx_total_cpu_s']}")
            print(line)
            lines.append(line)
    figures["summary"] = lines
    save(f"report-{backend}-scale{scale:g}", figures)
    return figures
