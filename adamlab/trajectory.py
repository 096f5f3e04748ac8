r"""Running optimizers: one recorded :class:`Trajectory` feeds every picture.

:func:`run` drives an optimizer on an objective from one start or a whole batch of starts in one vectorised call,
and records the parameters, values, gradients and the optimizer's own per-step quantities (``info``: m̂, v̂ or
u, the effective per-coordinate step size, Δθ), exactly as the optimizer computed them. :func:`compare` runs
several optimizers from the same start(s) with the same noise seed; :func:`basins` and :func:`sweep` are single
vectorised runs over a grid of starts or a grid of hyperparameters.

This module imports nothing but NumPy (plots live in :mod:`adamlab.plot`).

Divergence
----------
A start *diverges* at step t when its parameters after step t are non-finite or leave the *bound box*, or when
its value there is non-finite (the value is evaluated at the recorded steps, and at every step when
``value_tol`` is set). The start is then frozen at its last good point (the
parameters after step t − 1), flagged in ``Trajectory.diverged`` and ``diverged_at = t`` is recorded; the other
starts go on unchanged (every operation is elementwise, and a frozen start's optimizer state is held too, so
nothing non-finite spreads). The default bound box is the objective's plotting domain widened a thousandfold
about its centre: ``centre ± 1000 · span`` per coordinate (for Rosenbrock's [-2, 2] × [-1, 3] that is
|x| ≤ 4000, |y − 1| ≤ 4000), far outside anything worth drawing but well before float64 overflow in the zoo's
polynomials. Objects without a ``domain`` are only checked for finiteness. No RuntimeWarning escapes a run.

Stop rules
----------
``steps`` is the budget. With ``grad_tol`` a start stops (is frozen, flagged in ``converged_at``) once
‖∇f(θ)‖ ≤ grad_tol; with ``value_tol`` once f(θ) − f* ≤ value_tol (f* = ``objective.min_value``). The run ends
early when every start has stopped (converged or diverged); its last record is then the last step taken.
``stop_on_tol=False`` only records when the tolerance was first met.

Recording
---------
``every=k`` keeps the start, every k-th step and the last step; ``every=None`` only the start and the end (a
200 × 200 basin map then holds two points per start, not 500). ``record_info=False`` drops the optimizer's
``info`` fields. A run refuses to allocate more than 4 GB of records and says what to change.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import math
import os
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from adamlab.checkpoint import optimizer_from_json, optimizer_to_json

__all__ = [
    "run",
    "compare",
    "Trajectory",
    "basins",
    "BasinMap",
    "sweep",
    "SweepResult",
    "resolve_objective",
]

#: Half-width of the default bound box, in units of the domain's span (see "Divergence" above).
BOUND_SPANS = 1000.0

# A run refuses to allocate more than this for its records (use ``every=`` or ``record_info=False``).
_MAX_RECORD_BYTES = 4e9


# --------------------------------------------------------------------------------------------------------------
# Objectives


def resolve_objective(objective: Any) -> Any:
    """The objective itself, or the zoo function named by a string (``"rosenbrock"``).

    Anything with ``__call__`` (the value) and ``grad`` is accepted: a TestFunction, a stochastic objective,
    or a user's own object. Unknown names raise ValueError listing the valid ones.
    """
    if isinstance(objective, str):
        from adamlab import functions

        names = list(functions.available())
        if objective not in names:
            close = difflib.get_close_matches(objective, names, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else "."
            raise ValueError(
                f"unknown objective {objective!r}{hint} Valid names: {', '.join(names)}"
            )
        return functions.get(objective)
    if not callable(objective) or not callable(getattr(objective, "grad", None)):
        raise TypeError(
            "objective must be a zoo name, a TestFunction, or an object with __call__ (the value) and "
            f"grad (the gradient), got {objective!r}"
        )
    return objective


def _objective_name(objective: Any) -> str:
    return repr(objective) if objective is not None else "?"


# --------------------------------------------------------------------------------------------------------------
# Small helpers


def _check_int(name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _check_tol(name: str, value: Any) -> float | None:
    if value is None:
        return None
    try:
        tol = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number >= 0 or None, got {value!r}") from None
    if not tol >= 0:
        raise ValueError(f"{name} must be a number >= 0 or None, got {value!r}")
    return tol


def _record_steps(steps: int, every: int | None) -> np.ndarray:
    """The steps t that are recorded: 0, every k-th step, and the last step."""
    k = steps if every is None else every
    ts = set(range(0, steps + 1, max(k, 1))) | {0, steps}
    return np.array(sorted(ts), dtype=np.int64)


def _bound_box(objective: Any, bound: Any, d: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(centre, half-width) of the box a start must stay in, or None (finiteness only)."""
    if bound is None:
        domain = getattr(objective, "domain", None)
        if domain is None:
            return None
        domain = np.asarray(domain, dtype=float)
        if domain.shape != (d, 2) or not np.all(np.isfinite(domain)):
            return None
        centre = domain.mean(axis=1)
        half = BOUND_SPANS * (domain[:, 1] - domain[:, 0])
        return centre, half
    b = np.asarray(bound, dtype=float)
    if b.ndim == 0:
        if not b > 0:
            raise ValueError(f"bound must be a positive number or a (d, 2) box, got {bound!r}")
        if b == np.inf:
            return None
        return np.zeros(d), np.full(d, float(b))
    if b.shape != (d, 2) or not np.all(b[:, 1] > b[:, 0]):
        raise ValueError(
            f"bound must be a positive number or a ({d}, 2) array of [low, high] rows, got {bound!r}"
        )
    return b.mean(axis=1), (b[:, 1] - b[:, 0]) / 2


