"""Paths on the contour: each optimizer's path over the objective's contour, with start and end markers.

The path is ``trajectory.params``, the label ``trajectory.label`` (the optimizer's own repr), a diverged
start is drawn up to its last finite point and ends in a cross, and the axis limits are the objective's
domain. :func:`draw_background`, :func:`draw_tracks` and :func:`marker_handles` are shared with the
animation, the race figure, the bias lab and the update arrows.
"""

from __future__ import annotations

from adamlab.plot._runs import domain_box, objective_of, prepare, require_2d
from adamlab.plot._style import fit_titles, legend_outside, lw, ms, new_axes, set_title
from adamlab.plot._text import function_title

__all__ = [
    "paths",
    "draw_background",
    "draw_tracks",
    "marker_handles",
    "PATH_GID",
    "start_style",
    "end_style",
    "diverged_style",
]

PATH_GID = "adamlab-path"
BACKGROUND = dict(cmap="Greys", alpha=0.35)


def start_style(scale: float = 1.0) -> dict:
    """White circle with a black edge: where a path starts."""
    return dict(
        marker="o", markersize=ms(1.15 * scale), markerfacecolor="white", markeredgecolor="black"
    )


def end_style(scale: float = 1.0) -> dict:
    """Filled circle (in the run's colour) with a white edge: where a path ends."""
    return dict(
        marker="o", markersize=ms(1.15 * scale), markeredgecolor="white", markeredgewidth=lw(0.8)
    )


def diverged_style(scale: float = 1.0) -> dict:
    """A cross (in the run's colour): where a diverged path leaves the view."""
    return dict(
        marker="X", markersize=ms(1.8 * scale), markeredgecolor="white", markeredgewidth=lw(0.67)
    )


def draw_background(objective, ax, *, show_minima=True):
    """A quiet grey contour of ``objective`` over its domain (:func:`adamlab.plot.contour`), or nothing.

    Returns the view ``((x0, x1), (y0, y1))`` (the domain), or None when the objective has no 2-D domain.
    """
    box = domain_box(objective)
    if box is None:
        return None
    from adamlab.plot.contours import contour

    # Grey, so that the optimizers' colours carry the picture.
    contour(objective, ax=ax, show_minima=show_minima, title=False, **BACKGROUND)
    ax.set_xlim(*box[0])
    ax.set_ylim(*box[1])
    return box


def marker_handles(ax, any_diverged: bool, end_label: str = "end"):
    """Legend handles for the start, end and diverged markers and whatever the background labelled."""
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], linestyle="none", label="start", **start_style()),
        Line2D([], [], linestyle="none", color="grey", label=end_label, **end_style()),
    ]
    if any_diverged:
        handles.append(
            Line2D([], [], linestyle="none", color="grey", label="diverged", **diverged_style())
        )
    # Whatever the background labelled (e.g. the known minima).
    for h, lab in zip(*ax.get_legend_handles_labels()):
        if not lab.startswith("_") and getattr(h, "get_gid", lambda: None)() != PATH_GID:
            handles.append(h)
    return handles


def draw_tracks(runs, ax, *, markers=False):
    """Draw every start of every prepared run (lines with ``gid=PATH_GID``, start and end markers).

    Returns the path line of each run (for the legend).
    """
    handles = []
    for run in runs:
        scale = 0.6 if run.multi else 1.0
        width, alpha = (lw(0.6), 0.7) if run.multi else (lw(1.2), 1.0)
        for i, track in enumerate(run.tracks):
            p = track.points
            (line,) = ax.plot(
                p[:, 0],
                p[:, 1],
                color=run.color,
                lw=width,
                alpha=alpha,
                zorder=3,
                gid=PATH_GID,
                label=run.label if i == 0 else "_nolegend_",
                marker="." if markers else None,
                markersize=ms(0.65) if markers else None,
            )
            if i == 0:
                handles.append(line)
            ax.plot(*p[0, :2], linestyle="none", zorder=4, **start_style(scale))
            if track.end is None:
                continue
            style = diverged_style(scale) if track.diverged else end_style(scale)
            ax.plot(*track.end, linestyle="none", color=run.color, zorder=5, clip_on=False, **style)
    return handles


def paths(trajectories, objective=None, ax=None, *, show_minima=True, legend=True, markers=False):
    """Contour of the objective with each optimizer's path, start and end markers.

    Parameters
    ----------
    trajectories : Trajectory, list of Trajectory, or dict label -> Trajectory
        Recorded runs (``adamlab.run`` / ``adamlab.compare``). A batch of starts draws one thin
        path per start in the optimizer's colour. A function (or its name) is not a run: the
        TypeError says how to record one, and :func:`adamlab.plot.contour` draws a function alone.
    objective : TestFunction, zoo name or None
        Background; default: the first trajectory's objective.
    ax : matplotlib Axes, optional
    show_minima : bool
        Mark the known minima (drawn by :func:`adamlab.plot.contour`).
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
    require_2d(trajectories, "paths")
    f = objective_of(trajectories, objective, view="paths")
    box = domain_box(f)
    runs = prepare(trajectories, box, view="paths")
    ax = new_axes(ax, layout="compressed")
    draw_background(f, ax, show_minima=show_minima)
    handles = draw_tracks(runs, ax, markers=markers)
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    steps = max(run.last_step for run in runs)
    set_title(ax, f"{function_title(f)}: {steps} steps")
    if legend:
        any_diverged = any(t.diverged for run in runs for t in run.tracks)
        legend_outside(ax, handles + marker_handles(ax, any_diverged))
    fit_titles([ax])
    return ax
