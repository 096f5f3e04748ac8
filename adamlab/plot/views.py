"""Contour with paths, 3-D surface, loss curves and the side-by-side race figure.

All views take the recorded :class:`adamlab.Trajectory` objects as they are: the path is
``trajectory.params``, the label is ``trajectory.label`` (the optimizer's own repr), a diverged start
is drawn up to its last finite point and ends in a cross, and the axis limits are the objective's
domain.
"""

from __future__ import annotations

import inspect

import numpy as np

from adamlab.plot._common import (
    DIVERGED_STYLE,
    END_STYLE,
    FLOOR,
    START_STYLE,
    as_runs,
    exit_point,
    leaves_box,
    legend_outside,
    name_of,
    new_axes,
    objective_of,
    require_2d,
)

__all__ = ["paths", "surface3d", "loss_curves", "race_figure", "draw_background"]

PATH_GID = "adamlab-path"
BACKGROUND = dict(cmap="Greys", alpha=0.35)


def draw_background(objective, ax, *, show_minima=True):
    """Contour of ``objective`` over its domain (``adamlab.plot.surface.contour``), or nothing.

    Returns the box ``(xlim, ylim)`` of the domain, or ``None`` when the objective has no domain.
    """
    domain = getattr(objective, "domain", None)
    if domain is None or np.shape(domain) != (2, 2):
        return None
    from adamlab.plot.surface import contour

    # A quiet background, so that the optimizers' colours carry the picture.
    kwargs = dict(BACKGROUND)
    if not show_minima:
        kwargs["show_minima"] = False
    accepted = inspect.signature(contour).parameters
    contour(objective, ax=ax, **{k: v for k, v in kwargs.items() if k in accepted})
    domain = np.asarray(domain, dtype=float)
    ax.set_xlim(*domain[0])
    ax.set_ylim(*domain[1])
    return tuple(domain[0]), tuple(domain[1])


def _marker_handles(ax, any_diverged: bool, end_label: str = "end"):
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], linestyle="none", label="start", **START_STYLE),
        Line2D([], [], linestyle="none", color="grey", label=end_label, **END_STYLE),
    ]
    if any_diverged:
        handles.append(
            Line2D([], [], linestyle="none", color="grey", label="diverged", **DIVERGED_STYLE)
        )
    # Whatever the background labelled (e.g. the known minima).
    for h, lab in zip(*ax.get_legend_handles_labels()):
        if not lab.startswith("_") and getattr(h, "get_gid", lambda: None)() != PATH_GID:
            handles.append(h)
    return handles


def _draw_paths(runs, ax, box, markers=False):
    """Draw every start of every run; return (path handles, any start diverged)."""
    any_diverged = False
    handles = []
    for run in runs:
        starts = run.starts()
        multi = len(starts) > 1
        lw, alpha = (0.9, 0.7) if multi else (1.8, 1.0)
        for i, idx in enumerate(starts):
            p = run.path(idx)
            (line,) = ax.plot(
                p[:, 0],
                p[:, 1],
                color=run.color,
                lw=lw,
                alpha=alpha,
                zorder=3,
                gid=PATH_GID,
                label=run.label if i == 0 else "_nolegend_",
                marker="." if markers else None,
                markersize=4 if markers else None,
            )
            if i == 0:
                handles.append(line)
            ms = 0.6 if multi else 1.0
            start = dict(START_STYLE, markersize=START_STYLE["markersize"] * ms)
            ax.plot(*p[0, :2], linestyle="none", zorder=4, **start)
            diverged = run.diverged_at(idx) >= 0
            end = p[-1, :2]
            if box is not None:
                end = exit_point(p[:, :2], *box)
            if end is None:
                continue
            if diverged:
                any_diverged = True
                style = dict(DIVERGED_STYLE, markersize=DIVERGED_STYLE["markersize"] * ms)
            else:
                style = dict(END_STYLE, markersize=END_STYLE["markersize"] * ms)
            ax.plot(*end, linestyle="none", color=run.color, zorder=5, clip_on=False, **style)
        if box is not None and not np.asarray(run.traj.diverged).any():
            if any(leaves_box(run.path(idx)[:, :2], *box) for idx in starts):
                handles[-1].set_label(run.label + " (leaves the view)")
    return handles, any_diverged


def _title(objective, runs) -> str:
    steps = max(int(np.asarray(r.traj.steps)[-1]) for r in runs)
    name = name_of(objective) if objective is not None else "objective"
    return f"{name}, {steps} steps"