def _select(take: np.ndarray, new: Any, old: Any) -> Any:
    """``new`` where ``take`` (shape ``(*batch, 1)``) is True, else ``old``, through an optimizer state
    (a NamedTuple, tuple, list, dict or dataclass of arrays; integers such as ``t`` are taken from ``new``)."""
    if isinstance(new, np.ndarray):
        if new.ndim == 0 or old is None:
            return new
        return np.where(take, new, old)
    if isinstance(new, tuple) and hasattr(new, "_fields"):
        return type(new)(*(_select(take, a, b) for a, b in zip(new, old)))
    if isinstance(new, (tuple, list)):
        return type(new)(_select(take, a, b) for a, b in zip(new, old))
    if isinstance(new, dict):
        return {k: _select(take, v, old[k]) for k, v in new.items()}
    if dataclasses.is_dataclass(new) and not isinstance(new, type):
        changes = {
            f.name: _select(take, getattr(new, f.name), getattr(old, f.name))
            for f in dataclasses.fields(new)
        }
        return dataclasses.replace(new, **changes)
    return new


def _hyperparameter_shapes(optimizer: Any) -> list[tuple[int, ...]]:
    """Shapes of the optimizer's array hyperparameters (a schedule's value at t = 1 counts)."""
    hps = optimizer.hyperparameters() if hasattr(optimizer, "hyperparameters") else {}
    shapes = []
    for value in hps.values():
        if isinstance(value, np.ndarray):
            shapes.append(value.shape)
        elif callable(value):
            try:
                shapes.append(np.shape(value(1)))
            except Exception:  # noqa: BLE001 - the optimizer reports a bad schedule itself
                pass
    return shapes


def _as_start(x0: Any, objective: Any) -> np.ndarray:
    if x0 is None:
        start = getattr(objective, "start", None)
        if start is None:
            starts = getattr(objective, "starts", None)
            start = None if starts is None or len(starts) == 0 else starts[0]
        if start is None:
            raise ValueError(f"x0 is None and {_objective_name(objective)} has no default start")
        x0 = start
    try:
        x = np.array(x0, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"x0 must be an array of numbers of shape (..., d), got {x0!r}") from None
    dim = getattr(objective, "dim", None)
    if x.ndim == 0:
        raise ValueError(f"x0 must have shape (..., d), got a scalar {x0!r}")
    if dim is not None and x.shape[-1] != dim:
        raise ValueError(
            f"x0 must have shape (..., {dim}) for {_objective_name(objective)}, got shape {x.shape}"
        )
    if not np.all(np.isfinite(x)):
        raise ValueError("x0 must be finite")
    return x


# --------------------------------------------------------------------------------------------------------------
# run


