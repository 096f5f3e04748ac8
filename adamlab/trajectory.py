r"""Running optimizers: one recorded :class:`Trajectory` feeds every picture.

:func:`run` drives an optimizer on an objective from one start or a whole batch of starts in one vectorised call,
and records the parameters, values, gradients and the optimizer's own per-step quantities (``info``: m̂, v̂ or
u, the effective per-coordinate step size, Δθ), exactly as the optimizer computed them. :func:`compare` runs
several optimizers from the same start(s) with the same noise seed. Grids of runs (:func:`adamlab.basins`,
:func:`adamlab.sweep`) live in :mod:`adamlab.grids`.

This module imports nothing but NumPy (plots live in :mod:`adamlab.plot`; the optional progress bar is tqdm's).

Divergence
----------
A start *diverges* at step t when its parameters after step t are non-finite or leave the *bound box*, or when
its value there is non-finite. The start is then frozen at its last good point (the parameters after step
t − 1), flagged in ``Trajectory.diverged`` and ``diverged_at = t`` is recorded; the other starts go on unchanged
(every operation is elementwise, and a frozen start's optimizer state is held too, so nothing non-finite
spreads). The parameters are checked at every step. Values are computed once, for the recorded points, after
the run (and at every step when ``value_tol`` is set); a start whose recorded value is non-finite is cut there
(frozen at its previous record, which is the previous step when every step is recorded). The default bound box
is the objective's plotting domain widened a thousandfold about its centre: ``centre ± 1000 · span`` per
coordinate (for Rosenbrock's [-2, 2] × [-1, 3] that is |x| ≤ 4000, |y − 1| ≤ 4000), far outside anything worth
drawing but well before float64 overflow in the zoo's polynomials. Objects without a ``domain`` are only checked
for finiteness. No RuntimeWarning escapes a run.

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
import importlib
import json
import math
import os
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from adamlab import _npz
from adamlab._checks import check_count, check_optimizer, check_tolerance
from adamlab.checkpoint import optimizer_to_json, read_optimizer

__all__ = ["run", "compare", "Trajectory", "resolve_objective"]

#: Half-width of the default bound box, in units of the domain's span (see "Divergence" above).
BOUND_SPANS = 1000.0

# A run refuses to allocate more than this for its records (use ``every=`` or ``record_info=False``).
_MAX_RECORD_BYTES = 4e9


def __getattr__(name: str) -> Any:
    """``adamlab.trajectory.basins`` and friends, from before they moved to :mod:`adamlab.grids`."""
    if name in ("basins", "BasinMap", "sweep", "SweepResult"):
        return getattr(importlib.import_module("adamlab.grids"), name)
    raise AttributeError(f"module 'adamlab.trajectory' has no attribute {name!r}")


# --------------------------------------------------------------------------------------------------------------
# Objectives


def resolve_objective(objective: Any) -> Any:
    """The objective itself, or the zoo function of that name (``"rosenbrock"``, ``"Rosenbrock"``: any name
    :func:`adamlab.functions.get` accepts).

    Anything with ``__call__`` (the value) and ``grad`` is accepted: a TestFunction, a stochastic objective,
    or a user's own object. Unknown names raise ValueError naming the closest and listing the valid ones.
    """
    if isinstance(objective, str):
        from adamlab import functions

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


def _record_steps(steps: int, every: int | None) -> np.ndarray:
    """The steps t that are recorded: 0, every k-th step, and the last step."""
    k = steps if every is None else every
    ts = set(range(0, steps + 1, max(k, 1))) | {0, steps}
    return np.array(sorted(ts), dtype=np.int64)


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


def _starts(optimizer: Any, objective: Any, x0: Any) -> np.ndarray:
    """The start(s), broadcast against the optimizer's array hyperparameters (a sweep in one run)."""
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
    return np.array(np.broadcast_to(x, shape))


