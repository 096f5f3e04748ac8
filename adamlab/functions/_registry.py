"""Look-up of zoo functions by name, with helpful errors for typos and bad parameters."""

from __future__ import annotations

import inspect
from typing import Any

from adamlab._checks import did_you_mean, lookup
from adamlab.functions import _zoo
from adamlab.functions._base import TestFunction

__all__ = ["REGISTRY", "available", "get"]

REGISTRY: dict[str, type[TestFunction]] = {
    cls.name: cls for cls in (getattr(_zoo, n) for n in _zoo.__all__)
}


def available() -> list[str]:
    """Names of the zoo functions, sorted.

    Examples
    --------
    >>> from adamlab.functions import available
    >>> available()[:4]
    ['ackley', 'beale', 'booth', 'easom']
    """
    return sorted(REGISTRY)


def get(name: str, **params: Any) -> TestFunction:
    """Build the zoo function called `name` with the given parameters.

    Parameters
    ----------
    name : str
        One of :func:`available` (case-insensitive; ``-`` and spaces are read as ``_``).
    **params
        Function parameters: ``kappa`` and ``angle`` for ``quadratic``; ``dim`` for ``sphere``,
        ``rosenbrock``, ``rastrigin``, ``styblinski_tang`` and ``ackley``. Other functions take none.

    Returns
    -------
    TestFunction

    Raises
    ------
    ValueError
        Unknown name (the message lists the valid names and suggests the closest one), or a parameter
        value out of range (e.g. ``kappa <= 0``, ``dim < 1``).
    TypeError
        Unknown parameter name, or a parameter of the wrong type.

    Examples
    --------
    >>> from adamlab.functions import get
    >>> get("quadratic", kappa=100)
    quadratic(kappa=100, angle=0)
    >>> get("rosenbrok")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: unknown function 'rosenbrok' (did you mean 'rosenbrock'?); available: ackley, ...
    """
    cls = lookup("function", name, {k: REGISTRY[k] for k in available()})
    key = cls.name
    allowed = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
    unknown = [p for p in params if p not in allowed]
    if unknown:
        hint = did_you_mean(unknown[0], allowed)
        valid = ", ".join(allowed) if allowed else "none"
        raise TypeError(
            f"{key}: unknown parameter {unknown[0]!r}={params[unknown[0]]!r}{hint}; "
            f"valid parameters: {valid}"
        )
    return cls(**params)
