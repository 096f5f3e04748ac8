"""Sizes, the slides style, new figures and legends that cover no data.

Every view sizes its lines, markers and text relative to matplotlib's rcParams (``lw(1.2)`` is 1.2 times
``lines.linewidth``; text uses relative sizes such as ``"small"``), so :func:`slides` scales a whole figure
for a projector by changing rcParams inside a ``with`` block only.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "SLIDES",
    "slides",
    "lw",
    "ms",
    "new_axes",
    "new_figure",
    "legend_outside",
    "legend_below",
    "legend_best",
    "fit_title",
    "fit_titles",
    "set_title",
    "legend_over_data",
]

SLIDES: dict[str, Any] = {
    "font.size": 16.0,
    "axes.titlesize": "large",
    "axes.labelsize": "medium",
    "figure.titlesize": "large",
    "legend.fontsize": "small",
    "legend.title_fontsize": "small",
    "xtick.labelsize": "small",
    "ytick.labelsize": "small",
    "lines.linewidth": 2.8,
    "lines.markersize": 10.0,
    "axes.linewidth": 1.4,
    "grid.linewidth": 1.0,
    "xtick.major.width": 1.4,
    "ytick.major.width": 1.4,
    "xtick.major.size": 6.0,
    "ytick.major.size": 6.0,
    "savefig.dpi": 150,
}
"""rcParams of :func:`slides`: 16 pt text, lines and markers about twice the default."""


def slides():
    """A ``with`` block in which every figure is readable on a projector.

    Inside the block text is 16 pt (titles larger, tick labels and legends a little smaller), lines and
    markers are about twice as thick and ``savefig`` writes 150 dpi; matplotlib's global rcParams are
    restored when the block ends (it is :func:`matplotlib.rc_context` with :data:`SLIDES`). Also usable as
    a decorator.

    Examples
    --------
    >>> import matplotlib, numpy as np, adamlab
    >>> from adamlab import plot
    >>> traj = adamlab.run(adamlab.Adam(lr=0.1), "himmelblau", np.zeros(2), 20)
    >>> with plot.slides():
    ...     ax = plot.paths(traj)
    >>> ax.xaxis.label.get_fontsize() > matplotlib.rcParams["font.size"]
    True
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    import matplotlib

    return matplotlib.rc_context(SLIDES)


def lw(scale: float = 1.0) -> float:
    """A line width: ``scale`` times rcParams ``lines.linewidth`` (1.5 by default)."""
    import matplotlib

    return scale * float(matplotlib.rcParams["lines.linewidth"])


def ms(scale: float = 1.0) -> float:
    """A marker size: ``scale`` times rcParams ``lines.markersize`` (6 by default)."""
    import matplotlib

    return scale * float(matplotlib.rcParams["lines.markersize"])


def new_figure(figsize, fig=None):
    """``fig``, or a new constrained-layout figure of size ``figsize``.

    A given figure without a layout engine is switched to the constrained layout: the views place their
    legends outside the axes, which only a layout engine keeps clear of the neighbouring axes.
    """
    if fig is None:
        import matplotlib.pyplot as plt

        return plt.figure(figsize=figsize, layout="constrained")
    root = fig.figure  # the Figure itself, or the Figure holding a SubFigure
    if root.get_layout_engine() is None:
        root.set_layout_engine("constrained")
    return fig


def new_axes(ax=None, figsize=(8.4, 5.6), *, layout="constrained", **subplot_kw):
    """Return ``ax`` or a new Axes in a new figure with a layout engine.

    Views with an equal aspect ratio (paths on a contour) use ``layout="compressed"``, the constrained
    layout for fixed-aspect axes: it keeps a legend beside the axes inside the figure.
    """
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.figure(figsize=figsize, layout=layout).add_subplot(**subplot_kw)


def set_title(ax, text: str, *, loc: str = "center", **kw):
    """Set an axes title that :func:`fit_titles` may later wrap to the axes' width.

    A title with mathtext gets extra padding (a sum with limits descends below its baseline, onto the
    tick labels). Returns the title Text.
    """
    import matplotlib
    from matplotlib.font_manager import FontProperties

    if "$" in text and "pad" not in kw:
        size = FontProperties(size=kw.get("fontsize", matplotlib.rcParams["axes.titlesize"]))
        kw["pad"] = float(matplotlib.rcParams["axes.titlepad"]) + 0.5 * size.get_size_in_points()
    title = ax.set_title(text, loc=loc, **kw)
    title.adamlab_text = (text, loc)  # the words before any wrapping
    return title


