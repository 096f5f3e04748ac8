r"""Temporal averaging of the iterates (Kingma & Ba 2015, §7.2): Polyak–Ruppert and exponential moving averages.

With a constant step size and noisy gradients the last iterate :math:`\theta_t` never settles: it rattles around
the minimum in a noise cloud. An average of the recent iterates sits near the cloud's centre, so it is often a
better answer than the last iterate, at no cost to the optimizer (the average is never fed back into it).

Two averages, each a small frozen object with pure ``init`` / ``update`` / ``value`` in the optimizers' style, and
one function per average for a whole recorded sequence:

- :class:`Polyak` (and :func:`polyak`): the running mean of all iterates so far;
- :class:`EMA` (and :func:`ema`): the paper's exponential moving average with its bias correction.

The paper's "one line added to the inner loop":

>>> import numpy as np
>>> from adamlab import SGD
>>> from adamlab.averaging import EMA
>>> opt, avg = SGD(lr=0.25), EMA(beta=0.5)
>>> theta = np.array([1.0])
>>> state, avg_state = opt.init(theta), avg.init(theta)
>>> for t in range(3):                             # θ halves: 0.5, 0.25, 0.125
...     theta, state = opt.step(theta, 2 * theta, state)
...     avg_state = avg.update(theta, avg_state)     # the added line
>>> theta, avg.value(avg_state).round(6)           # (0.125 + 0.5·0.25 + 0.25·0.5) / 0.875
(array([0.125]), array([0.214286]))

Only NumPy is imported. Parameters are one array of any shape (a batch of starts is one call); its floating dtype
is kept, integers become float64.
"""

from __future__ import annotations

import dataclasses
from typing import Any, NamedTuple

import numpy as np

from adamlab._checks import Interval, check_flag

__all__ = ["EMA", "Polyak", "ema", "polyak"]


def _as_params(owner: str, name: str, params: Any) -> np.ndarray:
    """``params`` as a floating array (a new one: inputs are never changed), finite, or a clear error."""
    if isinstance(params, (bool, np.bool_, str, bytes)) or params is None:
        raise TypeError(f"{owner}: {name} must be an array of numbers, got {params!r}")
    try:
        a = np.asarray(params)
    except Exception as exc:  # e.g. a ragged list
        raise TypeError(f"{owner}: {name} must be an array of numbers, got {params!r}") from exc
    if a.dtype.kind not in "iuf":
        raise TypeError(f"{owner}: {name} must be real numbers, got an array of dtype {a.dtype}")
    a = np.array(a, dtype=a.dtype if a.dtype.kind == "f" else np.float64)
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{owner}: {name} must be finite, got {params!r}")
    return a


def _check_state(owner: str, theta: np.ndarray, state: Any) -> None:
    if not (hasattr(state, "t") and hasattr(state, "theta_bar")):
        raise TypeError(f"{owner}: state must come from {owner}.init, got {state!r}")
    if np.shape(state.theta_bar) != theta.shape:
        raise ValueError(
            f"{owner}: params have shape {theta.shape} but the state was made for shape "
            f"{np.shape(state.theta_bar)}"
        )


class AverageState(NamedTuple):
    """The state of an average: ``t`` iterates averaged so far, and the running quantity θ̄ₜ."""

    t: int
    theta_bar: np.ndarray


