r"""The six optimizers, each the published algorithm line for line.

Each optimizer is a small frozen object of hyperparameters with two pure methods::

    state = opt.init(params)
    params, state = opt.step(params, grad, state)

``step_with_info`` also returns what a picture needs about the step just taken (for Adam m̂, v̂, the effective
per-coordinate step size α/(√v̂ + ε) and the update Δθ), computed by the update itself, never re-derived.

``params`` is one array of any shape (a point ``(d,)``, or a batch of starts ``(K, d)``), or a dict, list or
tuple of arrays; ``grad`` and every state field share its structure. Integers and array-likes are computed in
float64; float32 stays float32, state included. Every operation is elementwise, so a batch of K starts is K
independent runs, and hyperparameters may be arrays that broadcast against ``params`` (a whole learning-rate
sweep in one call). ``lr`` may also be a schedule: a callable of the 1-based step ``t``.

Conventions (ε outside the square root, accumulators starting at zero, PyTorch's AMSGrad) are listed in
``docs/conventions.md``, with what PyTorch, optax, Keras and scikit-learn do instead.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any, ClassVar, NamedTuple

import numpy as np

from adamlab import _tree
from adamlab._checks import check_range as _check_range
from adamlab._checks import format_value as _format

__all__ = [
    "Optimizer",
    "SGD",
    "Momentum",
    "AdaGrad",
    "RMSProp",
    "Adam",
    "AdaMax",
    "SGDState",
    "MomentumState",
    "AdaGradState",
    "RMSPropState",
    "AdamState",
    "AdaMaxState",
    "SGDInfo",
    "MomentumInfo",
    "AdaGradInfo",
    "RMSPropInfo",
    "AdamInfo",
    "AdaMaxInfo",
    "OPTIMIZERS",
]


# --------------------------------------------------------------------------------------------------------------
# States (the paper's symbols) and per-step information.


class SGDState(NamedTuple):
    """``t``: completed steps."""

    t: int


class MomentumState(NamedTuple):
    """``t``: completed steps; ``b``: the momentum buffer (velocity), b₀ = 0."""

    t: int
    b: Any


class AdaGradState(NamedTuple):
    """``t``: completed steps; ``G``: the running sum of squared gradients."""

    t: int
    G: Any


class RMSPropState(NamedTuple):
    """``t``: completed steps; ``v``: the running mean of g²; ``b``: the momentum buffer (None without momentum)."""

    t: int
    v: Any
    b: Any


class AdamState(NamedTuple):
    """``t``: completed steps; ``m``, ``v``: biased first and second raw moment estimates; ``v_max``: AMSGrad's
    running maximum of ``v`` (None without ``amsgrad``)."""

    t: int
    m: Any
    v: Any
    v_max: Any


class AdaMaxState(NamedTuple):
    """``t``: completed steps; ``m``: biased first moment; ``u``: exponentially weighted infinity norm."""

    t: int
    m: Any
    u: Any


class SGDInfo(NamedTuple):
    """The step just taken: ``step_size`` (α, per coordinate) and the update ``delta`` (Δθ)."""

    step_size: Any
    delta: Any


class MomentumInfo(NamedTuple):
    """The step just taken: the buffer ``b``, ``step_size`` (α) and the update ``delta`` (Δθ)."""

    b: Any
    step_size: Any
    delta: Any


class AdaGradInfo(NamedTuple):
    """The step just taken: ``G``, the effective step size α/(√G + ε) and the update ``delta`` (Δθ)."""

    G: Any
    step_size: Any
    delta: Any


class RMSPropInfo(NamedTuple):
    """The step just taken: ``v``, the effective step size α/(√v + ε) and the update ``delta`` (Δθ)."""

    v: Any
    step_size: Any
    delta: Any


class AdamInfo(NamedTuple):
    """The step just taken: ``m_hat`` (m̂), ``v_hat`` (v̂), the effective step size α/(√v̂ + ε) and ``delta``."""

    m_hat: Any
    v_hat: Any
    step_size: Any
    delta: Any


class AdaMaxInfo(NamedTuple):
    """The step just taken: ``m_hat`` = m/(1 − β1ᵗ), ``u``, the effective step size α/u and ``delta``."""

    m_hat: Any
    u: Any
    step_size: Any
    delta: Any


# --------------------------------------------------------------------------------------------------------------
# Hyperparameter checks.


def _unit(owner: str, name: str, value: Any) -> Any:
    """A decay rate in [0, 1) (β1, β2, ρ, momentum)."""
    return _check_range(owner, name, value, 0.0, 1.0, low_open=False, high_open=True)


def _nonneg(owner: str, name: str, value: Any) -> Any:
    """A finite value >= 0 (lr, ε, weight decay, initial accumulator)."""
    return _check_range(owner, name, value, 0.0, np.inf, low_open=False, high_open=True)


def _flag(owner: str, name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{owner}: {name} must be True or False, got {value!r}")
    return bool(value)


def _learning_rate(owner: str, value: Any) -> Any:
    """``lr``: a number, an array, or a schedule (callable of t, checked when called)."""
    if callable(value) and not isinstance(value, np.ndarray):
        return value
    return _nonneg(owner, "lr", value)


def _is_zero(value: Any) -> bool:
    """True for a scalar 0 (the hyperparameter is switched off everywhere)."""
    return not isinstance(value, np.ndarray) and value == 0.0


def _may_be_zero(eps: Any) -> bool:
    """Whether ε is 0 somewhere, so that a denominator √(·) + ε or u can be exactly 0."""
    return bool(eps == 0.0) if not isinstance(eps, np.ndarray) else bool(np.any(eps == 0.0))


def _divide(num: Any, den: np.ndarray, guard: bool) -> Any:
    """``num / den``, and 0 where ``den == 0`` when ``guard`` (ε = 0 and a coordinate that has only ever seen
    zero gradients: its accumulator is 0 and it does not move; never 0/0). NaN in ``den`` still propagates."""
    if not guard:
        return num / den
    with np.errstate(
        divide="ignore", invalid="ignore", over="ignore"
    ):  # over: α/u for a subnormal u
        q = np.true_divide(num, den)
    return np.where(den == 0, np.zeros((), q.dtype), q)


# --------------------------------------------------------------------------------------------------------------
# The common machinery: trees, checks, dtypes. Each optimizer only writes ``_init_leaf`` and ``_update``.


class Optimizer:
    """Base class. Subclasses are frozen dataclasses of hyperparameters and define ``State``, ``Info``,
    ``_init_leaf(theta) -> State`` and ``_update(theta, g, state, lr) -> (theta, State, Info)`` for one array."""

    State: ClassVar[type]
    Info: ClassVar[type]

    # ---- public API -------------------------------------------------------------------------------------------

    def init(self, params: Any) -> Any:
        """The state before the first step (``t = 0``, accumulators at their start values)."""
        leaves, treedef = _tree.flatten(params, "params")
        for theta in leaves:
            self._check_broadcast(theta)
        per_leaf = [self._init_leaf(theta) for theta in leaves]
        return self._merge(treedef, per_leaf, self.State, t=0)

    def step(self, params: Any, grad: Any, state: Any) -> tuple[Any, Any]:
        """One step: ``(new_params, new_state)``. Pure: the arguments are never modified."""
        params, state, _ = self._step(params, grad, state, want_info=False)
        return params, state

    def step_with_info(self, params: Any, grad: Any, state: Any) -> tuple[Any, Any, Any]:
        """One step, and what it did: ``(new_params, new_state, info)``; ``info`` has the fields of
        ``self.Info`` (e.g. ``AdamInfo(m_hat, v_hat, step_size, delta)``), each shaped like ``params``."""
        return self._step(params, grad, state, want_info=True)

    def _step(self, params: Any, grad: Any, state: Any, want_info: bool) -> tuple[Any, Any, Any]:
        self._check_state(state)
        t = state.t + 1
        lr = self._lr_at(t)
        # One float array is the common case (a point, a batch of starts): kept lean, no tree handling.
        if type(params) is np.ndarray and params.dtype.kind == "f":
            fields = [
                None if f is None else _tree.leaf_like(f, params, f"state.{name}")
                for name, f in zip(self.State._fields[1:], state[1:])
            ]
            g = _tree.leaf_like(grad, params, "grad")
            opt = self._for_dtype(params)
            leaf_state = self.State(state.t, *fields)
            return opt._update_in_blocks(params, g, leaf_state, opt._cast_lr(lr, params), want_info)
        leaves, treedef = _tree.flatten(params, "params")
        grads = _tree.flatten_like(grad, treedef, leaves, "grad")
        fields = [
            None
            if getattr(state, name) is None
            else _tree.flatten_like(getattr(state, name), treedef, leaves, f"state.{name}")
            for name in self.State._fields[1:]
        ]
        results = []
        for i, (theta, g) in enumerate(zip(leaves, grads)):
            leaf_state = self.State(state.t, *(None if f is None else f[i] for f in fields))
            opt = self._for_dtype(theta)
            results.append(
                opt._update_in_blocks(theta, g, leaf_state, opt._cast_lr(lr, theta), want_info)
            )
        new_params = _tree.unflatten(treedef, [r[0] for r in results])
        new_state = self._merge(treedef, [r[1] for r in results], self.State, t=t)
        info = self._merge(treedef, [r[2] for r in results], self.Info) if want_info else None
        return new_params, new_state, info

    def hyperparameters(self) -> dict[str, Any]:
        """The hyperparameters as a dict (the constructor's keywords)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    # ---- value semantics ----------------------------------------------------------------------------------

    def __repr__(self) -> str:
        changed = []
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            # lr is always shown: a plot label should say how big the steps are.
            same = (
                f.name != "lr"
                and not isinstance(value, np.ndarray)
                and not callable(value)
                and isinstance(f.default, type(value))
                and value == f.default
            )
            if not same:
                changed.append(f"{f.name}={_format(value)}")
        return f"{type(self).__name__}({', '.join(changed)})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        for f in dataclasses.fields(self):
            a, b = getattr(self, f.name), getattr(other, f.name)
            if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
                if not (np.shape(a) == np.shape(b) and np.array_equal(a, b)):
                    return False
            elif a != b:
                return False
        return True

    def __hash__(self) -> int:
        items = []
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            items.append(value.tobytes() if isinstance(value, np.ndarray) else value)
        return hash((type(self).__name__, *items))

    # ---- machinery ----------------------------------------------------------------------------------------

    @staticmethod
    def _merge(treedef: Any, per_leaf: list[Any], cls: type, **fixed: Any) -> Any:
        """Turn a list of per-leaf NamedTuples into one NamedTuple of trees."""
        values = {}
        for name in cls._fields:
            if name in fixed:
                values[name] = fixed[name]
                continue
            column = [getattr(x, name) for x in per_leaf]
            values[name] = None if column[0] is None else _tree.unflatten(treedef, column)
        return cls(**values)

    def _check_state(self, state: Any) -> None:
        if type(state) is not self.State:
            got = type(state).__name__
            raise ValueError(
                f"{type(self).__name__}.step needs a {self.State.__name__} from "
                f"{type(self).__name__}.init, got a {got}"
            )
        if isinstance(state.t, bool) or not isinstance(state.t, (int, np.integer)) or state.t < 0:
            raise ValueError(f"state.t must be an integer >= 0, got {state.t!r}")
        for name, expected_none in zip(self.State._fields[1:], self._absent_fields):
            if (getattr(state, name) is None) != expected_none:
                has = "has no" if getattr(state, name) is None else "has a"
                raise ValueError(
                    f"state {has} {name!r} field, so it was made by an optimizer with other "
                    f"options than {self!r}"
                )

    def _lr_at(self, t: int) -> Any:
        lr = self.lr
        if not callable(lr) or isinstance(lr, np.ndarray):
            return lr
        value = lr(t)
        try:
            checked = _nonneg(type(self).__name__, "lr", value)
        except (ValueError, TypeError) as exc:
            raise ValueError(
                f"the lr schedule {lr!r} gave an invalid value at t={t}: {exc}"
            ) from None
        return checked

    @functools.cached_property
    def _absent_fields(self) -> tuple[bool, ...]:
        """For each state field after ``t``: whether these options leave it None (e.g. ``v_max``)."""
        return tuple(f is None for f in self._init_leaf(np.zeros(()))[1:])

    @functools.cached_property
    def _array_hyperparameters(self) -> dict[str, np.ndarray]:
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if isinstance(getattr(self, f.name), np.ndarray)
        }

    def _arrays(self) -> dict[str, np.ndarray]:
        return self._array_hyperparameters

    def _check_broadcast(self, theta: np.ndarray) -> None:
        for name, value in self._arrays().items():
            try:
                shape = np.broadcast_shapes(value.shape, theta.shape)
            except ValueError:
                shape = None
            if shape != theta.shape:
                raise ValueError(
                    f"{type(self).__name__}: {name} has shape {value.shape}, which does not broadcast "
                    f"to params of shape {theta.shape} (e.g. use shape (K, 1) for params (K, d))"
                )

    def _for_dtype(self, theta: np.ndarray) -> Optimizer:
        """This optimizer with array hyperparameters checked against and cast to ``theta``'s dtype."""
        arrays = self._arrays()
        if not arrays:
            return self
        self._check_broadcast(theta)
        if theta.dtype == np.float64:
            return self
        cast = {name: value.astype(theta.dtype) for name, value in arrays.items()}
        opt = object.__new__(type(self))
        for f in dataclasses.fields(self):
            object.__setattr__(opt, f.name, cast.get(f.name, getattr(self, f.name)))
        return opt

    def _update_in_blocks(
        self, theta: np.ndarray, g: np.ndarray, state: Any, lr: Any, want_info: bool = True
    ) -> tuple:
        """``_update`` on one array, run over cache-sized blocks when the array is large.

        Every operation is elementwise, so the result is bit-identical to one ``_update`` call on the whole
        array; but each block's temporaries stay in the CPU cache, which makes a step on 10^7 parameters a few
        times faster and keeps the extra memory to the new params and state (no full-size temporaries). Arrays
        whose hyperparameters are arrays (sweeps) are small and take the direct path.
        """
        n = theta.size
        if n < 2 * _BLOCK or self._arrays() or isinstance(lr, np.ndarray):
            return self._update(theta, g, state, lr)
        flat = [theta.reshape(-1), g.reshape(-1)]
        fields = [None if f is None else f.reshape(-1) for f in state[1:]]
        out_theta = np.empty_like(flat[0])
        out_fields: list[Any] = [None if f is None else np.empty_like(flat[0]) for f in fields]
        out_info: list[Any] = (
            [np.empty_like(flat[0]) for _ in self.Info._fields] if want_info else []
        )
        for start in range(0, n, _BLOCK):
            block = slice(start, start + _BLOCK)
            block_state = type(state)(state.t, *(None if f is None else f[block] for f in fields))
            new_theta, new_state, info = self._update(
                flat[0][block], flat[1][block], block_state, lr
            )
            out_theta[block] = new_theta
            for out, value in zip(out_fields, new_state[1:]):
                if out is not None:
                    out[block] = value
            for out, value in zip(out_info, info):
                out[block] = value
        shape = theta.shape
        new_state = type(state)(
            state.t + 1, *(None if f is None else f.reshape(shape) for f in out_fields)
        )
        info = self.Info(*(f.reshape(shape) for f in out_info)) if want_info else None
        return out_theta.reshape(shape), new_state, info

    @staticmethod
    def _cast_lr(lr: Any, theta: np.ndarray) -> Any:
        if isinstance(lr, np.ndarray):
            shape = np.broadcast_shapes(lr.shape, theta.shape) if lr.ndim else theta.shape
            if shape != theta.shape:
                raise ValueError(
                    f"lr has shape {lr.shape}, which does not broadcast to params of shape "
                    f"{theta.shape}"
                )
            return lr.astype(theta.dtype, copy=False)
        return lr

    def _init_leaf(self, theta: np.ndarray) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def _update(self, theta: np.ndarray, g: np.ndarray, state: Any, lr: Any) -> tuple:  # noqa
        raise NotImplementedError  # pragma: no cover - abstract