class _Box:
    """The bound box a start must stay in (see "Divergence"), or finiteness only."""

    def __init__(self, objective: Any, bound: Any, d: int) -> None:
        self.low = self.high = None
        if bound is None:
            domain = getattr(objective, "domain", None)
            if domain is None:
                return
            domain = np.asarray(domain, dtype=float)
            if domain.shape != (d, 2) or not np.all(np.isfinite(domain)):
                return
            centre, half = domain.mean(axis=1), BOUND_SPANS * (domain[:, 1] - domain[:, 0])
        else:
            b = np.asarray(bound, dtype=float)
            if b.ndim == 0:
                if not b > 0:
                    raise ValueError(
                        f"run: bound must be a positive number or a (d, 2) box, got {bound!r}"
                    )
                if b == np.inf:
                    return
                centre, half = np.zeros(d), np.full(d, float(b))
            elif b.shape != (d, 2) or not np.all(b[:, 1] > b[:, 0]):
                raise ValueError(
                    f"run: bound must be a positive number or a ({d}, 2) array of [low, high] rows, "
                    f"got {bound!r}"
                )
            else:
                centre, half = b.mean(axis=1), (b[:, 1] - b[:, 0]) / 2
        self.low, self.high = centre - half, centre + half
        # The box's widest cube inside it, for a fast whole-batch test on the flat min and max.
        self.inner_low, self.inner_high = self.low.max(), self.high.min()

    def holds(self, p: np.ndarray) -> Any:
        """True if every start is inside (a fast, conservative whole-batch test on the flat min and max: NaN
        fails it), else the per-start answer, shape ``p.shape[:-1]``."""
        lo, hi = p.min(), p.max()
        if self.low is None:
            if math.isfinite(lo) and math.isfinite(hi):
                return True
            return np.isfinite(p).all(axis=-1)
        if self.inner_low <= lo and hi <= self.inner_high:
            return True
        return ((p >= self.low) & (p <= self.high)).all(axis=-1)  # False for NaN


class _Starts:
    """Which starts still move, and when each one diverged or met a tolerance."""

    def __init__(self, batch: tuple[int, ...]) -> None:
        self.active = np.ones(batch, dtype=bool)
        self.diverged_at = np.full(batch, -1, dtype=np.int64)
        self.converged_at = np.full(batch, -1, dtype=np.int64)
        self.any_stopped = False  # some start is frozen: mask every step from now on

    @property
    def all_stopped(self) -> bool:
        return self.any_stopped and not self.active.any()

    def diverge(self, bad: Any, t: int) -> None:
        bad = self.active & bad
        if np.any(bad):
            self.diverged_at[bad] = t
            self.active = self.active & ~bad
            self.any_stopped = True

    def converge(self, met: np.ndarray, t: int, stop: bool) -> None:
        met = self.active & met
        if np.any(met):
            self.converged_at[met & (self.converged_at < 0)] = t
            if stop:
                self.active = self.active & ~met
                self.any_stopped = True


