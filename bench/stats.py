"""Statistics benchmark: `ivp.stats` for every buurt of the SYNTHETIC national set.

Per buurt with inhabitants (latest complete year vs the year before, crime total 0.0.0), with the vectorised APIs
(issue 12): rate per 1,000 with the exact Garwood interval (`rate_intervals`), the exact interval of the count
(`exact_intervals`), the exact conditional change test (`compare_many`), the overdispersion of all buurten around
the national rate (`estimate_overdispersion`) and the funnel flag with it (`flags(..., overdispersion=...)`), plus
the random-effects funnel limits for drawing (`funnel_limits`, 60 points).
Goal: < 0.3 s for all buurten (was < 2 s on the pure-Python implementation). The inputs are prepared with Polars
outside the timing. No database is needed.
"""

from __future__ import annotations

import time

import numpy as np
import polars as pl

from .common import ensure_data, ratio, save, verdict

GOAL_S = 0.3


def inputs(folder):
    crime = (pl.scan_csv(folder / "SYNTHETIC_47022NED_TypedDataSet.csv", infer_schema=False)
             .filter(pl.col("SoortMisdrijf").str.strip_chars() == "0.0.0")
             .with_columns(area=pl.col("WijkenEnBuurten").str.strip_chars(),
                           year=pl.col("Perioden").str.slice(0, 4).cast(pl.Int32),
                           value=pl.col("GeregistreerdeMisdrijven_1").cast(pl.Int64))
             .filter(pl.col("area").str.starts_with("BU") & pl.col("year").is_in([2024, 2025]))
             .group_by("area").agg((pl.col("value") * (pl.col("year") == 2024)).sum().alias("a"),
                                   (pl.col("value") * (pl.col("year") == 2025)).sum().alias("b"))
             .collect())
    pop = (pl.read_csv(folder / "SYNTHETIC_85984NED_TypedDataSet.csv", infer_schema=False)
           .with_columns(area=pl.col("WijkenEnBuurten").str.strip_chars(),
                         pop=pl.col("AantalInwoners_5").cast(pl.Int64)).select("area", "pop"))
    df = crime.join(pop, on="area").filter(pl.col("pop") > 0).sort("area")
    return df["a"].to_list(), df["b"].to_list(), df["pop"].to_list()


def run(*, scale: float, seed: int) -> dict:
    from ivp.stats import (
        compare_many,
        estimate_overdispersion,
        exact_intervals,
        flags,
        funnel_limits,
        rate_intervals,
    )

    folder = ensure_data(seed, scale)
    before, counts, pops = inputs(folder)
    n = len(counts)
    target = 1000 * sum(counts) / sum(pops)
    figures: dict = {"scale": scale, "seed": seed, "buurten": n, "target_rate": round(target, 2)}
    timings = {}
    started, cpu_started = time.perf_counter(), time.process_time()
    t = time.perf_counter()
    rates = rate_intervals(counts, pops)
    timings["rates_intervals_s"] = time.perf_counter() - t
    t = time.perf_counter()
    count_intervals = exact_intervals(counts)
    timings["count_intervals_s"] = time.perf_counter() - t
    t = time.perf_counter()
    changes = compare_many(before, pops, counts, pops)
    timings["change_tests_s"] = time.perf_counter() - t
    t = time.perf_counter()
    # expected counts at the national rate for all buurten at once (expected_count is the one-area form)
    overdispersion = estimate_overdispersion(counts, np.asarray(pops, dtype=float) * (target / 1000))
    flagged = flags(counts, pops, target, overdispersion=overdispersion)
    timings["funnel_flags_s"] = time.perf_counter() - t
    t = time.perf_counter()
    limits = funnel_limits(target, [max(50, max(pops) * i / 60) for i in range(1, 61)], overdispersion=overdispersion)
    timings["funnel_limits_s"] = time.perf_counter() - t
    total = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    assert len(rates) == len(count_intervals) == len(changes) == len(flagged) == n and len(limits) == 60
    figures.update({k: round(v, 3) for k, v in timings.items()})
    figures["total_s"] = round(total, 3)
    figures["total_cpu_s"] = round(cpu, 3)  # CPU seconds: less sensitive to other load on a shared machine
    figures["per_buurt_us"] = round(1e6 * total / n, 1)
    figures["overdispersion_phi"] = round(overdispersion.phi, 3)
    figures["overdispersion_tau2"] = round(overdispersion.tau2, 6)
    figures["outside_95"] = sum(1 for f in flagged if str(f.code) != "within")
    figures["outside_95_poisson"] = sum(1 for f in flags(counts, pops, target) if str(f.code) != "within")
    figures["significant_changes"] = sum(1 for c in changes if "significant" in str(c.verdict))
    line = (f"stats for {n:,} buurten: {figures['total_s']} s ({figures['per_buurt_us']} us per buurt) = "
            f"{ratio(total, GOAL_S)} x the {GOAL_S} s goal (goal < {GOAL_S} s: {verdict(total < GOAL_S)}); CPU "
            f"{figures['total_cpu_s']} s (goal < {GOAL_S} s: {verdict(cpu < GOAL_S)})")
    print("\n".join(f"  {k}: {v}" for k, v in figures.items()))
    print(line)
    figures["summary"] = [line]
    save(f"stats-scale{scale:g}", figures)
    return figures
