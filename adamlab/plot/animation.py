"""Animated paths on a contour: a GIF through Pillow (no ffmpeg), or an inline player in Jupyter.

The animation draws on a figure of its own that pyplot does not know about, so a notebook cell that
builds one shows the animation only, never a still of a left-over figure; and its frames stop once no
path moves visibly any more (the last frame shows the final step).
"""

from __future__ import annotations

import os

import numpy as np

from adamlab.plot._runs import domain_box, objective_of, prepare, require_2d
from adamlab.plot._style import legend_outside, lw
from adamlab.plot._text import function_title
from adamlab.plot.contour_paths import (
    PATH_GID,
    diverged_style,
    draw_background,
    end_style,
    marker_handles,
    start_style,
)

__all__ = ["animate", "animation_html", "frame_times", "settled_step", "SETTLE_TOL"]

SETTLE_TOL = 0.005
"""A path has settled when it stays within this fraction of the view's width of its final point."""


def settled_step(runs, box, tol: float = SETTLE_TOL) -> int:
    """The first step from which no prepared run moves visibly: every start stays within ``tol`` times
    the view's width of where it ends (positions clipped to the view ``box``), and a diverged start has
    diverged. Without a view the paths' own extent is the width.

    >>> import numpy as np, adamlab
    >>> from adamlab.plot._runs import prepare
    >>> traj = adamlab.run(adamlab.SGD(lr=0.4), "sphere", np.array([1.0, 1.0]), 100)
    >>> settled_step(prepare(traj), ((-1.0, 1.0), (-1.0, 1.0)))  # |θ| shrinks 5x per step
    4
    """
    tracks = [track for run in runs for track in run.tracks]
    if box is not None:
        lo, hi = np.array([b[0] for b in box]), np.array([b[1] for b in box])
    else:
        every = np.concatenate([t.points for t in tracks])
        lo, hi = every.min(axis=0), every.max(axis=0)
    width = float(np.max(hi - lo)) or 1.0
    settled = 0
    for track in tracks:
        if track.diverged:
            settled = max(settled, track.diverged_at)
            continue
        p = np.clip(track.points, lo, hi)
        far = np.linalg.norm(p - p[-1], axis=-1) > tol * width
        if far.any():
            settled = max(settled, int(track.steps[np.flatnonzero(far)[-1] + 1]))
    return settled


def frame_times(last_step: int, frames: int, settled: int | None = None) -> np.ndarray:
    """The step shown by each frame: evenly spaced from 0 to ``settled``, then ``last_step``.

    Without ``settled`` (or when it is the last step) the frames are evenly spaced from 0 to
    ``last_step``. Otherwise ``frames - 1`` frames cover the steps up to ``settled``, where something
    still moves, and the last frame shows ``last_step``. There are never more frames than steps + 1
    (a frame per step), so every frame differs.

    >>> frame_times(100, 5).tolist()
    [0, 25, 50, 75, 100]
    >>> frame_times(3, 10).tolist()
    [0, 1, 2, 3]
    >>> frame_times(1000, 6, settled=40).tolist()
    [0, 10, 20, 30, 40, 1000]
    """
    if frames < 1:
        raise ValueError(f"frames must be at least 1, got {frames}")
    if settled is None or settled >= last_step or frames < 2:
        return np.unique(np.round(np.linspace(0, last_step, frames)).astype(int))
    moving = np.unique(np.round(np.linspace(0, max(settled, 1), frames - 1)).astype(int))
    return np.append(moving, last_step)


