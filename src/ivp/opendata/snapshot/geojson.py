"""Reading area boundaries (GeoJSON FeatureCollection, WGS84) with the same strictness as the CSVs."""

from __future__ import annotations

import json
import math
from pathlib import Path

from django.utils.translation import gettext as _

from .csvreader import AREA_CODE
from .records import GeometryRecord, ImportIssue

GEOMETRY_TYPES = {"Polygon", "MultiPolygon"}


def _valid_geometry(geometry) -> bool:
    """A Polygon or MultiPolygon whose coordinates are rings of finite [x, y] numbers."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return False
    polygons = [geometry.get("coordinates")] if geometry["type"] == "Polygon" else geometry.get("coordinates")
    return isinstance(polygons, list) and all(
        isinstance(polygon, list) and all(
            isinstance(ring, list) and all(
                isinstance(point, list) and len(point) in (2, 3) and all(
                    isinstance(n, int | float) and not isinstance(n, bool) and math.isfinite(n) for n in point)
                for point in ring)
            for ring in polygon)
        for polygon in polygons)


def read_geojson(path: Path, name: str, boundary_year: int,
                 level: str) -> tuple[list[GeometryRecord], list[ImportIssue]]:
    issues: list[ImportIssue] = []
    raw = path.read_bytes()
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return [], [ImportIssue(name, None, "", _("the file is not UTF-8"))]
    except json.JSONDecodeError as exc:
        return [], [ImportIssue(name, exc.lineno, "", _("not valid JSON: %s") % exc.msg)]
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(
            data.get("features"), list):
        return [], [ImportIssue(name, 1, "type", _("expected a GeoJSON FeatureCollection"))]
    records, seen = [], set()
    for index, feature in enumerate(data["features"]):
        field = f"features[{index}]"
        if not isinstance(feature, dict) or not isinstance(feature.get("properties") or {}, dict):
            issues.append(ImportIssue(name, None, field, _("expected a Feature with properties")))
            continue
        props = feature.get("properties") or {}
        code = props.get("statcode")
        if not isinstance(code, str) or not AREA_CODE[level].match(code):
            issues.append(ImportIssue(name, None, f"{field}.properties.statcode",
                                      _("not a valid %(level)s code: %(value)r") % {"level": level, "value": code}))
            continue
        if code in seen:
            issues.append(ImportIssue(name, None, f"{field}.properties.statcode", _("duplicate area %s") % code))
            continue
        seen.add(code)
        geometry = feature.get("geometry")
        if geometry is not None and not _valid_geometry(geometry):
            issues.append(ImportIssue(name, None, f"{field}.geometry", _("expected a Polygon or MultiPolygon")))
            continue
        records.append(GeometryRecord(code, geometry, boundary_year, name))
    return records, issues