#: Elements per block in ``_update_in_blocks``: a block's working set (params, grad, state and a few
#: temporaries) fits in a typical 1-2 MiB L2 cache.
_BLOCK = 1 << 14


def _full_like(theta: np.ndarray, value: Any = 0.0) -> np.ndarray:
    """A new state array shaped and typed like ``theta``, filled with ``value``."""
    out = np.empty_like(theta)
    out[...] = value
    return out


def _per_coordinate(lr: Any, theta: np.ndarray) -> np.ndarray:
    """A (read-only) per-coordinate view of a scalar or broadcastable step size."""
    return np.broadcast_to(np.asarray(lr, dtype=theta.dtype), theta.shape)


# --------------------------------------------------------------------------------------------------------------
# SGD


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class SGD(Optimizer):
    r"""Plain gradient descent.

    .. math::

        \theta_t \leftarrow \theta_{t-1} - \alpha\, g_t

    Parameters
    ----------
    lr : float, array or schedule, default 0.01
        The step size α (a callable of the 1-based step t for a schedule).

    Notes
    -----
    PyTorch: ``torch.optim.SGD(params, lr=α)``; optax: ``optax.sgd(α)``. All libraries agree.

    References
    ----------
    Robbins & Monro (1951), "A Stochastic Approximation Method".

    Examples
    --------
    >>> import numpy as np
    >>> opt = SGD(lr=0.1)
    >>> params, state = opt.step(np.array([1.0, -2.0]), np.array([2.0, -4.0]), opt.init(np.zeros(2)))
    >>> params, state.t
    (array([ 0.8, -1.6]), 1)
    """

    State: ClassVar[type] = SGDState
    Info: ClassVar[type] = SGDInfo

    lr: Any = 0.01

    def __post_init__(self) -> None:
        object.__setattr__(self, "lr", _learning_rate("SGD", self.lr))

    def _init_leaf(self, theta):
        return SGDState(0)

    def _update(self, theta, g, state, lr):
        t = state.t + 1
        delta = -lr * g
        theta = theta + delta
        return theta, SGDState(t), SGDInfo(_per_coordinate(lr, theta), delta)


