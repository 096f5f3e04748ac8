r"""Running optimizers: one recorded :class:`Trajectory` feeds every picture.

:func:`run` drives an optimizer on an objective from one start or a whole batch of starts in one vectorised call,
and records the parameters, values, gradients and the optimizer's own per-step quantities (``info``: m̂, v̂ or
u, the effective per-coordinate step size, Δθ), exactly as the optimizer computed them. :func:`compare` runs
several optimizers from the same start(s) with the same noise seed; :mod:`adamlab.sweeps` has basin maps and
hyperparameter sweeps, single vectorised runs over a grid of starts or a grid of hyperparameters.

This module imports nothing but NumPy (plots live in :mod:`adamlab.plot`).

Divergence
----------
A start *diverges* at step t when its parameters after step t are non-finite or leave the *bound box*, or when
its value there is non-finite. The start is then frozen at its last good point (the parameters after step
t − 1), flagged in ``Trajectory.diverged`` and ``diverged_at = t`` is recorded; the other starts go on unchanged
(every operation is elementwise, and a frozen start's optimizer state is held too, so nothing non-finite
spreads). The parameters are checked at every step. The values are computed once, for all the recorded points
in one vectorised call after the loop (at every step too when ``value_tol`` is set): a start whose recorded value
is non-finite is cut at that record, frozen at its previous record (the previous step when every step is
recorded, as above). The default bound box is the objective's plotting domain widened a thousandfold
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
import json
import math
import os
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from adamlab import _files
from adamlab._checks import check_count
from adamlab.checkpoint import optimizer_from_json, optimizer_to_json

__all__ = [
    "run",
    "compare",
    "Trajectory",
    "resolve_objective",
    "resolve_optimizer",
]

#: Half-width of the default bound box, in units of the domain's span (see "Divergence" above).
BOUND_SPANS = 1000.0

# A run refuses to allocate more than this for its records (use ``every=`` or ``record_info=False``).
_MAX_RECORD_BYTES = 4e9


# --------------------------------------------------------------------------------------------------------------
# Objectives


def resolve_objective(objective: Any) -> Any:
    """The objective itself, or the zoo function named by a string (``"rosenbrock"``, in any case).

    Anything with ``__call__`` (the value) and ``grad`` is accepted: a TestFunction, a stochastic objective,
    or a user's own object (see :func:`adamlab.functions.from_callables`). Unknown names raise ValueError that
    suggests the closest and lists the valid ones.
    """
    if isinstance(objective, str):
        from adamlab import functions

        return functions.get(objective)
    if isinstance(objective, type):
        raise TypeError(
            f"objective must be a function object, got the class {objective.__name__}: call it, e.g. "
            f"{objective.__name__}(), or pass its name as a string"
        )
    if not callable(objective) or not callable(getattr(objective, "grad", None)):
        raise TypeError(
            "objective must be a zoo name, a TestFunction, or an object with __call__ (the value) and "
            f"grad (the gradient), got {objective!r}"
        )
    return objective


def resolve_optimizer(optimizer: Any) -> Any:
    """The optimizer itself, checked: an object with ``init`` and ``step`` (an adamlab optimizer, or your own
    class that follows the protocol). The class instead of an instance is a TypeError that says so."""
    if isinstance(optimizer, type):
        raise TypeError(
            f"optimizer must be an optimizer object, got the class {optimizer.__name__}: create one with its "
            f"hyperparameters, e.g. {optimizer.__name__}() or {optimizer.__name__}(lr=0.01)"
        )
    if not (
        callable(getattr(optimizer, "init", None)) and callable(getattr(optimizer, "step", None))
    ):
        raise TypeError(f"optimizer must have init and step methods, got {optimizer!r}")
    return optimizer


def _objective_name(objective: Any) -> str:
    return repr(objective) if objective is not None else "?"


# --------------------------------------------------------------------------------------------------------------
# Small helpers


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
    progress: bool | None = None,
) -> Trajectory:
    r"""Run ``optimizer`` on ``objective`` from ``x0`` for ``steps`` steps and record what happened.

    Each step is ``params, state = optimizer.step(params, grad(params), state)`` (``step_with_info`` on the
    recorded steps, to record ``info``): the same numbers as a hand-written loop.

    Parameters
    ----------
    optimizer
        An optimizer (``Adam(lr=0.1)``, not the class ``Adam``); its hyperparameters may be arrays that broadcast
        against ``x0`` (``Adam(lr=lrs[:, None])`` with ``x0`` of shape (K, 2) or (2,)): one call runs a sweep.
    objective
        A TestFunction, a zoo name (``"rosenbrock"``, any case), a stochastic objective (``sample_grad(x, t,
        rng)``, with an optional ``project``), or any object with ``__call__`` and ``grad``.
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
        Called after every step.
    progress : bool or None, default None
        A progress bar (tqdm; in a notebook, its widget): None shows one only if the run takes longer than two
        seconds, True always, False never. Nothing else is printed.

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
    optimizer = resolve_optimizer(optimizer)
    steps = check_count("run", "steps", steps, 0)
    every = None if every is None else check_count("run", "every", every, 1)
    r = _Run(optimizer, objective, x0, steps, every, seed, bound, grad_tol, value_tol, record_info)
    bar = _progress_bar(progress, steps, getattr(optimizer, "__class__", type(optimizer)).__name__)
    chunk = max(
        1, steps // 200
    )  # the bar moves in 0.5% steps: updating it every step cost more than a step
    with np.errstate(all="ignore"):
        r.start(stop_on_tol)
        for t in range(1, steps + 1):
            if r.all_stopped():
                break
            g = r.gradient(t)
            if r.gradient_tolerance(g, t, stop_on_tol) and r.all_stopped():
                break
            p_new, s_new, info = r.step(g, t)
            take = r.bound_and_finiteness(p_new, t)
            r.freeze(take, p_new, s_new)
            r.value_tolerance(t, stop_on_tol)
            r.record(t, g, info)
            if callback is not None:
                callback(t, steps)
            if bar is not None and t % chunk == 0:
                bar.update(chunk)
        traj = r.trajectory(seed)
    if bar is not None:
        bar.update(r.t_end - bar.n)
        bar.close()
    return traj


