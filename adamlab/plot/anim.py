"""Animated paths on a contour: a GIF through Pillow (no ffmpeg), or inline HTML/JS in Jupyter."""

from __future__ import annotations

import os

import numpy as np

from adamlab.plot._common import (
    DIVERGED_STYLE,
    END_STYLE,
    START_STYLE,
    as_runs,
    exit_point,
    legend_outside,
    name_of,
    objective_of,
    require_2d,
)

__all__ = ["animate", "animation_html", "frame_times"]


def frame_times(last_step: int, frames: int) -> np.ndarray:
    """The step shown by each frame: ``frames`` evenly spaced steps from 0 to ``last_step``.

    There are never more frames than steps + 1 (a frame per step), so every frame differs.

    >>> frame_times(100, 5).tolist()
    [0, 25, 50, 75, 100]
    >>> frame_times(3, 10).tolist()
    [0, 1, 2, 3]
    """
    if frames < 1:
        raise ValueError(f"frames must be at least 1, got {frames}")
    return np.unique(np.round(np.linspace(0, last_step, frames)).astype(int))


def animate(
    trajectories,
    objective=None,
    *,
    frames=60,
    fps=15,
    path=None,
    dpi=80,
    figsize=(8.4, 5.4),
    show_minima=True,
):
    """Animate one or several trajectories on the objective's contour.

    Each frame shows every path up to step t (evenly spaced from 0 to the last step), the current
    point of each, and a cross where a run diverged. The frame's step is written in the corner.

    Parameters
    ----------
    trajectories : as for :func:`adamlab.plot.paths`
    objective : background (default: the first trajectory's)
    frames : int
        Number of frames (at most steps + 1, see :func:`frame_times`).
    fps : int
        Frames per second, for the file and for the Jupyter player.
    path : str or path-like, optional
        Save the animation. ``.gif`` is written with Pillow (``PillowWriter``); other extensions
        use matplotlib's default writer (``.mp4`` needs ffmpeg).
    dpi : resolution of the saved file.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        ``anim.frame_times`` holds the step of each frame. In Jupyter, show it with
        ``IPython.display.HTML(animation_html(anim))``.
    """
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation

    from adamlab.plot.views import PATH_GID, _marker_handles, draw_background

    runs = as_runs(trajectories)
    require_2d(runs, "animate")
    f = objective_of(runs, objective)
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    box = draw_background(f, ax, show_minima=show_minima)
    last = max(int(np.asarray(r.traj.steps)[-1]) for r in runs)
    times = frame_times(last, frames)
    tracks = []  # (steps, points, diverged_at, line, head)
    handles = []
    for run in runs:
        multi = len(run.starts()) > 1
        for i, idx in enumerate(run.starts()):
            steps, pts = run.path_steps(idx)
            (line,) = ax.plot(
                [],
                [],
                color=run.color,
                lw=0.9 if multi else 1.8,
                alpha=0.7 if multi else 1.0,
                zorder=3,
                gid=PATH_GID,
                label=run.label if i == 0 else "_nolegend_",
            )
            if i == 0:
                handles.append(line)
            ms = 0.6 if multi else 1.0
            start = dict(START_STYLE, markersize=START_STYLE["markersize"] * ms)
            ax.plot(*pts[0, :2], linestyle="none", zorder=4, **start)
            (head,) = ax.plot([], [], linestyle="none", color=run.color, zorder=5, **END_STYLE)
            head.set_markersize(END_STYLE["markersize"] * ms)
            tracks.append((steps, pts[:, :2], run.diverged_at(idx), line, head, ms))
    clock = ax.text(
        0.02,
        0.97,
        "",
        transform=ax.transAxes,
        ha="left",
        va="top",
        fontsize=11,
        bbox=dict(boxstyle="round,pad=0.3", facecolor="white", edgecolor="0.6", alpha=0.9),
        zorder=10,
    )
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    ax.set_title(name_of(f))
    any_diverged = any(track[2] >= 0 for track in tracks)
    legend_outside(ax, handles + _marker_handles(ax, any_diverged, end_label="step t"))

    def update(k):
        t = times[k]
        artists = [clock]
        for steps, pts, t_div, line, head, ms in tracks:
            shown = pts[steps <= t]
            line.set_data(shown[:, 0], shown[:, 1])
            gone = 0 <= t_div <= t
            point = shown[-1] if not gone or box is None else exit_point(shown, *box)
            if point is None:
                point = shown[-1]
            head.set_data([point[0]], [point[1]])
            style = DIVERGED_STYLE if gone else END_STYLE
            head.set_marker(style["marker"])
            head.set_markersize(style["markersize"] * ms)
            artists += [line, head]
        clock.set_text(f"t = {t}")
        return artists

    dynamic = [clock] + [a for track in tracks for a in track[3:5]]
    _flatten_static(fig, ax, dynamic, dpi)
    anim = FuncAnimation(fig, update, frames=len(times), interval=1000.0 / fps, blit=False)
    anim.frame_times = times
    anim.fps = fps
    if path is not None:
        if str(path).lower().endswith(".gif"):
            anim.save(os.fspath(path), writer=_gif_writer(fps), dpi=dpi)
        else:
            anim.save(os.fspath(path), fps=fps, dpi=dpi)
    return anim


def _gif_writer(fps):
    """matplotlib's PillowWriter, palettising each frame as it comes (fast octree).

    Pillow would otherwise convert every RGBA frame with median cut when the GIF is written,
    which costs about five times as much.
    """
    from matplotlib.animation import PillowWriter
    from PIL import Image

    class Writer(PillowWriter):
        def grab_frame(self, **savefig_kwargs):
            super().grab_frame(**savefig_kwargs)
            frames = getattr(self, "_frames", None)
            if frames:
                rgb = frames[-1].convert("RGB")
                frames[-1] = rgb.quantize(method=Image.Quantize.FASTOCTREE)

    return Writer(fps=fps)


def _still_artist(rgba):
    """An artist that pastes an RGBA picture (H, W, 4) of the whole figure, unresampled."""
    from matplotlib.artist import Artist

    class Still(Artist):
        zorder = -10

        def draw(self, renderer):
            gc = renderer.new_gc()
            renderer.draw_image(gc, 0, 0, rgba[::-1])
            gc.restore()

    return Still()


def _flatten_static(fig, ax, dynamic, dpi):
    """Render everything that does not move once, as one image behind the moving artists.

    A frame then costs a few lines instead of the contour, ticks and legend (about 10x faster).
    ``ax`` keeps its position and limits (its own decorations are hidden) so the moving artists
    still sit in data coordinates exactly over the rendered picture.
    """
    fig.set_dpi(dpi)
    for artist in dynamic:
        artist.set_visible(False)
    fig.canvas.draw()
    still = np.asarray(fig.canvas.buffer_rgba()).copy()
    fig.set_layout_engine("none")
    keep = set(map(id, dynamic))
    for child in ax.get_children():
        if id(child) not in keep:
            child.set_visible(False)
    for artist in dynamic:
        artist.set_visible(True)
    # Pixel for pixel (no resampling): the figure keeps this dpi when frames are saved.
    fig.add_artist(_still_artist(still))
    ax.patch.set_visible(False)


def animation_html(anim) -> str:
    """The animation as a self-contained HTML/JS player (``anim.to_jshtml()``) for Jupyter.

    Use ``IPython.display.HTML(animation_html(anim))``; close the figure
    (``matplotlib.pyplot.close(anim._fig)``) so the notebook does not also show a still.
    """
    fps = getattr(anim, "fps", None)
    return anim.to_jshtml(fps=fps)
