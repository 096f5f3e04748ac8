"""Basin-of-attraction maps: every start of a grid coloured by the minimum its run reached.

Every run is drawn (no best-of selection); diverged starts and starts that reached no known minimum
have their own colours.
"""

from __future__ import annotations

import numpy as np

from adamlab.plot._style import fit_titles, legend_outside, lw, ms, new_axes, set_title
from adamlab.plot._text import function_title, optimizer_text

__all__ = ["basin_map", "BASIN_COLORS", "DIVERGED_COLOR", "NO_MINIMUM_COLOR"]

# Minima colours: a qualitative palette (Paul Tol's "muted"), distinct from the optimizer colours'
# role here (a basin map shows one optimizer).
BASIN_COLORS = (
    "#88CCEE",
    "#CC6677",
    "#DDCC77",
    "#117733",
    "#332288",
    "#AA4499",
    "#44AA99",
    "#999933",
    "#882255",
    "#661100",
)
DIVERGED_COLOR = "#000000"
NO_MINIMUM_COLOR = "#DDDDDD"


def _rgba(color):
    from matplotlib.colors import to_rgba

    return np.array(to_rgba(color))


def basin_colors(n_minima: int) -> list[str]:
    """Colour of minimum k (k < n_minima), cycling the qualitative palette."""
    return [BASIN_COLORS[k % len(BASIN_COLORS)] for k in range(n_minima)]


def basin_map(basin_map, ax=None, *, legend=True, contour_lines=True):
    """Grid of starts coloured by the minimum each reached (``adamlab.basins``).

    Classes: minimum k (its own colour; the minimum itself is a white star), "no known
    minimum" (light grey: converged elsewhere or still moving after ``steps``) and "diverged" (black).
    The legend gives each class's share of the starts.

    Parameters
    ----------
    basin_map : BasinMap
    ax : Axes, optional
    contour_lines : bool
        Thin contour lines of the objective on top, for orientation.

    Returns
    -------
    matplotlib.axes.Axes
        The image (``ax.images[0]``) is an RGBA array (ny, nx, 4) whose pixel [i, j] is the colour of
        ``basin_map.label[i, j]``; the legend handles carry the same colours.
    """
    from matplotlib.patches import Patch

    bm = basin_map
    label = np.asarray(bm.label)
    minima = np.asarray(bm.minima, dtype=float).reshape(len(bm.minima), np.shape(bm.starts)[-1])
    cols = basin_colors(len(minima))
    palette = {-2: DIVERGED_COLOR, -1: NO_MINIMUM_COLOR} | dict(enumerate(cols))
    image = np.zeros(label.shape + (4,))
    for k, c in palette.items():
        image[label == k] = _rgba(c)
    xs, ys = np.asarray(bm.xs, dtype=float), np.asarray(bm.ys, dtype=float)
    dx = (xs[-1] - xs[0]) / max(len(xs) - 1, 1)
    dy = (ys[-1] - ys[0]) / max(len(ys) - 1, 1)
    extent = (xs[0] - dx / 2, xs[-1] + dx / 2, ys[0] - dy / 2, ys[-1] + dy / 2)
    ax = new_axes(ax, figsize=(7.6, 5.6))
    ax.imshow(image, origin="lower", extent=extent, interpolation="nearest", aspect="auto")
    f = bm.objective
    if contour_lines and f is not None:
        X, Y = np.meshgrid(np.linspace(*extent[:2], 150), np.linspace(*extent[2:], 150))
        with np.errstate(all="ignore"):
            Z = np.asarray(f(np.stack([X, Y], axis=-1)), dtype=float)
        if getattr(f, "log_levels", False):
            base = f.min_value if getattr(f, "min_value", None) is not None else np.nanmin(Z)
            Z = np.log10(Z - base + 1e-3)
        ax.contour(X, Y, Z, levels=12, colors="white", linewidths=lw(0.33), alpha=0.7)
    total = label.size
    handles = []
    for k, m in enumerate(minima):
        ax.plot(
            m[0],
            m[1],
            marker="*",
            markersize=ms(2.6),
            markerfacecolor="white",
            markeredgecolor="black",
            linestyle="none",
            zorder=5,
        )
        share = np.count_nonzero(label == k) / total
        where = ", ".join(f"{c:.3g}" for c in m)
        handles.append(
            Patch(facecolor=cols[k], edgecolor="black", label=f"→ ({where}): {share:.0%}")
        )
    for k, text in ((-1, "no known minimum"), (-2, "diverged")):
        share = np.count_nonzero(label == k) / total
        handles.append(Patch(facecolor=palette[k], edgecolor="black", label=f"{text}: {share:.0%}"))
    ax.set_xlim(extent[:2])
    ax.set_ylim(extent[2:])
    ax.set_xlabel(r"start $\theta_1$")
    ax.set_ylabel(r"start $\theta_2$")
    set_title(
        ax,
        f"Basins of attraction: {optimizer_text(bm.optimizer)}\n"
        f"on {function_title(f)}, {bm.steps} steps",
    )
    if legend:
        legend_outside(ax, handles, title=f"minimum reached\n(within {bm.tol:.3g})")
    fit_titles([ax])
    return ax
