r"""Stochastic, minibatch, sparse and online objectives: the settings Adam was designed for.

Every objective here follows one protocol, so optimizers and :func:`adamlab.run` use them exactly like
the deterministic functions of :mod:`adamlab.functions`:

- ``obj(x)`` is the true (expected) value and ``obj.grad(x)`` the exact full gradient, for ``x`` of shape
  ``(..., d)``; ``obj.dim``, ``obj.domain``, ``obj.minima``, ``obj.min_value``, ``obj.starts``,
  ``obj.log_levels``, ``obj.latex``, ``obj.description`` and ``obj.name`` are as for a
  :class:`~adamlab.functions.TestFunction`.
- ``obj.sample_grad(x, t, rng)`` is the stochastic gradient used at step ``t`` (1-based), with ``rng`` a
  :class:`numpy.random.Generator`; every element of a batch ``x[k]`` gets independent noise.
  ``obj.stochastic`` is True.
- Online problems also have ``obj.project(x)`` (the feasible set) and ``obj.value_t(x, t)`` (the loss
  :math:`f_t`); :func:`regret` measures them.

The objects hold no hidden state: the randomness comes only from the ``rng`` you pass, so the same seed
gives the same gradient sequence (see :meth:`Objective.sample_grads`), and synthetic data sets are drawn
once, from their own ``seed``, when the objective is built.

Examples
--------
>>> import numpy as np
>>> from adamlab import objectives
>>> obj = objectives.noisy("sphere", sigma=0.5)
>>> obj.sample_grads([1.0, 2.0], steps=3, seed=0).round(3)
array([[2.063, 3.934],
       [2.32 , 4.052],
       [1.732, 4.181]])
>>> obj.grad([1.0, 2.0])                    # the exact gradient is the mean of the samples
array([2., 4.])
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from adamlab._checks import Interval
from adamlab.functions import get
from adamlab.functions._base import frozen
from adamlab.functions._validate import int_at_least, positive_real, probability, real

__all__ = [
    "Objective",
    "GradientNoise",
    "SparseGradient",
    "LeastSquares",
    "LogisticRegression",
    "SparseLogisticRegression",
    "OnlineLinear",
    "StochasticLinear",
    "noisy",
    "sparse",
    "L2",
    "l2",
    "reddi",
    "reddi_synthetic",
    "reddi_stochastic",
    "regret",
]


def _rng(rng: Any) -> np.random.Generator:
    """A Generator from a Generator (returned as is), a seed, or None."""
    return rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)


def _step(t: Any) -> int:
    if isinstance(t, (bool, np.bool_)) or not float(t).is_integer() or int(t) < 1:
        raise ValueError(f"step t must be an integer >= 1 (1-based), got {t!r}")
    return int(t)


class Objective:
    """Base class of the stochastic objectives (see the module docstring for the protocol)."""

    __test__ = False
    stochastic = True
    name = "objective"
    latex = ""
    description = ""
    log_levels = False
    character: tuple[str, ...] = ()

    def __init__(
        self,
        dim: int,
        *,
        params: dict[str, Any],
        minima: ArrayLike,
        min_value: float | None,
        domain: ArrayLike,
        starts: ArrayLike,
    ) -> None:
        self.dim = int(dim)
        self.params = dict(params)
        self.minima = frozen(np.reshape(np.asarray(minima, float), (-1, self.dim)))
        self.min_value = None if min_value is None else float(min_value)
        self.domain = frozen(domain, (self.dim, 2))
        self.standard_domain = self.domain
        self.starts = frozen(np.reshape(np.asarray(starts, float), (-1, self.dim)))
        self.stationary_points: dict[str, NDArray[np.float64]] = {}
        self.curves: dict[str, NDArray[np.float64]] = {}

    @property
    def start(self) -> NDArray[np.float64]:
        """The default start point, ``starts[0]``."""
        return self.starts[0]

    def _check(self, x: ArrayLike) -> NDArray[np.float64]:
        arr = np.asarray(x, dtype=float)
        if arr.ndim == 0 or arr.shape[-1] != self.dim:
            raise ValueError(
                f"{self.name}: expected points with last dimension d = {self.dim}, "
                f"got an array of shape {arr.shape}"
            )
        return arr

    def sample_grad(self, x: ArrayLike, t: int, rng: Any) -> NDArray[np.float64]:
        """The stochastic gradient of step `t` (1-based) at `x` of shape ``(..., d)``."""
        raise NotImplementedError  # pragma: no cover

    def sample_grads(self, x: ArrayLike, steps: int, seed: Any = 0) -> NDArray[np.float64]:
        """The gradients of steps 1..`steps` at a fixed `x`, shape ``(steps, ..., d)``.

        One Generator, ``numpy.random.default_rng(seed)``, is used for the whole sequence (as
        :func:`adamlab.run` does), so the same seed always gives the same sequence.
        """
        rng = _rng(seed)
        return np.stack([self.sample_grad(x, t, rng) for t in range(1, int(steps) + 1)])

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{type(self).__name__}({args})"


def _as_objective(f: Any) -> Any:
    """A zoo name becomes its TestFunction; anything with __call__ and grad is used as is."""
    if isinstance(f, str):
        return get(f)
    if not (callable(f) and hasattr(f, "grad") and hasattr(f, "dim")):
        raise TypeError(
            f"expected a function name, a TestFunction or an objective with dim and grad, got {f!r}"
        )
    return f


def _base_sample(base: Any, x: NDArray[np.float64], t: int, rng: np.random.Generator):
    """The base's own stochastic gradient if it has one, else its exact gradient."""
    if getattr(base, "stochastic", False):
        return np.asarray(base.sample_grad(x, t, rng), dtype=float)
    return np.asarray(base.grad(x), dtype=float)


