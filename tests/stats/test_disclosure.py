"""Primary and secondary suppression: no hidden count can be recovered from the shown cells and the totals.

The attack here is written independently of ivp.stats.disclosure.recoverable, as a careful reader would do it:
every relation (total = sum of parts) as an equation, the shown cells filled in, every count >= 0 (>= 1 when no
zero was hidden, since zeros are shown), and then the smallest and largest value each hidden cell can take
(linear programming, scipy). A hidden cell whose range is narrower than 1 is recovered.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from ivp.stats.disclosure import CellStatus, Relation, protect, recoverable


def attack(counts, status, relations):
    """{hidden cell: (lowest, highest)} that the shown cells and the relations allow."""
    hidden = [k for k, s in status.items() if s.hidden]
    column = {k: j for j, k in enumerate(hidden)}
    a_eq, b_eq = [], []
    for r in relations:
        row, rhs = np.zeros(len(hidden)), 0.0
        for key, sign in [(r.total, 1.0), *((p, -1.0) for p in r.parts)]:
            if key in column:
                row[column[key]] += sign
            else:
                rhs -= sign * counts[key]
        if row.any():
            a_eq.append(row)
            b_eq.append(rhs)
    # Zero is always shown, so a reader may assume a hidden cell is at least 1 unless a zero was hidden as a partner.
    lowest = 1 if all(counts[k] for k in hidden if status[k] is not CellStatus.UNKNOWN) else 0
    ranges = {}
    for key, j in column.items():
        if status[key] is CellStatus.UNKNOWN:
            continue
        cost = np.zeros(len(hidden))
        cost[j] = 1.0
        # Cells the source does not publish take part in no equation the reader can use.
        rows = [(row, rhs) for row, rhs in zip(a_eq, b_eq, strict=True)
                if not any(row[column[k]] for k in column if status[k] is CellStatus.UNKNOWN)]
        if not rows:
            ranges[key] = (0.0, float("inf"))
            continue
        kwargs = {"A_eq": np.array([r for r, _ in rows]), "b_eq": np.array([b for _, b in rows]),
                  "bounds": [(lowest, None)] * len(hidden), "method": "highs"}
        low = linprog(cost, **kwargs)
        high = linprog(-cost, **kwargs)
        ranges[key] = (low.fun, -high.fun if high.status == 0 else float("inf"))
    return ranges


def recovered(counts, status, relations):
    return [k for k, (lo, hi) in attack(counts, status, relations).items() if hi - lo < 1]


def test_a_single_small_buurt_gets_a_partner_of_at_least_five():
    counts = {"W": 40, "b1": 3, "b2": 12, "b3": 7, "b4": 18}
    relations = [Relation("W", ("b1", "b2", "b3", "b4"))]
    status = protect(counts, relations)
    assert status["b1"] is CellStatus.PRIMARY
    assert status["b3"] is CellStatus.SECONDARY  # the smallest part of at least 5
    assert [k for k, s in status.items() if s.hidden] == ["b1", "b3"]
    assert not recovered(counts, status, relations)


def test_without_the_partner_the_attack_recovers_the_small_count():
    counts = {"W": 40, "b1": 3, "b2": 12, "b3": 7, "b4": 18}
    relations = [Relation("W", ("b1", "b2", "b3", "b4"))]
    primary_only = {k: (CellStatus.PRIMARY if k == "b1" else CellStatus.SHOWN) for k in counts}
    assert recovered(counts, primary_only, relations) == ["b1"]
    assert recoverable(counts, primary_only, relations) == ["b1"]


def test_zero_is_shown_and_large_counts_are_shown():
    counts = {"W": 30, "b1": 0, "b2": 30}
    status = protect(counts, [Relation("W", ("b1", "b2"))])
    assert all(s is CellStatus.SHOWN for s in status.values())


def test_a_hidden_wijk_total_is_protected_in_its_municipality_and_from_its_buurten():
    counts = {"M": 100, "W1": 3, "W2": 57, "W3": 40, "b1": 3, "b2": 0}
    relations = [Relation("M", ("W1", "W2", "W3")), Relation("W1", ("b1", "b2"))]
    status = protect(counts, relations)
    assert status["W1"] is CellStatus.PRIMARY and status["b1"] is CellStatus.PRIMARY
    assert status["W3"] is CellStatus.SECONDARY
    assert not recovered(counts, status, relations)


def test_unpublished_cells_neither_need_nor_give_protection():
    counts = {"W": None, "b1": 2, "b2": None, "b3": 9}
    relations = [Relation("W", ("b1", "b2", "b3"))]
    status = protect(counts, relations)
    assert status["W"] is CellStatus.UNKNOWN and status["b2"] is CellStatus.UNKNOWN
    assert status["b1"] is CellStatus.PRIMARY and status["b3"] is CellStatus.SHOWN


def test_a_relation_must_name_cells_with_a_count():
    with pytest.raises(ValueError, match="without a count"):
        protect({"W": 3}, [Relation("W", ("b1",))])


@st.composite
def hierarchies(draw):
    """A base team of 1-3 municipalities, each with 1-4 wijken of 1-5 buurten; small counts are common."""
    counts, relations = {}, []
    small = st.one_of(st.integers(0, 6), st.integers(0, 60))
    municipalities = []
    for m in range(draw(st.integers(1, 3))):
        wijken = []
        for w in range(draw(st.integers(1, 4))):
            buurten = [f"b{m}{w}{b}" for b in range(draw(st.integers(1, 5)))]
            for b in buurten:
                counts[b] = draw(small)
            counts[f"W{m}{w}"] = sum(counts[b] for b in buurten)
            relations.append(Relation(f"W{m}{w}", tuple(buurten)))
            wijken.append(f"W{m}{w}")
        counts[f"M{m}"] = sum(counts[w] for w in wijken)
        relations.append(Relation(f"M{m}", tuple(wijken)))
        municipalities.append(f"M{m}")
    counts["T"] = sum(counts[m] for m in municipalities)
    relations.append(Relation("T", tuple(municipalities)))
    return counts, relations


@settings(max_examples=150, deadline=None)
@given(hierarchies())
def test_no_hidden_count_is_ever_recovered(table):
    counts, relations = table
    status = protect(counts, relations)
    for key, count in counts.items():
        if 0 < count < 5:
            assert status[key].hidden, key
    assert not recovered(counts, status, relations)
    assert protect(counts, relations) == status  # deterministic