def paths(trajectories, objective=None, ax=None, *, show_minima=True, legend=True, markers=False):
    """Contour of the objective with each optimizer's path, start and end markers.

    Parameters
    ----------
    trajectories : Trajectory, list of Trajectory, or dict label -> Trajectory
        Recorded runs (``adamlab.run`` / ``adamlab.compare``). A batch of starts draws one thin
        path per start in the optimizer's colour.
    objective : TestFunction, zoo name or None
        Background; default: the first trajectory's objective.
    ax : matplotlib Axes, optional
    show_minima : bool
        Mark the known minima (drawn by :func:`adamlab.plot.surface.contour`).
    legend : bool
        Legend outside the axes (on the right), so it never covers a path.
    markers : bool
        A dot at every recorded point, so that step lengths can be seen.

    Returns
    -------
    matplotlib.axes.Axes
        The path lines carry ``gid="adamlab-path"``; their data are ``trajectory.params`` (cut at the
        last finite point for a diverged start, which ends in a cross).
    """
    runs = as_runs(trajectories)
    require_2d(runs, "paths")
    f = objective_of(runs, objective)
    ax = new_axes(ax)
    box = draw_background(f, ax, show_minima=show_minima)
    handles, any_diverged = _draw_paths(runs, ax, box, markers)
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    ax.set_title(_title(f, runs))
    if legend:
        legend_outside(ax, handles + _marker_handles(ax, any_diverged))
    return ax


def surface3d(objective, trajectories=None, ax=None, *, resolution=80, log=None):
    """3-D surface of the objective over its domain, with the paths lifted onto it.

    Parameters
    ----------
    objective : TestFunction or zoo name
    trajectories : optional, as for :func:`paths`
    ax : a 3-D Axes (``projection="3d"``), optional
    resolution : grid points per axis
    log : bool or None
        Height ``log10(f - f* + 1)`` instead of ``f`` (default: ``objective.log_levels``), so
        steep functions such as Rosenbrock show their valley. The z label says which.

    Returns
    -------
    matplotlib Axes3D
    """
    runs = as_runs(trajectories) if trajectories is not None else []
    require_2d(runs, "surface3d")
    f = objective_of(runs, objective) if runs else objective_of([], objective)
    ax = new_axes(ax, figsize=(7.0, 5.6), projection="3d")
    if log is None:
        log = bool(getattr(f, "log_levels", False))
    f_star = getattr(f, "min_value", None)

    def height(z):
        z = np.asarray(z, dtype=float)
        if not log:
            return z
        base = f_star if f_star is not None else np.nanmin(zz)
        with np.errstate(invalid="ignore"):
            return np.log10(np.maximum(z - base, 0.0) + 1.0)

    domain = np.asarray(f.domain, dtype=float)
    X, Y = np.meshgrid(np.linspace(*domain[0], resolution), np.linspace(*domain[1], resolution))
    zz = f(np.stack([X, Y], axis=-1))
    Z = height(zz)
    ax.plot_surface(X, Y, Z, cmap="viridis", alpha=0.55, linewidth=0, antialiased=True, zorder=1)
    top = np.nanmax(Z)
    for run in runs:
        for i, idx in enumerate(run.starts()):
            p = run.path(idx)
            inside = np.all((p >= domain[:, 0]) & (p <= domain[:, 1]), axis=-1)
            p = p[: np.argmin(inside)] if not inside.all() else p
            if len(p) == 0:
                continue
            z = height(f(p))
            ax.plot(
                p[:, 0],
                p[:, 1],
                z + 0.01 * top,
                color=run.color,
                lw=2,
                zorder=5,
                gid=PATH_GID,
                label=run.label if i == 0 else "_nolegend_",
            )
            ax.plot(
                [p[0, 0]], [p[0, 1]], [z[0] + 0.01 * top], linestyle="none", zorder=6, **START_STYLE
            )
            style = DIVERGED_STYLE if run.diverged_at(idx) >= 0 else END_STYLE
            ax.plot(
                [p[-1, 0]],
                [p[-1, 1]],
                [z[-1] + 0.01 * top],
                linestyle="none",
                color=run.color,
                zorder=6,
                **style,
            )
    minima = np.asarray(getattr(f, "minima", np.empty((0, 2))), dtype=float).reshape(-1, 2)
    if len(minima):
        ax.plot(
            minima[:, 0],
            minima[:, 1],
            height(f(minima)),
            linestyle="none",
            marker="*",
            markersize=12,
            color="gold",
            markeredgecolor="black",
            zorder=7,
            label="minimum",
        )
    ax.set_xlim(*domain[0])
    ax.set_ylim(*domain[1])
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    ax.set_zlabel(r"$\log_{10}(f - f^* + 1)$" if log else r"$f(\theta)$")
    ax.set_title(name_of(f))
    if runs:
        ax.legend(loc="upper left", fontsize=8, bbox_to_anchor=(0.0, 1.0))
    return ax