class _Run:
    """The state of one :func:`run` between its named steps: the parameters, the optimizer state, which starts
    are still active (not diverged, not converged), and the records."""

    def __init__(
        self, optimizer, objective, x0, steps, every, seed, bound, grad_tol, value_tol, record_info
    ):
        self.optimizer, self.objective = optimizer, objective
        self.grad_tol = _check_tol("grad_tol", grad_tol)
        self.value_tol = _check_tol("value_tol", value_tol)
        self.min_value = getattr(objective, "min_value", None)
        if self.value_tol is not None and self.min_value is None:
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
        self.p = np.array(np.broadcast_to(x, shape))
        self.shape, batch = shape, shape[:-1]
        self.box = _bound_box(objective, bound, shape[-1])
        self.stochastic = bool(getattr(objective, "stochastic", False)) and hasattr(
            objective, "sample_grad"
        )
        self.rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        self.project = getattr(objective, "project", None)
        self.record_ts = _record_steps(steps, every)
        n = len(self.record_ts)
        self.record_info = bool(record_info) and hasattr(optimizer, "step_with_info")
        nbytes = (
            n * self.p.size * 8 * (2 + 4 * self.record_info)
        )  # params, grads, up to 4 info fields
        if nbytes > _MAX_RECORD_BYTES:
            raise ValueError(
                f"recording {n} steps of {self.p.size // shape[-1]} starts would take {nbytes / 1e9:.1f} GB; "
                "use every=k (or every=None for the ends only) and/or record_info=False"
            )
        self.P = np.empty((n, *shape))
        self.G = np.full((n, *shape), np.nan)
        self.info: dict[
            str, np.ndarray
        ] = {}  # the optimizer's info fields, allocated at the first record
        self.diverged = np.zeros(batch, dtype=bool)
        self.diverged_at = np.full(batch, -1, dtype=np.int64)
        self.converged_at = np.full(batch, -1, dtype=np.int64)
        self.active = np.ones(batch, dtype=bool)
        self.stopped_any = False  # some start is frozen: mask every step from now on
        self.i, self.t_end = 1, 0  # the next record; the last step taken
        self.v = np.empty(batch)
        self.recording = False
        if self.box is not None:
            self.low, self.high = self.box[0] - self.box[1], self.box[0] + self.box[1]
            # The box's widest cube inside it, for a fast whole-batch test on the flat min and max.
            self.inner_low, self.inner_high = float(self.low.max()), float(self.high.min())

    def value(self, p: np.ndarray) -> np.ndarray:
        return np.asarray(self.objective(p), dtype=float)

    def stop(self, mask: np.ndarray) -> None:
        self.active = self.active & ~mask
        self.stopped_any = True

    def all_stopped(self) -> bool:
        return self.stopped_any and not self.active.any()

    def start(self, stop_on_tol: bool) -> None:
        """Record 0: the start, its value; a start where the objective is not finite cannot move."""
        self.state = self.optimizer.init(self.p)
        self.v = self.v0 = self.value(self.p)
        bad = ~np.isfinite(self.v)
        if np.any(bad):
            self.diverged |= bad
            self.diverged_at[bad] = 0
            self.stop(bad)
        if self.value_tol is not None:
            hit = self.active & (self.v - self.min_value <= self.value_tol)
            self.converged_at[hit] = 0
            if stop_on_tol and np.any(hit):
                self.stop(hit)
        self.P[0] = self.p

    def gradient(self, t: int) -> np.ndarray:
        """gₜ at θₜ₋₁: the sampled gradient of a stochastic objective, the exact one otherwise."""
        if self.stochastic:
            return self.objective.sample_grad(self.p, t, self.rng)
        return self.objective.grad(self.p)

    def gradient_tolerance(self, g: np.ndarray, t: int, stop_on_tol: bool) -> bool:
        """With ``grad_tol``: starts at ‖g‖ ≤ grad_tol have converged (at t − 1). True if any stopped."""
        if self.grad_tol is None:
            return False
        small = self.active & (np.sqrt(np.sum(g * g, axis=-1)) <= self.grad_tol)
        if not np.any(small):
            return False
        self.converged_at[small & (self.converged_at < 0)] = t - 1
        if stop_on_tol:
            self.stop(small)
        return stop_on_tol

    def step(self, g: np.ndarray, t: int) -> tuple[np.ndarray, Any, Any]:
        """The optimizer's step (with its info on a recorded step), then the projection if there is one."""
        self.recording = self.i < len(self.record_ts) and self.record_ts[self.i] == t
        if self.recording and self.record_info:
            p_new, s_new, info = self.optimizer.step_with_info(self.p, g, self.state)
        else:
            (p_new, s_new), info = self.optimizer.step(self.p, g, self.state), None
        if self.project is not None:
            p_new = self.project(p_new)
        return p_new, s_new, info

    def bound_and_finiteness(self, p_new: np.ndarray, t: int) -> np.ndarray:
        """Which active starts may take the step: new params inside the bound box and finite, and (with
        value_tol, which needs the value at every step) a finite value. The others diverge at t. (Without
        value_tol the values are computed after the run, for the records only: see :meth:`values`.)"""
        lo, hi = (
            float(p_new.min()),
            float(p_new.max()),
        )  # a fast whole-batch check first (NaN fails it)
        if self.box is None:
            inside = math.isfinite(lo) and math.isfinite(hi)
        else:
            inside = self.inner_low <= lo and hi <= self.inner_high
        take = self.active
        if not inside:
            if self.box is None:
                take = take & np.isfinite(p_new).all(axis=-1)
            else:
                take = take & ((p_new >= self.low) & (p_new <= self.high)).all(axis=-1)
        self.v_new = None
        if self.value_tol is not None:
            self.v_new = self.value(p_new)
            finite = np.isfinite(self.v_new)
            if not finite.all():
                take = take & finite
        if take is not self.active:  # (nothing to do when every start passed the fast check)
            newly_bad = self.active & ~take
            if np.any(newly_bad):
                self.diverged |= newly_bad
                self.diverged_at[newly_bad] = t
                self.stopped_any = True
        return take

    def freeze(self, take: np.ndarray, p_new: np.ndarray, s_new: Any) -> None:
        """Take the step where allowed; hold frozen starts (parameters and optimizer state) where not."""
        if self.stopped_any:
            mask = take[..., None]
            self.p = np.where(mask, p_new, self.p)
            self.state = _select(mask, s_new, self.state)
        else:
            self.p, self.state = p_new, s_new
        if self.v_new is not None:  # (with value_tol; only the active starts' values are read)
            self.v = self.v_new
        self.active = self.took = take

    def value_tolerance(self, t: int, stop_on_tol: bool) -> None:
        """With ``value_tol``: starts at f − f* ≤ value_tol have converged at t."""
        if self.value_tol is None:
            return
        hit = self.active & (self.v - self.min_value <= self.value_tol)
        if np.any(hit):
            self.converged_at[hit & (self.converged_at < 0)] = t
            if stop_on_tol:
                self.stop(hit)

    def record(self, t: int, g: np.ndarray, info: Any) -> None:
        """On a recorded step: θₜ, gₜ and the optimizer's info (NaN for frozen starts)."""
        self.t_end = t
        if not self.recording:
            return
        i = self.i
        self.P[i] = self.p
        frozen = ~self.took[..., None] if self.stopped_any else None
        self.G[i] = g if frozen is None else np.where(frozen, np.nan, g)
        if info is not None:
            if not self.info:
                n = len(self.record_ts)
                self.info = {name: np.full((n, *self.shape), np.nan) for name in info._fields}
            for name, a in zip(info._fields, info):  # (assignment broadcasts)
                self.info[name][i] = a if frozen is None else np.where(frozen, np.nan, a)
        self.i += 1

    def values(self) -> np.ndarray:
        """f at every record, in one vectorised call (record by record if the objective does not broadcast over
        the records' leading axis). A start whose value is non-finite at a record it reached diverged there: it
        is frozen at its previous record (the start itself was checked in :meth:`start`)."""
        P, G, info, ts = self.P, self.G, self.info, self.record_ts
        try:
            V = self.value(P)
        except (ValueError, TypeError, IndexError):
            V = np.empty(0)
        if not (
            V.shape == P.shape[:-1] and _same(V[0], self.v0) and _same(V[-1], self.value(P[-1]))
        ):  # an objective written for one point (x[0], x[1]) rather than (..., d): one call per record
            V = np.array([self.value(p) for p in P], dtype=float).reshape(P.shape[:-1])
        reached = (self.diverged_at < 0) | (
            ts.reshape(-1, *[1] * self.diverged_at.ndim) < self.diverged_at
        )
        bad = ~np.isfinite(V) & reached
        for start in map(tuple, np.argwhere(bad.any(axis=0))):
            i = max(int(np.argmax(bad[(slice(None), *start)])), 1)
            later = (slice(i, None), *start)
            P[later], V[later] = P[(i - 1, *start)], V[(i - 1, *start)]
            G[later] = np.nan
            for a in info.values():
                a[later] = np.nan
            self.diverged[start], self.diverged_at[start] = True, ts[i]
        return V

    def trajectory(self, seed: Any) -> Trajectory:
        """The records (cut at the last step taken when every start stopped early) and their values."""
        i, ts = self.i, self.record_ts
        if i < len(ts):
            if ts[i - 1] != self.t_end:
                self.P[i], ts[i] = self.p, self.t_end
                i += 1
            self.P, self.G, self.record_ts = self.P[:i], self.G[:i], ts[:i]
            self.info = {name: a[:i] for name, a in self.info.items()}
        V = self.values()
        P, G, info, ts = self.P, self.G, self.info, self.record_ts
        return Trajectory(
            params=P,
            values=V,
            steps=ts,
            grads=G,
            info=info,
            diverged=self.diverged,
            diverged_at=self.diverged_at,
            converged_at=self.converged_at,
            optimizer=self.optimizer,
            objective=self.objective,
            seed=None if isinstance(seed, np.random.Generator) or not self.stochastic else seed,
        )


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.array_equal(a, b, equal_nan=True))