class _Wrapper(Objective):
    """An objective that changes only how the gradient of `base` is sampled."""

    def __init__(self, base: Any, params: dict[str, Any]) -> None:
        self.base = base
        super().__init__(
            base.dim,
            params={"base": base, **params},
            minima=base.minima,
            min_value=base.min_value,
            domain=base.domain,
            starts=base.starts,
        )
        self.standard_domain = getattr(base, "standard_domain", self.domain)
        self.stationary_points = dict(getattr(base, "stationary_points", {}))
        self.curves = dict(getattr(base, "curves", {}))
        self.log_levels = bool(getattr(base, "log_levels", False))
        self.latex = getattr(base, "latex", "")
        if hasattr(base, "project"):
            self.project = base.project

    def __call__(self, x: ArrayLike) -> Any:
        return self.base(x)

    def grad(self, x: ArrayLike) -> NDArray[np.float64]:
        return self.base.grad(x)

    def hessian(self, x: ArrayLike) -> NDArray[np.float64]:
        return self.base.hessian(x)


# ======================================================================================= noise


class GradientNoise(_Wrapper):
    r"""Additive gradient noise on any function: built by :func:`noisy`.

    .. math:: \tilde g_t(x) = \nabla f(x) + \sigma\, \xi_t, \qquad
        \xi_t \sim \mathcal N(0, I) \ \text{or}\ \xi_{t,i} \sim t_\nu \ \text{(Student-t, i.i.d.)}.
    """

    def __init__(self, base: Any, sigma: Any, distribution: str, df: float) -> None:
        super().__init__(base, {"sigma": sigma, "distribution": distribution, "df": df})
        self.name = f"noisy_{base.name}"
        self.description = f"{base.name} with {distribution} gradient noise of scale {sigma}"
        self.sigma = sigma_arr = np.asarray(sigma, dtype=float)
        if sigma_arr.shape not in ((), (base.dim,)) or not np.all(np.isfinite(sigma_arr)):
            raise ValueError(
                f"noisy: sigma must be a finite number or an array of shape ({base.dim},), "
                f"got {sigma!r}"
            )
        if np.any(sigma_arr < 0):
            raise ValueError(f"noisy: sigma must be >= 0, got {sigma!r}")
        if distribution not in ("gaussian", "student_t"):
            raise ValueError(
                f"noisy: distribution must be 'gaussian' or 'student_t', got {distribution!r}"
            )
        self.distribution = distribution
        self.df = real("noisy", "df", df)
        if distribution == "student_t" and self.df <= 1:
            raise ValueError(
                f"noisy: df must be > 1 so that the noise has a mean (unbiased gradient), got {df!r}"
            )

    def sample_grad(self, x: ArrayLike, t: int, rng: Any) -> NDArray[np.float64]:
        x, rng = self._check(x), _rng(rng)
        g = _base_sample(self.base, x, _step(t), rng)
        if self.distribution == "gaussian":
            xi = rng.standard_normal(g.shape)
        else:
            xi = rng.standard_t(self.df, g.shape)
        return g + self.sigma * xi

    @property
    def noise_variance(self) -> NDArray[np.float64]:
        """Per-coordinate variance of the added noise (inf for Student-t with df <= 2)."""
        if self.distribution == "gaussian":
            factor = 1.0
        else:
            factor = self.df / (self.df - 2) if self.df > 2 else math.inf
        return np.broadcast_to(self.sigma**2 * factor, (self.dim,)).copy()


def noisy(
    f: Any, sigma: Any = 1.0, *, distribution: str = "gaussian", df: float = 3.0
) -> GradientNoise:
    r"""Add zero-mean noise to the gradient of any function or objective.

    Parameters
    ----------
    f : str, TestFunction or objective
        The function (a zoo name is looked up with :func:`adamlab.functions.get`). A stochastic `f`
        keeps its own noise and gets this noise on top.
    sigma : float or array of shape (d,), default 1.0
        Noise scale :math:`\sigma` (per coordinate if an array), >= 0.
    distribution : {"gaussian", "student_t"}
        Gaussian noise, or heavy-tailed Student-t noise with `df` degrees of freedom (scaled by sigma:
        its standard deviation is :math:`\sigma\sqrt{\nu/(\nu - 2)}` for :math:`\nu > 2` and infinite
        for :math:`\nu \le 2`; it has rare, huge outliers, where Adam's normalisation helps).
    df : float, default 3.0
        Degrees of freedom :math:`\nu > 1` (so the mean exists and the gradient stays unbiased).

    Returns
    -------
    GradientNoise
        ``sample_grad(x, t, rng) = f.grad(x) + sigma * xi`` (unbiased); value and exact gradient are f's.
    """
    return GradientNoise(_as_objective(f), sigma, distribution, df)