def fit_titles(axes, share: float = 0.95):
    """Wrap the titles set by :func:`set_title` in ``axes`` so that none is wider than its axes.

    The widths are measured once the figure's layout engine has made room for the labels (it runs
    once here, for all the axes), with the renderer at the current font sizes, so :func:`slides` wraps
    more. Words are broken at spaces, never inside mathtext (``$...$``) or a ``name = value`` pair; a
    line that still does not fit (a long formula) gets a smaller font, down to 70%. ``share`` is the
    fraction of the axes' width a line may take.
    """
    axes = [ax for ax in axes if ax is not None]
    if not axes:
        return
    root = axes[0].figure.figure
    renderer = root._get_renderer()

    def titles(ax):
        for title in (ax.title, ax._left_title, ax._right_title):
            if getattr(title, "adamlab_text", None) is not None and title.get_text():
                yield title

    # The layout costs a good part of a second: run it only when a title might not fit, i.e. takes
    # more than 60% of its axes' width as it is now (before the layout has made room for labels).
    if all(
        t.get_window_extent(renderer).width <= 0.6 * ax.get_window_extent(renderer).width
        for ax in axes
        for t in titles(ax)
    ):
        return
    engine = root.get_layout_engine()
    if engine is not None:
        engine.execute(root)
    for ax in axes:
        limit = share * ax.get_window_extent(renderer).width
        for title in list(titles(ax)):
            text, loc = title.adamlab_text

            def width_of(line, title=title):
                title.set_text(line)
                return title.get_window_extent(renderer).width

            fitted = []
            for line in text.split("\n"):  # only the lines that are too wide are broken
                pieces, width = [line], len(line)
                indent = line[: len(line) - len(line.lstrip())]
                more = indent + ("   " if loc == "left" else "")
                while width > 16 and max(map(width_of, pieces)) > limit:
                    width = int(width * 0.85)
                    pieces = _wrap_words(line, width, more)
                fitted += pieces
            title.set_text("\n".join(fitted))
            size = start = title.get_fontsize()
            while title.get_window_extent(renderer).width > limit and size > 0.7 * start:
                size *= 0.9
                title.set_fontsize(size)


def fit_title(ax, text: str, *, loc: str = "center", **kw):
    """:func:`set_title` and :func:`fit_titles` for one axes. Returns the title Text."""
    title = set_title(ax, text, loc=loc, **kw)
    fit_titles([ax])
    return title


def _wrap_words(line: str, width: int, indent: str) -> list[str]:
    """Greedy wrap at spaces, never inside a mathtext ``$...$`` span or a ``name = value`` pair.

    >>> _wrap_words("1  Factors (β₁ = 0.9, β₂ = 0.999)", 22, "   ")
    ['1  Factors (β₁ = 0.9,', '   β₂ = 0.999)']
    """
    import re

    # A formula, or "name = value", is one word; the spaces between words are kept.
    matches = list(re.finditer(r"\S*\$[^$]*\$\S*|\S+ = \S+|\S+", line))
    if not matches:
        return [line]
    out, current, end = [], line[: matches[0].end()], matches[0].end()
    for m in matches[1:]:
        gap, word = line[end : m.start()], m.group()
        if len(current) + len(gap) + len(word) > width:
            out.append(current)
            current = indent + word
        else:
            current += gap + word
        end = m.end()
    return out + [current]


def legend_over_data(ax, lo: float, hi: float, *, log: bool, ncols=(2, 1), handles=None, **kw):
    """A legend at the top of the axes, with the y range raised so that the data stay below it.

    ``lo`` and ``hi`` are the lowest and highest values the data need in view. The legend takes the
    first column count in ``ncols`` for which it fits the axes' width; its height, measured at the
    current font sizes, decides how far the top of the y range is raised (on a log axis, in decades).
    The legend's place is still chosen when the figure is drawn (``loc="best"``), so it moves to any
    emptier corner. Returns the Legend.
    """
    import numpy as np

    root = ax.figure.figure
    renderer = root._get_renderer()
    box = ax.get_window_extent(renderer)
    kw = dict(framealpha=0.9) | kw

    def make(ncol, loc):
        if handles is None:
            return ax.legend(ncol=ncol, loc=loc, **kw)
        return ax.legend(handles=handles, ncol=ncol, loc=loc, **kw)

    for ncol in ncols:
        extent = make(ncol, "upper right").get_window_extent(renderer)
        if extent.width <= 0.95 * box.width:
            break
    # A layout engine shrinks the axes later by about its labels: keep a margin.
    share = min(0.65, 1.25 * (extent.height + 8.0) / box.height)
    if log:
        a, b = np.log10(lo), np.log10(hi)
        ax.set_ylim(lo, 10 ** (a + (b - a) / (1.0 - share)))
    else:
        ax.set_ylim(lo, lo + (hi - lo) / (1.0 - share))
    return make(ncol, "best")


def legend_outside(ax, handles=None, **kw):
    """Legend to the right of the axes, so it never covers a path."""
    kw = dict(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0) | kw
    if handles is None:
        return ax.legend(**kw)
    return ax.legend(handles=handles, **kw)


def legend_best(ax, handles=None, **kw):
    """Legend inside the axes where it covers no line, marker or text (matplotlib's ``loc="best"``,
    decided when the figure is drawn, i.e. after the layout). Views that use it leave room for it in their
    y limits."""
    kw = dict(loc="best", framealpha=0.9) | kw
    if handles is None:
        return ax.legend(**kw)
    return ax.legend(handles=handles, **kw)


def legend_below(ax, handles, **kw):
    """Legend under the axes' x label (not over it), aligned with the axes' left edge.

    The offset is measured in points from the tick labels and the x label as they are now, so it
    stays right when a layout engine later resizes the axes.
    """
    from matplotlib.transforms import offset_copy

    root = ax.figure.figure
    renderer = root._get_renderer()
    axes_box = ax.get_window_extent(renderer)
    below = ax.xaxis.get_tightbbox(renderer)
    drop = 0.0 if below is None else max(axes_box.y0 - below.y0, 0.0)
    drop_points = drop * 72.0 / root.dpi + 4.0
    kw = (
        dict(
            loc="upper left",
            bbox_to_anchor=(0.0, 0.0),
            bbox_transform=offset_copy(ax.transAxes, fig=root, y=-drop_points, units="points"),
            borderaxespad=0.0,
            frameon=False,
        )
        | kw
    )
    return ax.legend(handles=handles, **kw)
