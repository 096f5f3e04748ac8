r"""The test-function zoo: classic analytic surfaces with exact gradients, Hessians and every minimum.

``get(name, **params)`` builds a function, ``available()`` lists the names, and ``from_callables``
wraps your own. Every function is vectorised over leading axes: points of shape ``(..., d)`` give values
of shape ``(...)``, gradients ``(..., d)`` and Hessians ``(..., d, d)``. Deterministic functions are plain
objects with no hidden state; the stochastic, sparse and online objectives live in
:mod:`adamlab.objectives`.

>>> import numpy as np
>>> from adamlab.functions import get
>>> f = get("himmelblau")
>>> f.minima.shape, f.min_value
((4, 2), 0.0)
>>> X, Y = np.meshgrid(np.linspace(-5, 5, 3), np.linspace(-5, 5, 4))
>>> f(np.stack([X, Y], -1)).shape
(4, 3)
"""

from __future__ import annotations

from adamlab.functions._base import TestFunction
from adamlab.functions._registry import REGISTRY, available, get
from adamlab.functions._user import from_callables
from adamlab.functions._zoo import (
    Ackley,
    Beale,
    Booth,
    Easom,
    GoldsteinPrice,
    Himmelblau,
    Levi13,
    Matyas,
    McCormick,
    MonkeySaddle,
    Quadratic,
    Rastrigin,
    Rosenbrock,
    Saddle,
    SixHumpCamel,
    Sphere,
    StyblinskiTang,
    ThreeHumpCamel,
)

__all__ = [
    "TestFunction",
    "REGISTRY",
    "available",
    "get",
    "from_callables",
    "Ackley",
    "Beale",
    "Booth",
    "Easom",
    "GoldsteinPrice",
    "Himmelblau",
    "Levi13",
    "Matyas",
    "McCormick",
    "MonkeySaddle",
    "Quadratic",
    "Rastrigin",
    "Rosenbrock",
    "Saddle",
    "SixHumpCamel",
    "Sphere",
    "StyblinskiTang",
    "ThreeHumpCamel",
]