# ======================================================================================= sparsity


class SparseGradient(_Wrapper):
    r"""Sparse gradients: each coordinate is observed with probability p. Built by :func:`sparse`.

    .. math:: \tilde g_{t,i}(x) = \frac{\mathbb 1[u_{t,i} < p_i]}{p_i}\, g_i(x), \qquad
        u_{t,i} \sim U(0, 1),

    without the :math:`1/p_i` when ``rescale=False``.
    """

    def __init__(self, base: Any, p: Any, rescale: bool) -> None:
        super().__init__(base, {"p": p, "rescale": rescale})
        self.p = probability("sparse", "p", p)
        if self.p.shape not in ((), (base.dim,)):
            raise ValueError(
                f"sparse: p must be a number or an array of shape ({base.dim},), got shape "
                f"{self.p.shape}"
            )
        self.rescale = bool(rescale)
        self.name = f"sparse_{base.name}"
        self.description = f"{base.name} with each gradient coordinate observed with probability p"

    def sample_grad(self, x: ArrayLike, t: int, rng: Any) -> NDArray[np.float64]:
        x, rng = self._check(x), _rng(rng)
        g = _base_sample(self.base, x, _step(t), rng)
        observed = rng.random(g.shape) < self.p
        return np.where(observed, g / self.p if self.rescale else g, 0.0)


def sparse(f: Any, p: Any, *, rescale: bool = True) -> SparseGradient:
    r"""Observe each gradient coordinate only with probability p (the case AdaGrad and Adam target).

    Parameters
    ----------
    f : str, TestFunction or objective
        The function, e.g. ``"quadratic"`` (a zoo name) or a stochastic objective.
    p : float or array of shape (d,)
        Probability in (0, 1] that coordinate i is observed at a step; an array gives rare and frequent
        coordinates, e.g. ``p=[1.0, 0.02]``.
    rescale : bool, default True
        Divide observed coordinates by p so the sampled gradient is **unbiased**,
        :math:`\mathbb E\,\tilde g = \nabla f`, at the cost of variance
        :math:`g_i^2 (1 - p_i)/p_i`. With False the gradient is biased towards 0 (its mean is
        :math:`p_i g_i`), which is what a rare feature looks like to plain SGD: a rarely updated
        coordinate also moves less per step.

    Returns
    -------
    SparseGradient

    Examples
    --------
    >>> import numpy as np
    >>> from adamlab.objectives import sparse
    >>> obj = sparse("sphere", p=[1.0, 0.25])
    >>> obj.sample_grads([1.0, 1.0], steps=4, seed=0)   # 2 * 1 / 0.25 = 8 when observed
    array([[2., 0.],
           [2., 8.],
           [2., 0.],
           [2., 0.]])
    """
    return SparseGradient(_as_objective(f), p, rescale)


# ======================================================================================= regularisation


class L2(_Wrapper):
    r"""L2 regularisation, as part of the objective: built by :func:`l2`.

    .. math:: f_\lambda(\theta) = f(\theta) + \frac{\lambda}{2}\,\lVert\theta\rVert^2, \qquad
        \nabla f_\lambda(\theta) = \nabla f(\theta) + \lambda\,\theta.
    """

    def __init__(self, base: Any, weight_decay: Any) -> None:
        super().__init__(base, {"weight_decay": weight_decay})
        self.weight_decay = Interval("[0, inf)").check("l2", "weight_decay", weight_decay)
        if isinstance(self.weight_decay, np.ndarray):
            raise TypeError(f"l2: weight_decay must be a number, got an array {weight_decay!r}")
        self.name = f"l2_{base.name}"
        self.description = f"{base.name} + ({weight_decay}/2)|x|^2"
        if self.weight_decay > 0:  # the penalty moves the minima; they are no longer known exactly
            self.minima = frozen(np.empty((0, self.dim)))
            self.min_value = None
            self.stationary_points, self.curves = {}, {}
        self.stochastic = bool(getattr(base, "stochastic", False))

    def __call__(self, x: ArrayLike) -> Any:
        x = np.asarray(x, dtype=float)
        return self.base(x) + 0.5 * self.weight_decay * np.sum(x * x, axis=-1)

    def grad(self, x: ArrayLike) -> NDArray[np.float64]:
        x = np.asarray(x, dtype=float)
        return self.base.grad(x) + self.weight_decay * x

    def hessian(self, x: ArrayLike) -> NDArray[np.float64]:
        x = np.asarray(x, dtype=float)
        return self.base.hessian(x) + self.weight_decay * np.eye(self.dim)

    def sample_grad(self, x: ArrayLike, t: int, rng: Any) -> NDArray[np.float64]:
        x = self._check(x)
        return _base_sample(self.base, x, _step(t), _rng(rng)) + self.weight_decay * x


