"""Observations as columns: the national buurt months (millions of figures) stay Polars frames from the parser to
the database instead of becoming a record per figure (docs/adr/0010-columnar-observations.md).

A frame has the columns of :data:`SCHEMA`, the fields of :class:`ObservationRecord` without the line: ``month`` is
null for a year figure, ``value`` null where no figure is published (never 0).
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from .records import ObservationRecord

SCHEMA = {"table": pl.String, "category": pl.String, "area_code": pl.String, "year": pl.Int32, "month": pl.Int32,
          "value": pl.Int64, "boundary_year": pl.Int32, "source_file": pl.String}


def observation_frame(table: str, figures: pl.DataFrame, *, boundary_year: int, source_file: str) -> pl.DataFrame:
    """``figures`` (columns category, area_code, year, month, value) as observations of ``table``."""
    return figures.select(table=pl.lit(table), category="category", area_code="area_code", year="year",
                          month="month", value="value", boundary_year=pl.lit(boundary_year),
                          source_file=pl.lit(source_file)).cast(SCHEMA)


def records_frame(records: Iterable[ObservationRecord]) -> pl.DataFrame:
    """Records as one frame (``line`` is left out: it is for messages before writing)."""
    records = list(records)
    return pl.DataFrame({name: [getattr(r, name) for r in records] for name in SCHEMA}, schema=SCHEMA)