def _progress_bar(progress: bool | None, total: int, what: str) -> Any:
    """A tqdm bar (None: shown after two seconds), or None without tqdm or with ``progress=False``."""
    if progress is False:
        return None
    if progress not in (None, True):
        raise TypeError(f"progress must be True, False or None, got {progress!r}")
    try:
        from tqdm.auto import tqdm
    except ImportError:
        if progress:
            raise ImportError("progress=True needs tqdm: pip install 'adamlab[plot]'") from None
        return None
    return tqdm(total=total, desc=what, unit="step", delay=0 if progress else 2.0, leave=False)


def compare(
    optimizers: Mapping[str, Any] | list[Any] | tuple[Any, ...],
    objective: Any,
    x0: npt.ArrayLike | None,
    steps: int,
    **kwargs: Any,
) -> dict[str, Trajectory]:
    """Run every optimizer from the same start(s) with the same noise seed.

    ``optimizers`` is a dict ``label -> optimizer`` (or a list, labelled by ``repr``; two optimizers with the
    same repr get "#2", "#3" after it, so no run is lost); ``kwargs`` go to :func:`run` (``seed`` defaults to 0
    for all, so a stochastic objective draws the same noise stream for each).

    >>> from adamlab import SGD, Adam, compare
    >>> runs = compare({"SGD": SGD(lr=0.1), "Adam": Adam(lr=0.1)}, "sphere", [3.0, 4.0], 50)
    >>> {k: round(float(r.values[-1]), 4) for k, r in runs.items()}
    {'SGD': 0.0, 'Adam': 0.0814}
    """
    if isinstance(optimizers, Mapping):
        items = list(optimizers.items())
    elif isinstance(optimizers, (list, tuple)):
        items = list(zip(unique_labels([repr(opt) for opt in optimizers]), optimizers))
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


