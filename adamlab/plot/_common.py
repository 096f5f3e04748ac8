"""Helpers shared by the views: trajectory lists, labels, divergence, axes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from adamlab.plot._colors import colors

FIGSIZE = (8.4, 5.6)
START_STYLE = dict(marker="o", markersize=7, markerfacecolor="white", markeredgecolor="black")
END_STYLE = dict(marker="o", markersize=7, markeredgecolor="white", markeredgewidth=1.2)
DIVERGED_STYLE = dict(marker="X", markersize=11, markeredgecolor="white", markeredgewidth=1.0)
FLOOR = 1e-16  # log axes: values at or below machine precision are drawn here (docstrings say so)


@dataclass
class Run:
    """One trajectory as drawn: its label (with divergence note), colour and data."""

    label: str
    color: str
    traj: object

    @property
    def batch(self) -> tuple[int, ...]:
        return tuple(np.shape(self.traj.diverged))

    def starts(self):
        """Index tuples of the individual starts (``()`` for a single start)."""
        return list(np.ndindex(*self.batch))

    def diverged_at(self, idx) -> int:
        """Step at which start ``idx`` diverged, or -1."""
        if not bool(np.asarray(self.traj.diverged)[idx]):
            return -1
        return int(np.asarray(self.traj.diverged_at)[idx])

    def path(self, idx) -> np.ndarray:
        """Finite recorded points (n, d) of start ``idx``, up to its divergence."""
        return self.path_steps(idx)[1]

    def path_steps(self, idx) -> tuple[np.ndarray, np.ndarray]:
        """(steps, points) of the finite recorded points of start ``idx``, up to its divergence."""
        p = np.asarray(self.traj.params, dtype=float)[(slice(None), *idx)]
        steps = np.asarray(self.traj.steps)
        keep = np.all(np.isfinite(p), axis=-1)
        t_div = self.diverged_at(idx)
        if t_div >= 0:
            keep &= steps < t_div
            if not keep.any():  # diverged on the very first step: keep the start
                keep[0] = True
        return steps[keep], p[keep]

    def series(self, y: np.ndarray, idx) -> tuple[np.ndarray, np.ndarray]:
        """(steps, y) of start ``idx`` for a per-record quantity y (n, *batch), cut at divergence."""
        steps = np.asarray(self.traj.steps)
        y = np.asarray(y, dtype=float)[(slice(None), *idx)]
        keep = np.isfinite(y)
        t_div = self.diverged_at(idx)
        if t_div >= 0:
            keep &= steps < t_div
        return steps[keep], y[keep]


def display_label(key, traj) -> str:
    """The optimizer's own repr; a user's dict key is kept only when it adds information."""
    label = traj.label
    if key is None:
        return label
    key = str(key)
    cls = type(traj.optimizer).__name__
    if key in (label, cls):
        return label
    if key.startswith(label):  # e.g. "Adam(lr=0.1) #2" for a repeated optimizer
        return key
    return f"{key}: {label}"


def divergence_note(traj) -> str:
    diverged = np.asarray(traj.diverged)
    if not diverged.any():
        return ""
    if diverged.ndim == 0:
        return f" (diverged at t={int(np.asarray(traj.diverged_at))})"
    return f" ({int(diverged.sum())}/{diverged.size} starts diverged)"


def as_runs(trajectories) -> list[Run]:
    """A Trajectory, a list of them or a dict label -> Trajectory, as labelled, coloured runs."""
    if isinstance(trajectories, dict):
        pairs = list(trajectories.items())
    elif hasattr(trajectories, "params"):
        pairs = [(None, trajectories)]
    else:
        pairs = [(None, t) for t in trajectories]
    if not pairs:
        raise ValueError("no trajectories to draw")
    labels = [display_label(k, t) for k, t in pairs]
    cols = colors.assign([(type(t.optimizer).__name__, lab) for lab, (_, t) in zip(labels, pairs)])
    return [Run(label + divergence_note(t), c, t) for label, c, (_, t) in zip(labels, cols, pairs)]


def objective_of(runs, objective=None):
    """The objective to draw under the runs: explicit, a zoo name, or the first trajectory's."""
    if objective is None:
        objective = runs[0].traj.objective
    if isinstance(objective, str):
        from adamlab import functions

        objective = functions.get(objective)
    return objective


def name_of(obj, width: int = 60) -> str:
    """``repr(obj)`` for a title: a class name instead of ``<... object at 0x...>``, wrapped."""
    import textwrap

    text = repr(obj)
    if text.startswith("<"):
        text = getattr(obj, "name", None) or type(obj).__name__
    return textwrap.fill(text, width, break_long_words=False)


def require_2d(runs, view: str):
    """Views on the plane need 2-D parameters."""
    for run in runs:
        d = np.shape(run.traj.params)[-1]
        if d != 2:
            raise ValueError(
                f"{view} draws paths in the plane; {run.label} has {d}-D parameters "
                "(loss_curves and step_sizes work in any dimension)"
            )


def new_axes(ax=None, figsize=FIGSIZE, **subplot_kw):
    """Return ``ax`` or a new Axes in a new constrained-layout figure."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=figsize, layout="constrained")
    return fig.add_subplot(**subplot_kw)


def exit_point(path: np.ndarray, xlim, ylim) -> np.ndarray | None:
    """Last point of ``path`` inside the box, or where the path last leaves the box."""
    lo = np.array([min(xlim), min(ylim)])
    hi = np.array([max(xlim), max(ylim)])
    inside = np.all((path >= lo) & (path <= hi), axis=-1)
    if inside[-1]:
        return path[-1]
    if not inside.any():
        return None
    i = np.flatnonzero(inside)[-1]
    a, b = path[i], path[i + 1]
    d = b - a
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(d > 0, (hi - a) / d, np.where(d < 0, (lo - a) / d, np.inf))
    return a + min(1.0, float(np.min(s))) * d


def leaves_box(path: np.ndarray, xlim, ylim) -> bool:
    lo = np.array([min(xlim), min(ylim)])
    hi = np.array([max(xlim), max(ylim)])
    return bool(np.any((path < lo) | (path > hi)))


def legend_outside(ax, handles=None, **kw):
    """Legend to the right of the axes, so it never covers a path."""
    kw = dict(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, fontsize=9) | kw
    if handles is None:
        return ax.legend(**kw)
    return ax.legend(handles=handles, **kw)