@dataclasses.dataclass(frozen=True)
class Polyak:
    r"""Polyak–Ruppert averaging: the mean of every iterate so far.

    .. math::

        \bar\theta_t = \frac{1}{t} \sum_{k=1}^{t} \theta_k, \qquad\text{computed as}\qquad
        \bar\theta_t \leftarrow \bar\theta_{t-1} + \frac{1}{t}\,(\theta_t - \bar\theta_{t-1})

    Notes
    -----
    Every iterate weighs the same, the first ones included: far from the minimum at the start, they pull the
    average back for a long time (their weight decays only like 1/t). Average the tail of a run (start a fresh
    ``Polyak`` after a burn-in) to avoid that. The paper prints the sum's upper limit as n; it means t.

    References
    ----------
    Polyak & Juditsky (1992), "Acceleration of stochastic approximation by averaging"; Kingma & Ba (2015), §7.2.

    Examples
    --------
    >>> import numpy as np
    >>> avg = Polyak()
    >>> s = avg.init(np.zeros(2))
    >>> for theta in ([1.0, 0.0], [2.0, 0.0], [3.0, 3.0]):
    ...     s = avg.update(np.array(theta), s)
    >>> avg.value(s), s.t
    (array([2., 1.]), 3)
    """

    State = AverageState

    def init(self, params: Any) -> AverageState:
        """An empty average for parameters shaped like ``params``: t = 0, θ̄₀ = 0."""
        theta = _as_params("Polyak", "params", params)
        return AverageState(0, np.zeros_like(theta))

    def update(self, params: Any, state: AverageState) -> AverageState:
        """The average after one more iterate θₜ = ``params``."""
        theta = _as_params("Polyak", "params", params)
        _check_state("Polyak", theta, state)
        t = state.t + 1
        theta_bar = state.theta_bar + (theta - state.theta_bar) / t  # the running mean
        return AverageState(t, theta_bar)

    def value(self, state: AverageState) -> np.ndarray:
        """θ̄ₜ, the mean of the t iterates seen (a ValueError before the first one)."""
        if state.t < 1:
            raise ValueError("Polyak: no iterate has been averaged yet (state.t = 0)")
        return np.array(state.theta_bar)


@dataclasses.dataclass(frozen=True)
class EMA:
    r"""The exponential moving average of the iterates, with the paper's bias correction (§7.2).

    .. math::

        \bar\theta_t &\leftarrow \beta\, \bar\theta_{t-1} + (1 - \beta)\, \theta_t
            \qquad (\bar\theta_0 = 0) \\
        \hat\theta_t &= \bar\theta_t / (1 - \beta^t)

    The paper uses Adam's β2 as β. Like Adam's moments, θ̄ₜ starts at 0, so its weights
    (1 − β)β^(t−k) sum to 1 − βᵗ, not 1: θ̄ₜ is biased towards 0 and the division by 1 − βᵗ removes the bias
    (for a constant θ, θ̂ₜ = θ exactly).

    Parameters
    ----------
    beta : float in [0, 1), default 0.999
        β, the decay: the average spans about 1/(1 − β) iterates.
    bias_correction : bool, default True
        ``value`` returns θ̂ₜ (True) or the biased θ̄ₜ (False).

    Notes
    -----
    PyTorch's ``torch.optim.swa_utils.get_ema_multi_avg_fn`` and Keras' ``use_ema`` start the average at the
    first iterate instead of at 0 (no bias then, but the first iterate weighs βᵗ for ever); optax's ``ema`` has
    a ``debias`` flag, which is this correction.

    References
    ----------
    Kingma & Ba (2015), "Adam: A Method for Stochastic Optimization", §7.2.

    Examples
    --------
    >>> import numpy as np
    >>> avg = EMA(beta=0.5)
    >>> s = avg.init(np.zeros(1))
    >>> s = avg.update(np.array([4.0]), s)      # θ̄₁ = 0.5·0 + 0.5·4 = 2
    >>> s.theta_bar, avg.value(s)               # θ̂₁ = 2 / (1 − 0.5) = 4
    (array([2.]), array([4.]))
    """

    beta: float = 0.999
    bias_correction: bool = True

    State = AverageState

    def __post_init__(self) -> None:
        if isinstance(self.beta, np.ndarray) or isinstance(self.beta, (list, tuple)):
            raise TypeError(f"EMA: beta must be a number, got {self.beta!r}")
        object.__setattr__(self, "beta", Interval("[0, 1)").check("EMA", "beta", self.beta))
        object.__setattr__(
            self, "bias_correction", check_flag("EMA", "bias_correction", self.bias_correction)
        )

    def init(self, params: Any) -> AverageState:
        """An empty average for parameters shaped like ``params``: t = 0, θ̄₀ = 0."""
        theta = _as_params("EMA", "params", params)
        return AverageState(0, np.zeros_like(theta))

    def update(self, params: Any, state: AverageState) -> AverageState:
        """The average after one more iterate θₜ = ``params``."""
        theta = _as_params("EMA", "params", params)
        _check_state("EMA", theta, state)
        beta = self.beta
        theta_bar = beta * state.theta_bar + (1 - beta) * theta  # the biased average
        return AverageState(state.t + 1, theta_bar)

    def value(self, state: AverageState) -> np.ndarray:
        """θ̂ₜ = θ̄ₜ/(1 − βᵗ) (or θ̄ₜ without bias correction); a ValueError before the first iterate."""
        if state.t < 1:
            raise ValueError("EMA: no iterate has been averaged yet (state.t = 0)")
        if not self.bias_correction:
            return np.array(state.theta_bar)
        return state.theta_bar / (1 - self.beta**state.t)  # bias correction


