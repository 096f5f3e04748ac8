r"""Check a gradient (or Hessian) against central finite differences.

The central difference

.. math:: \partial_i f(x) \approx \frac{f(x + h_i e_i) - f(x - h_i e_i)}{2 h_i},
    \qquad h_i = \varepsilon^{1/3} \max(1, |x_i|),

has truncation error :math:`O(h^2)` and round-off error :math:`O(\varepsilon |f| / h)`; the step
:math:`\varepsilon^{1/3} \approx 6\times10^{-6}` balances the two, so a correct gradient typically agrees
to 1e-9 or better in relative terms and a wrong one is off by O(1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from adamlab._checks import Interval

__all__ = ["GradCheckResult", "check_grad", "check_hessian", "central_difference"]

EPS = np.finfo(float).eps


def default_step(x: NDArray[np.float64], order: int = 1) -> NDArray[np.float64]:
    """Step h = eps^(1/3) max(1, |x|) for a first difference (eps^(1/4) when differencing twice)."""
    base = EPS ** (1 / 3) if order == 1 else EPS ** (1 / 4)
    return base * np.maximum(1.0, np.abs(x))


def central_difference(
    fun: Callable[[Any], Any], x: ArrayLike, h: ArrayLike | None = None
) -> NDArray[np.float64]:
    """Central-difference derivative of `fun` at points `x` of shape ``(..., d)``.

    `fun` must be vectorised over leading axes (``(..., d) -> (..., *out)``). Returns ``(..., d)`` for a
    scalar function and ``(..., *out, d)`` in general: the last axis is the differentiation direction.

    Examples
    --------
    >>> import numpy as np
    >>> central_difference(lambda x: np.sum(x**3, -1), [1.0, 2.0]).round(6)
    array([ 3., 12.])
    """
    x = np.asarray(x, dtype=float)
    d = x.shape[-1]
    step = default_step(x) if h is None else np.broadcast_to(np.asarray(h, float), x.shape)
    shift = step[..., None, :] * np.eye(d)  # (..., d, d): row i is h_i e_i
    plus = np.asarray(fun(x[..., None, :] + shift), dtype=float)  # (..., d, *out)
    minus = np.asarray(fun(x[..., None, :] - shift), dtype=float)
    diff = (plus - minus) / (2 * step.reshape(step.shape + (1,) * (plus.ndim - step.ndim)))
    return np.moveaxis(diff, x.ndim - 1, -1)


@dataclass(frozen=True)
class GradCheckResult:
    """Outcome of :func:`check_grad` / :func:`check_hessian`.

    Attributes
    ----------
    max_rel_error : float
        The worst relative error over all points.
    worst_index : int
        Index (into the checked points) of the worst point; ``worst_point`` is that point.
    worst_coordinate : tuple of int
        The entry of the gradient (``(i,)``) or Hessian (``(i, j)``) with the largest discrepancy there.
    rel_errors : ndarray, shape (n,)
        Relative error per point: ``max|analytic - numeric| / max(max|analytic|, max|numeric|, floor)``.
    analytic, numeric : ndarray
        The derivatives compared, shape ``(n, d)`` (or ``(n, d, d)`` for Hessians).
    tol : float
        Threshold used by ``ok``.
    """

    max_rel_error: float
    worst_index: int
    worst_point: NDArray[np.float64]
    worst_coordinate: tuple[int, ...]
    rel_errors: NDArray[np.float64]
    analytic: NDArray[np.float64]
    numeric: NDArray[np.float64]
    tol: float
    what: str = "gradient"

    @property
    def ok(self) -> bool:
        """True when every point's relative error is at most ``tol``."""
        return bool(self.max_rel_error <= self.tol)

    def __str__(self) -> str:
        i, c = self.worst_index, self.worst_coordinate
        a, n = self.analytic[i][c], self.numeric[i][c]
        verdict = "OK" if self.ok else f"FAILED (tol {self.tol:g})"
        return (
            f"{self.what} check over {len(self.rel_errors)} point(s): worst relative error "
            f"{self.max_rel_error:.3g} at point #{i} {np.array2string(self.worst_point, precision=6)}, "
            f"entry {c}: analytic {a:.10g}, numeric {n:.10g} -> {verdict}"
        )


def _points(points: ArrayLike, who: str) -> NDArray[np.float64]:
    try:
        p = np.asarray(points, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"{who}: points must be numbers of shape (d,) or (n, d), got {points!r}"
        ) from None
    if p.ndim == 1:
        p = p[None, :]
    if p.ndim != 2:
        raise ValueError(f"{who}: points must have shape (d,) or (n, d), got shape {p.shape}")
    if p.size == 0:
        raise ValueError(
            f"{who}: points must hold at least one point of dimension d >= 1, got shape {p.shape}"
        )
    if not np.all(np.isfinite(p)):
        raise ValueError(f"{who}: points must be finite")
    return p


def _derivative(f: Any, given: Any, name: str, who: str, how: str) -> Callable[[Any], Any]:
    """The derivative to check: ``given``, or ``f.<name>``; a TypeError that says how to pass one otherwise."""
    if given is None:
        given = getattr(f, name, None)
        if not callable(given):
            raise TypeError(
                f"{who} needs the {how} to check: pass it as {name}=..., e.g. {who}(f, points, "
                f"{name}=lambda x: ...), or give f a .{name} method (adamlab.functions.from_callables "
                f"builds one); {f!r} has none"
            )
    elif not callable(given):
        raise TypeError(f"{who}: {name} must be a function of the point, got {given!r}")
    return given


