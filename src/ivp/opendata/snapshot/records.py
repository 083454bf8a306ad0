"""What a snapshot file turns into, before anything is written: plain records."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class AreaRecord:
    code: str
    level: str  # land | gemeente | wijk | buurt
    name: str
    parent_code: str | None
    first_year: int | None = None
    last_year: int | None = None
    source_file: str = field(default="-", compare=False)  # where it was read, for error messages
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class PopulationRecord:
    area_code: str
    year: int
    value: int
    boundary_year: int
    source_table: str
    source_file: str = field(default="-", compare=False)  # where it was read, for error messages
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ObservationRecord:
    table: str  # e.g. 47013NED
    category: str  # crime or nuisance type code, e.g. 0.0.0, CRI1000, E33
    area_code: str
    year: int
    month: int | None
    value: int | None  # None: no figure published (StatLine "."), never 0
    boundary_year: int
    source_file: str
    line: int


@dataclass(frozen=True)
class GeometryRecord:
    area_code: str
    geometry: dict | None  # GeoJSON Polygon/MultiPolygon in WGS84; None where the source has none
    boundary_year: int
    source_file: str


@dataclass(frozen=True)
class CategoryRecord:
    scheme: str  # politie_misdrijf | politie_overlast | cbs_83648
    code: str
    title: str
    description: str


@dataclass(frozen=True)
class ImportIssue:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field or '-'}: {self.message}"


class SnapshotError(Exception):
    """One or more files cannot be imported; nothing has been written."""

    def __init__(self, issues: list[ImportIssue]):
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues[:50]) + (
            f"\n... {len(issues) - 50} more" if len(issues) > 50 else ""))