# --------------------------------------------------------------------------------------------------------------
# Momentum


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class Momentum(Optimizer):
    r"""Heavy-ball momentum (Polyak), or Nesterov's accelerated gradient in Sutskever's form.

    .. math::

        b_t &\leftarrow \mu\, b_{t-1} + g_t \qquad (b_0 = 0,\ \text{so } b_1 = g_1) \\
        \theta_t &\leftarrow \theta_{t-1} - \alpha\, b_t
            \qquad\text{or, Nesterov:}\quad \theta_t \leftarrow \theta_{t-1} - \alpha\,(g_t + \mu\, b_t)

    Parameters
    ----------
    lr : float, array or schedule, default 0.01
        The step size α.
    momentum : float or array in [0, 1), default 0.9
        μ, the fraction of the previous buffer kept.
    nesterov : bool, default False
        Use the Nesterov update (the gradient "looks ahead" along the buffer).

    Notes
    -----
    The buffer holds gradients, not steps: α stays outside it, so a changed α acts at once (PyTorch and optax;
    Keras and scikit-learn keep ``v = μv − αg``, the same iterates for a constant α). ``momentum=0`` is SGD.
    autograd's ``sgd(mass=μ)`` damps the buffer (an EMA of g) and equals ``Momentum(lr=α(1 − μ))``.

    PyTorch: ``torch.optim.SGD(params, lr=α, momentum=μ, nesterov=...)`` (dampening 0).

    References
    ----------
    Polyak (1964); Sutskever, Martens, Dahl & Hinton (2013), "On the importance of initialization and
    momentum in deep learning".

    Examples
    --------
    >>> import numpy as np
    >>> opt = Momentum(lr=0.1, momentum=0.5)
    >>> x, s = np.array([1.0]), opt.init(np.zeros(1))
    >>> x, s = opt.step(x, np.array([1.0]), s)   # b = 1
    >>> x, s = opt.step(x, np.array([1.0]), s)   # b = 0.5 * 1 + 1 = 1.5
    >>> x.round(12), s.b
    (array([0.75]), array([1.5]))
    """

    State: ClassVar[type] = MomentumState
    Info: ClassVar[type] = MomentumInfo

    lr: Any = 0.01
    momentum: Any = 0.9
    nesterov: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "lr", _learning_rate("Momentum", self.lr))
        object.__setattr__(self, "momentum", _unit("Momentum", "momentum", self.momentum))
        object.__setattr__(self, "nesterov", _flag("Momentum", "nesterov", self.nesterov))

    def _init_leaf(self, theta):
        return MomentumState(0, _full_like(theta))

    def _update(self, theta, g, state, lr):
        mu = self.momentum
        t = state.t + 1
        b = mu * state.b + g  # momentum buffer
        if self.nesterov:
            delta = -lr * (g + mu * b)  # look ahead along the buffer
        else:
            delta = -lr * b
        theta = theta + delta
        return theta, MomentumState(t, b), MomentumInfo(b, _per_coordinate(lr, theta), delta)