def l2(f: Any, weight_decay: float) -> L2:
    r"""Add an L2 penalty :math:`\frac{\lambda}{2}\lVert\theta\rVert^2` to a function or objective.

    L2 regularisation changes the objective, so it belongs here and not in an optimizer: any optimizer on
    ``l2(f, λ)`` sees the gradient :math:`\nabla f + \lambda\theta`. Adam on it is PyTorch's
    ``Adam(weight_decay=λ)``, and SGD on it is PyTorch's ``SGD(weight_decay=λ)``. Decoupled weight decay
    (:class:`adamlab.AdamW`) is not the same thing for Adam: there the decay is not divided by
    :math:`\sqrt{\hat v}` (see ``docs/conventions.md``).

    Parameters
    ----------
    f : str, TestFunction or objective
        The function (a zoo name is looked up with :func:`adamlab.functions.get`).
    weight_decay : float >= 0
        λ.

    Returns
    -------
    L2
        Value, gradient, Hessian and (for a stochastic ``f``) sampled gradients of the penalised objective. With
        λ > 0 the minima of ``f`` no longer apply, so ``minima`` is empty.

    Examples
    --------
    >>> import numpy as np
    >>> from adamlab.objectives import l2
    >>> obj = l2("sphere", 0.5)
    >>> obj([1.0, 2.0]), obj.grad([1.0, 2.0])     # |x|^2 + 0.25 |x|^2 and 2x + 0.5x
    (np.float64(6.25), array([2.5, 5. ]))
    """
    return L2(_as_objective(f), weight_decay)


# ======================================================================================= finite sums


class _FiniteSum(Objective):
    r"""Mean of n per-example losses, sampled in minibatches of `batch_size` distinct examples."""

    # Per-example weights of the L2 term (None: every example carries the full (l2/2)|w|^2).
    _l2_weights: NDArray[np.float64] | None = None

    def __init__(self, features, targets, *, batch_size, replace, params, l2=0.0) -> None:
        self.features = frozen(features)
        self.targets = frozen(targets)
        self.n, d = self.features.shape
        self.batch_size = int_at_least(self.name, "batch_size", batch_size, 1)
        if self.batch_size > self.n:
            raise ValueError(
                f"{self.name}: parameter batch_size must be <= n = {self.n}, got {batch_size!r}"
            )
        self.replace = bool(replace)
        self.l2 = float(l2)
        self.dim = d  # needed by the solver, before Objective.__init__
        w_star = self._solve()
        f_star = float(self(w_star))
        radius = 3.0
        super().__init__(
            d,
            params=params,
            minima=[w_star],
            min_value=f_star,
            domain=np.stack([w_star - radius, w_star + radius], -1),
            starts=[w_star + np.resize([-2.5, 2.0], d), w_star + np.resize([2.5, 1.5], d)],
        )

    # per-example pieces, over (..., m, d) features and (..., m) targets
    def _losses(self, w, A, b):  # pragma: no cover - abstract
        raise NotImplementedError

    def _residual_grad(self, w, A, b):  # pragma: no cover - abstract
        """r such that the per-example gradient is r[..., i] * A[..., i, :] (+ l2 * w)."""
        raise NotImplementedError

    def __call__(self, x: ArrayLike) -> Any:
        w = self._check(x)
        with np.errstate(over="ignore", invalid="ignore"):
            loss = np.mean(self._losses(w, self.features, self.targets), axis=-1)
            return loss + 0.5 * self.l2 * np.sum(w**2, axis=-1)

    def grad(self, x: ArrayLike) -> NDArray[np.float64]:
        """Exact full-batch gradient."""
        w = self._check(x)
        return self.batch_grad(w, np.arange(self.n))

    def batch_grad(self, x: ArrayLike, idx: ArrayLike) -> NDArray[np.float64]:
        """Gradient of the mean loss over the examples `idx` (shape ``(m,)`` or ``(..., m)``)."""
        w = self._check(x)
        idx = np.asarray(idx)
        A, b = self.features[idx], self.targets[idx]  # (..., m, d), (..., m)
        with np.errstate(over="ignore", invalid="ignore"):
            r = self._residual_grad(w, A, b)  # (..., m)
            g = np.einsum("...m,...md->...d", r, A) / idx.shape[-1]
        if self._l2_weights is None:
            return g + self.l2 * w
        return g + self.l2 * w * np.mean(self._l2_weights[idx], axis=-2)

    def sample_grad(self, x: ArrayLike, t: int, rng: Any) -> NDArray[np.float64]:
        """Minibatch gradient: `batch_size` examples drawn uniformly, independently per step and per
        batch element; distinct within a minibatch unless ``replace=True``. Unbiased either way."""
        w, rng = self._check(x), _rng(rng)
        _step(t)
        shape, n, B = w.shape[:-1], self.n, self.batch_size
        if self.replace or B == 1:  # (a single draw is the same with or without replacement)
            idx = rng.integers(0, n, size=shape + (B,))
        elif B == n:
            idx = np.broadcast_to(np.arange(n), shape + (n,))
        else:  # B distinct indices: the B smallest of n uniform keys (a uniform random subset)
            idx = np.argpartition(rng.random(shape + (n,)), B - 1, axis=-1)[..., :B]
        return self.batch_grad(w, idx)

    def hessian(self, x: ArrayLike) -> NDArray[np.float64]:
        """Exact Hessian of the full objective."""
        w = self._check(x)
        return self._hessian(w) + self.l2 * np.eye(self.dim)


