"""The `TestFunction` base class: validation, vectorisation and metadata shared by every zoo function."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["TestFunction", "frozen"]


def frozen(a: ArrayLike, shape_tail: tuple[int, ...] | None = None) -> NDArray[np.float64]:
    """Return a read-only float64 copy of `a` (metadata arrays must not be mutated by callers)."""
    out = np.array(a, dtype=float)
    if shape_tail is not None and out.shape[out.ndim - len(shape_tail) :] != shape_tail:
        raise ValueError(f"expected an array of shape (..., {shape_tail}), got {out.shape}")
    out.setflags(write=False)
    return out


def sym2(hxx: Any, hxy: Any, hyy: Any) -> NDArray[np.float64]:
    """Assemble 2 x 2 symmetric Hessians of shape (..., 2, 2) from their (broadcastable) entries."""
    hxx, hxy, hyy = np.broadcast_arrays(
        np.asarray(hxx, float), np.asarray(hxy, float), np.asarray(hyy, float)
    )
    return np.stack([np.stack([hxx, hxy], -1), np.stack([hxy, hyy], -1)], -2)


class TestFunction:
    r"""A deterministic test function :math:`f:\mathbb{R}^d \to \mathbb{R}` with exact derivatives.

    Every method takes points of shape ``(..., d)`` (array-likes and ints are accepted) and is
    vectorised over the leading axes: ``f(x)`` has shape ``(...)``, ``f.grad(x)`` has shape ``(..., d)``
    and ``f.hessian(x)`` has shape ``(..., d, d)``. One call evaluates a point, a batch of starts or a
    whole plotting grid ``np.stack([X, Y], -1)``.

    Attributes
    ----------
    name : str
        Registry name, e.g. ``"rosenbrock"``.
    dim : int
        Dimension ``d`` of a point.
    params : dict
        The parameters the function was built with (``repr`` shows them).
    minima : ndarray, shape (k, d)
        All global minima (on the standard domain where the function is unbounded outside it);
        shape ``(0, d)`` when the function is unbounded below.
    min_value : float or None
        The global minimum value, None if unbounded below.
    stationary_points : dict[str, ndarray]
        Other notable stationary points, name -> ``(m, d)`` array (may be empty).
    curves : dict[str, ndarray]
        Notable curves (valley floors, plateau lines) as ``(n, d)`` polylines (may be empty).
    domain : ndarray, shape (d, 2)
        Recommended plotting window, rows ``[low, high]``.
    standard_domain : ndarray, shape (d, 2)
        The search box used in the literature (may differ from the plotting window).
    starts : ndarray, shape (n, d)
        Default start points that make a good picture; ``start`` is ``starts[0]``.
    log_levels : bool
        Whether contour levels should be log-spaced.
    latex : str
        The formula in LaTeX (matplotlib mathtext compatible), without ``$``.
    description : str
        One line describing the function and what it teaches.
    character : tuple of str
        Tags among ``convex``, ``valley``, ``plateau``, ``multimodal``, ``saddle``, ``unbounded``.
    stochastic : bool
        Always False: a deterministic function has no ``sample_grad`` and no hidden state.
    approximate_grad, approximate_hessian : bool
        True when the derivative is a finite-difference approximation (user-wrapped functions only).
    """

    __test__ = False  # not a pytest test class, despite the name

    name: str = "function"
    latex: str = ""
    description: str = ""
    character: tuple[str, ...] = ()
    log_levels: bool = False
    stochastic: bool = False
    approximate_grad: bool = False
    approximate_hessian: bool = False

    def __init__(
        self,
        dim: int,
        *,
        params: dict[str, Any] | None = None,
        minima: ArrayLike,
        min_value: float | None,
        domain: ArrayLike,
        starts: ArrayLike,
        standard_domain: ArrayLike | None = None,
        stationary_points: dict[str, ArrayLike] | None = None,
        curves: dict[str, ArrayLike] | None = None,
    ) -> None:
        self.dim = int(dim)
        self.params = dict(params or {})
        d = self.dim
        self.minima = frozen(np.reshape(np.asarray(minima, float), (-1, d)))
        self.min_value = None if min_value is None else float(min_value)
        self.domain = frozen(domain, (d, 2))
        self.standard_domain = (
            self.domain if standard_domain is None else frozen(standard_domain, (d, 2))
        )
        self.starts = frozen(np.reshape(np.asarray(starts, float), (-1, d)))
        self.stationary_points = {
            k: frozen(np.reshape(np.asarray(v, float), (-1, d)))
            for k, v in (stationary_points or {}).items()
        }
        self.curves = {k: frozen(v, (d,)) for k, v in (curves or {}).items()}

    # ----------------------------------------------------------------------------- public API
    @property
    def start(self) -> NDArray[np.float64]:
        """The default start point, ``starts[0]``."""
        return self.starts[0]

    def __call__(self, x: ArrayLike) -> Any:
        """Value ``f(x)``: shape ``(...)`` for ``x`` of shape ``(..., d)``."""
        x = self._check(x)
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            return self._value(x)

    def grad(self, x: ArrayLike) -> NDArray[np.float64]:
        """Exact gradient: shape ``(..., d)`` for ``x`` of shape ``(..., d)``."""
        x = self._check(x)
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            return np.asarray(self._grad(x), dtype=float)

    def hessian(self, x: ArrayLike) -> NDArray[np.float64]:
        """Exact Hessian: shape ``(..., d, d)`` for ``x`` of shape ``(..., d)``."""
        x = self._check(x)
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            return np.asarray(self._hessian(x), dtype=float)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{self.name}({args})"

    # ----------------------------------------------------------------------------- internals
    def _check(self, x: ArrayLike) -> NDArray[np.float64]:
        try:
            arr = np.asarray(x, dtype=float)
        except (TypeError, ValueError) as err:
            raise TypeError(
                f"{self.name}: expected a point or an array of points of shape (..., {self.dim}) "
                f"of real numbers, got {type(x).__name__}"
            ) from err
        if arr.ndim == 0 or arr.shape[-1] != self.dim:
            raise ValueError(
                f"{self.name}: expected points with last dimension d = {self.dim}, "
                f"got an array of shape {arr.shape}"
            )
        return arr

    def _value(self, x: NDArray[np.float64]) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def _grad(self, x: NDArray[np.float64]) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def _hessian(self, x: NDArray[np.float64]) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError
