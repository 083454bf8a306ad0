"""Table metadata: DataProperties (columns of a table) and code-list items of a dimension.

DataProperties rows have ``Type`` one of ``Dimension``, ``TimeDimension``, ``GeoDimension``, ``GeoDetail`` (the
dimensions: key columns of the TypedDataSet), ``Topic`` (measure columns, with ``Datatype`` and ``Unit``) or
``TopicGroup`` (a heading without a column; its ``Key`` is empty). Field names as in the 47018NED sample:
``ID, Position, ParentID, Type, Key, Title, Description, Datatype, Unit, Decimals, Default, ...``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import ODataShapeError
from .normalise import NUMERIC_DATATYPES, strip_code

DIMENSION = "Dimension"
TIME_DIMENSION = "TimeDimension"
GEO_DIMENSION = "GeoDimension"
GEO_DETAIL = "GeoDetail"
TOPIC = "Topic"
TOPIC_GROUP = "TopicGroup"

DIMENSION_TYPES = frozenset({DIMENSION, TIME_DIMENSION, GEO_DIMENSION, GEO_DETAIL})
GEO_TYPES = frozenset({GEO_DIMENSION, GEO_DETAIL})
KNOWN_TYPES = DIMENSION_TYPES | {TOPIC, TOPIC_GROUP}


def _opt_int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"not an integer: {value!r}")
    return int(value)


def _opt_str(value: Any) -> str | None:
    if value is None:
        return None
    return str(value).strip() or None


@dataclass(frozen=True)
class DataProperty:
    """One row of the DataProperties endpoint."""

    type: str
    key: str
    title: str = ""
    description: str | None = None
    datatype: str | None = None
    unit: str | None = None
    decimals: int | None = None
    default: str | None = None
    id: int | None = None
    position: int | None = None
    parent_id: int | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_dimension(self) -> bool:
        return self.type in DIMENSION_TYPES

    @property
    def is_topic(self) -> bool:
        return self.type == TOPIC

    @property
    def is_numeric_topic(self) -> bool:
        return self.type == TOPIC and self.datatype in NUMERIC_DATATYPES

    @classmethod
    def from_row(cls, row: Mapping[str, Any], *, table: str, index: int) -> DataProperty:
        kind = row.get("Type")
        if not isinstance(kind, str) or not kind:
            raise ODataShapeError(table, f"DataProperties row has no Type: {dict(row)!r}", row_index=index,
                                  field="Type")
        if kind not in KNOWN_TYPES:
            raise ODataShapeError(table, f"unknown DataProperties Type {kind!r}", row_index=index, field="Type")
        key = strip_code(row.get("Key")) or ""
        if not isinstance(key, str):
            raise ODataShapeError(table, f"Key must be a string, got {key!r}", row_index=index, field="Key")
        if kind != TOPIC_GROUP and not key:
            raise ODataShapeError(table, f"{kind} without Key", row_index=index, field="Key")
        try:
            return cls(
                type=kind,
                key=key,
                title=_opt_str(row.get("Title")) or "",
                description=_opt_str(row.get("Description")),
                datatype=_opt_str(row.get("Datatype")),
                unit=_opt_str(row.get("Unit")),
                decimals=_opt_int(row.get("Decimals")),
                default=_opt_str(row.get("Default")),
                id=_opt_int(row.get("ID")),
                position=_opt_int(row.get("Position")),
                parent_id=_opt_int(row.get("ParentID")),
                raw=dict(row),
            )
        except (TypeError, ValueError) as error:
            raise ODataShapeError(table, f"bad DataProperties row: {error}", row_index=index) from error


@dataclass(frozen=True)
class DataProperties:
    """All DataProperties of one table, in service order."""

    table: str
    properties: tuple[DataProperty, ...]

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for prop in self.properties:
            if not prop.key:
                continue
            if prop.key in seen:
                raise ODataShapeError(self.table, f"duplicate DataProperties Key {prop.key!r}", field=prop.key)
            seen.add(prop.key)

    @classmethod
    def from_rows(cls, table: str, rows: Iterable[Mapping[str, Any]]) -> DataProperties:
        return cls(table, tuple(DataProperty.from_row(row, table=table, index=i) for i, row in enumerate(rows)))

    def __iter__(self):
        return iter(self.properties)

    def __len__(self) -> int:
        return len(self.properties)

    def get(self, key: str) -> DataProperty | None:
        for prop in self.properties:
            if prop.key == key:
                return prop
        return None

    @property
    def dimensions(self) -> tuple[DataProperty, ...]:
        return tuple(p for p in self.properties if p.is_dimension)

    @property
    def dimension_keys(self) -> tuple[str, ...]:
        return tuple(p.key for p in self.dimensions)

    @property
    def topics(self) -> tuple[DataProperty, ...]:
        return tuple(p for p in self.properties if p.is_topic)

    @property
    def topic_keys(self) -> tuple[str, ...]:
        return tuple(p.key for p in self.topics)

    @property
    def numeric_topics(self) -> tuple[DataProperty, ...]:
        return tuple(p for p in self.properties if p.is_numeric_topic)

    @property
    def time_dimension(self) -> DataProperty | None:
        found = [p for p in self.properties if p.type == TIME_DIMENSION]
        if len(found) > 1:
            raise ODataShapeError(self.table, f"more than one TimeDimension: {[p.key for p in found]}")
        return found[0] if found else None

    @property
    def geo_dimensions(self) -> tuple[DataProperty, ...]:
        return tuple(p for p in self.properties if p.type in GEO_TYPES)


@dataclass(frozen=True)
class DimensionItem:
    """One code of a dimension's code list (``Perioden``, ``SoortMisdrijf``, ``WijkenEnBuurten``, ``RegioS`` ...).

    ``key`` is stripped; ``raw_key`` is the key as served (padded), which is what exact ``$filter`` matches need.
    Further fields of the code list (``Status``, ``Municipality``, ``DetailRegionCode``, ``CategoryGroupID``) are
    in ``extra``.
    """

    key: str
    title: str
    description: str | None
    raw_key: str
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def from_row(cls, row: Mapping[str, Any], *, table: str, dimension: str, index: int) -> DimensionItem:
        raw_key = row.get("Key")
        if not isinstance(raw_key, str) or not raw_key.strip():
            raise ODataShapeError(table, f"{dimension} code-list item without Key: {dict(row)!r}",
                                  row_index=index, field="Key")
        title = row.get("Title")
        extra = {k: strip_code(v) for k, v in row.items() if k not in ("Key", "Title", "Description")}
        return cls(
            key=raw_key.strip(),
            title=str(title).strip() if title is not None else "",
            description=_opt_str(row.get("Description")),
            raw_key=raw_key,
            extra=extra,
        )