class LeastSquares(_FiniteSum):
    r"""Linear least squares on synthetic data, sampled in minibatches as in training.

    .. math::
        f(w) = \frac{1}{2n} \sum_{i=1}^{n} (a_i^\top w - b_i)^2, \qquad
        \tilde g_t(w) = \frac{1}{B} \sum_{i \in \mathcal B_t} (a_i^\top w - b_i)\, a_i.

    Parameters
    ----------
    n : int, default 256
        Number of examples.
    dim : int, default 2
        Number of weights d.
    batch_size : int, default 16
        Minibatch size B (B = n gives the exact gradient).
    noise : float, default 0.5
        Standard deviation of the label noise, :math:`b = A w_{true} + \text{noise}\cdot z`; the
        minimum value is about noise^2 / 2.
    kappa : float, default 10
        Feature scales grow geometrically from 1 to sqrt(kappa), so the Hessian :math:`A^\top A/n` has a
        condition number of about kappa (axis-aligned).
    replace : bool, default False
        Sample a minibatch with replacement (cheaper for huge batches of starts).
    seed : int or Generator, default 0
        Seed of the synthetic data set (the sampling noise comes from the `rng` of ``sample_grad``).

    Notes
    -----
    The minimum (``minima[0]``) is the exact least-squares solution; the plotting window is
    ``minima[0] +- 3``. ``features``, ``targets`` and ``w_true`` hold the data.
    """

    name = "least_squares"
    latex = r"f(w) = \frac{1}{2n} \sum_i (a_i^\top w - b_i)^2"
    log_levels = True
    character = ("convex",)

    def __init__(
        self,
        n: int = 256,
        dim: int = 2,
        batch_size: int = 16,
        noise: float = 0.5,
        kappa: float = 10.0,
        replace: bool = False,
        seed: Any = 0,
    ) -> None:
        n = int_at_least(self.name, "n", n, 1)
        d = int_at_least(self.name, "dim", dim, 1)
        noise = real(self.name, "noise", noise)
        if noise < 0:
            raise ValueError(f"{self.name}: parameter noise must be >= 0, got {noise!r}")
        kappa = positive_real(self.name, "kappa", kappa)
        rng = _rng(seed)
        scales = np.geomspace(1.0, math.sqrt(kappa), d)
        A = rng.standard_normal((n, d)) * scales
        self.w_true = frozen(np.resize([1.5, -1.0, 0.5], d))
        b = A @ self.w_true + noise * rng.standard_normal(n)
        self.description = f"Least squares, n={n}, d={d}, minibatches of {batch_size}: noise from sampling examples."
        super().__init__(
            A,
            b,
            batch_size=batch_size,
            replace=replace,
            params={"n": n, "dim": d, "batch_size": batch_size, "noise": noise, "kappa": kappa},
        )

    def _solve(self):
        return np.linalg.lstsq(self.features, self.targets, rcond=None)[0]

    def _losses(self, w, A, b):
        return 0.5 * (np.einsum("...d,md->...m", w, A) - b) ** 2

    def _residual_grad(self, w, A, b):
        return np.einsum("...d,...md->...m", w, A) - b

    def _hessian(self, w):
        H = self.features.T @ self.features / self.n
        return np.broadcast_to(H, w.shape + (self.dim,)).copy()


def _log1pexp(z):
    """log(1 + e^z) without overflow."""
    return np.logaddexp(0.0, z)


def _sigmoid(z):
    """1 / (1 + e^-z) without overflow warnings."""
    return np.exp(-np.logaddexp(0.0, -z))


class LogisticRegression(_FiniteSum):
    r"""L2-regularised logistic regression on synthetic data, sampled in minibatches.

    .. math::
        f(w) = \frac1n \sum_{i=1}^{n} \log\left(1 + e^{-y_i a_i^\top w}\right) + \frac{\lambda}{2}\|w\|^2,
        \qquad y_i \in \{-1, +1\},

    .. math::
        \tilde g_t(w) = -\frac1B \sum_{i \in \mathcal B_t} \sigma(-y_i a_i^\top w)\, y_i a_i + \lambda w.

    Parameters
    ----------
    n : int, default 256
        Number of examples.
    dim : int, default 2
        Number of weights d.
    batch_size : int, default 16
        Minibatch size B.
    l2 : float, default 0.01
        :math:`\lambda > 0`, which makes the minimum unique and finite even for separable data.
    replace : bool, default False
        Sample a minibatch with replacement.
    seed : int or Generator, default 0
        Seed of the synthetic data set: Gaussian features, labels drawn from the logistic model with
        weights ``w_true``.

    Notes
    -----
    The minimum is found by Newton's method at construction (to machine precision).
    """

    name = "logistic_regression"
    latex = r"f(w) = \frac{1}{n}\sum_i \log(1 + e^{-y_i a_i^\top w}) + \frac{\lambda}{2}\|w\|^2"
    log_levels = True
    character = ("convex",)

    def __init__(
        self,
        n: int = 256,
        dim: int = 2,
        batch_size: int = 16,
        l2: float = 0.01,
        replace: bool = False,
        seed: Any = 0,
    ) -> None:
        n = int_at_least(self.name, "n", n, 1)
        d = int_at_least(self.name, "dim", dim, 1)
        l2 = positive_real(self.name, "l2", l2)
        rng = _rng(seed)
        A = rng.standard_normal((n, d))
        self.w_true = frozen(np.resize([2.0, -1.0, 0.5], d))
        y = np.where(rng.random(n) < _sigmoid(A @ self.w_true), 1.0, -1.0)
        self.description = f"Logistic regression, n={n}, d={d}, minibatches of {batch_size}."
        super().__init__(
            A,
            y,
            batch_size=batch_size,
            replace=replace,
            l2=l2,
            params={"n": n, "dim": d, "batch_size": batch_size, "l2": l2},
        )

    def _solve(self):
        w = np.zeros(self.features.shape[1])
        for _ in range(100):  # Newton on a strictly convex function
            step = np.linalg.solve(self.hessian(w), self.grad(w))
            w = w - step
            if np.max(np.abs(step)) < 1e-15 * max(1.0, np.max(np.abs(w))):
                break
        return w

    def _losses(self, w, A, b):
        return _log1pexp(-b * np.einsum("...d,md->...m", w, A))

    def _residual_grad(self, w, A, b):
        return -b * _sigmoid(-b * np.einsum("...d,...md->...m", w, A))

    def _hessian(self, w):
        A = self.features
        z = np.einsum("...d,md->...m", w, A)
        s = _sigmoid(z) * _sigmoid(-z)
        return np.einsum("...m,md,me->...de", s, A, A) / self.n