def run(
    optimizer: Any,
    objective: Any,
    x0: npt.ArrayLike | None,
    steps: int,
    *,
    every: int | None = 1,
    seed: int | np.random.Generator | None = 0,
    bound: Any = None,
    grad_tol: float | None = None,
    value_tol: float | None = None,
    stop_on_tol: bool = True,
    record_info: bool = True,
    callback: Callable[[int, int], Any] | None = None,
) -> Trajectory:
    r"""Run ``optimizer`` on ``objective`` from ``x0`` for ``steps`` steps and record what happened.

    Each step is ``params, state = optimizer.step(params, grad(params), state)`` (``step_with_info`` on the
    recorded steps, to record ``info``): the same numbers as a hand-written loop.

    Parameters
    ----------
    optimizer
        An optimizer (``Adam(lr=0.1)``); its hyperparameters may be arrays that broadcast against
        ``x0`` (``Adam(lr=lrs[:, None])`` with ``x0`` of shape (K, 2) or (2,)): one call runs a sweep.
    objective
        A TestFunction, a zoo name (``"rosenbrock"``), a stochastic objective (``sample_grad(x, t, rng)``, with
        an optional ``project``), or any object with ``__call__`` and ``grad``.
    x0 : array of shape (d,) or (..., d), or None
        The start, or a batch of starts; None for ``objective.start``. Broadcast against array hyperparameters.
    steps : int
        The step budget.
    every : int or None, default 1
        Record every k-th step, plus the start and the last step; None records only the start and the end.
    seed : int or Generator, default 0
        Seeds ``np.random.default_rng`` for a stochastic objective's gradient noise (unused otherwise).
    bound : None, float or (d, 2) array
        A start that leaves this box diverges (see the module docstring). None: ``domain`` centre ± 1000 spans;
        a float b: |θᵢ| ≤ b; ``np.inf``: only non-finite values count.
    grad_tol, value_tol : float, optional
        Stop a start once ‖∇f‖ ≤ grad_tol, or once f − f* ≤ value_tol (needs ``objective.min_value``).
    stop_on_tol : bool, default True
        False: keep going after a tolerance is met, only recording the step in ``converged_at``.
    record_info : bool, default True
        Record the optimizer's ``info`` fields (False saves memory and time).
    callback : callable(t, steps), optional
        Called after every step (e.g. a progress display); nothing is printed otherwise.

    Returns
    -------
    Trajectory

    Examples
    --------
    >>> from adamlab import SGD, Adam, run
    >>> traj = run(Adam(lr=0.1), "sphere", [3.0, 4.0], 100)
    >>> traj.params.shape, traj.steps[:3], sorted(traj.info)
    ((101, 2), array([0, 1, 2]), ['delta', 'm_hat', 'step_size', 'v_hat'])
    >>> traj.params[1].round(6)        # Adam's first step is lr * sign(g), up to eps
    array([2.9, 3.9])
    >>> batch = run(SGD(lr=1.1), "sphere", [[3.0, 4.0], [0.0, 0.0]], 100, every=50)
    >>> batch.steps, batch.diverged, batch.diverged_at  # x <- -1.2x leaves |x| <= 1000 * 10.24
    (array([  0,  50, 100]), array([ True, False]), array([44, -1]))
    """
    objective = resolve_objective(objective)
    if not (
        callable(getattr(optimizer, "init", None)) and callable(getattr(optimizer, "step", None))
    ):
        raise TypeError(f"optimizer must have init and step methods, got {optimizer!r}")
    steps = _check_int("steps", steps, 0)
    if every is not None:
        every = _check_int("every", every, 1)
    grad_tol = _check_tol("grad_tol", grad_tol)
    value_tol = _check_tol("value_tol", value_tol)
    min_value = getattr(objective, "min_value", None)
    if value_tol is not None and min_value is None:
        raise ValueError(
            f"value_tol needs the objective's minimum value, but {_objective_name(objective)} has "
            "min_value None"
        )

    x = _as_start(x0, objective)
    try:
        shape = np.broadcast_shapes(x.shape, *_hyperparameter_shapes(optimizer))
    except ValueError:
        raise ValueError(
            f"the optimizer's array hyperparameters do not broadcast against x0 of shape {x.shape}: "
            f"{optimizer!r}"
        ) from None
    if shape[-1:] != x.shape[-1:]:
        raise ValueError(
            f"the optimizer's array hyperparameters change the last axis of x0 {x.shape} to {shape}; "
            "give them shape (..., 1)"
        )
    x = np.array(np.broadcast_to(x, shape))
    batch = shape[:-1]
    d = shape[-1]
    box = _bound_box(objective, bound, d)

    stochastic = bool(getattr(objective, "stochastic", False)) and hasattr(objective, "sample_grad")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    project = getattr(objective, "project", None)
    grad = objective.grad
    value = objective

    record_ts = _record_steps(steps, every)
    n = len(record_ts)
    record_info = bool(record_info) and hasattr(optimizer, "step_with_info")
    nbytes = n * x.size * 8 * (2 + 4 * record_info)  # params, grads and (up to) four info fields
    if nbytes > _MAX_RECORD_BYTES:
        raise ValueError(
            f"recording {n} steps of {x.size // d} starts would take {nbytes / 1e9:.1f} GB; "
            "use every=k (or every=None for the ends only) and/or record_info=False"
        )

    P = np.empty((n, *shape))
    V = np.empty((n, *batch))
    G = np.full((n, *shape), np.nan)
    info: dict[str, np.ndarray] = {}  # the optimizer's info fields, allocated at the first step
    diverged = np.zeros(batch, dtype=bool)
    diverged_at = np.full(batch, -1, dtype=np.int64)
    converged_at = np.full(batch, -1, dtype=np.int64)
    active = np.ones(batch, dtype=bool)
    stopped_any = False  # some start is frozen (diverged or converged): mask every step from now on

    if box is not None:
        low, high = box[0] - box[1], box[0] + box[1]
        # The box's widest cube inside it, for a fast whole-batch test on the flat min and max.
        inner_low, inner_high = low.max(), high.min()

    def all_inside(p: np.ndarray) -> bool:
        """Fast, conservative whole-batch check (NaN fails; False may still be fine per start)."""
        lo, hi = p.min(), p.max()
        if box is None:
            return bool(np.isfinite(lo) and np.isfinite(hi))
        return bool(inner_low <= lo and hi <= inner_high)

    def inside(p: np.ndarray) -> np.ndarray:
        """Per-start check, only needed when the fast check fails."""
        if box is None:
            return np.isfinite(p).all(axis=-1)
        return ((p >= low) & (p <= high)).all(axis=-1)  # False for NaN

    def gap(v: np.ndarray) -> np.ndarray:
        return v - min_value

    with np.errstate(all="ignore"):
        p = x
        state = optimizer.init(p)
        v = np.asarray(value(p), dtype=float)
        bad = ~np.isfinite(v)
        if np.any(bad):  # a start where the objective is not finite cannot move
            diverged |= bad
            diverged_at[bad] = 0
            active = active & ~bad
            stopped_any = True
        if value_tol is not None:
            hit = active & (gap(v) <= value_tol)
            converged_at[hit] = 0
            if stop_on_tol and np.any(hit):
                active = active & ~hit
                stopped_any = True
        P[0], V[0] = p, v
        i = 1
        t_end = 0
        for t in range(1, steps + 1):
            if stopped_any and not active.any():
                break
            g = objective.sample_grad(p, t, rng) if stochastic else grad(p)
            if grad_tol is not None:
                small = active & (np.sqrt(np.sum(g * g, axis=-1)) <= grad_tol)
                if np.any(small):
                    converged_at[small & (converged_at < 0)] = t - 1
                    if stop_on_tol:
                        active = active & ~small
                        stopped_any = True
                        if not active.any():
                            break
            is_record = i < n and record_ts[i] == t
            if is_record and record_info:
                p_new, s_new, step_info = optimizer.step_with_info(p, g, state)
            else:
                p_new, s_new = optimizer.step(p, g, state)
                step_info = None
            if project is not None:
                p_new = project(p_new)
            take = active if all_inside(p_new) else active & inside(p_new)
            need_value = is_record or value_tol is not None
            v_new = np.asarray(value(p_new), dtype=float) if need_value else None
            if v_new is not None:
                finite = np.isfinite(v_new)
                if not finite.all():
                    take = take & finite
            if take is not active:
                newly_bad = active & ~take
                if np.any(newly_bad):
                    diverged |= newly_bad
                    diverged_at[newly_bad] = t
                    stopped_any = True
            if stopped_any:  # hold the frozen starts (parameters and optimizer state)
                mask = take[..., None]
                p = np.where(mask, p_new, p)
                state = _select(mask, s_new, state)
                if v_new is not None:
                    v = np.where(take, v_new, np.asarray(value(p), dtype=float))
            else:
                p, state = p_new, s_new
                if v_new is not None:
                    v = v_new
            active = take
            if value_tol is not None:
                hit = active & (gap(v) <= value_tol)
                if np.any(hit):
                    converged_at[hit & (converged_at < 0)] = t
                    if stop_on_tol:
                        active = active & ~hit
                        stopped_any = True
            t_end = t
            if is_record:
                P[i], V[i] = p, v
                mask = take[..., None]
                G[i] = np.where(mask, g, np.nan) if stopped_any else g
                if step_info is not None:
                    if not info:
                        info = {name: np.full((n, *shape), np.nan) for name in step_info._fields}
                    for name, a in zip(step_info._fields, step_info):  # (assignment broadcasts)
                        info[name][i] = np.where(mask, a, np.nan) if stopped_any else a
                i += 1
            if callback is not None:
                callback(t, steps)
        if i < n:  # ended early (every start stopped): the last record is the last step taken
            if record_ts[i - 1] != t_end:
                P[i], V[i] = p, np.asarray(value(p), dtype=float)
                record_ts[i] = t_end
                i += 1
            P, V, G = P[:i], V[:i], G[:i]
            info = {name: a[:i] for name, a in info.items()}
            record_ts = record_ts[:i]

    return Trajectory(
        params=P,
        values=V,
        steps=record_ts,
        grads=G,
        info=info,
        diverged=diverged,
        diverged_at=diverged_at,
        converged_at=converged_at,
        optimizer=optimizer,
        objective=objective,
        seed=None if isinstance(seed, np.random.Generator) or not stochastic else seed,
    )