# --------------------------------------------------------------------------------------------------------------
# AdaGrad


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class AdaGrad(Optimizer):
    r"""AdaGrad: each coordinate's step is divided by the root of its summed squared gradients.

    .. math::

        G_t &\leftarrow G_{t-1} + g_t^2 \qquad (G_0 = \text{initial\_accumulator}) \\
        \theta_t &\leftarrow \theta_{t-1} - \frac{\alpha}{\sqrt{G_t} + \epsilon}\, g_t

    Parameters
    ----------
    lr : float, array or schedule, default 0.01
        The step size α.
    eps : float or array >= 0, default 1e-10
        ε, added outside the square root.
    initial_accumulator : float or array >= 0, default 0.0
        G₀.

    Notes
    -----
    Duchi et al. leave ε unspecified; here it sits outside the root, as in PyTorch. optax and Keras put it
    inside (``√(G + ε)``) and start ``G₀ = 0.1``, which makes their first steps for small gradients
    un-normalised (≈ αg/0.316). Reproduce Keras/optax's start with ``initial_accumulator=0.1`` (ε placement
    differs). With ``eps=0`` a coordinate whose gradient has always been 0 takes a zero step (not 0/0).

    PyTorch: ``torch.optim.Adagrad(params, lr=α, eps=ε, initial_accumulator_value=G₀)``.

    References
    ----------
    Duchi, Hazan & Singer (2011), "Adaptive Subgradient Methods for Online Learning and Stochastic
    Optimization", JMLR 12.

    Examples
    --------
    >>> import numpy as np
    >>> opt = AdaGrad(lr=0.5, eps=0.0)
    >>> x, s = opt.step(np.array([1.0, 1.0]), np.array([3.0, 0.0]), opt.init(np.zeros(2)))
    >>> x, s.G   # the first step is α·sign(g); a zero gradient gives a zero step
    (array([0.5, 1. ]), array([9., 0.]))
    """

    State: ClassVar[type] = AdaGradState
    Info: ClassVar[type] = AdaGradInfo

    lr: Any = 0.01
    eps: Any = 1e-10
    initial_accumulator: Any = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "lr", _learning_rate("AdaGrad", self.lr))
        object.__setattr__(self, "eps", _nonneg("AdaGrad", "eps", self.eps))
        acc = _nonneg("AdaGrad", "initial_accumulator", self.initial_accumulator)
        object.__setattr__(self, "initial_accumulator", acc)

    def _init_leaf(self, theta):
        return AdaGradState(0, _full_like(theta, self.initial_accumulator))

    def _update(self, theta, g, state, lr):
        eps = self.eps
        t = state.t + 1
        guard = _may_be_zero(eps)
        G = state.G + g**2  # sum of squared gradients
        step_size = _divide(lr, np.sqrt(G) + eps, guard)  # effective step size α / (√G + ε)
        delta = -step_size * g
        theta = theta + delta
        return theta, AdaGradState(t, G), AdaGradInfo(G, step_size, delta)