class SparseLogisticRegression(LogisticRegression):
    r"""Logistic regression with sparse binary features of Zipf-like frequencies.

    Feature j (1-based) is present (:math:`a_{ij} = 1`) with probability
    :math:`p_j = p_{max}\, j^{-s}`, so a minibatch gradient is nonzero only on the features its
    examples contain: frequent features get a gradient almost every step, rare ones seldom, and
    then a large one. This is the bag-of-words setting (IMDB in Kingma & Ba, section 6.1) where
    AdaGrad and Adam shine. Labels come from the logistic model with weights ``w_true``, whose largest
    entries sit on rare features.

    Parameters
    ----------
    n : int, default 1000
    dim : int, default 20
    batch_size : int, default 8
    zipf : float, default 1.0
        Exponent s >= 0 of the feature frequencies.
    max_frequency : float, default 0.5
        :math:`p_{max}` in (0, 1], the frequency of the most common feature.
    l2 : float, default 1e-3
    replace : bool, default False
    seed : int or Generator, default 0

    Notes
    -----
    ``feature_frequencies`` holds the :math:`p_j`. Sampling is the same unbiased minibatch sampling as
    :class:`LogisticRegression`; the sparsity is in the data, not added noise. To keep minibatch
    gradients sparse, the L2 term is spread over the examples that contain a feature ("lazy"
    regularisation): example i carries :math:`\frac{\lambda}{2}\sum_j (a_{ij}/\hat p_j) w_j^2`, with
    :math:`\hat p_j` the fraction of examples containing feature j. These weights average to exactly
    1 over the data set, so the objective is still :math:`\ldots + \frac{\lambda}{2}\|w\|^2` and the
    minibatch gradient is still unbiased, but it is zero on every feature absent from the minibatch.
    Every feature occurs in at least one example (an empty column gets one 1 at a random row).
    """

    name = "sparse_logistic_regression"

    def __init__(
        self,
        n: int = 1000,
        dim: int = 20,
        batch_size: int = 8,
        zipf: float = 1.0,
        max_frequency: float = 0.5,
        l2: float = 1e-3,
        replace: bool = False,
        seed: Any = 0,
    ) -> None:
        n = int_at_least(self.name, "n", n, 1)
        d = int_at_least(self.name, "dim", dim, 1)
        s = real(self.name, "zipf", zipf)
        if s < 0:
            raise ValueError(f"{self.name}: parameter zipf must be >= 0, got {zipf!r}")
        pmax = float(probability(self.name, "max_frequency", max_frequency))
        l2 = positive_real(self.name, "l2", l2)
        rng = _rng(seed)
        freq = pmax * np.arange(1, d + 1, dtype=float) ** -s
        self.feature_frequencies = frozen(freq)
        A = (rng.random((n, d)) < freq).astype(float)
        for j in np.flatnonzero(A.sum(0) == 0):  # every feature occurs at least once
            A[rng.integers(n), j] = 1.0
        self._l2_weights = frozen(A / A.mean(0))
        self.w_true = frozen(np.linspace(-1.0, 3.0, d) if d > 1 else [2.0])
        logits = A @ self.w_true - freq @ self.w_true  # centred, so both labels occur
        y = np.where(rng.random(n) < _sigmoid(logits), 1.0, -1.0)
        self.description = (
            f"Sparse logistic regression, n={n}, d={d}, Zipf({s}) feature frequencies, "
            f"minibatches of {batch_size}."
        )
        _FiniteSum.__init__(
            self,
            A,
            y,
            batch_size=batch_size,
            replace=replace,
            l2=l2,
            params={
                "n": n,
                "dim": d,
                "batch_size": batch_size,
                "zipf": zipf,
                "max_frequency": max_frequency,
                "l2": l2,
            },
        )


# ======================================================================================= online