def compare(
    optimizers: Mapping[str, Any] | list[Any] | tuple[Any, ...],
    objective: Any,
    x0: npt.ArrayLike | None,
    steps: int,
    **kwargs: Any,
) -> dict[str, Trajectory]:
    """Run every optimizer from the same start(s) with the same noise seed.

    ``optimizers`` is a dict ``label -> optimizer`` (or a list, labelled by ``repr``); ``kwargs`` go to
    :func:`run` (``seed`` defaults to 0 for all, so a stochastic objective draws the same noise stream for each).

    >>> from adamlab import SGD, Adam, compare
    >>> runs = compare({"SGD": SGD(lr=0.1), "Adam": Adam(lr=0.1)}, "sphere", [3.0, 4.0], 50)
    >>> {k: round(float(r.values[-1]), 4) for k, r in runs.items()}
    {'SGD': 0.0, 'Adam': 0.0814}
    """
    if isinstance(optimizers, Mapping):
        items = list(optimizers.items())
    elif isinstance(optimizers, (list, tuple)):
        items = [(repr(opt), opt) for opt in optimizers]
    else:
        raise TypeError(
            f"optimizers must be a dict label -> optimizer or a list, got {optimizers!r}"
        )
    objective = resolve_objective(objective)
    seed = kwargs.pop("seed", 0)
    if isinstance(seed, np.random.Generator):
        raise TypeError(
            "compare needs an integer seed (one Generator would give each optimizer other noise)"
        )
    return {label: run(opt, objective, x0, steps, seed=seed, **kwargs) for label, opt in items}


