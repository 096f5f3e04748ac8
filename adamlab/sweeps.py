"""Many runs in one: basin-of-attraction maps over a grid of starts, and hyperparameter sweeps.

Both are a single vectorised :func:`adamlab.run` (a batch of starts, or array hyperparameters), so a 200 × 200
basin map or a 30 × 30 sweep takes about a second, and every run is kept: none is picked as "best" behind the
reader's back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from adamlab._checks import check_count
from adamlab.trajectory import (
    Trajectory,
    _as_start,
    _check_tol,
    _default_tol,
    _objective_name,
    resolve_objective,
    resolve_optimizer,
    run,
)

__all__ = ["basins", "BasinMap", "sweep", "SweepResult"]


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
    progress: bool | None = None,
) -> BasinMap:
    """Basin-of-attraction map: run ``optimizer`` from every point of a ``resolution`` × ``resolution`` grid
    over ``domain`` (default ``objective.domain``) in one vectorised run, and label each start by the known
    minimum it ends within ``tol`` of (Euclidean distance; -1 none, -2 diverged). The default ``tol`` is 1% of
    the grid's diagonal (0.14 for Himmelblau): RMSProp or Adam with a constant step circle a minimum at a
    distance of about ``lr`` and still count; a start stuck at a saddle or a far local minimum does not.
    ``BasinMap.distance`` has the final distances for a stricter reading.

    ``every``, ``callback`` and ``progress`` are passed to :func:`run` (``every=None``: record only the starts
    and the ends); the run is kept in ``BasinMap.trajectory``.

    >>> import numpy as np
    >>> from adamlab import Adam, basins
    >>> bm = basins(Adam(lr=0.1), "himmelblau", resolution=20, steps=300)
    >>> bm.label.shape, sorted(np.unique(bm.label).tolist())   # Himmelblau's four minima
    ((20, 20), [0, 1, 2, 3])
    """
    objective = resolve_objective(objective)
    optimizer = resolve_optimizer(optimizer)
    if getattr(objective, "dim", 2) != 2:
        raise ValueError(f"basins needs a 2-D objective, got {_objective_name(objective)}")
    if isinstance(resolution, (tuple, list)):
        if len(resolution) != 2:
            raise ValueError(f"resolution must be an int or (nx, ny), got {resolution!r}")
        nx, ny = (check_count("basins", "resolution", r, 2) for r in resolution)
    else:
        nx = ny = check_count("basins", "resolution", resolution, 2)
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
        optimizer,
        objective,
        starts,
        steps,
        every=every,
        record_info=False,
        callback=callback,
        progress=progress,
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
            f"SweepResult({fixed_label(self.optimizer, self.names)} on {_objective_name(self.objective)}: "
            f"{grid}, {self.steps} steps, {int(self.diverged.sum())} diverged)"
        )


def fixed_label(optimizer: Any, swept: tuple[str, ...]) -> str:
    """The optimizer's label without the swept hyperparameters, whose base values it never ran with:
    ``Adam(eps=1e-06)`` for a sweep of lr and beta1 (not ``Adam(lr=0.001, eps=1e-06)``)."""
    if not dataclasses.is_dataclass(optimizer):
        return repr(optimizer)
    shown = []
    for f in dataclasses.fields(optimizer):
        value = getattr(optimizer, f.name)
        if f.name in swept:
            continue
        same = not isinstance(value, np.ndarray) and not callable(value) and value == f.default
        if not same:
            shown.append(f"{f.name}={value!r}")
    return f"{type(optimizer).__name__}({', '.join(shown)})"


def sweep(
    optimizer: Any,
    objective: Any,
    x0: npt.ArrayLike | None,
    steps: int,
    *,
    seed: int = 0,
    value_tol: float | None = None,
    callback: Callable[[int, int], Any] | None = None,
    progress: bool | None = None,
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
    optimizer = resolve_optimizer(optimizer)
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
        progress=progress,
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