# --------------------------------------------------------------------------------------------------------------
# RMSProp


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class RMSProp(Optimizer):
    r"""RMSProp: divide by the root of a running mean of g² (Hinton, lecture 6e); optional momentum.

    .. math::

        v_t &\leftarrow \rho\, v_{t-1} + (1 - \rho)\, g_t^2 \qquad (v_0 = 0) \\
        \theta_t &\leftarrow \theta_{t-1} - \frac{\alpha}{\sqrt{v_t} + \epsilon}\, g_t \\
        \text{with momentum } \mu:\quad
        b_t &\leftarrow \mu\, b_{t-1} + \frac{g_t}{\sqrt{v_t} + \epsilon}, \qquad
        \theta_t \leftarrow \theta_{t-1} - \alpha\, b_t

    Parameters
    ----------
    lr : float, array or schedule, default 0.01
        The step size α.
    rho : float or array in [0, 1), default 0.9
        ρ, the decay of the running mean (Hinton's value; PyTorch's ``alpha`` defaults to 0.99).
    eps : float or array >= 0, default 1e-8
        ε, added outside the square root.
    momentum : float or array in [0, 1), default 0.0
        μ for momentum on the rescaled gradient (the buffer excludes α, as in PyTorch).

    Notes
    -----
    There is no bias correction: with v₀ = 0 the first step is α·g/(√(1−ρ)|g| + ε) ≈ 3.16α·sign(g) for ρ = 0.9
    (10α for PyTorch's 0.99). Adam with β1 = 0 and no bias correction is this method. ε is outside the root
    (PyTorch); optax (default) and Keras put it inside, and Keras, TF and optax keep α inside the momentum
    buffer. autograd starts v₀ = 1. With ``eps=0`` a coordinate whose gradient has always been 0 takes a zero
    step (not 0/0).

    PyTorch: ``torch.optim.RMSprop(params, lr=α, alpha=ρ, eps=ε, momentum=μ)``.

    References
    ----------
    Tieleman & Hinton (2012), Coursera "Neural Networks for Machine Learning", lecture 6e.

    Examples
    --------
    >>> import numpy as np
    >>> opt = RMSProp(lr=0.01, rho=0.9, eps=0.0)
    >>> x, s = opt.step(np.array([0.0]), np.array([2.0]), opt.init(np.zeros(1)))
    >>> x.round(6), s.v.round(12)   # -0.01 / sqrt(0.1) = -0.0316...; v = 0.1 * 4
    (array([-0.031623]), array([0.4]))
    """

    State: ClassVar[type] = RMSPropState
    Info: ClassVar[type] = RMSPropInfo

    lr: Any = 0.01
    rho: Any = 0.9
    eps: Any = 1e-8
    momentum: Any = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "lr", _learning_rate("RMSProp", self.lr))
        object.__setattr__(self, "rho", _unit("RMSProp", "rho", self.rho))
        object.__setattr__(self, "eps", _nonneg("RMSProp", "eps", self.eps))
        object.__setattr__(self, "momentum", _unit("RMSProp", "momentum", self.momentum))

    def _init_leaf(self, theta):
        b = None if _is_zero(self.momentum) else _full_like(theta)
        return RMSPropState(0, _full_like(theta), b)

    def _update(self, theta, g, state, lr):
        rho, eps, mu = self.rho, self.eps, self.momentum
        guard = _may_be_zero(eps)
        t = state.t + 1
        v = rho * state.v + (1 - rho) * g**2  # running mean of g²
        step_size = _divide(lr, np.sqrt(v) + eps, guard)  # effective step size α / (√v + ε)
        if state.b is None:
            b = None
            delta = -step_size * g
        else:
            b = mu * state.b + _divide(
                g, np.sqrt(v) + eps, guard
            )  # momentum on the rescaled gradient
            delta = -lr * b
        theta = theta + delta
        return theta, RMSPropState(t, v, b), RMSPropInfo(v, step_size, delta)


