"""The buurt months of Politie 47022NED as columns (one Polars frame), their yearly sums, and the snapshot's frames.

Nationally the table holds 3.3 million figures of the indicator crime types; per row Python objects made the
online import ~30x slower than a bare Polars scan (docs/benchmarks.md, "Ingest"), so they stay columns up to the
database (docs/adr/0010-columnar-observations.md). Validation and messages are
those of the row path: ``count`` is the check and the message for every figure.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import SimpleNamespace

import polars as pl
from django.utils.translation import gettext as _

from ivp.opendata.odata import Period
from ivp.opendata.odata.frames import COLUMNS
from ivp.opendata.snapshot.observation_frames import observation_frame
from ivp.opendata.snapshot.records import ImportIssue, SnapshotError

CRIME_TOPIC = "GeregistreerdeMisdrijven_1"
MAX_COUNT = 2_147_483_647  # the largest count the database stores (PositiveIntegerField, also on PostgreSQL)
_KEY = ["category", "area_code", "year", "month"]


def count(obs) -> int | None:
    """A figure as a count: None (no figure), or a whole number from 0 to MAX_COUNT; anything else is refused."""
    value = obs.value
    if value is None:
        return None
    if (isinstance(value, float) and not value.is_integer()) or not 0 <= value <= MAX_COUNT:
        raise SnapshotError([ImportIssue(f"odata:{obs.table}", None, obs.measure,
                                         _("not a count: %(value)r (%(area)s, %(period)s)")
                                         % {"value": value, "area": obs.area_code, "period": obs.period})])
    return int(value)


def buurt_months(frames: Iterable[pl.DataFrame], categories: list[str], digits: set[str],
                 window) -> pl.DataFrame:
    """The months of the indicator types of the municipalities' buurten (inside ``window``, if any), checked as
    counts; columns category, area_code, year, month, value. A figure served twice counts once (the last)."""
    keep = ((pl.col("kind") == "month") & pl.col("category").is_in(categories) & (pl.col("area_level") == "buurt")
            & pl.col("area_code").str.slice(2, 4).is_in(sorted(digits)))
    if window is not None:
        keep &= (pl.col("year") > window.year) | ((pl.col("year") == window.year) & (pl.col("month") >= window.month))
    return _checked_counts(frames, keep, "47022NED")


def municipality_figures(frames: Iterable[pl.DataFrame], categories: list[str], codes: set[str],
                         window) -> pl.DataFrame:
    """Year and month figures of the indicator types of the municipalities (from the window's first year on, if
    any), checked as counts; columns category, area_code, year, month (null for a year), value."""
    keep = (pl.col("kind").is_in(["year", "month"]) & pl.col("category").is_in(categories)
            & pl.col("area_code").is_in(sorted(codes)))
    if window is not None:
        keep &= pl.col("year") >= window.year
    return _checked_counts(frames, keep, "47013NED")


def _checked_counts(frames: Iterable[pl.DataFrame], keep: pl.Expr, table: str) -> pl.DataFrame:
    data = pl.concat([*frames, pl.DataFrame(schema=COLUMNS)], how="vertical_relaxed").lazy().filter(keep).collect()
    value = pl.col("value")
    whole = value.cast(pl.Float64).floor() == value.cast(pl.Float64)
    bad = data.filter(value.is_not_null() & ((value < 0) | (value > MAX_COUNT) | ~whole))
    if bad.height:
        row = bad.row(0, named=True)
        period = (Period.for_month(row["year"], row["month"]) if row["kind"] == "month"
                  else Period.for_year(row["year"]))
        count(SimpleNamespace(value=row["value"], table=table, measure=row["measure"], area_code=row["area_code"],
                              period=period))
    data = data.select(*_KEY, value.cast(pl.Int64))
    # Distinct row hashes prove distinct keys (cheap); equal hashes (a figure served twice, or a collision) take
    # the exact, slower way.
    if data.select(_KEY).hash_rows().n_unique() < data.height:
        data = data.unique(subset=_KEY, keep="last", maintain_order=True)
    return data


def yearly_sums(monthly: pl.DataFrame, stored: Iterable[tuple], window) -> pl.DataFrame:
    """Sums of complete calendar years (12 months; None if one has no figure). ``stored``: the window's first
    year's earlier months already in the database, ``(category, area_code, month, value)``, used for the
    category-buurt pairs that have months in the window."""
    months = monthly
    stored = list(stored)
    if stored and window is not None:
        earlier = (pl.DataFrame(stored, schema={"category": pl.String, "area_code": pl.String, "month": pl.Int32,
                                                "value": pl.Int64}, orient="row")
                   .with_columns(year=pl.lit(window.year, pl.Int32)).select(_KEY + ["value"]))
        fetched = monthly.filter(pl.col("year") == window.year)
        earlier = (earlier.join(fetched.select("category", "area_code").unique(), on=["category", "area_code"],
                                how="semi")
                   .join(fetched.select(_KEY), on=_KEY, how="anti"))
        months = pl.concat([monthly.cast({"year": pl.Int32, "month": pl.Int32}), earlier])
    sums = (months.group_by("category", "area_code", "year", maintain_order=True)
            .agg(months=pl.len(), missing=pl.col("value").null_count(), value=pl.col("value").sum())
            .filter(pl.col("months") == 12)
            .select("category", "area_code", "year", month=pl.lit(None, pl.Int32),
                    value=pl.when(pl.col("missing") == 0).then(pl.col("value"))))
    too_large = sums.filter(pl.col("value") > MAX_COUNT)
    if too_large.height:
        row = too_large.row(0, named=True)
        raise SnapshotError([ImportIssue("odata:47022NED", None, CRIME_TOPIC,
                                         _("the yearly sum %(value)d of %(area)s is too large")
                                         % {"value": row["value"], "area": row["area_code"]})])
    return sums


def add_figures(snapshot, table: str, frame: pl.DataFrame, boundary_year: int) -> None:
    """The figures as a columnar part of the snapshot: no Python object per figure."""
    snapshot.observation_frames.append(observation_frame(table, frame, boundary_year=boundary_year,
                                                         source_file=f"odata:{table}"))
