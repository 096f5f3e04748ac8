"""Parameter checks with messages that name the function, the parameter and the offending value."""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

__all__ = ["real", "positive_real", "int_at_least", "probability"]


def real(fn: str, name: str, value: Any) -> float:
    """A finite real number (bools are rejected: ``kappa=True`` is almost certainly a mistake)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{fn}: parameter {name} must be a real number, got {value!r}")
    if not math.isfinite(float(value)):
        raise ValueError(f"{fn}: parameter {name} must be finite, got {value!r}")
    return float(value)


def positive_real(fn: str, name: str, value: Any) -> float:
    """A finite real number > 0."""
    v = real(fn, name, value)
    if v <= 0:
        raise ValueError(f"{fn}: parameter {name} must be > 0, got {value!r}")
    return v


def int_at_least(fn: str, name: str, value: Any, low: int) -> int:
    """An integer >= `low` (integral floats such as 3.0 are accepted)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{fn}: parameter {name} must be an integer, got {value!r}")
    if not float(value).is_integer():
        raise ValueError(f"{fn}: parameter {name} must be an integer, got {value!r}")
    if int(value) < low:
        raise ValueError(f"{fn}: parameter {name} must be >= {low}, got {value!r}")
    return int(value)


def probability(fn: str, name: str, value: Any) -> np.ndarray:
    """A probability in (0, 1], scalar or array (e.g. one per coordinate)."""
    try:
        p = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as err:
        raise TypeError(
            f"{fn}: parameter {name} must be a number in (0, 1], got {value!r}"
        ) from err
    if p.size == 0 or not np.all((p > 0) & (p <= 1)):
        raise ValueError(f"{fn}: parameter {name} must lie in (0, 1], got {value!r}")
    return p
