"""Input checks shared by the statistics functions, with messages that say what was wrong and what is expected.

Errors are ``ValueError`` (never assert: asserts vanish under ``python -O``). ``bool`` is refused where a number is
expected, because ``True`` silently passing as the count 1 hides bugs in the calling code. The array forms
(``check_counts`` ...) apply the same rules to whole numpy arrays for the vectorised functions.
"""

import math
import numbers

import numpy as np


def check_count(name: str, value: object) -> int:
    """A non-negative whole number of events."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} cannot be negative, got {value!r}")
    return int(value)


def check_level(level: object) -> float:
    """A confidence level strictly between 0 and 1 (0.95, not 95)."""
    # typeshed's numbers.Real declares no comparisons; every Real compares with float.
    if isinstance(level, bool) or not isinstance(level, numbers.Real) or not 0.0 < level < 1.0:  # type: ignore[operator]
        raise ValueError(f"level must be strictly between 0 and 1 (e.g. 0.95), got {level!r}")
    return float(level)


def check_positive(name: str, value: object) -> float:
    """A finite number greater than 0 (populations, exposures, ``per``)."""
    # typeshed's numbers.Real declares no comparisons; every Real compares with float.
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0.0 < value < math.inf:  # type: ignore[operator]
        raise ValueError(f"{name} must be a finite number greater than 0, got {value!r}")
    return float(value)


def check_non_negative(name: str, value: object) -> float:
    """A finite number >= 0 (target rates, expected counts)."""
    # typeshed's numbers.Real declares no comparisons; every Real compares with float.
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0.0 <= value < math.inf:  # type: ignore[operator]
        raise ValueError(f"{name} must be a finite number of at least 0, got {value!r}")
    return float(value)


# Array forms for the vectorised functions: same rules and messages as above, plus the position of the first bad
# value, so that an error in a national table of 15,000 areas can be found.


def _first_bad(name: str, values: np.ndarray, bad: np.ndarray, rule: str) -> None:
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{name} {rule}, got {values[i].item()!r} at position {i}")


def check_counts(name: str, values: object) -> np.ndarray:
    """A one-dimensional int64 array of non-negative whole numbers; bools and floats are refused (as by
    ``check_count``: a float array usually means the caller divided or averaged somewhere)."""
    array = _one_dimensional(name, values)
    if not array.size:
        return array.astype(np.int64)
    if array.dtype == np.bool_ or not np.issubdtype(array.dtype, np.integer):
        for i, value in enumerate(array.tolist()):  # the scalar check names the first bad value
            check_count(f"{name} at position {i}", value)
        raise ValueError(f"{name} must be whole numbers that fit in 64 bits")
    array = array.astype(np.int64, copy=False)
    _first_bad(name, array, array < 0, "cannot be negative")
    return array


def check_positives(name: str, values: object) -> np.ndarray:
    """A one-dimensional float array of finite numbers greater than 0 (populations, exposures)."""
    array = _real_array(name, values)
    _first_bad(name, array, ~((array > 0.0) & (array < math.inf)), "must be a finite number greater than 0")
    return array


def check_non_negatives(name: str, values: object) -> np.ndarray:
    """A one-dimensional float array of finite numbers >= 0 (expected counts)."""
    array = _real_array(name, values)
    _first_bad(name, array, ~((array >= 0.0) & (array < math.inf)), "must be a finite number of at least 0")
    return array


def _one_dimensional(name: str, values: object) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a one-dimensional sequence, got {array.ndim} dimensions")
    return array


def _real_array(name: str, values: object) -> np.ndarray:
    array = _one_dimensional(name, values)
    if array.size and (array.dtype == np.bool_ or not (np.issubdtype(array.dtype, np.integer)
                                                       or np.issubdtype(array.dtype, np.floating))):
        raise ValueError(f"{name} must be numbers, got values of type {array.dtype}")
    return array.astype(float, copy=False)


def check_same_length(first: str, a: np.ndarray, second: str, b: np.ndarray) -> None:
    if len(a) != len(b):
        raise ValueError(f"{first} and {second} differ in length ({len(a)} vs {len(b)})")
