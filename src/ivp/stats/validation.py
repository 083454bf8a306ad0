"""Input checks shared by the statistics functions, with messages that say what was wrong and what is expected.

Errors are ``ValueError`` (never assert: asserts vanish under ``python -O``). ``bool`` is refused where a number is
expected, because ``True`` silently passing as the count 1 hides bugs in the calling code.
"""

import math
import numbers


def check_count(name: str, value: object) -> int:
    """A non-negative whole number of events."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} cannot be negative, got {value!r}")
    return int(value)


def check_level(level: object) -> float:
    """A confidence level strictly between 0 and 1 (0.95, not 95)."""
    if isinstance(level, bool) or not isinstance(level, numbers.Real) or not 0.0 < level < 1.0:
        raise ValueError(f"level must be strictly between 0 and 1 (e.g. 0.95), got {level!r}")
    return float(level)


def check_positive(name: str, value: object) -> float:
    """A finite number greater than 0 (populations, exposures, ``per``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0.0 < value < math.inf:
        raise ValueError(f"{name} must be a finite number greater than 0, got {value!r}")
    return float(value)


def check_non_negative(name: str, value: object) -> float:
    """A finite number >= 0 (target rates, expected counts)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0.0 <= value < math.inf:
        raise ValueError(f"{name} must be a finite number of at least 0, got {value!r}")
    return float(value)