class _LinearOnBox(Objective):
    """Shared parts of the linear online problems on F = [-1, 1]: the expected loss and projection."""

    character = ("convex",)

    def _setup(self, params: dict[str, Any], what: str) -> None:
        best = -1.0 if self.mean_coefficient >= 0 else 1.0
        self.description = f"{what}; the best fixed point is x = {best:g}."
        super().__init__(
            1,
            params=params,
            minima=[[best]],
            min_value=-abs(self.mean_coefficient),
            domain=[[-1.0, 1.0]],
            starts=[[0.0], [1.0]],
        )
        self.feasible = self.domain

    def __call__(self, x: ArrayLike) -> Any:
        """The expected (average) loss, mean_coefficient * x."""
        return self.mean_coefficient * self._check(x)[..., 0]

    def grad(self, x: ArrayLike) -> NDArray[np.float64]:
        """The gradient of the expected loss."""
        return np.full_like(self._check(x), self.mean_coefficient)

    def hessian(self, x: ArrayLike) -> NDArray[np.float64]:
        return np.zeros(self._check(x).shape + (1,))

    def project(self, x: ArrayLike) -> NDArray[np.float64]:
        """Projection onto F = [-1, 1] (on a box every weighted projection of Reddi et al. is this clip)."""
        return np.clip(np.asarray(x, dtype=float), -1.0, 1.0)


class OnlineLinear(_LinearOnBox):
    r"""A periodic online linear problem on :math:`F = [-1, 1]` (Reddi et al., 2018).

    .. math::
        f_t(x) = c_t\, x, \qquad c_t = \begin{cases} C & t \bmod P = 1 \\ s & \text{otherwise,}
        \end{cases} \qquad x \in [-1, 1],

    built by :func:`reddi` (C, s, P = C, -1, 3) and :func:`reddi_synthetic` (1010, -10, 101).

    ``sample_grad(x, t, rng)`` returns :math:`c_t` (deterministic given t; `rng` is unused),
    ``value_t(x, t)`` the loss :math:`f_t(x)` (t broadcasts against the batch of x), ``project`` clips
    to [-1, 1], and ``obj(x)`` is the average loss over one period, :math:`\bar c\,x` with
    :math:`\bar c = (C + (P - 1)s)/P`. When :math:`\bar c > 0` the best fixed point is x = -1
    (``minima``), with average loss :math:`-\bar c` (``min_value``).
    """

    name = "online_linear"
    latex = r"f_t(x) = c_t x,\ c_t = C \ \mathrm{if}\ t \bmod P = 1\ \mathrm{else}\ s"

    def __init__(self, big: float, small: float, period: int, *, name: str | None = None) -> None:
        self.big = real("online_linear", "big", big)
        self.small = real("online_linear", "small", small)
        self.period = int_at_least("online_linear", "period", period, 2)
        if name is not None:
            self.name = name
        self.mean_coefficient = (self.big + (self.period - 1) * self.small) / self.period
        self._setup(
            {"big": big, "small": small, "period": period},
            f"Online linear losses on [-1, 1]: {self.big:g}x once every {self.period} steps, "
            f"{self.small:g}x otherwise",
        )

    def __repr__(self) -> str:
        return f"{self.name}(big={self.big:g}, small={self.small:g}, period={self.period})"

    def coefficient(self, t: ArrayLike) -> NDArray[np.float64]:
        """:math:`c_t` for integer steps t >= 1 (vectorised)."""
        t = np.asarray(t)
        return np.where(t % self.period == 1, self.big, self.small).astype(float)

    def value_t(self, x: ArrayLike, t: ArrayLike) -> Any:
        """The loss :math:`f_t(x) = c_t x` (t may be an array broadcasting against x's batch)."""
        return self.coefficient(t) * self._check(x)[..., 0]

    def sample_grad(self, x: ArrayLike, t: int, rng: Any = None) -> NDArray[np.float64]:
        return np.full_like(self._check(x), self.coefficient(_step(t)))

    def hindsight(self, T: int) -> NDArray[np.float64]:
        r""":math:`\min_{x \in F} \sum_{s \le t} f_s(x) = -|\sum_{s \le t} c_s|` for t = 1..T."""
        return -np.abs(np.cumsum(self.coefficient(np.arange(1, int(T) + 1))))


class StochasticLinear(_LinearOnBox):
    r"""Reddi et al.'s stochastic version: :math:`f_t(x) = C x` with probability p, else :math:`s x`.

    The expected loss is :math:`\bar c\,x` with :math:`\bar c = pC + (1 - p)s`; ``sample_grad`` draws
    :math:`c_t` from `rng`, independently per batch element. There is no ``value_t`` (the losses are
    random); :func:`regret` uses the expected loss.
    """

    name = "reddi_stochastic"
    latex = r"f_t(x) = C x\ \mathrm{w.p.}\ p,\ \mathrm{else}\ s x"

    def __init__(self, big: float, small: float, p: float) -> None:
        self.p = float(probability(self.name, "p", p))
        self.big = real(self.name, "big", big)
        self.small = real(self.name, "small", small)
        self.mean_coefficient = self.p * self.big + (1 - self.p) * self.small
        self._setup(
            {"big": big, "small": small, "p": p},
            f"Stochastic linear losses on [-1, 1]: {self.big:g}x with probability {self.p:g}, "
            f"{self.small:g}x otherwise",
        )

    def sample_grad(self, x: ArrayLike, t: int, rng: Any) -> NDArray[np.float64]:
        x, rng = self._check(x), _rng(rng)
        _step(t)
        return np.where(rng.random(x.shape) < self.p, self.big, self.small).astype(float)


