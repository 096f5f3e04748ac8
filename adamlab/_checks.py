"""The package's vocabulary of argument checks: one way to say "a number in [0, 1)" and one error for each mistake.

Every check names the owner (an optimizer, a schedule, a function), the parameter and the value it got, and raises
ValueError for a bad value and TypeError for a bad type.

>>> Interval("[0, 1)").check("Adam", "beta1", 0.9)
0.9
>>> Interval("[0, 1)").check("Adam", "beta1", 1.0)
Traceback (most recent call last):
...
ValueError: Adam: beta1 must be finite and in [0, 1), got 1.0
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

_INTERVAL = re.compile(r"^\s*([\[(])\s*([-+]?[\w.]+)\s*,\s*([-+]?[\w.]+)\s*([\])])\s*$")


def _as_number(text: str) -> float:
    return float(text)  # float() reads "inf" and "-inf" too


class Interval:
    """A range of real numbers written the way a mathematician writes it: ``"[0, 1)"``, ``"(0, 1]"``,
    ``"[0, inf)"``. Values are checked to be finite and inside, elementwise for arrays."""

    def __init__(self, text: str) -> None:
        match = _INTERVAL.match(text)
        if match is None:
            raise ValueError(f"not an interval: {text!r}")
        left, low, high, right = match.groups()
        self.text = f"{left}{low}, {high}{right}"
        self.low, self.high = _as_number(low), _as_number(high)
        self.low_open, self.high_open = left == "(", right == ")"

    def __repr__(self) -> str:
        return f"Interval({self.text!r})"

    def contains(self, a: np.ndarray) -> np.ndarray:
        """Elementwise: finite and inside."""
        with np.errstate(invalid="ignore"):
            ok = np.isfinite(a)
            ok &= a > self.low if self.low_open else a >= self.low
            ok &= a < self.high if self.high_open else a <= self.high
        return ok

    def check(self, owner: str, name: str, value: Any) -> Any:
        """``value`` as a float (or a read-only float64 array), checked to lie in the interval."""
        value = check_real(owner, name, value)
        a = np.asarray(value)
        bad = ~self.contains(a)
        if np.any(bad):
            if a.ndim == 0:
                raise ValueError(
                    f"{owner}: {name} must be finite and in {self.text}, got {value!r}"
                )
            index = tuple(int(i) for i in np.argwhere(bad)[0])
            raise ValueError(
                f"{owner}: {name} must be finite and in {self.text} elementwise, "
                f"got {float(a[index])!r} at index {index}"
            )
        return value


def check_real(owner: str, name: str, value: Any) -> Any:
    """A number (-> float) or a non-empty array of numbers (-> read-only float64 array); TypeError otherwise."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{owner}: {name} must be a number or an array of numbers, got {value!r}")
    if isinstance(value, (int, float, np.integer, np.floating)):
        try:
            return float(value)
        except OverflowError:  # an int beyond the float range, e.g. 10**400
            raise ValueError(f"{owner}: {name} must be finite, got {value!r}") from None
    try:
        a = np.asarray(value)
    except Exception as exc:  # e.g. a ragged list
        raise TypeError(f"{owner}: {name} must be a number or an array, got {value!r}") from exc
    if a.dtype.kind == "O" or a.dtype.kind in "SUV":
        raise TypeError(f"{owner}: {name} must be a number or an array of numbers, got {value!r}")
    if a.dtype.kind not in "iuf":
        raise TypeError(f"{owner}: {name} must be real, got an array of dtype {a.dtype}")
    if a.ndim == 0:
        return check_real(owner, name, a.item())
    if a.size == 0:
        raise ValueError(f"{owner}: {name} must not be an empty array, got shape {a.shape}")
    a = np.array(a, dtype=np.float64)
    a.flags.writeable = False
    return a


def check_range(
    owner: str, name: str, value: Any, low: float, high: float, *, low_open: bool, high_open: bool
) -> Any:
    """``value`` checked to be finite and in the interval given by its ends (see ``Interval``)."""
    left, right = "(" if low_open else "[", ")" if high_open else "]"
    return Interval(f"{left}{low:g}, {high:g}{right}").check(owner, name, value)


def check_flag(owner: str, name: str, value: Any) -> bool:
    """True or False (a NumPy bool too); TypeError for anything else, such as 1 or "yes"."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{owner}: {name} must be True or False, got {value!r}")
    return bool(value)


def check_choice(owner: str, name: str, value: Any, choices: tuple[str, ...]) -> str:
    """One of a few strings."""
    if not isinstance(value, str) or value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{owner}: {name} must be one of {listed}, got {value!r}")
    return value


def check_count(owner: str, name: str, value: Any, minimum: int = 0) -> int:
    """An integer >= ``minimum`` (a NumPy integer too; not a bool or a float such as 1.0)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{owner}: {name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{owner}: {name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def format_value(value: Any) -> str:
    """A short text for a hyperparameter; arrays as their shape and range."""
    if isinstance(value, np.ndarray):
        return f"<array {value.shape} {value.min():g}..{value.max():g}>"
    return repr(value)


def hash_key(value: Any) -> Any:
    """A hashable stand-in that agrees with ``==`` on numbers and arrays (so that 0.0 and -0.0 hash alike)."""
    if isinstance(value, np.ndarray):
        return (value.shape, (value + 0.0).tobytes())  # + 0.0 turns -0.0 into 0.0
    if isinstance(value, float):
        return value + 0.0
    return value


def same_value(a: Any, b: Any) -> bool:
    """Equality of two hyperparameter values: arrays by shape and elements, everything else by ``==``."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.shape(a) == np.shape(b) and bool(np.array_equal(a, b))
    return bool(a == b)


# ------------------------------------------------------------------------------------------------------------
# Names: one resolver, one "did you mean", for functions, optimizers, hyperparameters and commands.


def normalise(name: str) -> str:
    """How names are compared: case-insensitive, with ``-`` and spaces read as ``_``."""
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def did_you_mean(name: str, valid: Any) -> str:
    """`` (did you mean 'x'?)`` for the closest valid name, or ``""``."""
    import difflib

    valid = list(valid)
    by_key = {normalise(v): v for v in valid}
    close = difflib.get_close_matches(normalise(name), list(by_key), n=1, cutoff=0.5)
    return f" (did you mean {by_key[close[0]]!r}?)" if close else ""


def lookup(kind: str, name: Any, table: dict[str, Any]) -> Any:
    """``table[name]``, matching names as :func:`normalise` does; a ValueError that suggests the closest name
    and lists the valid ones otherwise."""
    if not isinstance(name, str):
        raise TypeError(f"a {kind} name must be a string, got {name!r}")
    by_key = {normalise(k): v for k, v in table.items()}
    key = normalise(name)
    if key not in by_key:
        raise ValueError(
            f"unknown {kind} {name!r}{did_you_mean(name, table)}; available: {', '.join(table)}"
        )
    return by_key[key]