# --------------------------------------------------------------------------------------------------------------
# Trajectory


@dataclasses.dataclass(eq=False, repr=False)
class Trajectory:
    """A recorded run. Record 0 is the start (t = 0); the last record is the last step taken.

    Attributes
    ----------
    params : ``(n, *x0.shape)``
    values : ``(n, *batch)``
        f at each recorded point (``batch = x0.shape[:-1]``, empty for one start).
    steps : (n,) int
        The step t of each record.
    grads : ``(n, *x0.shape)``
        The gradient used by step t (the sampled one for a stochastic objective); NaN at t = 0 and for a start
        that did not take step t (frozen).
    info : dict of ``(n, *x0.shape)`` arrays
        The optimizer's ``info`` fields for step t (e.g. ``m_hat``, ``v_hat``, ``step_size``, ``delta``);
        NaN where ``grads`` is.
    diverged, diverged_at, converged_at : ``(*batch,)``
        Divergence flag; the step at which a start diverged (-1 if not); the step at which it met
        ``grad_tol``/``value_tol`` (-1 if not).
    optimizer, objective, label, seed
        What produced it; ``label`` is ``repr(optimizer)``.
    """

    params: np.ndarray
    values: np.ndarray
    steps: np.ndarray
    grads: np.ndarray
    info: dict[str, np.ndarray]
    diverged: np.ndarray
    diverged_at: np.ndarray
    converged_at: np.ndarray
    optimizer: Any = None
    objective: Any = None
    seed: int | None = None
    label: str = ""
    objective_label: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            self.label = repr(self.optimizer)
        if not self.objective_label:
            self.objective_label = _objective_name(self.objective)

    # ---- shapes ------------------------------------------------------------------------------------------

    @property
    def x0(self) -> np.ndarray:
        """The start(s), ``params[0]``."""
        return self.params[0]

    @property
    def final(self) -> np.ndarray:
        """The last recorded parameters, ``params[-1]``."""
        return self.params[-1]

    @property
    def final_value(self) -> np.ndarray:
        return self.values[-1]

    @property
    def batch_shape(self) -> tuple[int, ...]:
        return self.params.shape[1:-1]

    @property
    def n_starts(self) -> int:
        return math.prod(self.batch_shape)

    @property
    def minima(self) -> np.ndarray:
        """The objective's known minima (k, d) ((0, d) if none or unknown)."""
        m = getattr(self.objective, "minima", None)
        d = self.params.shape[-1]
        return np.zeros((0, d)) if m is None else np.asarray(m, dtype=float).reshape(-1, d)

    # ---- questions -----------------------------------------------------------------------------------------

    def distance_to_minimum(self) -> np.ndarray:
        """Euclidean distance of every record to the nearest known minimum, shape ``(n, *batch)``; NaN if the
        objective has no known minima."""
        minima = self.minima
        if len(minima) == 0:
            return np.full(self.values.shape, np.nan)
        return _nearest(self.params, minima)[1]

    def nearest_minimum(self, tol: float | None = None) -> np.ndarray:
        """Index into ``objective.minima`` of the minimum each start ended within ``tol`` of (Euclidean
        distance), -1 if none; shape ``(*batch,)`` (a 0-d array for one start). The default ``tol`` is 1% of the
        diagonal of ``objective.domain`` (1e-3 without a domain): constant-step adaptive methods circle a
        minimum at a distance of about ``lr``, and still count as having reached it."""
        tol = _default_tol(getattr(self.objective, "domain", None)) if tol is None else tol
        tol = _check_tol("tol", tol)
        minima = self.minima
        if len(minima) == 0:
            return np.full(self.batch_shape, -1, dtype=np.int64)
        index, dist = _nearest(self.final, minima)
        return np.where(dist <= tol, index, -1)

    def steps_to(
        self, value_tol: float | None = None, *, dist_tol: float | None = None
    ) -> np.ndarray:
        """The first recorded step at which f − f* ≤ ``value_tol`` (or the distance to the nearest minimum
        ≤ ``dist_tol``), -1 if never; shape ``(*batch,)``. Exact when every step is recorded (``every=1``);
        otherwise the first *recorded* step. A diverged start counts only before it diverged."""
        if (value_tol is None) == (dist_tol is None):
            raise ValueError("give exactly one of value_tol and dist_tol")
        if value_tol is not None:
            tol = _check_tol("value_tol", value_tol)
            min_value = getattr(self.objective, "min_value", None)
            if min_value is None:
                raise ValueError(f"value_tol needs min_value, but {self.objective_label} has none")
            with np.errstate(invalid="ignore"):
                hit = self.values - min_value <= tol
        else:
            tol = _check_tol("dist_tol", dist_tol)
            with np.errstate(invalid="ignore"):
                hit = self.distance_to_minimum() <= tol
        first = np.argmax(hit, axis=0)
        return np.where(hit.any(axis=0), self.steps[first], -1)

    # ---- display -------------------------------------------------------------------------------------------

    def __repr__(self) -> str:
        steps = int(self.steps[-1])
        n = self.n_starts
        final = self.final_value
        if self.batch_shape == ():
            starts = "1 start"
            fv = f"final value {_g(final)}"
            div = f", diverged at step {int(self.diverged_at)}" if bool(self.diverged) else ""
        else:
            shape = "" if len(self.batch_shape) == 1 else f" {self.batch_shape}"
            starts = f"{n} starts{shape}"
            kept = (
                np.isfinite(final) & ~self.diverged
            )  # diverged starts are counted, not averaged in
            finite = final[kept] if kept.any() else final[np.isfinite(final)]
            fv = (
                f"final value min {_g(finite.min())}, median {_g(np.median(finite))}, max {_g(finite.max())}"
                if finite.size
                else "final value nan"
            )
            div = f", {int(self.diverged.sum())} diverged"
        return (
            f"Trajectory({self.label} on {self.objective_label}: {steps} steps, {starts}, "
            f"{len(self.steps)} records{div}, {fv})"
        )

    # ---- files ---------------------------------------------------------------------------------------------

    def save(self, path: str | os.PathLike) -> None:
        """Write to a ``.npz`` file (no pickles). The optimizer is stored as its class and hyperparameters, as in
        a checkpoint, and rebuilt by :meth:`load` (a plain function as ``lr``, or a user's own optimizer, keeps
        only its label); a zoo objective is stored by name."""
        arrays: dict[str, np.ndarray] = {
            "params": self.params,
            "values": self.values,
            "steps": self.steps,
            "grads": self.grads,
            "diverged": self.diverged,
            "diverged_at": self.diverged_at,
            "converged_at": self.converged_at,
        }
        for name, a in self.info.items():
            arrays[f"info.{name}"] = a
        opt_meta, opt_arrays = _optimizer_to_json(self.optimizer)
        arrays.update(opt_arrays)
        meta = {
            "format": "adamlab.Trajectory/1",
            "label": self.label,
            "objective_label": self.objective_label,
            "objective": _objective_to_json(self.objective),
            "optimizer": opt_meta,
            "info_fields": list(self.info),
            "seed": self.seed,
        }
        arrays["meta"] = np.array(json.dumps(meta))
        with open(path, "wb") as fh:
            np.savez(fh, **arrays)

    @classmethod
    def load(cls, path: str | os.PathLike) -> Trajectory:
        """Read a file written by :meth:`save`. The optimizer and a zoo objective are rebuilt; others are None
        (``label`` and ``objective_label`` keep their text)."""
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            if meta.get("format") != "adamlab.Trajectory/1":
                raise ValueError(f"{path} is not an adamlab Trajectory file")
            return cls(
                params=z["params"],
                values=z["values"],
                steps=z["steps"],
                grads=z["grads"],
                info={name: z[f"info.{name}"] for name in meta["info_fields"]},
                diverged=z["diverged"],
                diverged_at=z["diverged_at"],
                converged_at=z["converged_at"],
                optimizer=_optimizer_from_json(meta["optimizer"], z),
                objective=_objective_from_json(meta["objective"]),
                seed=meta["seed"],
                label=meta["label"],
                objective_label=meta["objective_label"],
            )