class _Records:
    """The recorded steps: parameters, gradients and the optimizer's info, written as the run goes."""

    def __init__(self, steps: int, every: int | None, x: np.ndarray, info: bool) -> None:
        self.steps = _record_steps(steps, every)
        n, d = len(self.steps), x.shape[-1]
        nbytes = n * x.size * 8 * (2 + 4 * info)  # params, grads and (up to) four info fields
        if nbytes > _MAX_RECORD_BYTES:
            raise ValueError(
                f"recording {n} steps of {x.size // d} starts would take {nbytes / 1e9:.1f} GB; "
                "use every=k (or every=None for the ends only) and/or record_info=False"
            )
        self.params = np.empty((n, *x.shape))
        self.grads = np.full((n, *x.shape), np.nan)
        self.info: dict[str, np.ndarray] = {}  # the optimizer's fields, allocated at the first step
        self.want_info = info
        self.params[0] = x  # the start (t = 0: no gradient, no info)
        self.i = 1  # the next record

    def due(self, t: int) -> bool:
        return self.i < len(self.steps) and self.steps[self.i] == t

    def add(self, p: np.ndarray, g: np.ndarray, info: Any, moved: Any) -> None:
        """Record step t (``moved``: the starts that took it, or True for all; the others get NaN)."""
        i = self.i
        self.params[i] = p
        masked = moved is not True
        mask = moved[..., None] if masked else None
        self.grads[i] = np.where(mask, g, np.nan) if masked else g
        if info is not None:
            if not self.info:
                shape = self.params.shape
                self.info = {name: np.full(shape, np.nan) for name in info._fields}
            for name, a in zip(info._fields, info):  # (assignment broadcasts)
                self.info[name][i] = np.where(mask, a, np.nan) if masked else a
        self.i += 1

    def end(self, t: int, p: np.ndarray) -> None:
        """The run ended at step t, before its budget: the last record is the last step taken."""
        i = self.i
        if i < len(self.steps):
            if self.steps[i - 1] != t:
                self.params[i], self.steps[i] = p, t
                i += 1
            self.params, self.grads, self.steps = self.params[:i], self.grads[:i], self.steps[:i]
            self.info = {name: a[:i] for name, a in self.info.items()}

    def values(self, value: Callable[[Any], Any], starts: _Starts) -> np.ndarray:
        """f at every record, in one vectorised call. A start whose value is non-finite at a record it reached
        diverged there: it is frozen at its previous record (the start itself is checked before the run)."""
        values = np.asarray(value(self.params), dtype=float)
        steps = self.steps.reshape(-1, *[1] * starts.active.ndim)
        bad = ~np.isfinite(values) & ((starts.diverged_at < 0) | (steps < starts.diverged_at))
        for index in map(tuple, np.argwhere(bad.any(axis=0))):
            i = max(int(np.argmax(bad[(slice(None), *index)])), 1)
            k = (slice(i, None), *index)
            self.params[k] = self.params[(i - 1, *index)]
            values[k] = values[(i - 1, *index)]
            self.grads[k] = np.nan
            for a in self.info.values():
                a[k] = np.nan
            starts.diverged_at[index] = self.steps[i]
        return values


