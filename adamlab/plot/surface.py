"""The 3-D surface of a 2-D objective over its domain, with the recorded paths lifted onto it."""

from __future__ import annotations

import numpy as np

from adamlab.plot._runs import _is_trajectory, domain_box, objective_of, prepare, require_2d
from adamlab.plot._style import legend_outside, lw, ms, new_axes
from adamlab.plot._text import function_title
from adamlab.plot.contour_paths import PATH_GID, diverged_style, end_style, start_style

__all__ = ["surface3d"]


def _is_runs(x) -> bool:
    if _is_trajectory(x):
        return True
    if isinstance(x, dict):
        return bool(x) and all(_is_trajectory(v) for v in x.values())
    return isinstance(x, (list, tuple)) and bool(x) and all(_is_trajectory(v) for v in x)


def surface3d(objective, trajectories=None, ax=None, *, resolution=80, log=None):
    """3-D surface of the objective over its domain, with the paths lifted onto it.

    Parameters
    ----------
    objective : TestFunction, zoo name, or the trajectories
        ``surface3d("rosenbrock")`` draws the surface alone; ``surface3d(traj)`` (a Trajectory, a list
        or a dict of them) draws the surface of the runs' objective with their paths.
    trajectories : optional, as for :func:`adamlab.plot.paths`
        With an objective first: the runs to lift onto it. With runs first: an objective to draw
        instead of theirs.
    ax : a 3-D Axes (``projection="3d"``), optional
    resolution : grid points per axis
    log : bool or None
        Height ``log10(f - f* + 1)`` instead of ``f`` (default: ``objective.log_levels``), so
        steep functions such as Rosenbrock show their valley. The z label says which.

    Returns
    -------
    matplotlib Axes3D
        Path lines carry ``gid="adamlab-path"``; their data are ``(θ₁, θ₂, height)`` of the recorded
        points inside the domain, lifted by 1% of the surface's height so the surface does not hide them.
    """
    if _is_runs(objective):
        objective, trajectories = trajectories, objective
    if trajectories is not None:
        require_2d(trajectories, "surface3d")
        f = objective_of(trajectories, objective, view="surface3d")
    else:
        if objective is None:
            raise TypeError("surface3d needs an objective (or recorded runs), got None")
        f = objective_of([], objective)
    box = domain_box(f)
    if box is None:
        raise ValueError(
            f"surface3d draws functions of two variables over their domain; {function_title(f)} has "
            f"none (dim = {getattr(f, 'dim', '?')})"
        )
    runs = prepare(trajectories, view="surface3d") if trajectories is not None else []
    own_figure = ax is None
    ax = new_axes(ax, figsize=(8.4, 5.6), projection="3d")
    if log is None:
        log = bool(getattr(f, "log_levels", False))

    domain = np.array(box)
    X, Y = np.meshgrid(np.linspace(*domain[0], resolution), np.linspace(*domain[1], resolution))
    with np.errstate(all="ignore"):
        raw = np.asarray(f(np.stack([X, Y], axis=-1)), dtype=float)
    f_star = getattr(f, "min_value", None)
    base = f_star if f_star is not None else np.nanmin(raw)

    def height(z):
        z = np.asarray(z, dtype=float)
        if not log:
            return z
        with np.errstate(invalid="ignore"):
            return np.log10(np.maximum(z - base, 0.0) + 1.0)

    Z = height(raw)
    ax.plot_surface(X, Y, Z, cmap="viridis", alpha=0.55, linewidth=0, antialiased=True, zorder=1)
    lift = 0.01 * float(np.nanmax(Z) - np.nanmin(Z))
    handles = []
    for run in runs:
        for i, track in enumerate(run.tracks):
            p = track.points
            inside = np.all((p >= domain[:, 0]) & (p <= domain[:, 1]), axis=-1)
            p = p[: np.argmin(inside)] if not inside.all() else p
            if len(p) == 0:
                continue
            z = height(f(p)) + lift
            (line,) = ax.plot(
                p[:, 0],
                p[:, 1],
                z,
                color=run.color,
                lw=lw(1.3),
                zorder=5,
                gid=PATH_GID,
                label=run.label if i == 0 else "_nolegend_",
            )
            if i == 0:
                handles.append(line)
            ax.plot([p[0, 0]], [p[0, 1]], [z[0]], linestyle="none", zorder=6, **start_style())
            style = diverged_style() if track.diverged else end_style()
            ax.plot(
                [p[-1, 0]],
                [p[-1, 1]],
                [z[-1]],
                linestyle="none",
                color=run.color,
                zorder=6,
                **style,
            )
    minima = np.asarray(getattr(f, "minima", np.empty((0, 2))), dtype=float).reshape(-1, 2)
    if len(minima):
        (star,) = ax.plot(
            minima[:, 0],
            minima[:, 1],
            height(f(minima)),
            linestyle="none",
            marker="*",
            markersize=ms(2.0),
            color="gold",
            markeredgecolor="black",
            zorder=7,
            label="global minimum",
        )
        handles.append(star)
    ax.set_xlim(*domain[0])
    ax.set_ylim(*domain[1])
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    ax.set_zlabel(r"$\log_{10}(f - f^* + 1)$" if log else r"$f(\theta)$")
    ax.set_title(function_title(f))
    # Shrink the 3-D box inside its axes so the tick and z labels (drawn by the projection, beyond the
    # layout's reach) stay inside the axes and clear of the legend.
    ax.set_box_aspect(None, zoom=0.85)
    from matplotlib.ticker import MaxNLocator

    for axis in (ax.xaxis, ax.yaxis, ax.zaxis):
        axis.set_major_locator(MaxNLocator(5))
    if runs and own_figure:
        # A figure legend: the constrained layout makes room for it beside the 3-D box.
        ax.figure.legend(handles=handles, loc="outside right upper")
    elif runs:
        legend_outside(ax, handles, bbox_to_anchor=(1.05, 1.0))
    return ax
