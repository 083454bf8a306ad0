"""Uploading a municipality's own figures: validate the whole file, then write all or nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ivp.areas.models import Area
from ivp.core.access import require_edit_municipality
from ivp.core.audit.recorder import NothingChanged, audited
from ivp.opendata.snapshot.records import ImportIssue, SnapshotError

from ..models import LocalFigure
from ..upload import read_local_figures
from .interpretations import municipality_of


@dataclass(frozen=True)
class UploadResult:
    created: int
    updated: int
    unchanged: int


def local_figures_upload(*, actor, municipality, file_name: str, content: bytes) -> UploadResult:
    """Raises SnapshotError (file/line/field issues) or PermissionDenied; writes nothing then."""
    with audited(actor=actor, action="local_figures.upload", municipality=municipality) as event:
        require_edit_municipality(actor, municipality)
        rows, issues = read_local_figures(file_name, content)
        areas = {a.code: a for a in Area.objects.filter(code__in={r.area_code for r in rows})}
        for row in rows:
            area = areas.get(row.area_code)
            if area is None:
                issues.append(ImportIssue(file_name, row.line, "gebied_code", _("unknown area %s") % row.area_code))
            elif municipality_of(area) != municipality:
                issues.append(ImportIssue(file_name, row.line, "gebied_code",
                                          _("%(area)s is not in %(municipality)s")
                                          % {"area": row.area_code, "municipality": municipality}))
        if issues:
            raise SnapshotError(issues)
        existing = {(f.area_id, f.measure, f.year): f for f in LocalFigure.objects.filter(municipality=municipality)}
        created = updated = unchanged = 0
        changes = {}
        for row in rows:
            area = areas[row.area_code]
            values = {"value": row.value, "unit": row.unit, "sample_size": row.sample_size, "source": row.source}
            figure = existing.get((area.pk, row.measure, row.year))
            if figure is None:
                LocalFigure.objects.create(municipality=municipality, area=area, measure=row.measure, year=row.year,
                                           uploaded_by=actor, **values)
                created += 1
            elif any(getattr(figure, k) != v for k, v in values.items()):
                # The old value is kept in the audit event, so an overwritten figure is never lost.
                changes[f"{row.area_code}/{row.measure}/{row.year}"] = [str(figure.value), str(row.value)]
                for k, v in values.items():
                    setattr(figure, k, v)
                figure.uploaded_by = actor
                figure.save()
                updated += 1
            else:
                unchanged += 1
        if not created and not updated:
            raise NothingChanged
        event.changes = {"file": [None, file_name], "created": [None, created], "updated": [None, updated], **changes}
    return UploadResult(created, updated, unchanged)
