"""Loss curves: f(θₜ), the gap f(θₜ) − f* or the distance to the nearest minimum, per step."""

from __future__ import annotations

import numpy as np

from adamlab.plot._runs import FLOOR, prepare
from adamlab.plot._style import fit_titles, legend_outside, lw, new_axes, set_title
from adamlab.plot._text import function_title
from adamlab.plot.contour_paths import diverged_style

__all__ = ["loss_curves", "draw_curves", "curve_of"]


def curve_of(traj, kind):
    """(y per record, y label) of one trajectory: ``kind`` is "value", "gap" or "distance"."""
    f = traj.objective
    f_star = getattr(f, "min_value", None)
    if kind == "distance":
        return np.asarray(traj.distance_to_minimum(), dtype=float), "distance to nearest minimum"
    values = np.asarray(traj.values, dtype=float)
    if kind == "gap":
        if f_star is None:
            raise ValueError(
                f"kind='gap' needs a known minimum value; {function_title(f)} has none"
            )
        return values - f_star, r"$f(\theta_t) - f^*$"
    if kind == "value":
        return values, r"$f(\theta_t)$"
    raise ValueError(f"kind must be 'value', 'gap' or 'distance', not {kind!r}")


def loss_curves(trajectories, ax=None, *, kind="value", logx=False, legend=True):
    """Loss (or gap to the minimum, or distance to the nearest minimum) per step, log y axis.

    Parameters
    ----------
    trajectories : as for :func:`adamlab.plot.paths`
    ax : matplotlib Axes, optional
    kind : {"value", "gap", "distance"}
        ``"value"`` draws f(θ_t); when some values are <= 0 and the minimum value f* is known it
        draws the gap f(θ_t) - f* instead (the y label says so); without f* it uses a symlog axis.
        The log axis stops at 1e-16 (machine precision): a curve that leaves the bottom keeps
        falling, and an exact 0 (minimum reached to the last bit) ends the curve. The y range
        is set by the runs that did not diverge; a diverged run leaves through the top and its
        cross sits on the top edge.
    logx : bool
        Log step axis (the start t=0 is then left out).
    legend : bool
        Legend outside the axes (on the right), so it never covers a curve.

    Returns
    -------
    matplotlib.axes.Axes
    """
    from matplotlib.lines import Line2D

    runs = prepare(trajectories, view="loss_curves")
    ax = new_axes(ax)
    diverged = draw_curves(runs, ax, kind=kind, logx=logx)
    if legend:
        extra = []
        if diverged:
            extra = [
                Line2D([], [], linestyle="none", color="grey", label="diverged", **diverged_style())
            ]
        handles, _ = ax.get_legend_handles_labels()
        legend_outside(ax, handles + extra)
    fit_titles([ax])
    return ax


def draw_curves(runs, ax, *, kind="value", logx=False) -> bool:
    """Draw the prepared runs' curves into ``ax`` (see :func:`loss_curves`); True when a start diverged."""
    if kind == "value":
        data = [curve_of(run.traj, "value") for run in runs]
        finite = np.concatenate([np.ravel(y[np.isfinite(y)]) for y, _ in data])
        stars = [getattr(run.traj.objective, "min_value", None) for run in runs]
        gap = finite.size and finite.min() <= 0 and all(s is not None for s in stars)
        if gap:
            data = [curve_of(run.traj, "gap") for run in runs]
        scale = "symlog" if finite.size and finite.min() <= 0 and not gap else "log"
    else:
        data = [curve_of(run.traj, kind) for run in runs]
        scale = "log"
    ylabel = data[0][1]
    crosses = []  # (t, y, colour) where a start diverged
    calm = []  # finite values of the starts that did not diverge: they set the y range
    for run, (y, _) in zip(runs, data):
        steps = np.asarray(run.traj.steps)
        for i, track in enumerate(run.tracks):
            t, yy = track.cut(steps, y)
            if logx:
                t, yy = t[t > 0], yy[t > 0]
            ax.plot(
                t,
                yy,
                color=run.color,
                lw=lw(0.55) if run.multi else lw(1.2),
                alpha=0.6 if run.multi else 1.0,
                label=run.label if i == 0 else "_nolegend_",
            )
            if track.diverged and len(t):
                crosses.append((t[-1], yy[-1], run.color))
            else:
                calm.append(yy)
    ax.set_yscale(scale)
    calm = np.concatenate(calm) if calm else np.array([])
    calm = calm[np.isfinite(calm) & ((calm > 0) if scale == "log" else True)]
    if calm.size:
        # A diverged run leaves through the top (its cross sits on the edge) instead of
        # squashing every other curve.
        lo, hi = calm.min(), calm.max()
        if scale == "log":
            ax.set_ylim(max(lo / 3, FLOOR), hi * 5)
        else:
            pad = 0.05 * (hi - lo or 1.0)
            ax.set_ylim(lo - pad, hi + 10 * pad)
    elif scale == "log":
        low, high = ax.get_ylim()
        ax.set_ylim(max(low, FLOOR), high)
    top = ax.get_ylim()[1]
    for t_last, y_last, color in crosses:
        ax.plot(
            t_last,
            min(y_last, top),
            linestyle="none",
            color=color,
            zorder=5,
            clip_on=False,
            **diverged_style(),
        )
    if logx:
        ax.set_xscale("log")
    ax.set_xlabel("step $t$")
    ax.set_ylabel(ylabel)
    ax.grid(True, which="major", alpha=0.3)
    set_title(ax, function_title(runs[0].traj.objective))
    return bool(crosses)