def _default_tol(domain: Any) -> float:
    """1% of the diagonal of ``domain`` ((d, 2) rows [low, high]), or 1e-3 without one."""
    try:
        dom = np.asarray(domain, dtype=float)
        diagonal = float(np.sqrt(np.sum((dom[:, 1] - dom[:, 0]) ** 2)))
    except (TypeError, ValueError, IndexError):
        return 1e-3
    return 0.01 * diagonal if np.isfinite(diagonal) and diagonal > 0 else 1e-3


def _g(x: Any) -> str:
    return f"{float(x):.3g}"


def _nearest(points: np.ndarray, minima: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of and distance to the nearest of ``minima`` (k, d) for points (..., d)."""
    with np.errstate(all="ignore"):
        dist = np.sqrt(((points[..., None, :] - minima) ** 2).sum(axis=-1))
    dist = np.where(np.isnan(dist), np.inf, dist)
    index = np.argmin(dist, axis=-1)
    best = np.take_along_axis(dist, index[..., None], axis=-1)[..., 0]
    return index, np.where(np.isinf(best), np.nan, best)


def _optimizer_to_json(optimizer: Any) -> tuple[dict[str, Any] | None, dict[str, np.ndarray]]:
    """The optimizer's label, plus its class and hyperparameters when it can be rebuilt (checkpoint format)."""
    if optimizer is None:
        return None, {}
    try:
        config, arrays = optimizer_to_json(optimizer, prefix="hyperparameter.")
    except (
        TypeError,
        ValueError,
    ):  # a user's own optimizer, or a plain function as lr: the label only
        return {"repr": repr(optimizer)}, {}
    return {"repr": repr(optimizer), **config}, arrays


def _optimizer_from_json(meta: dict[str, Any] | None, arrays: Any) -> Any:
    if not meta or "optimizer" not in meta:
        return None
    try:
        return optimizer_from_json(meta, arrays)
    except (TypeError, ValueError, KeyError):  # an unknown or changed class: keep the label only
        return None


def _objective_to_json(objective: Any) -> dict[str, Any] | None:
    name = getattr(objective, "name", None)
    if not isinstance(name, str):
        return None
    params = getattr(objective, "params", {}) or {}
    try:
        json.dumps(params)
    except TypeError:
        return None
    return {"name": name, "params": params}


def _objective_from_json(meta: dict[str, Any] | None) -> Any:
    if not meta:
        return None
    try:
        from adamlab import functions

        if meta["name"] not in functions.available():
            return None
        return functions.get(meta["name"], **meta["params"])
    except Exception:  # noqa: BLE001 - not a zoo function (any more): keep the label only
        return None


# --------------------------------------------------------------------------------------------------------------
# Basins of attraction


@dataclasses.dataclass(eq=False, repr=False)
class BasinMap:
    """Which minimum each start of a grid reaches (see :func:`basins`).

    ``label[i, j]`` is the index into ``minima`` of the minimum reached from ``starts[i, j]``, -1 if the run
    ended near no known minimum, -2 if it diverged; ``distance[i, j]`` is how far the run ended from the
    nearest known minimum. Rows follow ``ys``, columns ``xs`` (``starts[i, j] = (xs[j], ys[i])``, as in
    ``imshow(label, origin="lower")``).
    """

    xs: np.ndarray
    ys: np.ndarray
    starts: np.ndarray
    final: np.ndarray
    label: np.ndarray
    distance: np.ndarray
    minima: np.ndarray
    objective: Any
    optimizer: Any
    steps: int
    tol: float
    trajectory: Trajectory | None = None

    def fractions(self) -> dict[int, float]:
        """Share of the starts per label (minimum index, -1 none, -2 diverged)."""
        values, counts = np.unique(self.label, return_counts=True)
        return {int(v): float(c) / self.label.size for v, c in zip(values, counts)}

    def __repr__(self) -> str:
        parts = ", ".join(f"{k}: {v:.1%}" for k, v in self.fractions().items())
        return (
            f"BasinMap({self.optimizer!r} on {_objective_name(self.objective)}, "
            f"{len(self.ys)}x{len(self.xs)} starts, {self.steps} steps, labels {{{parts}}})"
        )


def basins(
    optimizer: Any,
    objective: Any,
    *,
    resolution: int | tuple[int, int] = 200,
    steps: int = 500,
    domain: npt.ArrayLike | None = None,
    tol: float | None = None,
    every: int | None = None,
    callback: Callable[[int, int], Any] | None = None,
) -> BasinMap:
    """Basin-of-attraction map: run ``optimizer`` from every point of a ``resolution`` × ``resolution`` grid
    over ``domain`` (default ``objective.domain``) in one vectorised run, and label each start by the known
    minimum it ends within ``tol`` of (Euclidean distance; -1 none, -2 diverged). The default ``tol`` is 1% of
    the grid's diagonal (0.14 for Himmelblau): RMSProp or Adam with a constant step circle a minimum at a
    distance of about ``lr`` and still count; a start stuck at a saddle or a far local minimum does not.
    ``BasinMap.distance`` has the final distances for a stricter reading.

    ``every`` is passed to :func:`run` (None: record only the starts and the ends); the run is kept in
    ``BasinMap.trajectory``.

    >>> import numpy as np
    >>> from adamlab import Adam, basins
    >>> bm = basins(Adam(lr=0.1), "himmelblau", resolution=20, steps=300)
    >>> bm.label.shape, sorted(np.unique(bm.label).tolist())   # Himmelblau's four minima
    ((20, 20), [0, 1, 2, 3])
    """
    objective = resolve_objective(objective)
    if getattr(objective, "dim", 2) != 2:
        raise ValueError(f"basins needs a 2-D objective, got {_objective_name(objective)}")
    if isinstance(resolution, (tuple, list)):
        if len(resolution) != 2:
            raise ValueError(f"resolution must be an int or (nx, ny), got {resolution!r}")
        nx, ny = (_check_int("resolution", r, 2) for r in resolution)
    else:
        nx = ny = _check_int("resolution", resolution, 2)
    if domain is None:
        domain = getattr(objective, "domain", None)
        if domain is None:
            raise ValueError(
                f"{_objective_name(objective)} has no domain; pass domain=[[x0, x1], [y0, y1]]"
            )
    dom = np.asarray(domain, dtype=float)
    if dom.shape != (2, 2) or not np.all(np.isfinite(dom)) or not np.all(dom[:, 1] > dom[:, 0]):
        raise ValueError(f"domain must be [[xlow, xhigh], [ylow, yhigh]], got {domain!r}")
    tol = _check_tol("tol", _default_tol(dom) if tol is None else tol)
    xs = np.linspace(dom[0, 0], dom[0, 1], nx)
    ys = np.linspace(dom[1, 0], dom[1, 1], ny)
    starts = np.stack(np.meshgrid(xs, ys), axis=-1)
    traj = run(
        optimizer, objective, starts, steps, every=every, record_info=False, callback=callback
    )
    minima = traj.minima
    label = np.where(traj.diverged, -2, traj.nearest_minimum(tol))
    return BasinMap(
        xs=xs,
        ys=ys,
        starts=starts,
        final=traj.final,
        label=label,
        distance=traj.distance_to_minimum()[-1],
        minima=minima,
        objective=objective,
        optimizer=optimizer,
        steps=steps,
        tol=tol,
        trajectory=traj,
    )


# --------------------------------------------------------------------------------------------------------------
# Hyperparameter sweeps


@dataclasses.dataclass(eq=False, repr=False)
class SweepResult:
    """A grid of runs over one or two hyperparameters (see :func:`sweep`). Arrays have shape
    ``(len(values[0]),)`` or ``(len(values[0]), len(values[1]))``."""

    names: tuple[str, ...]
    values: tuple[np.ndarray, ...]
    final_value: np.ndarray
    final_distance: np.ndarray
    steps_to_tol: np.ndarray
    diverged: np.ndarray
    optimizer: Any
    objective: Any
    steps: int
    seed: int | None
    value_tol: float | None
    trajectory: Trajectory | None = None

    def optimizer_at(self, *index: int) -> Any:
        """The optimizer of one grid cell, with scalar hyperparameters (``res.optimizer_at(i, j)``)."""
        if len(index) != len(self.names):
            raise ValueError(f"give {len(self.names)} indices, got {index!r}")
        changes = {name: float(v[i]) for name, v, i in zip(self.names, self.values, index)}
        return dataclasses.replace(self.optimizer, **changes)

    def __repr__(self) -> str:
        grid = " x ".join(f"{n}[{len(v)}]" for n, v in zip(self.names, self.values))
        return (
            f"SweepResult({self.optimizer!r} on {_objective_name(self.objective)}: {grid}, "
            f"{self.steps} steps, {int(self.diverged.sum())} diverged)"
        )


def sweep(
    optimizer: Any,
    objective: Any,
    x0: npt.ArrayLike | None,
    steps: int,
    *,
    seed: int = 0,
    value_tol: float | None = None,
    callback: Callable[[int, int], Any] | None = None,
    **grid: npt.ArrayLike,
) -> SweepResult:
    """Run ``optimizer`` with every combination of one or two hyperparameters, in ONE vectorised run with
    array hyperparameters: the same start, the same step budget and the same noise seed for every cell, and
    every run kept (none is picked as "best").

    ``grid`` names the hyperparameters and their values, e.g. ``lr=np.logspace(-3, 0, 30),
    beta1=np.linspace(0, 0.99, 30)``; the other hyperparameters come from ``optimizer``. ``value_tol`` sets the
    tolerance for ``steps_to_tol`` (the first step with f − f* ≤ value_tol; the runs go on to the budget).

    >>> import numpy as np
    >>> from adamlab import Adam, sweep
    >>> res = sweep(Adam(), "rosenbrock", [-1.5, 2.0], 200, lr=[0.01, 0.1], beta1=[0.0, 0.9])
    >>> res.names, res.final_value.shape
    (('lr', 'beta1'), (2, 2))
    """
    objective = resolve_objective(objective)
    if not 1 <= len(grid) <= 2:
        raise ValueError(
            f"sweep needs one or two hyperparameters to vary, got {sorted(grid) or 'none'}"
        )
    if not dataclasses.is_dataclass(optimizer) or not hasattr(optimizer, "hyperparameters"):
        raise TypeError(f"optimizer must be an adamlab optimizer, got {optimizer!r}")
    valid = list(optimizer.hyperparameters())
    names = tuple(grid)
    values = []
    for name in names:
        if name not in valid:
            raise ValueError(
                f"{type(optimizer).__name__} has no hyperparameter {name!r}; valid: {', '.join(valid)}"
            )
        try:
            v = np.array(grid[name], dtype=float).reshape(-1)
        except (TypeError, ValueError):
            raise TypeError(f"{name} values must be numbers, got {grid[name]!r}") from None
        if v.size == 0:
            raise ValueError(f"{name} needs at least one value")
        values.append(v)
    x = _as_start(x0, objective)
    if x.ndim != 1:
        raise ValueError(f"sweep needs one start of shape (d,), got shape {x.shape}")
    if len(names) == 1:
        changes = {names[0]: values[0][:, None]}
        cells = (len(values[0]),)
    else:
        changes = {names[0]: values[0][:, None, None], names[1]: values[1][None, :, None]}
        cells = (len(values[0]), len(values[1]))
    swept = dataclasses.replace(optimizer, **changes)
    starts = np.broadcast_to(x, (*cells, x.shape[-1]))
    traj = run(
        swept,
        objective,
        starts,
        steps,
        every=None,
        seed=seed,
        value_tol=value_tol,
        stop_on_tol=False,
        record_info=False,
        callback=callback,
    )
    return SweepResult(
        names=names,
        values=tuple(values),
        final_value=traj.final_value,
        final_distance=traj.distance_to_minimum()[-1],
        steps_to_tol=traj.converged_at,
        diverged=traj.diverged,
        optimizer=optimizer,
        objective=objective,
        steps=steps,
        seed=seed,
        value_tol=value_tol,
        trajectory=traj,
    )