def _sequence(owner: str, thetas: Any) -> np.ndarray:
    """The iterates θ₁..θ_T as an array with a leading time axis (a Trajectory: its params after step 1)."""
    if hasattr(thetas, "params") and hasattr(thetas, "steps"):
        steps = np.asarray(thetas.steps)
        if not np.array_equal(steps, np.arange(len(steps))):
            raise ValueError(f"{owner} needs every step recorded: run the trajectory with every=1")
        thetas = thetas.params[1:]
    a = _as_params(owner, "thetas", thetas)
    if a.ndim < 1 or a.shape[0] < 1:
        raise ValueError(
            f"{owner}: thetas must have a leading time axis with at least one iterate, got shape {a.shape}"
        )
    return a


def _run(average: Any, thetas: np.ndarray) -> np.ndarray:
    out = np.empty_like(thetas)
    state = average.init(thetas[0])
    for k, theta in enumerate(thetas):
        state = average.update(theta, state)
        out[k] = average.value(state)
    return out


def polyak(thetas: Any) -> np.ndarray:
    r"""Polyak–Ruppert averages of a sequence of iterates: ``out[t-1]`` is θ̄ₜ = (1/t) Σₖ≤ₜ θₖ.

    Parameters
    ----------
    thetas : array of shape (T, ...), or a Trajectory
        ``thetas[k-1]`` is θₖ, the parameters after step k. A Trajectory (recorded with ``every=1``) gives its
        parameters after steps 1..T (its start θ₀ is not an iterate).

    Returns
    -------
    ndarray, the shape of ``thetas`` (a new array)

    Examples
    --------
    >>> polyak([1.0, 2.0, 6.0])
    array([1. , 1.5, 3. ])
    """
    return _run(Polyak(), _sequence("polyak", thetas))


def ema(thetas: Any, beta: float = 0.999, *, bias_correction: bool = True) -> np.ndarray:
    r"""Exponential moving averages of a sequence of iterates: ``out[t-1]`` is θ̂ₜ = θ̄ₜ/(1 − βᵗ) (see
    :class:`EMA`), or θ̄ₜ with ``bias_correction=False``.

    Parameters
    ----------
    thetas : array of shape (T, ...), or a Trajectory
        As for :func:`polyak`.
    beta : float in [0, 1), default 0.999
    bias_correction : bool, default True

    Returns
    -------
    ndarray, the shape of ``thetas`` (a new array)

    Examples
    --------
    >>> ema([2.0, 2.0, 2.0], beta=0.5, bias_correction=False)   # 1, 1.5, 1.75: biased towards 0
    array([1.  , 1.5 , 1.75])
    >>> ema([2.0, 2.0, 2.0], beta=0.5)                          # corrected: exactly the constant
    array([2., 2., 2.])
    """
    return _run(EMA(beta, bias_correction), _sequence("ema", thetas))
