"""Columnar parsing of TypedDataSet pages: one Polars DataFrame per page instead of an :class:`Observation` per
figure (bench/, "compute": the row parser cost ~5 us per row).

:func:`fetch_frames` yields, per page of rows, a frame with the columns of :data:`COLUMNS`: the same content
:func:`fetch_observations` yields row by row. A page is parsed with vectorised expressions when every value has
the expected shape (strings for codes, whole numbers or null for counts); any other page goes through the row
parser (:meth:`TableParser.parse_row`), which raises the same :class:`ODataShapeError` s, with the same row index,
as :func:`fetch_observations` would, or accepts what it accepts (integral floats, missing-value symbols ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from itertools import islice
from typing import TYPE_CHECKING, Any

import polars as pl

from .normalise import INTEGER_DATATYPES, strip_row
from .tables import TableParser, TableSpec, spec_for

if TYPE_CHECKING:
    from .client import ODataClient

PAGE_ROWS = 10_000
#: kind: "year" | "quarter" | "month"; month and quarter are null where they do not apply.
COLUMNS = {"area_code": pl.String, "area_level": pl.String, "year": pl.Int32, "kind": pl.String,
           "month": pl.Int32, "quarter": pl.Int32, "measure": pl.String, "category": pl.String, "value": pl.Int64}
# A valid period key: year 1000-9999 and JJ00, KW01-KW04 or MM01-MM12 (parse_period accepts exactly these).
_PERIOD = r"^[1-9]\d{3}(JJ00|KW0[1-4]|MM(0[1-9]|1[0-2]))$"
_LEVELS = {"GM": "gemeente", "WK": "wijk", "BU": "buurt", "NL": "land"}
_KINDS = {"JJ": "year", "KW": "quarter", "MM": "month"}


def fetch_frames(client: ODataClient, spec: TableSpec | str, *, filter: str | None = None,  # the OData option
                 topics: Sequence[str] | None = None) -> Iterator[pl.DataFrame]:
    """:func:`fetch_observations` as one frame per page (rows as served, padding stripped here)."""
    if isinstance(spec, str):
        spec = spec_for(spec)
    if topics is not None:
        spec = replace(spec, topics=tuple(topics))
    parser = spec.bind(client.data_properties(spec.table))
    rows = client.typed_dataset(spec.table, filter=filter, select=parser.select, strip=False)
    yield from parse_pages(parser, rows)


def parse_pages(parser: TableParser, rows: Iterable[Any], page_rows: int = PAGE_ROWS) -> Iterator[pl.DataFrame]:
    """One frame per ``page_rows`` rows; the row index in errors is the position in ``rows``."""
    rows = iter(rows)
    offset = 0
    while page := list(islice(rows, page_rows)):
        prepared = _prepared(parser, page)
        yield _by_row(parser, page, offset) if prepared is None else _columnar(parser, *prepared)
        offset += len(page)


def _prepared(parser: TableParser, page: list) -> tuple[pl.DataFrame, dict[str, pl.Series]] | None:
    """The page's stripped codes and its counts as columns, or None where a value does not have the simple shape
    (not a mapping, a missing field, a non-string or empty code, a malformed period, a count that is not an int)."""
    try:
        columns = {name: [row[name] for row in page] for name in parser.select}
    except (KeyError, TypeError, IndexError):
        return None
    spec = parser.spec
    codes = [d for d in (spec.area_dimension, spec.period_dimension, spec.category_dimension) if d]
    if any(not set(map(type, columns[name])) <= {str} for name in codes):
        return None
    # bool is not int here (type(), not isinstance): the row parser refuses booleans.
    if any(topic.datatype not in INTEGER_DATATYPES or not set(map(type, columns[topic.key])) <= {int, type(None)}
           for topic in parser.topics):
        return None
    stripped = pl.DataFrame({name: pl.Series(name, columns[name], dtype=pl.String) for name in codes}).select(
        pl.all().str.strip_chars())
    if any(stripped[name].str.len_chars().min() == 0 for name in codes):
        return None
    if spec.period_dimension and not stripped[spec.period_dimension].str.contains(_PERIOD).all():
        return None
    try:
        counts = {t.key: pl.Series(t.key, columns[t.key], dtype=pl.Int64) for t in parser.topics}
    except (OverflowError, TypeError, ValueError):  # beyond 64 bits: the row parser keeps the Python int
        return None
    return stripped, counts


def _columnar(parser: TableParser, stripped: pl.DataFrame, counts: dict[str, pl.Series]) -> pl.DataFrame:
    spec = parser.spec
    area = stripped[spec.area_dimension]
    base = pl.DataFrame({"area_code": area}).with_columns(
        area_level=pl.col("area_code").str.slice(0, 2).replace_strict(_LEVELS, default="other"))
    if spec.period_dimension:
        period = stripped[spec.period_dimension]
        number = period.str.slice(6, 2).cast(pl.Int32)
        kind = period.str.slice(4, 2).replace_strict(_KINDS)
        base = base.with_columns(year=period.str.slice(0, 4).cast(pl.Int32), kind=kind,
                                 month=pl.when(kind == "month").then(number),
                                 quarter=pl.when(kind == "quarter").then(number))
    else:
        fixed = spec.fixed_period
        base = base.with_columns(year=pl.lit(fixed.year, pl.Int32), kind=pl.lit(fixed.kind),
                                 month=pl.lit(fixed.month, pl.Int32), quarter=pl.lit(fixed.quarter, pl.Int32))
    category = stripped[spec.category_dimension] if spec.category_dimension else pl.repeat("", len(area), eager=True)
    base = base.with_columns(category=category)
    return pl.concat([base.with_columns(measure=pl.lit(topic.key), value=counts[topic.key])
                      .select(list(COLUMNS)) for topic in parser.topics]).cast(COLUMNS)


def _by_row(parser: TableParser, page: list, offset: int) -> pl.DataFrame:
    """The row parser on a page that does not fit the columnar path: same errors, same accepted values."""
    # Stripped like ODataClient.typed_dataset strips, so that messages quote the same values.
    observations = [obs for index, row in enumerate(page, start=offset)
                    for obs in parser.parse_row(strip_row(row) if isinstance(row, Mapping) else row, index)]
    values = [obs.value for obs in observations]
    floats = any(isinstance(v, float) for v in values)
    schema = {**COLUMNS, "value": pl.Float64 if floats else pl.Int64}
    return pl.DataFrame({
        "area_code": [o.area_code for o in observations], "area_level": [o.area_level for o in observations],
        "year": [o.period.year for o in observations], "kind": [o.period.kind for o in observations],
        "month": [o.period.month for o in observations], "quarter": [o.period.quarter for o in observations],
        "measure": [o.measure for o in observations], "category": [o.category for o in observations],
        "value": values,
    }, schema=schema)


__all__ = ["COLUMNS", "fetch_frames", "parse_pages"]