def _curve(run, kind):
    """(y per record, y label) for one run."""
    f = run.traj.objective
    f_star = getattr(f, "min_value", None)
    values = np.asarray(run.traj.values, dtype=float)
    if kind == "distance":
        return np.asarray(
            run.traj.distance_to_minimum(), dtype=float
        ), r"distance to nearest minimum"
    if kind == "gap":
        if f_star is None:
            raise ValueError(f"kind='gap' needs a known minimum value; {f!r} has none")
        return values - f_star, r"$f(\theta_t) - f^*$"
    if kind == "value":
        return values, r"$f(\theta_t)$"
    raise ValueError(f"kind must be 'value', 'gap' or 'distance', not {kind!r}")


def loss_curves(trajectories, ax=None, *, kind="value", logx=False, legend=True):
    """Loss (or gap to the minimum, or distance to the nearest minimum) per step, log y axis.

    Parameters
    ----------
    trajectories : as for :func:`paths`
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

    Returns
    -------
    matplotlib.axes.Axes
    """
    from matplotlib.lines import Line2D

    runs = as_runs(trajectories)
    ax = new_axes(ax)
    data = [_curve(run, kind) for run in runs]
    ylabel = data[0][1]
    scale = "log"
    if kind == "value":
        finite = np.concatenate([np.ravel(y[np.isfinite(y)]) for y, _ in data])
        if finite.size and finite.min() <= 0:
            stars = [getattr(r.traj.objective, "min_value", None) for r in runs]
            if all(s is not None for s in stars):
                data = [_curve(run, "gap") for run in runs]
                ylabel = data[0][1]
            else:
                scale = "symlog"
    any_diverged = False
    crosses = []
    calm = []  # finite values of the runs that did not diverge: they set the y range
    for run, (y, _) in zip(runs, data):
        starts = run.starts()
        multi = len(starts) > 1
        for i, idx in enumerate(starts):
            t, yy = run.series(y, idx)
            if logx:
                t, yy = t[t > 0], yy[t > 0]
            ax.plot(
                t,
                yy,
                color=run.color,
                lw=0.8 if multi else 1.8,
                alpha=0.6 if multi else 1.0,
                label=run.label if i == 0 else "_nolegend_",
            )
            if run.diverged_at(idx) >= 0 and len(t):
                any_diverged = True
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
            **DIVERGED_STYLE,
        )
    if logx:
        ax.set_xscale("log")
    ax.set_xlabel("step $t$")
    ax.set_ylabel(ylabel)
    ax.grid(True, which="major", alpha=0.3)
    ax.set_title(name_of(runs[0].traj.objective))
    if legend:
        extra = []
        if any_diverged:
            extra = [
                Line2D([], [], linestyle="none", color="grey", label="diverged", **DIVERGED_STYLE)
            ]
        handles, _ = ax.get_legend_handles_labels()
        legend_outside(ax, handles + extra)
    return ax


def race_figure(trajectories, objective=None, *, kind=None, figsize=(12.5, 5.6), fig=None):
    """Contour with paths (left) and loss curves (right), one legend below both: the demo figure.

    ``kind`` is passed to :func:`loss_curves`; default ``"gap"`` when the minimum value is known,
    else ``"value"``. Draws into ``fig`` when given (best with ``layout="constrained"``), else
    into a new figure. Returns the Figure.
    """
    import matplotlib.pyplot as plt

    runs = as_runs(trajectories)
    f = objective_of(runs, objective)
    if kind is None:
        kind = "gap" if getattr(f, "min_value", None) is not None else "value"
    if fig is None:
        fig = plt.figure(figsize=figsize, layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=[1.0, 1.15])
    paths(trajectories, f, ax=left, legend=False)
    loss_curves(trajectories, ax=right, kind=kind, legend=False)
    right.set_title("loss per step")
    any_diverged = any(np.asarray(r.traj.diverged).any() for r in runs)
    handles = [
        h for h in left.get_lines() if h.get_gid() == PATH_GID and not h.get_label().startswith("_")
    ]
    handles += _marker_handles(left, any_diverged)
    fig.legend(handles=handles, loc="outside lower center", ncol=min(4, len(handles)), fontsize=9)
    return fig
