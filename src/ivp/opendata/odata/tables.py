"""Typed parsing of TypedDataSet rows into :class:`Observation` s, driven by DataProperties.

A :class:`TableSpec` says which dimensions a table must have and which role each plays (area, period, category);
the measure columns (topics) are either listed or, with ``topics=None``, discovered from the table's
DataProperties (every ``Topic`` with a numeric ``Datatype``). :meth:`TableSpec.bind` checks the spec against the
real DataProperties and returns a :class:`TableParser`; anything unexpected raises :class:`ODataShapeError` naming
the table, and for row problems the row index and field.

One wide TypedDataSet row becomes one :class:`Observation` per topic ("long" format).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .errors import ODataShapeError
from .metadata import GEO_TYPES, TIME_DIMENSION, DataProperties, DataProperty
from .normalise import Period, parse_area, parse_number, parse_period

if TYPE_CHECKING:
    from .client import ODataClient


@dataclass(frozen=True)
class Observation:
    """One figure: ``value`` of ``measure`` (a topic key) for an area, a period and a category.

    ``category`` is the stripped key of the table's category dimension (``SoortMisdrijf`` ``"1.1.1"``,
    ``Overlast`` ``"E33"``), or ``""`` for tables without one. ``value`` is ``None`` where the service has no figure.
    """

    table: str
    area_code: str
    area_level: str
    period: Period
    measure: str
    category: str
    value: int | float | None


@dataclass(frozen=True)
class TableSpec:
    """Expected shape of a table.

    ``dimensions`` lists every dimension the table must have (order irrelevant); each must play one role:
    ``area_dimension``, ``period_dimension`` (a TimeDimension; ``None`` for tables without one, which then need
    ``fixed_period``) or ``category_dimension`` (``None`` if there is none). ``topics=None`` means: all numeric
    topics in DataProperties.
    """

    table: str
    dimensions: tuple[str, ...]
    area_dimension: str
    period_dimension: str | None = "Perioden"
    category_dimension: str | None = None
    topics: tuple[str, ...] | None = None
    fixed_period: Period | None = None
    title: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "dimensions", tuple(self.dimensions))
        if self.topics is not None:
            object.__setattr__(self, "topics", tuple(self.topics))
            if not self.topics:
                raise ValueError(f"{self.table}: topics must be None (discover) or non-empty")
        roles = [d for d in (self.area_dimension, self.period_dimension, self.category_dimension) if d]
        if len(set(roles)) != len(roles):
            raise ValueError(f"{self.table}: a dimension cannot play two roles: {roles}")
        if set(roles) != set(self.dimensions) or len(set(self.dimensions)) != len(self.dimensions):
            raise ValueError(f"{self.table}: dimensions {self.dimensions} must be exactly the role dimensions {roles}")
        if (self.period_dimension is None) == (self.fixed_period is None):
            raise ValueError(f"{self.table}: give exactly one of period_dimension and fixed_period")

    def bind(self, properties: DataProperties) -> TableParser:
        """Check this spec against the table's DataProperties; return the parser for its rows."""
        table = self.table
        actual = properties.dimension_keys
        if set(actual) != set(self.dimensions):
            missing = sorted(set(self.dimensions) - set(actual))
            extra = sorted(set(actual) - set(self.dimensions))
            raise ODataShapeError(
                table,
                f"dimensions differ from the spec: expected {sorted(self.dimensions)}, DataProperties has "
                f"{list(actual)} (missing {missing}, unexpected {extra})",
                field=(missing or extra)[0],
            )
        if self.period_dimension is not None:
            prop = properties.get(self.period_dimension)
            if prop is None or prop.type != TIME_DIMENSION:
                raise ODataShapeError(table, f"is {prop.type if prop else None}, expected TimeDimension",
                                      field=self.period_dimension)
        area = properties.get(self.area_dimension)
        if area is None or area.type not in GEO_TYPES:
            raise ODataShapeError(table, f"is {area.type if area else None}, expected one of {sorted(GEO_TYPES)}",
                                  field=self.area_dimension)
        if self.topics is None:
            topics = properties.numeric_topics
            if not topics:
                raise ODataShapeError(table, "DataProperties has no numeric Topic")
        else:
            topics = tuple(self._checked_topic(properties, key) for key in self.topics)
        return TableParser(self, topics)

    def _checked_topic(self, properties: DataProperties, key: str) -> DataProperty:
        prop = properties.get(key)
        if prop is None or not prop.is_topic:
            available = ", ".join(p.key for p in properties.numeric_topics)
            raise ODataShapeError(self.table, f"topic not in DataProperties (numeric topics: {available})", field=key)
        if not prop.is_numeric_topic:
            raise ODataShapeError(self.table, f"topic has Datatype {prop.datatype!r}, not a number", field=key)
        return prop


