"""Many runs at once: basin-of-attraction maps and hyperparameter sweep heatmaps.

Both draw every run (no best-of selection): a basin map colours each start of a grid by the minimum
it reached, a sweep heatmap colours each hyperparameter setting by its final loss or steps to a
tolerance, with diverged runs marked.
"""

from __future__ import annotations

import numpy as np

from adamlab.plot._common import legend_outside, name_of, new_axes

__all__ = ["basin_map", "sweep_heatmap", "BASIN_COLORS", "DIVERGED_COLOR", "NO_MINIMUM_COLOR"]

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
        ax.contour(X, Y, Z, levels=12, colors="white", linewidths=0.5, alpha=0.7)
    total = label.size
    handles = []
    for k, m in enumerate(minima):
        ax.plot(
            m[0],
            m[1],
            marker="*",
            markersize=16,
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
    ax.set_title(f"Basins of {bm.optimizer!r} on {name_of(f)}, {bm.steps} steps")
    if legend:
        legend_outside(ax, handles, title=f"minimum reached (tol {bm.tol:.3g})", title_fontsize=9)
    return ax


def _edges(values: np.ndarray) -> tuple[np.ndarray, str, np.ndarray]:
    """Cell edges, axis scale and cell centres for a 1-D grid of hyperparameter values.

    Evenly spaced values get a linear axis, geometrically spaced positive values a log axis, anything
    else a categorical axis (cells at 0, 1, 2, ... with the values as tick labels).
    """
    v = np.asarray(values, dtype=float)
    if v.size == 1:
        w = abs(v[0]) * 0.1 or 0.5
        return np.array([v[0] - w, v[0] + w]), "linear", v
    diffs = np.diff(v)
    if np.allclose(diffs, diffs[0], rtol=1e-6, atol=0):
        mid = (v[:-1] + v[1:]) / 2
        return np.concatenate([[v[0] - diffs[0] / 2], mid, [v[-1] + diffs[-1] / 2]]), "linear", v
    if np.all(v > 0):
        lv = np.log(v)
        ld = np.diff(lv)
        if np.allclose(ld, ld[0], rtol=1e-6, atol=0):
            mid = np.exp((lv[:-1] + lv[1:]) / 2)
            first, last = np.exp(lv[0] - ld[0] / 2), np.exp(lv[-1] + ld[-1] / 2)
            return np.concatenate([[first], mid, [last]]), "log", v
    idx = np.arange(v.size, dtype=float)
    return np.arange(v.size + 1) - 0.5, "category", idx


def _cells(ax, xe, ye, ix, iy, **style):
    """One collection of the grid cells (ix[k], iy[k]), drawn over the heatmap."""
    from matplotlib.collections import PolyCollection

    verts = [
        [(xe[a], ye[b]), (xe[a + 1], ye[b]), (xe[a + 1], ye[b + 1]), (xe[a], ye[b + 1])]
        for a, b in zip(ix, iy)
    ]
    cells = PolyCollection(verts, linewidths=0, zorder=2, **style)
    ax.add_collection(cells, autolim=False)
    return cells


def _axis_name(name: str) -> str:
    return {
        "lr": r"learning rate $\alpha$",
        "beta1": r"$\beta_1$",
        "beta2": r"$\beta_2$",
        "momentum": "momentum",
        "rho": r"$\rho$",
        "eps": r"$\varepsilon$",
    }.get(name, name)


def _metric(sr, metric):
    f = sr.objective
    if metric == "final_value":
        data = np.asarray(sr.final_value, dtype=float)
        f_star = getattr(f, "min_value", None)
        if f_star is not None:
            return data - f_star, r"final $f - f^*$", True
        return data, r"final $f$", bool(np.all(data[np.isfinite(data)] > 0))
    if metric == "final_distance":
        return np.asarray(sr.final_distance, dtype=float), "final distance to a minimum", True
    if metric == "steps_to_tol":
        data = np.asarray(sr.steps_to_tol, dtype=float)
        data[data < 0] = np.nan
        if sr.value_tol is None:
            raise ValueError("metric='steps_to_tol' needs a sweep run with value_tol=...")
        return data, f"steps to reach $f - f^* \\leq$ {sr.value_tol:g}", False
    raise ValueError(
        f"metric must be 'final_value', 'final_distance' or 'steps_to_tol', not {metric!r}"
    )


def sweep_heatmap(sweep_result, ax=None, *, metric="final_value", annotate=None, cmap="viridis"):
    """Every run of a sweep (``adamlab.sweep``) as one cell: final loss or steps to tolerance.

    Parameters
    ----------
    sweep_result : SweepResult
        One or two swept hyperparameters. The first is the x axis, the second the y axis.
    ax : Axes, optional
    metric : {"final_value", "final_distance", "steps_to_tol"}
        ``"final_value"`` draws f - f* when f* is known (log colour scale); ``"steps_to_tol"`` leaves
        runs that never reached the tolerance empty, hatched ``//`` and listed in the legend.
    annotate : bool, optional
        Write the number in each cell (default: when there are at most 12 x 12 cells).

    Diverged runs are drawn as black cells with a white ✕ (a 1-D sweep: ✕ markers at the top).
    Log axes for geometrically spaced values (e.g. ``lr=np.logspace(...)``), linear for evenly
    spaced ones, categorical otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.collections[0]`` is the QuadMesh whose masked array (row = second hyperparameter) is
        the metric with diverged runs masked; the diverged cells and the hatched cells are
        collections with ``gid`` "diverged" and "missing".
    """
    from matplotlib import colormaps
    from matplotlib.colors import LogNorm, Normalize
    from matplotlib.patches import Patch

    sr = sweep_result
    names, values = tuple(sr.names), tuple(np.asarray(v, dtype=float) for v in sr.values)
    data, what, log = _metric(sr, metric)
    diverged = np.asarray(sr.diverged, dtype=bool)
    ax = new_axes(ax, figsize=(7.4, 5.6))
    steps = sr.steps
    title = f"{sr.optimizer!r} on {name_of(sr.objective)}: {steps} steps per run, seed {sr.seed}"
    if len(names) == 1:
        y = np.where(diverged, np.nan, data)
        ax.plot(values[0], y, "o-", color="black", lw=1.5, markersize=4)
        if diverged.any():
            top = np.nanmax(y) if np.isfinite(y).any() else 1.0
            ax.plot(
                values[0][diverged],
                np.full(diverged.sum(), top),
                "X",
                color="#D55E00",
                markersize=9,
                linestyle="none",
                label="diverged",
            )
            ax.legend(loc="best")
        _, scale, _ = _edges(values[0])
        if scale == "log":
            ax.set_xscale("log")
        if log:
            ax.set_yscale("log")
        ax.set_xlabel(_axis_name(names[0]))
        ax.set_ylabel(what)
        ax.set_title(title, fontsize=10)
        ax.grid(True, alpha=0.3)
        return ax
    if data.shape != (len(values[0]), len(values[1])):
        raise ValueError(f"sweep data {data.shape} does not match the grid {names}")
    xe, xscale, xc = _edges(values[0])
    ye, yscale, yc = _edges(values[1])
    c = np.ma.masked_invalid(np.where(diverged, np.nan, data).T)
    finite = c.compressed()
    cm = colormaps[cmap] if isinstance(cmap, str) else cmap
    # Gaps of exactly 0 (log scale) take the lowest colour; masked cells are covered below.
    cm = cm.with_extremes(bad=cm(0.0), under=cm(0.0))
    if log:
        positive = finite[finite > 0]
        lo = max(positive.min(), 1e-16) if positive.size else 1e-16
        hi = positive.max() if positive.size else 1.0
        norm = LogNorm(vmin=lo, vmax=max(hi, lo * 10))
    else:
        lo, hi = (finite.min(), finite.max()) if finite.size else (0.0, 1.0)
        norm = Normalize(vmin=lo, vmax=hi if hi > lo else lo + 1)
    mesh = ax.pcolormesh(xe, ye, c, cmap=cm, norm=norm, shading="flat")
    cbar = ax.figure.colorbar(mesh, ax=ax, pad=0.02)
    cbar.set_label(what)
    # Diverged cells: black with a white cross; missing cells (tolerance never reached): hatched.
    handles = []
    jx, iy = np.nonzero(diverged)  # data index (x, y)
    if jx.size:
        _cells(ax, xe, ye, jx, iy, facecolor="black", gid="diverged")
        ax.plot(
            xc[jx],
            yc[iy],
            "x",
            color="white",
            markersize=min(10, 180 / max(c.shape)),
            mew=1.5,
            linestyle="none",
            zorder=3,
        )
        handles.append(Patch(facecolor="black", label=f"diverged ({jx.size})"))
    missing = ~diverged & ~np.isfinite(data)
    if missing.any():
        mx, my = np.nonzero(missing)
        _cells(ax, xe, ye, mx, my, facecolor="white", edgecolor="0.5", hatch="//", gid="missing")
        text = "tolerance not reached" if metric == "steps_to_tol" else "no finite value"
        handles.append(
            Patch(facecolor="white", edgecolor="0.5", hatch="//", label=f"{text} ({mx.size})")
        )
    if annotate is None:
        annotate = c.shape[0] <= 12 and c.shape[1] <= 12
    if annotate:
        for b in range(c.shape[0]):
            for a in range(c.shape[1]):
                val = c[b, a]
                if np.ma.is_masked(val):
                    continue
                r, g, bl, _ = cm(norm(val))
                light = 0.299 * r + 0.587 * g + 0.114 * bl > 0.5
                ax.text(
                    xc[a],
                    yc[b],
                    f"{val:.2g}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="black" if light else "white",
                    zorder=4,
                )
    for axis, scale, centres, vals, name in (
        ("x", xscale, xc, values[0], names[0]),
        ("y", yscale, yc, values[1], names[1]),
    ):
        set_scale = ax.set_xscale if axis == "x" else ax.set_yscale
        set_label = ax.set_xlabel if axis == "x" else ax.set_ylabel
        if scale == "log":
            set_scale("log")
        elif scale == "category":
            (ax.set_xticks if axis == "x" else ax.set_yticks)(centres, [f"{v:g}" for v in vals])
        set_label(_axis_name(name))
    ax.set_xlim(xe[0], xe[-1])
    ax.set_ylim(ye[0], ye[-1])
    ax.set_title(title, fontsize=10)
    if handles:
        ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0.0, -0.12),
            ncol=2,
            fontsize=9,
            frameon=False,
        )
    return ax
