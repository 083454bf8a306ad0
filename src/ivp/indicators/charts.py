"""Server-rendered charts: one Vega-Lite spec per chart, rendered to SVG offline (vl-convert).

Every SVG gets a <title> and <desc> and is shown next to a data table with the same numbers, so
nothing is only visible as a picture.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache

import vl_convert

from .labels import FUNNEL_STYLE

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
FONT = "DejaVu Sans, Arial, sans-serif"
BASE_CONFIG = {
    "font": FONT,
    "view": {"stroke": None},
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#1a1a1a", "titleColor": "#1a1a1a"},
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 320},
}
LINE_COLOUR = "#1a5a96"
BAND_COLOUR = "#9cc3e6"
MISSING_COLOUR = "#d9d9d9"


def series_spec(rows: list[dict], *, y_title: str, x_title: str, breaks: list[dict] | None = None,
                periods: list[str] | None = None) -> dict:
    """A rate (or count) per period with its 95% interval as a band.

    rows: {"period": str, "value": float, "lower": float, "upper": float}; rows without value are left out (a
    hidden or unpublished figure is not drawn). periods: every period of the series, so that the axis keeps a
    gap where a figure is left out instead of closing it up.
    breaks: {"period": str, "label": str} drawn as dashed vertical rules.
    """
    values = [r for r in rows if r.get("value") is not None]
    layers = [
        {"mark": {"type": "area", "opacity": 0.5, "color": BAND_COLOUR},
         "encoding": {"y": {"field": "lower", "type": "quantitative", "title": y_title},
                      "y2": {"field": "upper"}}},
        {"mark": {"type": "line", "color": LINE_COLOUR, "point": {"filled": True, "size": 60, "color": LINE_COLOUR}},
         "encoding": {"y": {"field": "value", "type": "quantitative", "title": y_title}}},
    ]
    spec = {
        "$schema": SCHEMA, "width": 520, "height": 240, "config": BASE_CONFIG,
        "data": {"values": values},
        "encoding": {"x": {"field": "period", "type": "ordinal", "title": x_title, "axis": {"labelAngle": 0},
                           **({"scale": {"domain": list(periods)}} if periods else {})}},
        "layer": layers,
    }
    if breaks:
        spec["layer"].append({
            "data": {"values": breaks},
            "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#6b3a00"},
            "encoding": {"x": {"field": "period", "type": "ordinal"}},
        })
    return spec


def funnel_spec(points: list[dict], limits: list[dict], *, target: float, y_title: str, x_title: str,
                categories: list[tuple[str, str]]) -> dict:
    """Funnel plot: areas as points (rate vs population) with 95% / 99.8% control limits around the target.

    points: {"name", "population", "rate", "flag"} (flag: a label from `categories`); limits: {"population",
    "lower95", "upper95", "lower998", "upper998"}; categories: (label, code) of every flag in a fixed order. The
    colour and shape of each flag come from labels.FUNNEL_STYLE by code and the legend lists every category, so a
    colour means the same on every chart whichever flags occur.
    """


    domain = [label for label, _code in categories]
    colours = [FUNNEL_STYLE[code][0] for _label, code in categories]
    shapes = [FUNNEL_STYLE[code][1] for _label, code in categories]
    limit_layers = []
    for key, dash in (("lower95", [4, 3]), ("upper95", [4, 3]), ("lower998", [1, 0]), ("upper998", [1, 0])):
        limit_layers.append({
            "data": {"values": limits},
            "mark": {"type": "line", "color": "#555555", "strokeDash": dash, "strokeWidth": 1},
            "encoding": {"x": {"field": "population", "type": "quantitative", "title": x_title},
                         "y": {"field": key, "type": "quantitative", "title": y_title}},
        })
    return {
        "$schema": SCHEMA, "width": 520, "height": 300, "config": BASE_CONFIG,
        "layer": limit_layers + [
            {"data": {"values": [{"target": target}]}, "mark": {"type": "rule", "color": LINE_COLOUR},
             "encoding": {"y": {"field": "target", "type": "quantitative"}}},
            {"data": {"values": points},
             "mark": {"type": "point", "filled": True, "size": 80},
             "encoding": {
                 "x": {"field": "population", "type": "quantitative", "title": x_title},
                 "y": {"field": "rate", "type": "quantitative", "title": y_title},
                 "shape": {"field": "flag", "type": "nominal", "title": None,
                           "scale": {"domain": domain, "range": shapes}},
                 "color": {"field": "flag", "type": "nominal", "title": None,
                           "scale": {"domain": domain, "range": colours}},
             }},
            {"data": {"values": points}, "mark": {"type": "text", "dx": 6, "align": "left", "fontSize": 11},
             "encoding": {"x": {"field": "population", "type": "quantitative"},
                          "y": {"field": "rate", "type": "quantitative"}, "text": {"field": "name"}}},
        ],
    }


def _signed_area(ring: list) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1, *_a), (x2, y2, *_b) in zip(ring, ring[1:], strict=False)) / 2


def _d3_rings(polygon: list) -> list:
    """d3-geo (used by Vega) wants exterior rings clockwise and holes counter-clockwise, the opposite of
    RFC 7946; a ring in the other orientation is drawn as "the whole globe except this area"."""
    rings = []
    for index, ring in enumerate(polygon):
        clockwise = _signed_area(ring) < 0
        wanted = index == 0
        rings.append(ring if clockwise == wanted else list(reversed(ring)))
    return rings


def d3_geometry(geometry: dict) -> dict:
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": _d3_rings(geometry["coordinates"])}
    if geometry["type"] == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": [_d3_rings(p) for p in geometry["coordinates"]]}
    return geometry


def choropleth_spec(features: list[dict], *, legend_title: str, missing_label: str) -> dict:
    """Areas coloured by value. features: GeoJSON features with properties {"name", "value"}; areas
    without a value are drawn grey (no data), never coloured as zero, and the grey has its own legend entry
    (`missing_label`)."""
    features = [{**f, "geometry": d3_geometry(f["geometry"]),
                 "properties": {**f["properties"], "missing": missing_label}} for f in features]
    return {
        "$schema": SCHEMA, "width": 520, "height": 420, "config": BASE_CONFIG,
        "projection": {"type": "mercator"},
        "resolve": {"scale": {"color": "independent"}, "legend": {"color": "independent"}},
        "layer": [
            {"data": {"values": features},
             "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.7},
             "encoding": {"color": {"field": "properties.missing", "type": "nominal", "title": None,
                                    "scale": {"domain": [missing_label], "range": [MISSING_COLOUR]}}}},
            {"data": {"values": [f for f in features if f["properties"].get("value") is not None]},
             "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.7},
             "encoding": {"color": {"field": "properties.value", "type": "quantitative", "title": legend_title,
                                    "scale": {"scheme": "blues"}}}},
        ],
    }


_SVG_OPEN = re.compile(r"<svg\b([^>]*)>")
# Vega's own ARIA on marks and axes (graphics-* roles, per-mark labels): the chart as a whole is one image
# (role="img", named by <title> and <desc>) with the same numbers in a data table beside it, so the parts
# are dropped; left in, screen readers and axe-core see hundreds of unnamed "images" (svg-img-alt).
_VEGA_ARIA = re.compile(r'\s(?:role="graphics-[a-z]+"|aria-roledescription="[^"]*"|aria-label="[^"]*")')


@lru_cache(maxsize=256)
def _render(spec_json: str) -> str:
    # Dutch number format (1.000,5) on the axes, like the tables; allowed_base_urls=[] keeps it offline.
    svg = vl_convert.vegalite_to_svg(json.loads(spec_json), format_locale="nl-NL", time_format_locale="nl-NL",
                                     allowed_base_urls=[])
    return _VEGA_ARIA.sub("", svg)


def render_svg(spec: dict, *, title: str, description: str, element_id: str) -> str:
    """The chart as inline SVG with an accessible name (<title>) and description (<desc>)."""
    svg = _render(json.dumps(spec, sort_keys=True, default=str))
    head = (f'<title id="{element_id}-title">{html.escape(title)}</title>'
            f'<desc id="{element_id}-desc">{html.escape(description)}</desc>')
    return _SVG_OPEN.sub(
        lambda m: f'<svg{m.group(1)} role="img" aria-labelledby="{element_id}-title {element_id}-desc" '
                  f'focusable="false">{head}', svg, count=1)