def _gradient(objective: Any, seed: Any) -> Callable[[np.ndarray, int], np.ndarray]:
    """``g(p, t)``: the objective's gradient, or with a ``seed`` (a stochastic objective) its noisy sample."""
    if seed is not None:
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        return lambda p, t: objective.sample_grad(p, t, rng)
    grad = objective.grad
    return lambda p, t: grad(p)


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
    progress: bool | str = False,
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
        Called after every step; nothing is printed otherwise.
    progress : bool or str, default False
        Show a progress bar (tqdm's, in a notebook or a terminal; ``pip install "adamlab[progress]"``), named
        by the optimizer or by the string given.

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
    optimizer = check_optimizer("run", optimizer)
    steps = check_count("run", "steps", steps, 0)
    if every is not None:
        every = check_count("run", "every", every, 1)
    grad_tol = check_tolerance("run", "grad_tol", grad_tol)
    value_tol = check_tolerance("run", "value_tol", value_tol)
    min_value = getattr(objective, "min_value", None)
    if value_tol is not None and min_value is None:
        raise ValueError(
            f"run: value_tol needs the objective's minimum value, but {_objective_name(objective)} has "
            "min_value None"
        )
    x = _starts(optimizer, objective, x0)
    box = _Box(objective, bound, x.shape[-1])
    stochastic = bool(getattr(objective, "stochastic", False)) and hasattr(objective, "sample_grad")
    gradient = _gradient(objective, seed if stochastic else None)
    project = getattr(objective, "project", None)
    step = optimizer.step
    step_with_info = getattr(optimizer, "step_with_info", None)
    records = _Records(steps, every, x, bool(record_info) and step_with_info is not None)
    starts = _Starts(x.shape[:-1])
    bar = _progress_bar(progress, steps, optimizer)

    def value(p: np.ndarray) -> np.ndarray:
        return np.asarray(objective(p), dtype=float)

    with np.errstate(all="ignore"):
        p, state = x, optimizer.init(x)
        v = value(p)
        starts.diverge(~np.isfinite(v), 0)  # a start where f is not finite cannot move
        if value_tol is not None:
            starts.converge(v - min_value <= value_tol, 0, stop_on_tol)
        t = 0
        try:
            for t in range(1, steps + 1):
                if starts.all_stopped:
                    t -= 1
                    break
                # the gradient, and the gradient tolerance at θ_{t-1}
                g = gradient(p, t)
                if grad_tol is not None:
                    starts.converge(np.sqrt(np.sum(g * g, axis=-1)) <= grad_tol, t - 1, stop_on_tol)
                    if starts.all_stopped:
                        t -= 1
                        break
                # the step
                due, info = records.due(t), None
                if due and records.want_info:
                    p_new, s_new, info = step_with_info(p, g, state)
                else:
                    p_new, s_new = step(p, g, state)
                if project is not None:
                    p_new = project(p_new)
                # bound and finiteness
                ok = box.holds(p_new)
                if value_tol is not None:
                    v = value(p_new)
                    ok = ok & np.isfinite(v)
                if ok is not True:
                    starts.diverge(~ok, t)
                # freeze the starts that stopped (parameters and optimizer state)
                moved = starts.active if starts.any_stopped else True
                if moved is True:
                    p, state = p_new, s_new
                else:
                    p = np.where(moved[..., None], p_new, p)
                    state = _select(moved[..., None], s_new, state)
                # the value tolerance (v is f(p) for every start still moving), and the record
                if value_tol is not None:
                    starts.converge(v - min_value <= value_tol, t, stop_on_tol)
                if due:
                    records.add(p, g, info, moved)
                if callback is not None:
                    callback(t, steps)
                if bar is not None:
                    bar.update()
        finally:
            if bar is not None:
                bar.close()
        records.end(t, p)
        values = records.values(value, starts)

    return Trajectory(
        params=records.params,
        values=values,
        steps=records.steps,
        grads=records.grads,
        info=records.info,
        diverged=starts.diverged_at >= 0,
        diverged_at=starts.diverged_at,
        converged_at=starts.converged_at,
        optimizer=optimizer,
        objective=objective,
        seed=None if isinstance(seed, np.random.Generator) or not stochastic else seed,
    )


def _progress_bar(progress: bool | str, total: int, optimizer: Any) -> Any:
    if progress is False or progress is None:
        return None
    from adamlab._progress import bar

    return bar(total, progress if isinstance(progress, str) else repr(optimizer))


def _unique_labels(labels: list[str]) -> list[str]:
    """``labels`` with repeats numbered (``"SGD(lr=0.1)"``, ``"SGD(lr=0.1) #2"``), so that no run is lost."""
    out: list[str] = []
    for label in labels:
        unique, k = label, 1
        while unique in out:
            k += 1
            unique = f"{label} #{k}"
        out.append(unique)
    return out


def compare(
    optimizers: Mapping[str, Any] | list[Any] | tuple[Any, ...],
    objective: Any,
    x0: npt.ArrayLike | None,
    steps: int,
    **kwargs: Any,
) -> dict[str, Trajectory]:
    """Run every optimizer from the same start(s) with the same noise seed.

    ``optimizers`` is a dict ``label -> optimizer`` or a list, labelled by ``repr`` (a repeated label is
    numbered: ``"SGD(lr=0.1)"``, ``"SGD(lr=0.1) #2"``, so every run is kept); ``kwargs`` go to :func:`run`
    (``seed`` defaults to 0 for all, so a stochastic objective draws the same noise stream for each;
    ``progress=True`` shows one bar per optimizer).

    >>> from adamlab import SGD, Adam, compare
    >>> runs = compare({"SGD": SGD(lr=0.1), "Adam": Adam(lr=0.1)}, "sphere", [3.0, 4.0], 50)
    >>> {k: round(float(r.values[-1]), 4) for k, r in runs.items()}
    {'SGD': 0.0, 'Adam': 0.0814}
    >>> list(compare([SGD(lr=0.1), SGD(lr=0.1)], "sphere", [3.0, 4.0], 5))
    ['SGD(lr=0.1)', 'SGD(lr=0.1) #2']
    """
    if isinstance(optimizers, Mapping):
        items = list(optimizers.items())
        for label, opt in items:
            check_optimizer("compare", opt, f"optimizers[{label!r}]")
    elif isinstance(optimizers, (list, tuple)):
        for i, opt in enumerate(optimizers):
            check_optimizer("compare", opt, f"optimizers[{i}]")
        items = list(zip(_unique_labels([repr(opt) for opt in optimizers]), optimizers))
    else:
        raise TypeError(
            f"compare: optimizers must be a dict label -> optimizer or a list, got {optimizers!r}"
        )
    objective = resolve_objective(objective)
    seed = kwargs.pop("seed", 0)
    if isinstance(seed, np.random.Generator):
        raise TypeError(
            "compare needs an integer seed (one Generator would give each optimizer other noise)"
        )
    progress = kwargs.pop("progress", False)
    return {
        label: run(opt, objective, x0, steps, seed=seed, progress=progress and label, **kwargs)
        for label, opt in items
    }


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
        tol = check_tolerance("nearest_minimum", "tol", tol)
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
            tol = check_tolerance("steps_to", "value_tol", value_tol)
            min_value = getattr(self.objective, "min_value", None)
            if min_value is None:
                raise ValueError(f"value_tol needs min_value, but {self.objective_label} has none")
            with np.errstate(invalid="ignore"):
                hit = self.values - min_value <= tol
        else:
            tol = check_tolerance("steps_to", "dist_tol", dist_tol)
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
        only its label); a zoo objective is stored by name. The file is written to a temporary file and renamed
        into place: a failed save leaves a previous file at ``path`` as it was."""
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
        _npz.write(path, meta, arrays)

    @classmethod
    def load(cls, path: str | os.PathLike) -> Trajectory:
        """Read a file written by :meth:`save`. The optimizer and a zoo objective are rebuilt; others are None
        (``label`` and ``objective_label`` keep their text).

        Everything read is checked (the header's entries, every array's kind and shape against ``params``); a
        file that is not a complete adamlab Trajectory gives one ValueError naming the file and the problem.
        """
        with _npz.reading(path, "adamlab Trajectory file") as f:
            meta = f.meta
            fmt = f.entry("the header", meta, "format", "str", "null", default=None)
            if fmt != _FORMAT:
                raise f.error(f"unknown format {fmt!r}")
            params = f.array("params")
            if params.ndim < 2 or len(params) == 0:
                raise f.error(f"the array 'params' must have shape (n, ..., d), got {params.shape}")
            n, batch = len(params), params.shape[1:-1]
            steps = f.array("steps", kinds="i", shape=(n,))
            if steps[0] != 0 or np.any(np.diff(steps) <= 0):
                raise f.error("the array 'steps' must start at 0 and increase")
            names = f.entry("the header", meta, "info_fields", "list")
            if not all(isinstance(name, str) for name in names):
                raise f.error("info_fields must be a list of names")
            opt_meta = f.entry("the header", meta, "optimizer", "dict", "null")
            if opt_meta is not None:
                f.entry("optimizer", opt_meta, "repr", "str")
            seed = f.entry("the header", meta, "seed", "int", "null")
            return cls(
                params=params,
                values=f.array("values", shape=(n, *batch)),
                steps=steps,
                grads=f.array("grads", shape=params.shape),
                info={name: f.array(f"info.{name}", shape=params.shape) for name in names},
                diverged=f.array("diverged", kinds="b", shape=batch),
                diverged_at=f.array("diverged_at", kinds="i", shape=batch),
                converged_at=f.array("converged_at", kinds="i", shape=batch),
                optimizer=_optimizer_from_json(f, opt_meta),
                objective=_objective_from_json(
                    f, f.entry("the header", meta, "objective", "dict", "null")
                ),
                seed=seed,
                label=f.entry("the header", meta, "label", "str"),
                objective_label=f.entry("the header", meta, "objective_label", "str"),
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


def _optimizer_from_json(f: _npz.Reader, meta: dict[str, Any] | None) -> Any:
    """The stored optimizer, or None (only its label) for one that was not stored or that adamlab cannot build
    any more (an old flagged Adam, a renamed class)."""
    if meta is None or "optimizer" not in meta:
        return None
    return read_optimizer(f, meta, "optimizer", unknown_ok=True)


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


def _objective_from_json(f: _npz.Reader, meta: dict[str, Any] | None) -> Any:
    """The stored zoo function, or None (only its label) for a user's objective or a name the zoo lacks."""
    if meta is None:
        return None
    name = f.entry("objective", meta, "name", "str")
    params = f.entry("objective", meta, "params", "dict")
    from adamlab import functions

    try:
        return functions.get(name, **params)
    except (ValueError, TypeError):  # not a zoo function (any more): keep the label only
        return None
