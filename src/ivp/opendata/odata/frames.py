"""Columnar parsing of TypedDataSet pages: Polars DataFrames instead of an :class:`Observation` per figure (bench/,
"compute": the row parser cost ~5 us per row).

:func:`fetch_frames` yields frames with the columns of :data:`COLUMNS`, each of one or more pages of rows: the same
content :func:`fetch_observations` yields row by row. Pages are converted with vectorised expressions when every
value has the expected shape (strings for codes, whole numbers or null for counts); any other page goes through the
row parser (:meth:`TableParser.parse_row`), which raises the same :class:`ODataShapeError` s, with the same row
index, as :func:`fetch_observations` would, or accepts what it accepts (integral floats, missing-value symbols ...).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from itertools import islice
from typing import TYPE_CHECKING, Any, NamedTuple

import polars as pl

from .normalise import INTEGER_DATATYPES, strip_row
from .tables import TableParser, TableSpec, spec_for

if TYPE_CHECKING:
    from .client import ODataClient

PAGE_ROWS = 10_000
#: Pages are checked in Python one by one but converted together: Polars' fixed cost per call made converting
#: each page of 10,000 rows the largest part of parsing the national table (bench/ ingest).
CHUNK_ROWS = 200_000
#: kind: "year" | "quarter" | "month"; month and quarter are null where they do not apply.
COLUMNS = {"area_code": pl.String, "area_level": pl.String, "year": pl.Int32, "kind": pl.String,
           "month": pl.Int32, "quarter": pl.Int32, "measure": pl.String, "category": pl.String, "value": pl.Int64}
# A valid period key: year 1000-9999 and JJ00, KW01-KW04 or MM01-MM12 (parse_period accepts exactly these).
_PERIOD = r"^[1-9]\d{3}(JJ00|KW0[1-4]|MM(0[1-9]|1[0-2]))$"
_LEVELS = {"GM": "gemeente", "WK": "wijk", "BU": "buurt", "NL": "land"}
_KINDS = {"JJ": "year", "KW": "quarter", "MM": "month"}
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def fetch_frames(client: ODataClient, spec: TableSpec | str, *, filter: str | None = None,  # the OData option
                 topics: Sequence[str] | None = None) -> Iterator[pl.DataFrame]:
    """:func:`fetch_observations` as frames of up to :data:`CHUNK_ROWS` rows (as served, padding stripped here)."""
    if isinstance(spec, str):
        spec = spec_for(spec)
    if topics is not None:
        spec = replace(spec, topics=tuple(topics))
    parser = spec.bind(client.data_properties(spec.table))
    yield from parse_served_pages(parser, client.typed_dataset_pages(spec.table, filter=filter, select=parser.select))


def parse_pages(parser: TableParser, rows: Iterable[Any], page_rows: int = PAGE_ROWS,
                chunk_rows: int = CHUNK_ROWS) -> Iterator[pl.DataFrame]:
    """:func:`parse_served_pages` on rows, cut into pages of ``page_rows`` rows."""
    rows = iter(rows)
    yield from parse_served_pages(parser, iter(lambda: list(islice(rows, page_rows)), []), chunk_rows)


def parse_served_pages(parser: TableParser, pages: Iterable[list], chunk_rows: int = CHUNK_ROWS,
                       ) -> Iterator[pl.DataFrame]:
    """Frames of the rows of ``pages``, in order: each page is checked in Python, and pages are converted together,
    up to ``chunk_rows`` rows per frame; a page that does not fit goes through the row parser alone. The row index in
    errors is the position among all rows.

    A chunk is converted in a worker thread while the next pages are read and checked (Polars releases the GIL, so
    the conversion overlaps the download and the Python checks); frames and errors still come in the rows' order."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="odata-frames") as pool:
        queued: deque[Future] = deque()

        def submit(chunk: list[_Page]) -> None:
            queued.append(pool.submit(lambda: list(_convert(parser, chunk))))

        offset = 0
        pending: list[_Page] = []
        pending_rows = 0
        for page in pages:
            columns = _columns(parser, page)
            if columns is None:
                if pending:
                    submit(pending)
                    pending, pending_rows = [], 0
                while queued:  # everything before this page first (frames, or its error)
                    yield from queued.popleft().result()
                yield _by_row(parser, page, offset)
            else:
                pending.append(_Page(page, offset, columns))
                pending_rows += len(page)
                if pending_rows >= chunk_rows:
                    submit(pending)
                    pending, pending_rows = [], 0
                    while len(queued) > 1:  # one conversion ahead at most
                        yield from queued.popleft().result()
            offset += len(page)
        if pending:
            submit(pending)
        while queued:
            yield from queued.popleft().result()


class _Page(NamedTuple):
    rows: list
    offset: int
    columns: dict[str, pl.Series]


