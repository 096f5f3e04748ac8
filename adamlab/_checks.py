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
# Names, objects and counts outside the optimizers (the functions, runs and the command line use these).


def normalize_name(name: str) -> str:
    """How names are compared: case-insensitive, ``-`` and spaces read as ``_`` (``"Six-Hump Camel"`` is
    ``"six_hump_camel"``)."""
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def did_you_mean(name: str, valid: Any) -> str:
    """``" (did you mean 'x'?)"`` for the entry of ``valid`` closest to ``name``, or ``""`` if none is close.

    >>> did_you_mean("rosenbrok", ["rosenbrock", "sphere"])
    " (did you mean 'rosenbrock'?)"
    """
    import difflib

    by_key = {normalize_name(v): v for v in valid}
    close = difflib.get_close_matches(normalize_name(str(name)), list(by_key), n=1, cutoff=0.5)
    return f" (did you mean {by_key[close[0]]!r}?)" if close else ""


def unknown_name(what: str, name: Any, valid: Any) -> ValueError:
    """The one error for a name that is not among ``valid``: the closest name and the whole list."""
    valid = list(valid)
    return ValueError(
        f"unknown {what} {name!r}{did_you_mean(str(name), valid)}; valid: {', '.join(valid)}"
    )


def lookup(what: str, name: Any, table: Any) -> Any:
    """``table[name]``, with names compared by :func:`normalize_name`; ValueError naming the closest valid
    name and listing them all, TypeError if ``name`` is not a string.

    >>> lookup("optimizer", "adam", {"SGD": 1, "Adam": 2})
    2
    >>> lookup("optimizer", "adamm", {"SGD": 1, "Adam": 2})
    Traceback (most recent call last):
    ...
    ValueError: unknown optimizer 'adamm' (did you mean 'Adam'?); valid: SGD, Adam
    """
    if not isinstance(name, str):
        raise TypeError(f"{what} must be given by name (a string), got {name!r}")
    key = normalize_name(name)
    for k, value in table.items():
        if normalize_name(k) == key:
            return value
    raise unknown_name(what, name, table)


def check_optimizer(owner: str, value: Any, name: str = "optimizer") -> Any:
    """An optimizer object (anything with ``init`` and ``step`` methods). The class itself, ``adamlab.Adam``
    rather than ``adamlab.Adam()``, gets a TypeError that says so."""
    if isinstance(value, type):
        cls = value.__name__
        raise TypeError(
            f"{owner}: {name} must be an optimizer object such as {cls}() or {cls}(lr=0.1), "
            f"got the class {cls} itself"
        )
    if not (callable(getattr(value, "init", None)) and callable(getattr(value, "step", None))):
        raise TypeError(
            f"{owner}: {name} must be an optimizer with init and step methods, such as "
            f"adamlab.Adam(lr=0.1), got {value!r}"
        )
    return value


def check_tolerance(owner: str, name: str, value: Any) -> float | None:
    """None, or a finite number >= 0 (a tolerance)."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        raise TypeError(f"{owner}: {name} must be a number >= 0 or None, got {value!r}")
    try:
        tol = float(value)
    except OverflowError:  # an int beyond the float range
        tol = np.inf
    if not (np.isfinite(tol) and tol >= 0):
        raise ValueError(f"{owner}: {name} must be a finite number >= 0 or None, got {value!r}")
    return tol