def reddi(C: float = 3.0) -> OnlineLinear:
    r"""Reddi et al.'s online counterexample: :math:`f_t(x) = Cx` if t mod 3 = 1, else :math:`-x`, on [-1, 1].

    Parameters
    ----------
    C : float, default 3
        Must be > 2, so that the best fixed point is x = -1 (average loss (C - 2)/3 per step).

    Notes
    -----
    With :math:`\beta_1 = 0`, :math:`\beta_2 = 1/(1 + C^2)` and no bias correction, Adam converges to
    x = +1, the worst point, with non-vanishing average regret; AMSGrad converges to -1 (Reddi, Kale &
    Kumar 2018, section 3).

    Examples
    --------
    >>> from adamlab.objectives import reddi
    >>> obj = reddi(3.0)
    >>> [float(obj.sample_grad([0.0], t, None)[0]) for t in range(1, 7)]
    [3.0, -1.0, -1.0, 3.0, -1.0, -1.0]
    >>> obj.minima, round(obj.min_value, 6)
    (array([[-1.]]), -0.333333)
    """
    c = real("reddi", "C", C)
    if c <= 2:
        raise ValueError(f"reddi: parameter C must be > 2 for x = -1 to be optimal, got {C!r}")
    return OnlineLinear(c, -1.0, 3, name="reddi")


def reddi_synthetic() -> OnlineLinear:
    r"""Reddi et al.'s synthetic experiment (section 5): :math:`f_t(x) = 1010x` if t mod 101 = 1, else
    :math:`-10x`, on [-1, 1]. Per period the losses sum to 10x, so x = -1 is optimal; with
    :math:`\beta_1 = 0.9, \beta_2 = 0.99` Adam drifts to +1 and AMSGrad to -1."""
    return OnlineLinear(1010.0, -10.0, 101, name="reddi_synthetic")


def reddi_stochastic(
    p: float = 0.01, big: float = 1010.0, small: float = -10.0
) -> StochasticLinear:
    r"""Reddi et al.'s stochastic experiment: :math:`f_t(x) = 1010x` with probability 0.01, else
    :math:`-10x`. The expected loss is 0.2x, minimised at x = -1."""
    return StochasticLinear(big, small, p)


def regret(objective: Any, xs: Any, *, average: bool = False) -> NDArray[np.float64]:
    r"""Cumulative regret :math:`R(t) = \sum_{s \le t} f_s(x_s) - \min_{x \in F} \sum_{s \le t} f_s(x)`.

    Parameters
    ----------
    objective : online objective
        With ``value_t(x, t)`` the losses :math:`f_t` are used and the comparator is the best fixed point
        in hindsight (exact, via ``objective.hindsight`` when available, else ``objective.minima[0]``).
        Without ``value_t`` (stochastic problems) the expected loss ``objective(x)`` is used with the
        comparator ``objective.min_value``.
    xs : array of shape (T, ..., d), or a Trajectory
        ``xs[t - 1]`` is the point :math:`x_t` at which :math:`f_t` is played, i.e. the parameters
        *before* step t: for a Trajectory recorded with ``every=1`` that is ``trajectory.params[:-1]``,
        which is what passing the Trajectory itself does.
    average : bool, default False
        Return :math:`R(t)/t` instead (it tends to 0 for a no-regret method).

    Returns
    -------
    ndarray, shape (T, ...)
        :math:`R(1), \ldots, R(T)` for each element of the batch.

    Examples
    --------
    >>> import numpy as np
    >>> from adamlab.objectives import reddi, regret
    >>> obj = reddi(3.0)
    >>> regret(obj, np.full((6, 1), -1.0))   # always playing the best fixed point
    array([0., 0., 0., 0., 0., 0.])
    >>> regret(obj, np.full((6, 1), 1.0))    # always the worst: R(3k) = 2k(C - 2)
    array([6., 4., 2., 8., 6., 4.])
    """
    if hasattr(xs, "params") and hasattr(xs, "steps"):
        steps = np.asarray(xs.steps)
        if not np.array_equal(steps, np.arange(len(steps))):
            raise ValueError("regret needs every step recorded: run the trajectory with every=1")
        xs = xs.params[:-1]
    xs = np.asarray(xs, dtype=float)
    if xs.ndim < 2 or xs.shape[-1] != objective.dim:
        raise ValueError(
            f"regret: xs must have shape (T, ..., {objective.dim}), got an array of shape {xs.shape}"
        )
    T = xs.shape[0]
    t = np.arange(1, T + 1).reshape((T,) + (1,) * (xs.ndim - 2))
    value_t = getattr(objective, "value_t", None)
    if value_t is not None:
        played = np.cumsum(value_t(xs, t), axis=0)
        if getattr(objective, "hindsight", None) is not None:
            best = objective.hindsight(T).reshape(t.shape)
        else:
            x_star = np.asarray(objective.minima[0], dtype=float)
            best = np.cumsum(
                value_t(np.broadcast_to(x_star, (T, objective.dim)), t[:, ...].ravel())
            )
            best = best.reshape(t.shape)
    else:
        played = np.cumsum(objective(xs), axis=0)
        best = t * objective.min_value
    R = played - best
    return R / t if average else R
