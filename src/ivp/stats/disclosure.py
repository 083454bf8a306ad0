"""Statistical disclosure control for additive tables of counts: primary and secondary suppression.

Why. A count of 1-4 registered crimes in a buurt of a few hundred inhabitants can point at identifiable households.
Hiding the small cell alone is not enough when the same viewer also sees a total: a wijk total minus the buurten
that are shown gives the hidden one back ("differencing"). Statistical offices protect tables by hiding more cells
(secondary or complementary suppression) so that no hidden value follows from what is shown; CBS describes this in
its disclosure-control practice for small-area tables, and tools such as tau-argus implement it for general tables
(Hundepool et al., "Statistical Disclosure Control", Wiley 2012, ch. 4).

Policy implemented here (documented for users in docs/adr/0011-publication-gate-and-disclosure-control.md):

* Primary suppression: a count with 1 <= count < threshold (5) is hidden. 0 is shown: it identifies nobody.
* Relations: the caller lists every additive relation ``total = sum(parts)`` between cells that one viewer can see
  together (base team = sum of municipalities, municipality = sum of wijken, wijk = sum of buurten, for one table,
  indicator and period). A relation that holds exactly one hidden cell gives that cell away, so a second cell of the
  relation is hidden too. The partner is the smallest shown part with a count of at least ``threshold`` (so the hidden
  cells together hold more than ``threshold`` and a reader cannot even tell that one of them is below it), else the
  smallest shown positive part, else any shown part, else the total. Hiding a cell can create a new single-hidden
  relation (a hidden wijk total inside its municipality), so this repeats until nothing changes.
* Check: after that heuristic, every hidden cell is attacked as a reader would (``recoverable``: the relations as
  equations, counts never negative, the smallest and largest value each hidden cell can take); a recovered cell
  gets one more partner and the check repeats. Hiding a cell never narrows what a reader can infer about the
  others, so this ends, and the result never lets a hidden value follow from the shown values and the relations,
  whatever the shape of the hierarchy.
* A cell whose value is unknown (None: not published by the source) is hidden without needing protection, and it
  protects nothing either: the source does not publish it, so a relation containing it is not used as a partner.
* Hidden cells are shown alike (the caller must not tell primary from secondary cells apart, or the reader learns
  which hidden cell is the small one); statuses are returned for the caller's documentation and tests.

Pure Python with numpy and scipy (linear programming for the check); no Django.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

DEFAULT_THRESHOLD = 5


class CellStatus(StrEnum):
    SHOWN = "shown"
    PRIMARY = "primary"  # hidden: a small count
    SECONDARY = "secondary"  # hidden: protects a small count against differencing
    UNKNOWN = "unknown"  # not published by the source (None)

    @property
    def hidden(self) -> bool:
        return self is not CellStatus.SHOWN


@dataclass(frozen=True)
class Relation:
    """``total`` equals the sum of ``parts`` (cell keys)."""

    total: Hashable
    parts: tuple[Hashable, ...]


def primary_suppressed(count: int | None, threshold: int = DEFAULT_THRESHOLD) -> bool:
    return count is not None and 0 < count < threshold


def protect(counts: Mapping[Hashable, int | None], relations: Sequence[Relation], *,
            threshold: int = DEFAULT_THRESHOLD) -> dict[Hashable, CellStatus]:
    """The status of every cell: shown, or hidden (primary, secondary, unknown). See the module docstring.

    Every key used in a relation must be in ``counts``. Deterministic: the same input gives the same result.
    """
    for relation in relations:
        for key in (relation.total, *relation.parts):
            if key not in counts:
                raise ValueError(f"relation uses a cell without a count: {key!r}")
    status: dict[Hashable, CellStatus] = {}
    for key, count in counts.items():
        if count is None:
            status[key] = CellStatus.UNKNOWN
        elif primary_suppressed(count, threshold):
            status[key] = CellStatus.PRIMARY
        else:
            status[key] = CellStatus.SHOWN
    if not any(s is CellStatus.PRIMARY for s in status.values()):
        return status
    order = {key: index for index, key in enumerate(counts)}  # ties broken by input order: deterministic

    def partner_for(relation: Relation) -> Hashable | None:
        shown = [k for k in relation.parts if status[k] is CellStatus.SHOWN]
        for allowed in (lambda c: c >= threshold, lambda c: c > 0, lambda c: True):
            candidates = [k for k in shown if allowed(counts[k])]
            if candidates:
                return min(candidates, key=lambda k: (counts[k], order[k]))
        return relation.total if status[relation.total] is CellStatus.SHOWN else None

    while True:
        changed = False
        for relation in relations:
            cells = (relation.total, *relation.parts)
            hidden = [k for k in cells if status[k].hidden]
            if len(hidden) != 1 or status[hidden[0]] is CellStatus.UNKNOWN:
                continue  # nothing hidden, already protected, or only an unpublished cell (nothing to protect)
            partner = partner_for(relation)
            if partner is not None:
                status[partner] = CellStatus.SECONDARY
                changed = True
        if changed:
            continue
        determined = recoverable(counts, status, relations)
        if not determined:
            return status
        # Shapes where relations together pin a cell (or pin it with the bounds: counts are never negative): hide one
        # more shown cell near it. Each round hides one more cell, so this ends.
        key = min(determined, key=lambda k: order[k])
        partner = _nearest_shown(key, relations, partner_for)
        if partner is None:
            return status  # nothing is shown any more
        status[partner] = CellStatus.SECONDARY


def _nearest_shown(key, relations, partner_for) -> Hashable | None:
    """A partner for a recovered cell: from its own relations if one has a shown cell, else from the relations one
    step further out (through the hidden cells), and so on."""
    reached, remaining = {key}, list(relations)
    while True:
        layer = [r for r in remaining if reached & {r.total, *r.parts}]
        if not layer:
            return None
        partner = next((p for p in map(partner_for, layer) if p is not None), None)
        if partner is not None:
            return partner
        remaining = [r for r in remaining if r not in layer]
        for r in layer:
            reached.update((r.total, *r.parts))


def recoverable(counts: Mapping[Hashable, int | None], status: Mapping[Hashable, CellStatus],
                relations: Iterable[Relation]) -> list[Hashable]:
    """The hidden cells (primary or secondary) whose value follows exactly from the shown cells and the relations.

    The reader's attack, done here first: every relation as an equation with the shown cells filled in, every hidden
    count >= 0 (>= 1 when no zero was hidden, since zeros are shown), unpublished cells free (>= 0); the smallest
    and largest value of each hidden cell by linear programming (scipy's HiGHS). A cell whose range is narrower than
    one is recovered.
    """
    hidden = [k for k, s in status.items() if s.hidden]
    targets = [k for k in hidden if status[k] is not CellStatus.UNKNOWN]
    if not targets:
        return []
    column = {key: j for j, key in enumerate(hidden)}
    rows, rhs = [], []
    for relation in relations:
        row, value = np.zeros(len(hidden)), 0.0
        for key, sign in [(relation.total, 1.0), *((p, -1.0) for p in relation.parts)]:
            if key in column:
                row[column[key]] += sign
            else:
                value -= sign * counts[key]  # type: ignore[operator]  # a shown cell has a count (None is hidden)
        if row.any():
            rows.append(row)
            rhs.append(value)
    if not rows:
        return []
    from scipy.optimize import linprog  # imported here: only tables with hidden cells need it

    lowest = 1.0 if all(counts[k] for k in targets) else 0.0
    bounds = [(0.0 if status[k] is CellStatus.UNKNOWN else lowest, None) for k in hidden]
    a_eq, b_eq = np.array(rows), np.array(rhs)
    result = []
    for key in targets:
        cost = np.zeros(len(hidden))
        cost[column[key]] = 1.0
        low = linprog(cost, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        high = linprog(-cost, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        if low.status == 0 and high.status == 0 and (-high.fun) - low.fun < 1.0 - 1e-9:
            result.append(key)
    return result


__all__ = ["DEFAULT_THRESHOLD", "CellStatus", "Relation", "primary_suppressed", "protect", "recoverable"]
