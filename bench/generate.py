"""Generator of a SYNTHETIC national open-data set in the shape of Politie 47022NED (and the tables the
online import needs next to it). Every figure is made up; nothing is copied from real data.

Shape (the TypedDataSet columns the production connector `$select`s, keys padded like the service does):

    SYNTHETIC_47022NED_TypedDataSet.csv   ID,SoortMisdrijf,WijkenEnBuurten,Perioden,GeregistreerdeMisdrijven_1
                                          gemeente, wijk and buurt rows; 59 crime types; 2016MM01..2025MM12
    SYNTHETIC_47022NED_update_2026MM01.csv  the same columns, one appended month (incremental update)
    SYNTHETIC_47013NED_TypedDataSet.csv   ID,RegioS,SoortMisdrijf,Perioden,GeregistreerdeMisdrijven_1 (years)
    SYNTHETIC_85984NED_TypedDataSet.csv   ID,WijkenEnBuurten,AantalInwoners_5 (areas + inhabitants 2024)
    SYNTHETIC_85984NED_WijkenEnBuurten.csv  Key,Title (the code list: area names)
    SYNTHETIC_37230ned_TypedDataSet.csv   ID,RegioS,Perioden,BevolkingAanHetBeginVanDePeriode_1
    SYNTHETIC_README.md                   what this is, seed, scale, counts

How it can never be taken for real data:
- every file name starts with SYNTHETIC_, and `ivp import_opendata` refuses such a folder (no snapshot format
  matches these names: "unknown file"); the data reach the database only through the benchmark's fake OData
  service, into scratch databases;
- municipality codes are GM9000-GM9344, a range CBS has never issued (real codes are below GM2000), so wijk codes
  are WK90xxxx-WK93xxxx and buurt codes BU90xxxxxx-BU93xxxxxx; every area name starts with "SYNTHETISCH".

Realism (order of magnitude only): 345 gemeenten, ~3,300 wijken, ~14,500 buurten at scale 1; buurt populations
log-normal (some buurten without inhabitants, like business parks); crime per buurt ~ population x a heavy-tailed
(log-normal) hotspot factor, a handful of types carry most crime; monthly seasonality and a slow trend;
gamma-Poisson (overdispersed) counts. The total (0.0.0) is the exact sum of the types and is written for every
area and month (zeros included); the other types are written only where non-zero, so most
buurt x type x month cells are absent. Deterministic for a given --seed and --scale.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import polars as pl

FIRST_YEAR = 2016
YEARS = 10
UPDATE_PERIOD = "2026MM01"
GM_BASE = 9000  # fake range: CBS never issued GM9xxx
N_GEMEENTEN = 345
WIJKEN_PER_GM = 9.6  # ~3,300 wijken
BUURTEN_PER_WIJK = 4.4  # ~14,500 buurten
CRIME_PER_1000_YEAR = 45.0  # order of magnitude of registered crime in NL

# The Politie crime-type keys (SoortMisdrijf), as used by 47013/47018/47022/47025; 0.0.0 is the total.
TYPES = (
    "1.1.1 1.1.2 1.2.1 1.2.2 1.2.3 1.2.4 1.2.5 1.3.1 1.4.1 1.4.2 1.4.3 1.4.4 1.4.5 1.4.6 1.4.7 1.5.2 1.6.1 1.6.2 "
    "1.6.3 2.1.1 2.2.1 2.4.1 2.4.2 2.5.1 2.5.2 2.6.1 2.6.2 2.6.3 2.6.4 2.6.5 2.6.7 2.6.8 2.6.9 2.6.10 2.6.11 "
    "2.6.12 2.6.13 2.6.14 2.7.2 2.7.3 3.1.1 3.1.2 3.1.3 3.2.1 3.2.2 3.3.2 3.3.5 3.4.2 3.5.2 3.5.5 3.6.4 3.7.1 "
    "3.7.2 3.7.3 3.7.4 3.9.1 3.9.2 3.9.3"
).split()
TOTAL = "0.0.0"


@dataclass
class Manifest:
    seed: int
    scale: float
    gemeenten: int
    wijken: int
    buurten: int
    types: int
    months: int
    rows_47022: int
    rows_update: int
    rows_47013: int
    crimes_total: int
    seconds: float
    synthetic: bool = True


def folder_name(seed: int, scale: float) -> str:
    return f"SYNTHETIC_47022NED_seed{seed}_scale{scale:g}"


def _areas(rng: np.random.Generator, scale: float):
    n_gm = max(1, round(N_GEMEENTEN * scale))
    wijken_per_gm = np.clip(np.round(rng.lognormal(np.log(WIJKEN_PER_GM) - 0.32, 0.8, n_gm)), 1, 99).astype(int)
    gm, wk, bu = [], [], []  # codes; wijk/buurt parents by index
    for g in range(n_gm):
        gcode = f"GM{GM_BASE + g:04d}"
        gm.append(gcode)
        n_bu = np.clip(1 + rng.geometric(1 / BUURTEN_PER_WIJK, wijken_per_gm[g]) - 1, 1, 99)
        for w in range(wijken_per_gm[g]):
            wcode = f"WK{GM_BASE + g:04d}{w:02d}"
            wk.append((wcode, g))
            for b in range(n_bu[w]):
                bu.append((f"BU{GM_BASE + g:04d}{w:02d}{b:02d}", len(wk) - 1))
    return gm, wk, bu


def _type_shares(rng: np.random.Generator) -> np.ndarray:
    """Heavy-tailed shares: a few types carry most crime (theft, fraud, vandalism), many are rare."""
    weights = rng.pareto(1.2, len(TYPES)) + 0.02
    boost = {"1.6.2": 25, "3.9.1": 18, "2.2.1": 12, "1.2.3": 10, "1.1.1": 6, "2.5.1": 5, "1.4.5": 5,
             "3.9.3": 4, "1.4.3": 3, "1.4.4": 2, "3.1.1": 2, "3.7.4": 1.5, "1.4.6": 1, "1.4.7": 0.3}
    weights = weights / weights.sum()
    for code, pct in boost.items():
        weights[TYPES.index(code)] = pct / 100
    return weights / weights.sum()


def generate(out_dir: Path, *, seed: int = 42, scale: float = 1.0, log=print) -> Manifest:
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    gm, wk, bu = _areas(rng, scale)
    n_b, n_t, n_m = len(bu), len(TYPES), YEARS * 12 + 1  # the last month is the update
    log(f"synthetic areas: {len(gm)} gemeenten, {len(wk)} wijken, {n_b} buurten; {n_t} types; {n_m - 1}+1 months")
    # Population per buurt (2024): log-normal, ~4% without inhabitants.
    pop = np.round(rng.lognormal(np.log(700), 1.0, n_b) / 5) * 5
    pop[rng.random(n_b) < 0.04] = 0
    pop = pop.astype(np.int64)
    hotspot = rng.lognormal(-0.5, 1.0, n_b)  # mean ~1, heavy right tail
    base = (pop + 150) * CRIME_PER_1000_YEAR / 1000 / 12 * hotspot  # expected crimes per month (all types)
    shares = _type_shares(rng)
    months = np.arange(n_m)
    season = 1 + 0.12 * np.cos(2 * np.pi * ((months % 12) - 10) / 12)  # more in autumn/winter
    trend = np.exp(-0.015 * months / 12)
    type_trend = np.exp(np.outer(rng.normal(0, 0.04, n_t), months / 12))  # types drift apart (fraud up ...)
    wk_of_bu = np.array([w for _c, w in bu])
    gm_of_wk = np.array([g for _c, g in wk])

    # counts[b, t, m], generated per block of buurten to bound memory.
    buurt_parts, wijk_sum = [], np.zeros((len(wk), n_t, n_m), dtype=np.int32)
    gm_sum = np.zeros((len(gm), n_t, n_m), dtype=np.int64)
    block = 1000
    for start in range(0, n_b, block):
        stop = min(n_b, start + block)
        lam = (base[start:stop, None, None] * shares[None, :, None] * (season * trend)[None, None, :]
               * type_trend[None, :, :])
        lam = lam * rng.gamma(4.0, 0.25, lam.shape)  # overdispersion (gamma-Poisson)
        counts = rng.poisson(lam).astype(np.int32)
        np.add.at(wijk_sum, wk_of_bu[start:stop], counts)
        buurt_parts.append(counts)
    counts_bu = np.concatenate(buurt_parts)
    np.add.at(gm_sum, gm_of_wk, wijk_sum)

    codes = [g for g in gm] + [c for c, _w in wk] + [c for c, _w in bu]
    cube = [(0, gm_sum), (len(gm), wijk_sum), (len(gm) + len(wk), counts_bu)]

    def rows_for(month_slice: slice) -> pl.DataFrame:
        frames = []
        for offset, arr in cube:
            part = arr[:, :, month_slice]
            total = part.sum(axis=1)  # [area, month]
            a, m = np.nonzero(np.ones_like(total, dtype=bool))
            frames.append(pl.DataFrame({"a": (a + offset).astype(np.int32), "t": np.full(len(a), -1, np.int32),
                                        "m": (m + month_slice.start).astype(np.int32),
                                        "v": total[a, m].astype(np.int64)}))
            a, t, m = np.nonzero(part)
            frames.append(pl.DataFrame({"a": (a + offset).astype(np.int32), "t": t.astype(np.int32),
                                        "m": (m + month_slice.start).astype(np.int32),
                                        "v": part[a, t, m].astype(np.int64)}))
        return pl.concat(frames).sort(["a", "t", "m"])

    area_keys = pl.Series("k", [c.ljust(10) for c in codes])  # the service pads keys to 10 characters
    type_keys = pl.Series("k", [TOTAL.ljust(6)] + [t.ljust(6) for t in TYPES])
    period_keys = pl.Series("k", [f"{FIRST_YEAR + m // 12}MM{m % 12 + 1:02d}" for m in range(n_m)])

    def typed(df: pl.DataFrame) -> pl.DataFrame:
        return pl.DataFrame({
            "ID": np.arange(len(df), dtype=np.int64),
            "SoortMisdrijf": type_keys.gather(df["t"] + 1),
            "WijkenEnBuurten": area_keys.gather(df["a"]),
            "Perioden": period_keys.gather(df["m"]),
            "GeregistreerdeMisdrijven_1": df["v"],
        })

    main = typed(rows_for(slice(0, n_m - 1)))
    main.write_csv(out_dir / "SYNTHETIC_47022NED_TypedDataSet.csv")
    update = typed(rows_for(slice(n_m - 1, n_m)))
    update.write_csv(out_dir / "SYNTHETIC_47022NED_update_2026MM01.csv")
    log(f"47022NED: {len(main):,} rows (+{len(update):,} in the update month)")

    # 47013NED: per gemeente, type and complete year (a little above the buurt sums: 47022NED hides some types).
    yearly = gm_sum[:, :, : YEARS * 12].reshape(len(gm), n_t, YEARS, 12).sum(axis=3)
    yearly = np.round(yearly * 1.01).astype(np.int64)
    g, t, y = np.indices(yearly.shape).reshape(3, -1)
    totals = yearly.sum(axis=1)
    g2, y2 = np.indices(totals.shape).reshape(2, -1)
    regio = pl.Series([c.ljust(10) for c in gm])
    df13 = pl.DataFrame({
        "RegioS": pl.concat([regio.gather(g2), regio.gather(g)]),
        "SoortMisdrijf": pl.concat([pl.Series([TOTAL.ljust(6)] * len(g2)), type_keys.gather(t + 1)]),
        "Perioden": [f"{FIRST_YEAR + v}JJ00" for v in np.concatenate([y2, y])],
        "GeregistreerdeMisdrijven_1": np.concatenate([totals[g2, y2], yearly[g, t, y]]),
    })
    df13.insert_column(0, pl.Series("ID", np.arange(len(df13), dtype=np.int64)))
    df13.write_csv(out_dir / "SYNTHETIC_47013NED_TypedDataSet.csv")

    # 85984NED: areas with inhabitants (2024) and the code list with names.
    pop_wk = np.bincount(wk_of_bu, weights=pop, minlength=len(wk)).astype(np.int64)
    pop_gm = np.bincount(gm_of_wk, weights=pop_wk, minlength=len(gm)).astype(np.int64)
    inhabitants = np.concatenate([pop_gm, pop_wk, pop])
    pl.DataFrame({"ID": np.arange(len(codes), dtype=np.int64), "WijkenEnBuurten": area_keys,
                  "AantalInwoners_5": inhabitants}).write_csv(out_dir / "SYNTHETIC_85984NED_TypedDataSet.csv")
    levels = ["gemeente"] * len(gm) + ["wijk"] * len(wk) + ["buurt"] * len(bu)
    pl.DataFrame({"Key": area_keys,
                  "Title": [f"SYNTHETISCH {lv} {c[2:]}" for lv, c in zip(levels, codes, strict=True)]}
                 ).write_csv(out_dir / "SYNTHETIC_85984NED_WijkenEnBuurten.csv")
    # 37230ned: population on 1 January per gemeente, 2016..2026 (slow growth towards 2024).
    years = np.arange(FIRST_YEAR, FIRST_YEAR + YEARS + 1)
    growth = 1 + 0.004 * (years - 2024)
    gg, yy = np.indices((len(gm), len(years))).reshape(2, -1)
    pl.DataFrame({"ID": np.arange(len(gg), dtype=np.int64), "RegioS": regio.gather(gg),
                  "Perioden": [f"{years[v]}JJ00" for v in yy],
                  "BevolkingAanHetBeginVanDePeriode_1": np.round(pop_gm[gg] * growth[yy]).astype(np.int64)}
                 ).write_csv(out_dir / "SYNTHETIC_37230ned_TypedDataSet.csv")

    manifest = Manifest(seed=seed, scale=scale, gemeenten=len(gm), wijken=len(wk), buurten=n_b, types=n_t + 1,
                        months=YEARS * 12, rows_47022=len(main), rows_update=len(update), rows_47013=len(df13),
                        crimes_total=int(gm_sum[:, :, : YEARS * 12].sum()),
                        seconds=round(time.perf_counter() - started, 1))
    (out_dir / "SYNTHETIC_manifest.json").write_text(json.dumps(asdict(manifest), indent=2))
    (out_dir / "SYNTHETIC_README.md").write_text(README.format(**asdict(manifest)))
    log(f"written to {out_dir} in {manifest.seconds} s")
    return manifest


README = """# SYNTHETIC benchmark data: NOT real figures

Generated by `bench/generate.py` (seed {seed}, scale {scale}) for the IVP benchmarks. Every figure is made up.
Municipality codes GM9000-GM9344 have never been issued by CBS; every area name starts with "SYNTHETISCH".
Do not publish, import into a real database or commit these files. `ivp import_opendata` refuses them
(no snapshot format matches SYNTHETIC_ file names); the benchmarks feed them to the online import through a fake
OData service, into scratch databases only.

- {gemeenten} gemeenten, {wijken} wijken, {buurten} buurten; {types} crime types incl. the total 0.0.0
- {months} months (2016-01 .. 2025-12) in SYNTHETIC_47022NED_TypedDataSet.csv ({rows_47022} rows), plus one
  appended month (2026-01) in SYNTHETIC_47022NED_update_2026MM01.csv ({rows_update} rows)
- SYNTHETIC_47013NED_TypedDataSet.csv: {rows_47013} rows (gemeente x type x year)
- {crimes_total} synthetic crimes in total
"""


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--out", type=Path, default=Path("var/bench"))
    args = parser.parse_args(argv)
    generate(args.out / folder_name(args.seed, args.scale), seed=args.seed, scale=args.scale)


if __name__ == "__main__":
    main()
