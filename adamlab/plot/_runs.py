"""What a view draws, prepared once from the recorded trajectories (NumPy only, no matplotlib).

Data flows one way: :func:`prepare` turns trajectories into :class:`Run` objects that hold everything a
view needs (label, colour, and per start the finite points up to divergence, the end marker's position
and whether the path leaves the view); the views only draw them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from adamlab.plot._colors import colors

__all__ = ["Run", "Track", "prepare", "objective_of", "domain_box", "require_2d", "FLOOR"]

FLOOR = 1e-16  # log axes: values at or below machine precision are drawn here (docstrings say so)


@dataclass(frozen=True)
class Track:
    """One start of one run, as drawn.

    ``steps`` and ``points`` are the recorded steps and points that are finite and come before the
    divergence (at least the start); ``end`` is where the end marker goes: the last point, or for a
    path that leaves the view the point where it last crosses the view's border (None when the path is
    never inside the view).
    """

    index: tuple[int, ...]
    steps: np.ndarray
    points: np.ndarray
    diverged_at: int
    end: np.ndarray | None
    leaves_view: bool

    @property
    def diverged(self) -> bool:
        return self.diverged_at >= 0

    def cut(self, steps: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(steps, y) of this start for a per-record quantity ``y`` (n, *batch): finite, before divergence."""
        y = np.asarray(y, dtype=float)[(slice(None), *self.index)]
        keep = np.isfinite(y)
        if self.diverged:
            keep &= steps < self.diverged_at
        return steps[keep], y[keep]


@dataclass(frozen=True)
class Run:
    """One trajectory as drawn: its label (with divergence note), colour, the trajectory and its tracks."""

    label: str
    color: str
    traj: object
    tracks: tuple[Track, ...]

    @property
    def multi(self) -> bool:
        """True for a batch of starts (thin lines)."""
        return len(self.tracks) > 1

    @property
    def last_step(self) -> int:
        return int(np.asarray(self.traj.steps)[-1])


def _display_label(key, traj) -> str:
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


def _divergence_note(traj) -> str:
    diverged = np.asarray(traj.diverged)
    if not diverged.any():
        return ""
    if diverged.ndim == 0:
        return f" (diverged at t={int(np.asarray(traj.diverged_at))})"
    return f" ({int(diverged.sum())}/{diverged.size} starts diverged)"


def _exit_point(path: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray | None:
    """Last point of ``path`` inside the box, or where the path last leaves the box."""
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


def _track(traj, idx, box) -> Track:
    params = np.asarray(traj.params, dtype=float)[(slice(None), *idx)]
    steps = np.asarray(traj.steps)
    diverged_at = -1
    if bool(np.asarray(traj.diverged)[idx]):
        diverged_at = int(np.asarray(traj.diverged_at)[idx])
    keep = np.all(np.isfinite(params), axis=-1)
    if diverged_at >= 0:
        keep &= steps < diverged_at
    if not keep.any():  # diverged on the very first step: keep the start
        keep[0] = True
    steps, points = steps[keep], params[keep]
    end, leaves = points[-1], False
    if box is not None and points.shape[-1] == 2:
        lo, hi = np.array([b[0] for b in box]), np.array([b[1] for b in box])
        end = _exit_point(points, lo, hi)
        leaves = bool(np.any((points < lo) | (points > hi)))
    return Track(idx, steps, points, diverged_at, end, leaves)


def _is_trajectory(x) -> bool:
    return all(hasattr(x, a) for a in ("params", "steps", "diverged"))


def _pairs(trajectories, view: str):
    """(key, Trajectory) pairs of what the caller passed; a clear TypeError for anything else."""
    if isinstance(trajectories, str) or (
        callable(trajectories) and hasattr(trajectories, "domain")
    ):
        name = trajectories if isinstance(trajectories, str) else getattr(trajectories, "name", "f")
        raise TypeError(
            f"{view} draws recorded runs, not a function: run an optimizer first, e.g. "
            f"traj = adamlab.run(adamlab.Adam(lr=0.1), {name!r}, x0, 200) and then "
            f"plot.{view}(traj); plot.contour({name!r}) draws the function alone"
        )
    if isinstance(trajectories, dict):
        pairs = list(trajectories.items())
    elif _is_trajectory(trajectories):
        pairs = [(None, trajectories)]
    elif isinstance(trajectories, Iterable):
        pairs = [(None, t) for t in trajectories]
    else:
        pairs = [(None, trajectories)]
    if not pairs:
        raise ValueError(f"{view}: no trajectories to draw")
    for _, t in pairs:
        if not _is_trajectory(t):
            raise TypeError(
                f"{view} draws recorded runs (a Trajectory from adamlab.run, a list of them or the "
                f"dict from adamlab.compare), got {type(t).__name__}: {t!r:.60}"
            )
    return pairs


def prepare(trajectories, box=None, *, view: str = "the view") -> list[Run]:
    """A Trajectory, a list of them or a dict label -> Trajectory, as labelled, coloured runs.

    ``box`` is the view ``((x0, x1), (y0, y1))`` of a plane view (None: no view), for end markers on
    the border and the "leaves the view" note.
    """
    pairs = _pairs(trajectories, view)
    labels = [_display_label(k, t) for k, t in pairs]
    cols = colors.assign([(type(t.optimizer).__name__, lab) for lab, (_, t) in zip(labels, pairs)])
    runs = []
    for label, color, (_, traj) in zip(labels, cols, pairs):
        starts = list(np.ndindex(*np.shape(traj.diverged)))
        tracks = tuple(_track(traj, idx, box) for idx in starts)
        note = _divergence_note(traj)
        if not note and any(t.leaves_view for t in tracks):
            note = " (leaves the view)"
        runs.append(Run(label + note, color, traj, tracks))
    return runs


def objective_of(trajectories, objective=None, *, view: str = "the view"):
    """The objective to draw: explicit, a zoo name, or the first trajectory's."""
    if objective is None:
        objective = _pairs(trajectories, view)[0][1].objective
    if isinstance(objective, str):
        from adamlab import functions

        objective = functions.get(objective)
    return objective


def domain_box(objective):
    """The view ``((x0, x1), (y0, y1))`` of a 2-D objective (its domain), or None."""
    domain = getattr(objective, "domain", None)
    if domain is None or np.shape(domain) != (2, 2):
        return None
    domain = np.asarray(domain, dtype=float)
    return tuple(map(float, domain[0])), tuple(map(float, domain[1]))


def require_2d(trajectories, view: str):
    """Views on the plane need 2-D parameters."""
    for _, traj in _pairs(trajectories, view):
        d = np.shape(traj.params)[-1]
        if d != 2:
            raise ValueError(
                f"{view} draws paths in the plane; {traj.label} has {d}-D parameters "
                "(loss_curves and step_sizes work in any dimension)"
            )
