r"""Schedules: a hyperparameter as a function of the step ``t``.

Every optimizer's ``lr`` (and any other numeric hyperparameter, such as Adam's ``beta1``) may be one of these
objects (or any callable of ``t``). The optimizer calls it with
the same 1-based ``t`` it uses for bias correction, so ``t = 1`` on the first step (PyTorch's schedulers and optax
start at 0; see ``docs/conventions.md``). The base rate may be an array, for sweeps.

>>> from adamlab import schedules
>>> s = schedules.InverseSqrt(0.5)
>>> s
InverseSqrt(lr=0.5)
>>> [round(s(t), 4) for t in (1, 4, 100)]
[0.5, 0.25, 0.05]
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from adamlab._checks import Interval, check_count, check_range, format_value, hash_key, same_value

__all__ = [
    "Schedule",
    "Constant",
    "InverseSqrt",
    "StepDecay",
    "ExponentialDecay",
    "Cosine",
    "LinearWarmup",
    "Beta1Decay",
]


def _check_rate(owner: Any, name: str, value: Any) -> Any:
    """A base learning rate: a finite number >= 0 or an array of them (float64, read-only)."""
    return check_range(
        type(owner).__name__, name, value, 0.0, np.inf, low_open=False, high_open=True
    )


def _check_count(owner: Any, name: str, value: Any, minimum: int = 1) -> int:
    return check_count(type(owner).__name__, name, value, minimum)


def _check_factor(owner: Any, name: str, value: Any, interval: str) -> float:
    """A number (not an array) in ``interval``."""
    if isinstance(value, np.ndarray) and value.ndim:
        raise TypeError(f"{type(owner).__name__}: {name} must be a number, got an array")
    return Interval(interval).check(type(owner).__name__, name, value)


_TINY = float(np.finfo(np.float64).tiny)  # the smallest normal float64


def _check_t(t: Any) -> int:
    if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or t < 1:
        raise ValueError(f"a schedule is evaluated at steps t = 1, 2, ..., got t={t!r}")
    return int(t)


class Schedule:
    """Base class: a frozen dataclass callable as ``schedule(t)`` with ``t = 1, 2, ...``."""

    def __call__(self, t: int) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self) -> str:
        args = ", ".join(
            f"{f.name}={format_value(getattr(self, f.name))}" for f in dataclasses.fields(self)
        )
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(
            same_value(getattr(self, f.name), getattr(other, f.name))
            for f in dataclasses.fields(self)
        )

    def __hash__(self) -> int:
        keys = (hash_key(getattr(self, f.name)) for f in dataclasses.fields(self))
        return hash((type(self).__name__, *keys))

    def config(self) -> dict[str, Any]:
        """A JSON-able description (used by checkpoints); arrays are not supported here."""
        args = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Schedule):
                value = value.config()
            elif isinstance(value, np.ndarray):
                raise ValueError(f"{type(self).__name__}.{f.name} is an array; cannot save it")
            args[f.name] = value
        return {"schedule": type(self).__name__, "args": args}

    @staticmethod
    def from_config(config: dict[str, Any]) -> Schedule:
        cls = _REGISTRY.get(config.get("schedule", ""))
        if cls is None:
            raise ValueError(f"unknown schedule {config.get('schedule')!r}")
        args = {
            k: Schedule.from_config(v) if isinstance(v, dict) else v
            for k, v in config["args"].items()
        }
        return cls(**args)


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class Constant(Schedule):
    r"""A constant rate, :math:`\alpha_t = \alpha`.

    >>> Constant(0.1)(7)
    0.1
    """

    lr: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "lr", _check_rate(self, "lr", self.lr))

    def __call__(self, t: int) -> Any:
        _check_t(t)
        return self.lr


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class InverseSqrt(Schedule):
    r"""The decay of the paper's convergence analysis (§4), :math:`\alpha_t = \alpha / \sqrt{t}`.

    With Adam (β1 = 0, β2 → 1) this turns Adam into AdaGrad (paper §5).

    >>> InverseSqrt(1.0)(4)
    0.5
    """

    lr: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "lr", _check_rate(self, "lr", self.lr))

    def __call__(self, t: int) -> Any:
        t = _check_t(t)
        return self.lr * (1.0 / math.sqrt(t))


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class StepDecay(Schedule):
    r"""Multiply by ``gamma`` every ``every`` steps, :math:`\alpha_t = \alpha\,\gamma^{\lfloor (t-1)/k \rfloor}`.

    >>> s = StepDecay(1.0, every=10, gamma=0.5)
    >>> s(10), s(11), s(21)
    (1.0, 0.5, 0.25)
    """

    lr: float
    every: int
    gamma: float = 0.1

    def __post_init__(self) -> None:
        object.__setattr__(self, "lr", _check_rate(self, "lr", self.lr))
        object.__setattr__(self, "every", _check_count(self, "every", self.every))
        object.__setattr__(self, "gamma", _check_factor(self, "gamma", self.gamma, "(0, 1]"))

    def __call__(self, t: int) -> Any:
        t = _check_t(t)
        return self.lr * self.gamma ** ((t - 1) // self.every)


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class ExponentialDecay(Schedule):
    r"""Multiply by ``gamma`` every step, :math:`\alpha_t = \alpha\,\gamma^{t-1}`.

    >>> ExponentialDecay(1.0, gamma=0.5)(3)
    0.25
    """

    lr: float
    gamma: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "lr", _check_rate(self, "lr", self.lr))
        object.__setattr__(self, "gamma", _check_factor(self, "gamma", self.gamma, "(0, 1]"))

    def __call__(self, t: int) -> Any:
        t = _check_t(t)
        return self.lr * self.gamma ** (t - 1)


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class Cosine(Schedule):
    r"""Cosine annealing from ``lr`` to ``min_lr`` over ``total_steps``, then flat at ``min_lr``.

    .. math:: \alpha_t = \alpha_{min} + \tfrac12(\alpha - \alpha_{min})(1 + \cos(\pi (t-1)/T))

    >>> s = Cosine(1.0, total_steps=100)
    >>> s(1), round(s(51), 12), s(101), s(500)
    (1.0, 0.5, 0.0, 0.0)
    """

    lr: float
    total_steps: int
    min_lr: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "lr", _check_rate(self, "lr", self.lr))
        object.__setattr__(self, "total_steps", _check_count(self, "total_steps", self.total_steps))
        object.__setattr__(self, "min_lr", _check_rate(self, "min_lr", self.min_lr))

    def __call__(self, t: int) -> Any:
        t = _check_t(t)
        progress = min(t - 1, self.total_steps) / self.total_steps
        return self.min_lr + (self.lr - self.min_lr) * (0.5 * (1.0 + math.cos(math.pi * progress)))


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class LinearWarmup(Schedule):
    r"""Linear warm-up over ``warmup_steps``, then ``after`` (a rate or another schedule).

    .. math:: \alpha_t = \alpha_{after}(t) \cdot \min(1, t / w)

    >>> s = LinearWarmup(1.0, warmup_steps=4)
    >>> [s(t) for t in (1, 2, 4, 9)]
    [0.25, 0.5, 1.0, 1.0]
    >>> LinearWarmup(InverseSqrt(1.0), warmup_steps=2)(4)
    0.5
    """

    after: Any
    warmup_steps: int

    def __post_init__(self) -> None:
        if not isinstance(self.after, Schedule):
            object.__setattr__(self, "after", _check_rate(self, "after", self.after))
        object.__setattr__(
            self, "warmup_steps", _check_count(self, "warmup_steps", self.warmup_steps)
        )

    def __call__(self, t: int) -> Any:
        t = _check_t(t)
        base = self.after(t) if isinstance(self.after, Schedule) else self.after
        return base * min(1.0, t / self.warmup_steps)


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class Beta1Decay(Schedule):
    r"""Theorem 4.1's decaying first-moment rate, :math:`\beta_{1,t} = \beta_1 \lambda^{t-1}`, for Adam's
    ``beta1``.

    The convergence proof of Kingma & Ba §4 needs λ in (0, 1), "typically close to 1, e.g. 1 − 10⁻⁸"; λ = 1 is a
    constant β1. ``Adam(beta1=Beta1Decay(0.9), lr=InverseSqrt(α))`` is the algorithm of Theorem 4.1.

    >>> s = Beta1Decay(0.9, lam=0.5)
    >>> s(1), s(3)
    (0.9, 0.225)
    """

    beta1: float
    lam: float = 1 - 1e-8

    def __post_init__(self) -> None:
        object.__setattr__(self, "beta1", _check_factor(self, "beta1", self.beta1, "[0, 1)"))
        object.__setattr__(self, "lam", _check_factor(self, "lam", self.lam, "(0, 1]"))

    def __call__(self, t: int) -> Any:
        t = _check_t(t)
        beta1_t = self.beta1 * self.lam ** (t - 1)
        # Once β1,t has decayed below the normal floats it is 0 for every purpose (its product with m underflows);
        # returning 0 keeps the engine's refusal of subnormal hyperparameters (which guards ε) out of long runs.
        return beta1_t if abs(beta1_t) >= _TINY else 0.0


_REGISTRY = {
    cls.__name__: cls
    for cls in (
        Constant,
        InverseSqrt,
        StepDecay,
        ExponentialDecay,
        Cosine,
        LinearWarmup,
        Beta1Decay,
    )
}
