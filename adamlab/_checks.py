"""Checks and display of hyperparameters, shared by the optimizers and the schedules."""

from __future__ import annotations

from typing import Any

import numpy as np


def check_real(owner: str, name: str, value: Any) -> Any:
    """A number (-> float) or an array of numbers (-> read-only float64 array); TypeError otherwise."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{owner}: {name} must be a number or an array of numbers, got {value!r}")
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    try:
        a = np.asarray(value)
    except Exception as exc:  # e.g. a ragged list
        raise TypeError(f"{owner}: {name} must be a number or an array, got {value!r}") from exc
    if a.dtype.kind not in "iuf":
        raise TypeError(f"{owner}: {name} must be real, got an array of dtype {a.dtype}")
    if a.ndim == 0:
        return float(a)
    a = np.array(a, dtype=np.float64)
    a.flags.writeable = False
    return a


def check_range(
    owner: str, name: str, value: Any, low: float, high: float, *, low_open: bool, high_open: bool
) -> Any:
    """``value`` checked to be finite and in the interval, elementwise for arrays; ValueError naming it."""
    value = check_real(owner, name, value)
    a = np.asarray(value)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(a) | (a <= low if low_open else a < low)
        bad |= a >= high if high_open else a > high
    if np.any(bad):
        lo, hi = ("(" if low_open else "["), (")" if high_open else "]")
        hi_text = "inf" if high == np.inf else f"{high:g}"
        interval = f"{lo}{low:g}, {hi_text}{hi}"
        if a.ndim == 0:
            raise ValueError(f"{owner}: {name} must be finite and in {interval}, got {value!r}")
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{owner}: {name} must be finite and in {interval} elementwise, "
            f"got {float(a[index])!r} at index {index}"
        )
    return value


def format_value(value: Any) -> str:
    """A short text for a hyperparameter; arrays as their shape and range."""
    if isinstance(value, np.ndarray):
        return f"<array {value.shape} {value.min():g}..{value.max():g}>"
    return repr(value)