# --------------------------------------------------------------------------------------------------------------
# Adam


_BIAS_CORRECTION = {
    "both": (True, True),
    "m": (True, False),
    "v": (False, True),
    "none": (False, False),
}


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class Adam(Optimizer):
    r"""Adam, Algorithm 1 of Kingma & Ba (2015), with the common variants as options.

    .. math::

        t &\leftarrow t + 1 \\
        m_t &\leftarrow \beta_1 m_{t-1} + (1 - \beta_1)\, g_t
            &&\text{(biased first moment estimate)} \\
        v_t &\leftarrow \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2
            &&\text{(biased second raw moment estimate)} \\
        \hat m_t &\leftarrow m_t / (1 - \beta_1^t)
            &&\text{(bias-corrected first moment)} \\
        \hat v_t &\leftarrow v_t / (1 - \beta_2^t)
            &&\text{(bias-corrected second raw moment)} \\
        \theta_t &\leftarrow \theta_{t-1} - \alpha\, \hat m_t / (\sqrt{\hat v_t} + \epsilon)

    Parameters
    ----------
    lr : float, array or schedule, default 1e-3
        The step size α (``InverseSqrt`` gives the paper's α/√t of §4).
    beta1, beta2 : float or array in [0, 1), default 0.9 and 0.999
        Decay rates of the moment estimates.
    eps : float or array >= 0, default 1e-8
        ε, added to √v̂ (outside the root, after bias correction).
    amsgrad : bool, default False
        Divide by the running maximum of v (AMSGrad): ``v_max ← max(v_max, v)``, v̂ = v_max/(1 − β2ᵗ).
    weight_decay : float or array >= 0, default 0.0
        λ. L2 regularisation ``g ← g + λθ`` before the moments, or, with ``decoupled_weight_decay``, AdamW's
        ``θ ← θ(1 − αλ)`` before the step.
    decoupled_weight_decay : bool, default False
        Use AdamW's decoupled decay (Loshchilov & Hutter).
    eps_hat : bool, default False
        The paper's "efficient" order of computation (end of §2), as Keras, TensorFlow and scikit-learn
        compute it: ``α_t = α√(1 − β2ᵗ)/(1 − β1ᵗ)``, ``θ ← θ − α_t m/(√v + ε̂)`` with ``eps`` used as the
        (undefined) ε̂. This equals Algorithm 1 with ε = ε̂/√(1 − β2ᵗ), a larger ε early on (31.6× at t = 1).
    bias_correction : {"both", "m", "v", "none"} or bool, default "both"
        Which moments are bias-corrected (``True`` = "both", ``False`` = "none"). "none" is RMSProp with
        momentum (paper §6.4); "v" only is AdamD. For the ablation and the bias-correction lab.
    beta1_decay : float in (0, 1], default 1.0
        λ of Theorem 4.1: ``β1,t = β1·λ^(t−1)`` is used in the m update (1 = constant β1, Algorithm 1).
        The bias correction keeps 1 − β1ᵗ.

    Notes
    -----
    * Algorithm 1 is what PyTorch computes (``torch.optim.Adam(params, lr=α, betas=(β1, β2), eps=ε)``);
      results agree to float64 round-off. ``amsgrad=True`` is PyTorch's and Keras' AMSGrad (max over the raw
      v, corrected after); Reddi et al.'s original has no bias correction and no ε
      (``Adam(amsgrad=True, bias_correction="none", eps=0)``); optax's default takes the max over v̂.
    * ``weight_decay`` is ``torch.optim.Adam(weight_decay=λ)``; with ``decoupled_weight_decay=True`` it is
      ``torch.optim.AdamW(weight_decay=λ)`` (PyTorch's AdamW default λ is 0.01, not 0).
    * Keras' Adam is ``Adam(eps_hat=True, eps=1e-7)``; scikit-learn's is ``Adam(eps_hat=True)``.
    * With ``eps=0``, a coordinate whose gradient has always been 0 takes a zero step (not 0/0).
    * With a constant gradient, m̂ₜ = g and v̂ₜ = g² for every t, so every step is α·sign(g) up to ε; without
      bias correction the first step is α(1 − β1)/√(1 − β2) = 3.16α for the defaults.

    References
    ----------
    Kingma & Ba (2015), "Adam: A Method for Stochastic Optimization", ICLR, arXiv:1412.6980, Algorithm 1.
    Reddi, Kale & Kumar (2018), "On the Convergence of Adam and Beyond", ICLR (AMSGrad).
    Loshchilov & Hutter (2019), "Decoupled Weight Decay Regularization", ICLR (AdamW).

    Examples
    --------
    >>> import numpy as np
    >>> opt = Adam(lr=0.1)
    >>> x, s, info = opt.step_with_info(np.array([1.0, 1.0]), np.array([0.5, -2.0]), opt.init(np.zeros(2)))
    >>> x.round(9)                      # the first step is α·sign(g), up to ε
    array([0.9, 1.1])
    >>> info.m_hat, info.v_hat.round(12)
    (array([ 0.5, -2. ]), array([0.25, 4.  ]))
    """

    State: ClassVar[type] = AdamState
    Info: ClassVar[type] = AdamInfo

    lr: Any = 1e-3
    beta1: Any = 0.9
    beta2: Any = 0.999
    eps: Any = 1e-8
    amsgrad: bool = False
    weight_decay: Any = 0.0
    decoupled_weight_decay: bool = False
    eps_hat: bool = False
    bias_correction: Any = "both"
    beta1_decay: float = 1.0

    def __post_init__(self) -> None:
        name = "Adam"
        object.__setattr__(self, "lr", _learning_rate(name, self.lr))
        object.__setattr__(self, "beta1", _unit(name, "beta1", self.beta1))
        object.__setattr__(self, "beta2", _unit(name, "beta2", self.beta2))
        object.__setattr__(self, "eps", _nonneg(name, "eps", self.eps))
        object.__setattr__(self, "amsgrad", _flag(name, "amsgrad", self.amsgrad))
        object.__setattr__(self, "weight_decay", _nonneg(name, "weight_decay", self.weight_decay))
        decoupled = _flag(name, "decoupled_weight_decay", self.decoupled_weight_decay)
        object.__setattr__(self, "decoupled_weight_decay", decoupled)
        object.__setattr__(self, "eps_hat", _flag(name, "eps_hat", self.eps_hat))
        bc = self.bias_correction
        if isinstance(bc, (bool, np.bool_)):
            bc = "both" if bc else "none"
        if not isinstance(bc, str) or bc not in _BIAS_CORRECTION:
            raise ValueError(
                f"Adam: bias_correction must be one of 'both', 'm', 'v', 'none' (or True/False), "
                f"got {self.bias_correction!r}"
            )
        object.__setattr__(self, "bias_correction", bc)
        lam = _check_range(
            name, "beta1_decay", self.beta1_decay, 0.0, 1.0, low_open=True, high_open=False
        )
        if isinstance(lam, np.ndarray):
            raise TypeError(f"Adam: beta1_decay must be a number, got an array {lam.shape}")
        object.__setattr__(self, "beta1_decay", lam)

    def _init_leaf(self, theta):
        v_max = _full_like(theta) if self.amsgrad else None
        return AdamState(0, _full_like(theta), _full_like(theta), v_max)

    def _update(self, theta, g, state, lr):
        beta1, beta2, eps, lam, wd = (
            self.beta1,
            self.beta2,
            self.eps,
            self.beta1_decay,
            self.weight_decay,
        )
        correct_m, correct_v = _BIAS_CORRECTION[self.bias_correction]
        decoupled = self.decoupled_weight_decay and not _is_zero(wd)
        t = state.t + 1
        if not (self.decoupled_weight_decay or _is_zero(wd)):
            g = g + wd * theta  # L2 regularisation
        beta1_t = beta1 * lam ** (t - 1)  # Theorem 4.1's β1,t (λ = 1: constant β1)
        m = beta1_t * state.m + (1 - beta1_t) * g  # biased first moment estimate
        v = beta2 * state.v + (1 - beta2) * g**2  # biased second raw moment estimate
        v_max = np.maximum(state.v_max, v) if self.amsgrad else None  # AMSGrad
        bc1 = 1 - beta1**t if correct_m else 1.0
        bc2 = 1 - beta2**t if correct_v else 1.0
        m_hat = m / bc1  # bias-corrected first moment estimate
        v_hat = (v if v_max is None else v_max) / bc2  # bias-corrected second raw moment estimate
        if self.eps_hat:  # the efficient form: α_t m/(√v + ε̂) = α m̂ / ((√v + ε̂)/√(1−β2ᵗ))
            denom = (np.sqrt(v if v_max is None else v_max) + eps) / bc2**0.5
        else:
            denom = np.sqrt(v_hat) + eps
        step_size = _divide(lr, denom, _may_be_zero(eps))  # effective step size α / (√v̂ + ε)
        update = -step_size * m_hat  # θ ← θ − α m̂ / (√v̂ + ε)
        if decoupled:
            new_theta = theta * (1 - lr * wd) + update  # AdamW: decay, then the Adam step
            delta = new_theta - theta
        else:
            new_theta = theta + update
            delta = update
        return new_theta, AdamState(t, m, v, v_max), AdamInfo(m_hat, v_hat, step_size, delta)