@dataclass(frozen=True)
class TableParser:
    """A :class:`TableSpec` bound to real DataProperties: knows the topic columns and their datatypes."""

    spec: TableSpec
    topics: tuple[DataProperty, ...]

    @property
    def table(self) -> str:
        return self.spec.table

    @property
    def select(self) -> list[str]:
        """``$select`` fields that give this parser everything it reads."""
        return list(self.spec.dimensions) + [t.key for t in self.topics]

    def _field(self, row: Mapping[str, Any], index: int, name: str) -> Any:
        if name not in row:
            raise ODataShapeError(self.table, f"missing from row (row has {sorted(row)})", row_index=index,
                                  field=name)
        return row[name]

    def _text(self, row: Mapping[str, Any], index: int, name: str) -> str:
        value = self._field(row, index, name)
        if not isinstance(value, str) or not value.strip():
            raise ODataShapeError(self.table, f"expected a non-empty code, got {value!r}", row_index=index,
                                  field=name)
        return value.strip()

    def parse_row(self, row: Mapping[str, Any], index: int = 0) -> list[Observation]:
        """The observations of one TypedDataSet row (padded or stripped)."""
        if not isinstance(row, Mapping):
            raise ODataShapeError(self.table, f"row is {type(row).__name__}, not an object", row_index=index)
        spec = self.spec
        area = parse_area(self._text(row, index, spec.area_dimension))
        period: Period | None = spec.fixed_period
        if spec.period_dimension is not None:
            code = self._text(row, index, spec.period_dimension)
            try:
                period = parse_period(code)
            except ValueError as error:
                raise ODataShapeError(self.table, str(error), row_index=index, field=spec.period_dimension) from None
        if period is None:  # unreachable: TableSpec requires period_dimension or fixed_period
            raise ODataShapeError(self.table, "spec has neither period_dimension nor fixed_period", row_index=index)
        category = self._text(row, index, spec.category_dimension) if spec.category_dimension else ""
        observations = []
        for topic in self.topics:
            raw = self._field(row, index, topic.key)
            try:
                value = parse_number(raw, topic.datatype)
            except ValueError as error:
                raise ODataShapeError(self.table, str(error), row_index=index, field=topic.key) from None
            observations.append(
                Observation(self.table, area.code, area.level, period, topic.key, category, value)
            )
        return observations

    def parse_rows(self, rows: Iterable[Mapping[str, Any]]) -> Iterator[Observation]:
        """Observations of all rows; the row index in errors is the position in ``rows``."""
        for index, row in enumerate(rows):
            yield from self.parse_row(row, index)


# --------------------------------------------------------------------------------------------------------------
# The tables IVP uses

_CRIME_BY_REGION = ("RegioS", "SoortMisdrijf", "Perioden")
_CRIME_BY_AREA = ("WijkenEnBuurten", "SoortMisdrijf", "Perioden")

TABLE_SPECS: dict[str, TableSpec] = {
    spec.table: spec
    for spec in (
        # Politie (dataderden). 47013NED also has report counts (aangiften); its topics are discovered.
        TableSpec("47013NED", _CRIME_BY_REGION, "RegioS", category_dimension="SoortMisdrijf",
                  title="Geregistreerde misdrijven en aangiften; soort misdrijf, gemeente"),
        TableSpec("47018NED", _CRIME_BY_AREA, "WijkenEnBuurten", category_dimension="SoortMisdrijf",
                  topics=("GeregistreerdeMisdrijven_1",),
                  title="Geregistreerde misdrijven; soort misdrijf, wijk, buurt, jaarcijfers"),
        TableSpec("47022NED", _CRIME_BY_AREA, "WijkenEnBuurten", category_dimension="SoortMisdrijf",
                  topics=("GeregistreerdeMisdrijven_1",),
                  title="Geregistreerde misdrijven; soort misdrijf, wijk, buurt, maandcijfers"),
        TableSpec("47025NED", _CRIME_BY_REGION, "RegioS", category_dimension="SoortMisdrijf",
                  topics=("GeregistreerdeMisdrijven_1",),
                  title="Geregistreerde misdrijven; soort misdrijf, regio"),
        TableSpec("47021NED", ("RegioS", "Overlast", "Perioden"), "RegioS", category_dimension="Overlast",
                  topics=("GeregistreerdeOverlast_1",), title="Geregistreerde overlast; soort overlast, regio"),
        TableSpec("47024NED", ("WijkenEnBuurten", "Overlast", "Perioden"), "WijkenEnBuurten",
                  category_dimension="Overlast", topics=("GeregistreerdeOverlast_1",),
                  title="Geregistreerde overlast; soort overlast, wijk, buurt"),
        # CBS (opendata). Topics discovered: 83648NED has TotaalGeregistreerdeMisdrijven_1 ... RegistratiesVan-
        # Verdachten_6, 85984NED some hundred (AantalInwoners_5 ...), 37230ned BevolkingAanHetBeginVanDePeriode_1 ...
        TableSpec("83648NED", _CRIME_BY_REGION, "RegioS", category_dimension="SoortMisdrijf",
                  title="Geregistreerde criminaliteit; soort misdrijf, regio"),
        TableSpec("85984NED", ("WijkenEnBuurten",), "WijkenEnBuurten", period_dimension=None,
                  fixed_period=Period.for_year(2024), title="Kerncijfers wijken en buurten 2024"),
        TableSpec("37230ned", ("RegioS", "Perioden"), "RegioS", title="Bevolkingsontwikkeling; regio per maand"),
    )
}


def spec_for(table: str) -> TableSpec:
    """The :data:`TABLE_SPECS` entry of ``table`` (case-insensitive)."""
    for identifier, spec in TABLE_SPECS.items():
        if identifier.upper() == table.strip().upper():
            return spec
    raise KeyError(f"no TableSpec for {table!r}; known: {', '.join(TABLE_SPECS)}")


def fetch_observations(
    client: ODataClient,
    spec: TableSpec | str,
    *,
    filter: str | None = None,  # named after the OData option
    topics: Sequence[str] | None = None,
) -> Iterator[Observation]:
    """Fetch DataProperties, bind ``spec``, then stream the TypedDataSet (``$select`` = dimensions + topics)."""
    if isinstance(spec, str):
        spec = spec_for(spec)
    if topics is not None:
        spec = replace(spec, topics=tuple(topics))
    parser = spec.bind(client.data_properties(spec.table))
    rows = client.typed_dataset(spec.table, filter=filter, select=parser.select)
    yield from parser.parse_rows(rows)