def _numbers(who: str, h: Any, tol: Any, floor: Any) -> tuple[float | None, float, float]:
    checked = []
    for name, value, allow_none in (("h", h, True), ("tol", tol, False), ("floor", floor, False)):
        if value is None and allow_none:
            checked.append(None)
            continue
        checked.append(Interval("(0, inf)").check(who, name, value))
    return checked[0], checked[1], checked[2]


def _compare(analytic, numeric, points, floor, tol, what) -> GradCheckResult:
    n = len(points)
    err = np.abs(analytic - numeric).reshape(n, -1)
    scale = np.maximum(
        np.maximum(np.abs(analytic).reshape(n, -1).max(1), np.abs(numeric).reshape(n, -1).max(1)),
        floor,
    )
    rel = err.max(1) / scale
    rel = np.where(np.isnan(rel), np.inf, rel)  # a NaN derivative is never OK
    i = int(np.argmax(rel))
    coord = tuple(int(k) for k in np.unravel_index(int(np.argmax(err[i])), analytic.shape[1:]))
    return GradCheckResult(
        max_rel_error=float(rel[i]),
        worst_index=i,
        worst_point=points[i].copy(),
        worst_coordinate=coord,
        rel_errors=rel,
        analytic=analytic,
        numeric=numeric,
        tol=float(tol),
        what=what,
    )


def check_grad(
    f: Any,
    points: ArrayLike,
    grad: Callable[[Any], Any] | None = None,
    *,
    h: float | None = None,
    tol: float = 1e-6,
    floor: float = 1e-8,
) -> GradCheckResult:
    r"""Compare a gradient with central differences of the value at each point.

    Parameters
    ----------
    f : callable
        The function: anything with ``f(x) -> float`` for a point ``x`` of shape ``(d,)``. If `grad` is
        None, ``f.grad`` is checked (a :class:`~adamlab.functions.TestFunction`, an objective, ...).
    points : array_like, shape (d,) or (n, d)
        Where to check. Points are evaluated one at a time, so `f` need not be vectorised.
    grad : callable, optional
        The gradient to check, ``grad(x) -> (d,)``.
    h : float, optional
        Finite-difference step; default :math:`\varepsilon^{1/3}\max(1, |x_i|)` per coordinate.
    tol : float, default 1e-6
        Relative error accepted by ``result.ok``.
    floor : float, default 1e-8
        Lower bound on the scale in the relative error, so a gradient that is ~0 is compared absolutely.

    Returns
    -------
    GradCheckResult
        ``max_rel_error``, ``worst_index``, ``worst_point``, ``worst_coordinate``, per-point errors, and
        ``ok``; ``print(result)`` gives a one-line summary.

    Examples
    --------
    >>> import numpy as np
    >>> from adamlab.gradcheck import check_grad
    >>> f = lambda x: x[0] ** 2 * x[1]
    >>> good = lambda x: np.array([2 * x[0] * x[1], x[0] ** 2])
    >>> bad = lambda x: np.array([2 * x[0] * x[1], 2 * x[0]])
    >>> pts = [[1.0, 2.0], [-0.5, 3.0]]
    >>> check_grad(f, pts, good).ok
    True
    >>> r = check_grad(f, pts, bad)
    >>> r.ok, r.worst_index, r.worst_coordinate, round(r.max_rel_error, 3)
    (False, 1, (1,), 0.417)
    """
    grad = _derivative(f, grad, "grad", "check_grad", "gradient")
    pts = _points(points, "check_grad")
    h, tol, floor = _numbers("check_grad", h, tol, floor)
    n, d = pts.shape
    analytic = np.empty((n, d))
    numeric = np.empty((n, d))
    for k, p in enumerate(pts):
        analytic[k] = np.asarray(grad(p.copy()), dtype=float).reshape(d)
        step = default_step(p) if h is None else np.full(d, float(h))
        for i in range(d):
            e = np.zeros(d)
            e[i] = step[i]
            numeric[k, i] = (float(f(p + e)) - float(f(p - e))) / (2 * step[i])
    return _compare(analytic, numeric, pts, floor, tol, "gradient")


def check_hessian(
    f: Any,
    points: ArrayLike,
    hessian: Callable[[Any], Any] | None = None,
    grad: Callable[[Any], Any] | None = None,
    *,
    h: float | None = None,
    tol: float = 1e-6,
    floor: float = 1e-8,
) -> GradCheckResult:
    """Compare a Hessian with central differences of the gradient at each point.

    Parameters are as in :func:`check_grad`; `hessian` defaults to ``f.hessian`` and `grad` (the
    gradient that is differenced) to ``f.grad``.

    Examples
    --------
    >>> from adamlab.functions import get
    >>> from adamlab.gradcheck import check_hessian
    >>> check_hessian(get("rosenbrock"), [[-1.2, 1.0], [0.5, 0.5]]).ok
    True
    """
    hessian = _derivative(f, hessian, "hessian", "check_hessian", "Hessian")
    grad = _derivative(f, grad, "grad", "check_hessian", "gradient (to difference)")
    pts = _points(points, "check_hessian")
    h, tol, floor = _numbers("check_hessian", h, tol, floor)
    n, d = pts.shape
    analytic = np.empty((n, d, d))
    numeric = np.empty((n, d, d))
    for k, p in enumerate(pts):
        analytic[k] = np.asarray(hessian(p.copy()), dtype=float).reshape(d, d)
        step = default_step(p) if h is None else np.full(d, float(h))
        for j in range(d):
            e = np.zeros(d)
            e[j] = step[j]
            gp = np.asarray(grad(p + e), dtype=float).reshape(d)
            gm = np.asarray(grad(p - e), dtype=float).reshape(d)
            numeric[k, :, j] = (gp - gm) / (2 * step[j])
    return _compare(analytic, numeric, pts, floor, tol, "Hessian")
