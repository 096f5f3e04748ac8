"""Wrap your own function (value, and optionally gradient and Hessian) as a `TestFunction`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from adamlab.functions._base import TestFunction
from adamlab.functions._validate import int_at_least
from adamlab.gradcheck import central_difference, default_step

__all__ = ["from_callables", "CallableFunction"]


class CallableFunction(TestFunction):
    """A user function wrapped by :func:`from_callables` (see there)."""

    def __init__(
        self,
        value: Callable[[Any], Any],
        grad: Callable[[Any], Any] | None,
        hessian: Callable[[Any], Any] | None,
        *,
        dim: int,
        vectorized: bool,
        name: str,
        **meta: Any,
    ) -> None:
        self.name = name
        self._fun, self._dfun, self._hfun = value, grad, hessian
        self.vectorized = bool(vectorized)
        self.approximate_grad = grad is None
        self.approximate_hessian = hessian is None
        for key in ("latex", "description", "log_levels", "character"):
            if meta.get(key) is not None:
                setattr(self, key, meta.pop(key))
            else:
                meta.pop(key, None)
        super().__init__(dim, **meta)

    def _map(self, fun: Callable[[Any], Any], x: np.ndarray, tail: tuple[int, ...]) -> np.ndarray:
        """Apply a user callable to every point of x (..., d), or once if it is vectorised."""
        if self.vectorized:
            return np.asarray(fun(x), dtype=float).reshape(x.shape[:-1] + tail)
        out = np.empty(x.shape[:-1] + tail)
        for idx in np.ndindex(*x.shape[:-1]):
            out[idx] = np.asarray(fun(x[idx].copy()), dtype=float).reshape(tail)
        return out

    def _value(self, x):
        v = self._map(self._fun, x, ())
        return v[()] if v.ndim == 0 else v

    def _grad(self, x):
        if self._dfun is not None:
            return self._map(self._dfun, x, (self.dim,))
        return central_difference(self._value, x)  # approximate: flagged by approximate_grad

    def _hessian(self, x):
        d = self.dim
        if self._hfun is not None:
            return self._map(self._hfun, x, (d, d))
        h = default_step(x, order=1 if self._dfun is not None else 2)
        hess = central_difference(self._grad, x, h)
        return 0.5 * (hess + np.swapaxes(hess, -1, -2))


def from_callables(
    value: Callable[[Any], Any],
    grad: Callable[[Any], Any] | None = None,
    hessian: Callable[[Any], Any] | None = None,
    *,
    dim: int,
    domain: ArrayLike | None = None,
    minima: ArrayLike | None = None,
    min_value: float | None = None,
    starts: ArrayLike | None = None,
    name: str = "custom",
    latex: str = "",
    description: str = "",
    log_levels: bool = False,
    vectorized: bool = False,
) -> TestFunction:
    r"""Wrap your own function so it works everywhere a zoo function does.

    Parameters
    ----------
    value : callable
        ``value(x) -> float`` for one point ``x`` of shape ``(d,)`` (or, with ``vectorized=True``,
        ``(..., d) -> (...)``).
    grad : callable, optional
        ``grad(x) -> (d,)``. If omitted, the gradient is approximated by central differences
        (step :math:`\varepsilon^{1/3}\max(1, |x_i|)`, about 1e-9 relative accuracy) and the result has
        ``approximate_grad == True``: use exact gradients for serious work.
    hessian : callable, optional
        ``hessian(x) -> (d, d)``; if omitted, central differences of the gradient
        (``approximate_hessian == True``).
    dim : int
        Dimension d of a point.
    domain : array_like, shape (d, 2), optional
        Plotting window; default :math:`[-5, 5]^d`.
    minima : array_like, shape (k, d), optional
        Known global minima (default none: shape (0, d)).
    min_value : float, optional
        Known minimum value (None: unknown or unbounded).
    starts : array_like, shape (n, d), optional
        Default start points; default the point at 80% of the domain along every axis.
    name, latex, description : str
        Labels for plots and ``repr``.
    log_levels : bool, default False
        Log-spaced contour levels.
    vectorized : bool, default False
        Whether the callables accept batches ``(..., d)``. By default they are called once per point,
        which is slower but safe for code written with ``x[0], x[1]``.

    Returns
    -------
    TestFunction

    Examples
    --------
    >>> import numpy as np
    >>> from adamlab.functions import from_callables
    >>> f = from_callables(lambda x: (x[0] - 1) ** 2 + 3 * x[1] ** 2, dim=2, minima=[[1, 0]])
    >>> f.approximate_grad, f.grad(np.array([[0.0, 1.0], [2.0, -1.0]])).round(6)
    (True, array([[-2.,  6.],
           [ 2., -6.]]))
    """
    d = int_at_least("from_callables", "dim", dim, 1)
    if not callable(value):
        raise TypeError(f"from_callables: value must be callable, got {value!r}")
    for label, fn in (("grad", grad), ("hessian", hessian)):
        if fn is not None and not callable(fn):
            raise TypeError(f"from_callables: {label} must be callable or None, got {fn!r}")
    dom = np.tile([-5.0, 5.0], (d, 1)) if domain is None else np.asarray(domain, float)
    if dom.shape != (d, 2):
        raise ValueError(f"from_callables: domain must have shape ({d}, 2), got {dom.shape}")
    if starts is None:
        starts = dom[:, 0] + 0.8 * (dom[:, 1] - dom[:, 0])
    return CallableFunction(
        value,
        grad,
        hessian,
        dim=d,
        vectorized=vectorized,
        name=name,
        params={},
        minima=np.zeros((0, d)) if minima is None else minima,
        min_value=min_value,
        domain=dom,
        starts=starts,
        latex=latex,
        description=description,
        log_levels=log_levels,
        character=None,
    )