def unique_labels(labels: list[str]) -> list[str]:
    """The labels, each one distinct: a repeated one is numbered, ``["SGD", "SGD"] -> ["SGD", "SGD #2"]`` (and
    a number is skipped if that label is already taken, so no two runs ever share a label)."""
    taken = set(labels)
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        unique = label
        if seen[label] > 1:
            k = seen[label]
            while f"{label} #{k}" in taken:
                k += 1
            seen[label] = k
            unique = f"{label} #{k}"
            taken.add(unique)
        out.append(unique)
    return out


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

    def settled_at(self, value_tol: float) -> np.ndarray:
        """The first recorded step from which f − f* ≤ ``value_tol`` at every later record ("reached and stayed"),
        -1 if the last record is not within it; shape ``(*batch,)``. A run that touches the tolerance and leaves
        it again (an oscillation, noise) has not settled; compare :meth:`steps_to`, the first touch."""
        tol = _check_tol("value_tol", value_tol)
        min_value = getattr(self.objective, "min_value", None)
        if min_value is None:
            raise ValueError(f"value_tol needs min_value, but {self.objective_label} has none")
        with np.errstate(invalid="ignore"):
            inside = self.values - min_value <= tol
        outside_after = np.flip(
            np.cumsum(np.flip(~inside, axis=0), axis=0), axis=0
        )  # misses from k on
        settled = inside & (outside_after == 0)
        first = np.argmax(settled, axis=0)
        return np.where(settled.any(axis=0) & ~self.diverged, self.steps[first], -1)

    def best(self) -> tuple[np.ndarray, np.ndarray]:
        """The lowest recorded value of each start and the step it was recorded at."""
        values = np.where(np.isnan(self.values), np.inf, self.values)
        k = np.argmin(values, axis=0)
        return np.take_along_axis(values, k[None], axis=0)[0], self.steps[k]

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
        """Write to a ``.npz`` file (no pickles), atomically: a failed save leaves a previous file as it was. The
        optimizer is stored as its class and hyperparameters, as in a checkpoint, and rebuilt by :meth:`load` (a
        plain function as ``lr``, or a user's own optimizer, keeps only its label); a zoo objective is stored by
        name."""
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
            "format": _FORMAT,
            "label": self.label,
            "objective_label": self.objective_label,
            "objective": _objective_to_json(self.objective),
            "optimizer": opt_meta,
            "info_fields": list(self.info),
            "seed": self.seed,
        }
        _files.write(path, meta, arrays)

    @classmethod
    def load(cls, path: str | os.PathLike) -> Trajectory:
        """Read a file written by :meth:`save`. The optimizer and a zoo objective are rebuilt; others are None
        (``label`` and ``objective_label`` keep their text). Every array is checked against the others; a file
        that is not a complete, consistent trajectory raises one ValueError naming the file and the problem."""
        f = _files.read(path, _FORMAT, "adamlab trajectory")
        params = f.array("params", "f")
        if params.ndim < 2:
            raise f.error(f"params has shape {params.shape}, not (records, ..., d)")
        n, batch = params.shape[0], params.shape[1:-1]
        names = f.field("info_fields", list)
        if not all(isinstance(name, str) for name in names):
            raise f.error(f"info_fields must be a list of names, got {names!r:.60}")
        seed = f.meta.get("seed")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise f.error(f"seed must be an integer or null, got {seed!r}")
        return cls(
            params=params,
            values=f.array("values", "f", (n, *batch)),
            steps=f.array("steps", "i", (n,)),
            grads=f.array("grads", "f", params.shape),
            info={name: f.array(f"info.{name}", "f", params.shape) for name in names},
            diverged=f.array("diverged", "b", batch),
            diverged_at=f.array("diverged_at", "i", batch),
            converged_at=f.array("converged_at", "i", batch),
            optimizer=_optimizer_from_json(f.meta.get("optimizer"), f.arrays),
            objective=_objective_from_json(f.meta.get("objective")),
            seed=seed,
            label=f.field("label", str),
            objective_label=f.field("objective_label", str),
        )


_FORMAT = "adamlab.Trajectory/1"


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
    if not isinstance(meta, dict) or "optimizer" not in meta:
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
    if not isinstance(meta, dict) or not isinstance(meta.get("params"), dict):
        return None
    try:
        from adamlab import functions

        if meta["name"] not in functions.available():
            return None
        return functions.get(meta["name"], **meta["params"])
    except Exception:  # noqa: BLE001 - not a zoo function (any more): keep the label only
        return None