def _animation_class():
    from matplotlib.animation import FuncAnimation

    class PathAnimation(FuncAnimation):
        """A FuncAnimation that shows itself as a player when it is the last value of a notebook cell."""

        def _repr_html_(self):
            return animation_html(self)

        def __del__(self):
            # matplotlib warns when an animation is deleted unrendered, because a pyplot window
            # would then never animate. This one draws on a figure of its own, shown only through
            # save() or the HTML player, so being deleted unused is harmless.
            pass

    return PathAnimation


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
    trim=True,
):
    """Animate one or several trajectories on the objective's contour.

    Each frame shows every path up to step t, the current point of each, and a cross where a run
    diverged. The frame's step is written in the corner.

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
    trim : bool, default True
        Spend the frames where something moves: evenly spaced up to the step from which every path
        stays within 0.5% of the view's width of its end (:func:`settled_step`), then one last frame at
        the final step. ``trim=False`` spaces them evenly over all steps.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        ``anim.frame_times`` holds the step of each frame. The figure (``anim._fig``) is not managed
        by pyplot: nothing is left behind for a notebook to show, and there is nothing to close. As
        the last value of a notebook cell the animation shows itself as a player
        (:func:`animation_html`).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    require_2d(trajectories, "animate")
    f = objective_of(trajectories, objective, view="animate")
    box = domain_box(f)
    runs = prepare(trajectories, box, view="animate")
    fig = Figure(figsize=figsize, layout="compressed")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    draw_background(f, ax, show_minima=show_minima)
    last = max(run.last_step for run in runs)
    settled = settled_step(runs, box) if trim else None
    times = frame_times(last, frames, settled)
    moving = []  # (track, line, head, marker scale)
    handles = []
    for run in runs:
        scale = 0.6 if run.multi else 1.0
        for i, track in enumerate(run.tracks):
            (line,) = ax.plot(
                [],
                [],
                color=run.color,
                lw=lw(0.6) if run.multi else lw(1.2),
                alpha=0.7 if run.multi else 1.0,
                zorder=3,
                gid=PATH_GID,
                label=run.label if i == 0 else "_nolegend_",
            )
            if i == 0:
                handles.append(line)
            ax.plot(*track.points[0, :2], linestyle="none", zorder=4, **start_style(scale))
            (head,) = ax.plot(
                [], [], linestyle="none", color=run.color, zorder=5, **end_style(scale)
            )
            moving.append((track, line, head, scale))
    clock = ax.text(
        0.02,
        0.97,
        "",
        transform=ax.transAxes,
        ha="left",
        va="top",
        fontsize="large",
        bbox=dict(boxstyle="round,pad=0.3", facecolor="white", edgecolor="0.6", alpha=0.9),
        zorder=10,
    )
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    ax.set_title(function_title(f))
    any_diverged = any(track.diverged for track, *_ in moving)
    legend_outside(ax, handles + marker_handles(ax, any_diverged, end_label="step t"))

    def update(k):
        t = times[k]
        for track, line, head, scale in moving:
            shown = track.points[track.steps <= t]
            line.set_data(shown[:, 0], shown[:, 1])
            gone = track.diverged and track.diverged_at <= t
            point = track.end if gone and track.end is not None else shown[-1]
            head.set_data([point[0]], [point[1]])
            head.set(**(diverged_style(scale) if gone else end_style(scale)))
        clock.set_text(f"t = {t}")
        return [clock] + [a for _, line, head, _ in moving for a in (line, head)]

    dynamic = [clock] + [a for _, line, head, _ in moving for a in (line, head)]
    _flatten_static(fig, ax, dynamic, dpi)
    anim = _animation_class()(fig, update, frames=len(times), interval=1000.0 / fps, blit=False)
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


def animation_html(anim, player: bool = False) -> str:
    """The animation as HTML for Jupyter and the docs: a looping GIF in an ``<img>`` (compact: a few hundred KB)
    or, with ``player=True``, matplotlib's HTML/JS player with a slider (``anim.to_jshtml()``, several MB).

    Use ``IPython.display.HTML(animation_html(anim))``, or end the cell with the animation itself (the GIF).
    The figure of :func:`animate` is not managed by pyplot, so the notebook shows no extra still.
    """
    import base64
    import tempfile

    import matplotlib

    fps = getattr(anim, "fps", None) or 15
    # Frames are saved at the dpi the static picture was rendered with (not slides' savefig.dpi).
    with matplotlib.rc_context({"savefig.dpi": "figure"}):
        if player:
            return anim.to_jshtml(fps=fps)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "animation.gif")
            anim.save(path, writer=_gif_writer(fps))
            with open(path, "rb") as fh:
                data = base64.b64encode(fh.read()).decode("ascii")
    return f'<img src="data:image/gif;base64,{data}" alt="animation of the optimizers\' paths"/>'