# --------------------------------------------------------------------------------------------------------------
# AdaMax


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class AdaMax(Optimizer):
    r"""AdaMax, Algorithm 2 of Kingma & Ba (2015): Adam with the infinity norm.

    .. math::

        m_t &\leftarrow \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
        u_t &\leftarrow \max(\beta_2 u_{t-1},\ |g_t| + \epsilon)
            &&\text{(exponentially weighted infinity norm; } \epsilon = 0 \text{ in the paper)} \\
        \theta_t &\leftarrow \theta_{t-1} - \frac{\alpha}{1 - \beta_1^t}\, \frac{m_t}{u_t}

    Parameters
    ----------
    lr : float, array or schedule, default 2e-3
        The step size α (the paper's default).
    beta1, beta2 : float or array in [0, 1), default 0.9 and 0.999
    eps : float or array >= 0, default 0.0
        Algorithm 2 has no ε. A positive ε enters inside the max, as in PyTorch, and stays in u.

    Notes
    -----
    u needs no bias correction. The paper's ``|Δθ| ≤ α`` holds whenever no past gradient exceeds the current
    u (e.g. when ``|g|`` does not shrink), but it is not a worst-case bound: gradients shrinking by β2 per step
    reach ``|Δθ|/α → (1 − β1)/(1 − β1/β2)``, 1.009 at the defaults (see ``docs/conventions.md``). A coordinate
    whose gradient has always been 0 has u = 0 and takes a zero step (Algorithm 2 would compute 0/0; PyTorch gives
    NaN there with ``eps=0``). Keras puts ε outside the max (``u + ε``) and defaults to lr 1e-3; optax puts it
    inside like PyTorch.

    PyTorch: ``torch.optim.Adamax(params, lr=α, betas=(β1, β2), eps=ε)`` (its default ε is 1e-8).

    References
    ----------
    Kingma & Ba (2015), "Adam: A Method for Stochastic Optimization", §7.1, Algorithm 2.

    Examples
    --------
    >>> import numpy as np
    >>> opt = AdaMax(lr=0.002)
    >>> x, s = opt.step(np.array([1.0, 1.0]), np.array([-3.0, 0.0]), opt.init(np.zeros(2)))
    >>> x, s.u                       # the first step is α·sign(g); u = |g|
    (array([1.002, 1.   ]), array([3., 0.]))
    """

    State: ClassVar[type] = AdaMaxState
    Info: ClassVar[type] = AdaMaxInfo

    lr: Any = 2e-3
    beta1: Any = 0.9
    beta2: Any = 0.999
    eps: Any = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "lr", _learning_rate("AdaMax", self.lr))
        object.__setattr__(self, "beta1", _unit("AdaMax", "beta1", self.beta1))
        object.__setattr__(self, "beta2", _unit("AdaMax", "beta2", self.beta2))
        object.__setattr__(self, "eps", _nonneg("AdaMax", "eps", self.eps))

    def _init_leaf(self, theta):
        return AdaMaxState(0, _full_like(theta), _full_like(theta))

    def _update(self, theta, g, state, lr):
        beta1, beta2, eps = self.beta1, self.beta2, self.eps
        t = state.t + 1
        m = beta1 * state.m + (1 - beta1) * g  # biased first moment estimate
        u = np.maximum(beta2 * state.u, np.abs(g) + eps)  # exponentially weighted infinity norm
        m_hat = m / (1 - beta1**t)  # bias correction of the first moment only
        guard = _may_be_zero(eps)
        delta = -lr * _divide(
            m_hat, u, guard
        )  # θ ← θ − α m̂/u (0 where u = 0); m̂/u first: u may be subnormal
        step_size = _divide(lr, u, guard)  # effective step size α / u (inf where u is subnormal)
        theta = theta + delta
        return theta, AdaMaxState(t, m, u), AdaMaxInfo(m_hat, u, step_size, delta)


#: The optimizer classes by name, in the order they are taught.
OPTIMIZERS: dict[str, type[Optimizer]] = {
    cls.__name__: cls for cls in (SGD, Momentum, AdaGrad, RMSProp, Adam, AdaMax)
}