def _columns(parser: TableParser, page: list) -> dict[str, pl.Series] | None:
    """The page's fields as columns, or None where a value does not have the simple shape (not a mapping, a missing
    field, a code that is not a string, a count that is not an int)."""
    codes = _code_fields(parser.spec)
    try:
        # strict: a code that is not a string is refused (TypeError); None is checked below.
        columns = {name: pl.Series(name, [row[name] for row in page], dtype=pl.String, strict=True) for name in codes}
        values = {topic.key: [row[topic.key] for row in page] for topic in parser.topics}
    except (KeyError, TypeError, IndexError):
        return None
    if any(column.null_count() for column in columns.values()):
        return None
    # bool is not int here (type(), not isinstance): the row parser refuses booleans.
    if any(topic.datatype not in INTEGER_DATATYPES or not set(map(type, values[topic.key])) <= {int, type(None)}
           for topic in parser.topics):
        return None
    try:
        columns.update((key, pl.Series(key, column, dtype=pl.Int64)) for key, column in values.items())
    except (OverflowError, TypeError, ValueError):  # beyond 64 bits: the row parser keeps the Python int
        return None
    return columns


def _code_fields(spec: TableSpec) -> list[str]:
    """The dimensions served as code strings (area, period, category), those the table has."""
    return [d for d in (spec.area_dimension, spec.period_dimension, spec.category_dimension) if d]


def _convert(parser: TableParser, pages: list[_Page]) -> Iterator[pl.DataFrame]:
    """One frame of the pages, checked with vectorised expressions; where the check fails, page by page (a page that
    fails alone goes through the row parser, which raises the row parser's error)."""
    if not pages:
        return
    names = list(pages[0].columns)
    columns = {name: pl.concat([page.columns[name] for page in pages]) for name in names}
    prepared = _prepared(parser, columns)
    if prepared is not None:
        yield _columnar(parser, *prepared)
    elif len(pages) == 1:
        yield _by_row(parser, pages[0].rows, pages[0].offset)
    else:
        for page in pages:
            yield from _convert(parser, [page])


def _prepared(parser: TableParser, columns: dict[str, pl.Series]) -> tuple[pl.DataFrame, dict[str, pl.Series]] | None:
    """The stripped codes and the counts, or None where a code is empty after stripping or a period is malformed."""
    spec = parser.spec
    codes = _code_fields(spec)
    stripped = pl.DataFrame([columns[name] for name in codes]).lazy().select(pl.all().str.strip_chars()).collect()
    checks = [(pl.col(name).str.len_chars().min() > 0).alias(f"filled {name}") for name in codes]
    if spec.period_dimension:
        checks.append(pl.col(spec.period_dimension).unique().str.contains(_PERIOD).all().alias("periods"))
    if not all(stripped.lazy().select(checks).collect().row(0)):
        return None
    return stripped, {t.key: columns[t.key] for t in parser.topics}


def _columnar(parser: TableParser, stripped: pl.DataFrame, counts: dict[str, pl.Series]) -> pl.DataFrame:
    spec = parser.spec
    area = pl.col(spec.area_dimension)
    columns = {"area_code": area, "area_level": area.str.slice(0, 2).replace_strict(_LEVELS, default="other")}
    if spec.period_dimension:
        period = pl.col(spec.period_dimension)
        number = period.str.slice(6, 2).cast(pl.Int32)
        kind = period.str.slice(4, 2).replace_strict(_KINDS)
        columns |= {"year": period.str.slice(0, 4).cast(pl.Int32), "kind": kind,
                    "month": pl.when(kind == "month").then(number), "quarter": pl.when(kind == "quarter").then(number)}
    else:
        fixed = spec.fixed_period
        columns |= {"year": pl.lit(fixed.year, pl.Int32), "kind": pl.lit(fixed.kind),
                    "month": pl.lit(fixed.month, pl.Int32), "quarter": pl.lit(fixed.quarter, pl.Int32)}
    columns["category"] = pl.col(spec.category_dimension) if spec.category_dimension else pl.lit("")
    base = stripped.lazy().select(**columns)
    return pl.concat([base.with_columns(measure=pl.lit(topic.key), value=counts[topic.key]).select(list(COLUMNS))
                      for topic in parser.topics]).cast(COLUMNS).collect()


def _by_row(parser: TableParser, page: list, offset: int) -> pl.DataFrame:
    """The row parser on a page that does not fit the columnar path: same errors, same accepted values."""
    # Stripped like ODataClient.typed_dataset strips, so that messages quote the same values.
    observations = [obs for index, row in enumerate(page, start=offset)
                    for obs in parser.parse_row(strip_row(row) if isinstance(row, Mapping) else row, index)]
    values = [obs.value for obs in observations]
    # A fraction, or a whole number beyond 64 bits (the row parser keeps Python ints), as a float: the caller's checks
    # refuse it with its value.
    floats = any(isinstance(v, float) or (isinstance(v, int) and not _INT64_MIN <= v <= _INT64_MAX) for v in values)
    schema = {**COLUMNS, "value": pl.Float64 if floats else pl.Int64}
    return pl.DataFrame({
        "area_code": [o.area_code for o in observations], "area_level": [o.area_level for o in observations],
        "year": [o.period.year for o in observations], "kind": [o.period.kind for o in observations],
        "month": [o.period.month for o in observations], "quarter": [o.period.quarter for o in observations],
        "measure": [o.measure for o in observations], "category": [o.category for o in observations],
        "value": values,
    }, schema=schema)


__all__ = ["COLUMNS", "fetch_frames", "parse_pages", "parse_served_pages"]
