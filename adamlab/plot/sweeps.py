"""Hyperparameter sweeps: every run of a grid as one cell, coloured by its final loss or steps to a tolerance.

Every run is drawn (no best-of selection); diverged runs are black cells with a white cross, runs that
never reached the tolerance are hatched. Several sweeps can share one colour scale
(:func:`sweep_heatmaps`, or ``norm=`` from :func:`sweep_norm`), e.g. Adam with and without bias
correction over the same grid.
"""

from __future__ import annotations

import numpy as np

from adamlab.plot._style import (
    fit_titles,
    legend_below,
    legend_best,
    lw,
    ms,
    new_axes,
    new_figure,
    set_title,
)
from adamlab.plot._text import function_title, optimizer_text, symbol

__all__ = ["sweep_heatmap", "sweep_heatmaps", "sweep_norm", "sweep_title"]

METRICS = ("final_value", "final_distance", "steps_to_tol")


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


def _metric(sr, metric):
    """(data, colour-bar label, log scale) of a sweep for one metric."""
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
        if sr.value_tol is None:
            raise ValueError("metric='steps_to_tol' needs a sweep run with value_tol=...")
        data = np.asarray(sr.steps_to_tol, dtype=float)
        data[data < 0] = np.nan
        return data, f"steps to reach $f - f^* \\leq$ {sr.value_tol:g}", False
    raise ValueError(f"metric must be one of {', '.join(map(repr, METRICS))}, not {metric!r}")


def _shown(sr, metric) -> np.ndarray:
    """The metric's values of the runs that did not diverge (what the colour scale must hold)."""
    data, _, log = _metric(sr, metric)
    values = data[~np.asarray(sr.diverged, dtype=bool) & np.isfinite(data)]
    return values[values > 0] if log else values


def sweep_norm(sweeps, metric="final_value", *, vmin=None, vmax=None):
    """One colour scale that holds every run of every sweep (a LogNorm for losses and distances).

    Pass it as ``sweep_heatmap(..., norm=...)`` to several sweeps so that one colour means one value in
    all of them. ``vmin``/``vmax`` fix either end.

    >>> import numpy as np, adamlab
    >>> from adamlab.plot import sweep_norm
    >>> grid = dict(lr=np.logspace(-2, -1, 3))
    >>> a = adamlab.sweep(adamlab.Adam(), "sphere", np.ones(2), 20, **grid)
    >>> b = adamlab.sweep(adamlab.Adam(bias_correction="none"), "sphere", np.ones(2), 20, **grid)
    >>> norm = sweep_norm([a, b])
    >>> lo = min(a.final_value.min(), b.final_value.min())
    >>> bool(np.isclose(norm.vmin, lo))
    True
    """
    from matplotlib.colors import LogNorm, Normalize

    sweeps = [sweeps] if hasattr(sweeps, "names") else list(sweeps)
    if not sweeps:
        raise ValueError("sweep_norm needs at least one sweep")
    logs = {_metric(sr, metric)[2] for sr in sweeps}
    log = all(logs)
    values = np.concatenate([_shown(sr, metric) for sr in sweeps])
    if log:
        values = values[values > 0]
        lo = max(float(values.min()), 1e-16) if values.size else 1e-16
        hi = float(values.max()) if values.size else 1.0
        lo = lo if vmin is None else float(vmin)
        hi = hi if vmax is None else float(vmax)
        return LogNorm(vmin=lo, vmax=hi if hi > lo else lo * 10)
    lo, hi = (float(values.min()), float(values.max())) if values.size else (0.0, 1.0)
    lo = lo if vmin is None else float(vmin)
    hi = hi if vmax is None else float(vmax)
    return Normalize(vmin=lo, vmax=hi if hi > lo else lo + 1)


def sweep_title(sr) -> str:
    """What a sweep ran, for people: "Adam on Rosenbrock, 300 steps per run" (swept values left out)."""
    what = optimizer_text(sr.optimizer, omit=tuple(sr.names))
    text = f"{what} on {function_title(sr.objective)}, {sr.steps} steps per run"
    if getattr(sr.objective, "stochastic", False) and sr.seed is not None:
        text += f", seed {sr.seed}"
    return text


def _cell_font_size(ax, columns: int, chars: int) -> float:
    """The "small" font size, or smaller so that ``chars`` characters fit in a cell's width.

    The cell's width is estimated from the axes' place in the figure before the layout engine has
    made room for the labels and the colour bar (about a tenth of it goes there).
    """
    import matplotlib
    from matplotlib.font_manager import FontProperties

    small = FontProperties(size="small").get_size_in_points()
    if matplotlib.rcParams["font.size"] <= 0:  # pragma: no cover - defensive
        return small
    cell = 0.9 * ax.get_position().width * ax.figure.figure.get_figwidth() * 72.0 / columns
    return float(min(small, max(5.0, cell / (0.6 * chars))))


def _axis_name(name: str) -> str:
    return symbol(name, math=True)


def sweep_heatmap(
    sweep_result,
    ax=None,
    *,
    metric="final_value",
    annotate=None,
    cmap="viridis",
    norm=None,
    vmin=None,
    vmax=None,
    colorbar=True,
    title=None,
    fit=True,
):
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
    cmap : colour map
    norm : matplotlib Normalize, optional
        The colour scale; share one between sweeps to compare them (:func:`sweep_norm`,
        :func:`sweep_heatmaps`). Default: the range of this sweep's runs (log for losses).
    vmin, vmax : float, optional
        Fix an end of the default colour scale (ignored with ``norm``).
    colorbar : bool, default True
        Draw a colour bar labelled with the metric.
    title : str, optional
        Default: the optimizer (without the swept hyperparameters), the function and the steps per
        run, wrapped to the axes' width.
    fit : bool, default True
        Wrap the title to the axes' width now (False when more panels are still to be drawn; call
        ``adamlab.plot._style.fit_titles`` on them at the end).

    Diverged runs are drawn as black cells with a white ✕ (a 1-D sweep: ✕ markers at the top).
    Log axes for geometrically spaced values (e.g. ``lr=np.logspace(...)``), linear for evenly
    spaced ones, categorical otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.collections[0]`` is the QuadMesh whose masked array (row = second hyperparameter) is
        the metric with diverged runs masked; the diverged cells and the hatched cells are
        collections with ``gid`` "diverged" and "missing"; ``ax.adamlab_norm`` is the colour scale.
    """
    from matplotlib import colormaps
    from matplotlib.patches import Patch

    sr = sweep_result
    names, values = tuple(sr.names), tuple(np.asarray(v, dtype=float) for v in sr.values)
    data, what, log = _metric(sr, metric)
    diverged = np.asarray(sr.diverged, dtype=bool)
    ax = new_axes(ax, figsize=(7.4, 5.6))
    title = sweep_title(sr) if title is None else title
    if len(names) == 1:
        y = np.where(diverged, np.nan, data)
        ax.plot(values[0], y, "o-", color="black", lw=lw(1.0), markersize=ms(0.67))
        if diverged.any():
            top = np.nanmax(y) if np.isfinite(y).any() else 1.0
            ax.plot(
                values[0][diverged],
                np.full(diverged.sum(), top),
                "X",
                color="#D55E00",
                markersize=ms(1.5),
                linestyle="none",
                label="diverged",
            )
            legend_best(ax)
        _, scale, _ = _edges(values[0])
        if scale == "log":
            ax.set_xscale("log")
        if log:
            ax.set_yscale("log")
        ax.set_xlabel(_axis_name(names[0]))
        ax.set_ylabel(what)
        set_title(ax, title)
        ax.grid(True, alpha=0.3)
        if fit:
            fit_titles([ax])
        return ax
    if data.shape != (len(values[0]), len(values[1])):
        raise ValueError(f"sweep data {data.shape} does not match the grid {names}")
    xe, xscale, xc = _edges(values[0])
    ye, yscale, yc = _edges(values[1])
    c = np.ma.masked_invalid(np.where(diverged, np.nan, data).T)
    cm = colormaps[cmap] if isinstance(cmap, str) else cmap
    # Gaps of exactly 0 (log scale) take the lowest colour; masked cells are covered below.
    cm = cm.with_extremes(bad=cm(0.0), under=cm(0.0))
    if norm is None:
        norm = sweep_norm([sr], metric, vmin=vmin, vmax=vmax)
    mesh = ax.pcolormesh(xe, ye, c, cmap=cm, norm=norm, shading="flat")
    ax.adamlab_norm = norm
    if colorbar:
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
            markersize=min(ms(1.67), 180 / max(c.shape)),
            mew=lw(1.0),
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
        numbers = {
            (a, b): f"{c[b, a]:.0f}" if metric == "steps_to_tol" else f"{c[b, a]:.2g}"
            for b in range(c.shape[0])
            for a in range(c.shape[1])
            if not np.ma.is_masked(c[b, a])
        }
        size = _cell_font_size(ax, c.shape[1], max(map(len, numbers.values()), default=1))
        for (a, b), text in numbers.items():
            r, g, bl, _ = cm(norm(c[b, a]))
            light = 0.299 * r + 0.587 * g + 0.114 * bl > 0.5
            ax.text(
                xc[a],
                yc[b],
                text,
                ha="center",
                va="center",
                fontsize=size,
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
    set_title(ax, title)
    if handles:
        legend_below(ax, handles, ncol=2)
    if fit:
        fit_titles([ax])
    return ax


def sweep_heatmaps(
    sweeps,
    titles=None,
    *,
    metric="final_value",
    annotate=None,
    cmap="viridis",
    vmin=None,
    vmax=None,
    figsize=None,
    fig=None,
    suptitle=None,
):
    """Several sweeps side by side on one colour scale, with one colour bar.

    Parameters
    ----------
    sweeps : list of SweepResult, or dict title -> SweepResult
        E.g. ``Adam()`` and ``Adam(bias_correction="none")`` over the same β₂ × α grid: one colour
        means one final loss in every panel.
    titles : list of str, optional
        Panel titles (default: the dict's keys, or :func:`sweep_title` of each sweep).
    metric, annotate, cmap : as for :func:`sweep_heatmap`
    vmin, vmax : fix an end of the shared scale (default: every run of every sweep).
    figsize : default 5.2 inches wide per panel, 5.4 high.
    fig : Figure or SubFigure to draw into (default: a new constrained-layout figure).
    suptitle : str, optional
        Default: the function and the steps per run when all sweeps share them.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.axes[:len(sweeps)]`` are the panels (each ``ax.adamlab_norm`` is the one shared scale),
        the last axes is the colour bar.
    """
    if isinstance(sweeps, dict):
        titles = list(sweeps) if titles is None else titles
        sweeps = list(sweeps.values())
    sweeps = [sweeps] if hasattr(sweeps, "names") else list(sweeps)
    if not sweeps:
        raise ValueError("sweep_heatmaps needs at least one sweep")
    if titles is not None and len(titles) != len(sweeps):
        raise ValueError(f"titles has {len(titles)} entries for {len(sweeps)} sweeps")
    norm = sweep_norm(sweeps, metric, vmin=vmin, vmax=vmax)
    n = len(sweeps)
    fig = new_figure(figsize or (5.2 * n + 1.2, 5.4), fig)
    axes = fig.subplots(1, n, sharey=True, squeeze=False)[0]
    for k, (ax, sr) in enumerate(zip(axes, sweeps)):
        if titles is not None:
            title = titles[k]
        else:
            title = optimizer_text(sr.optimizer, omit=tuple(sr.names))
        sweep_heatmap(
            sr,
            ax=ax,
            metric=metric,
            annotate=annotate,
            cmap=cmap,
            norm=norm,
            colorbar=False,
            title=title,
            fit=False,
        )
        if k:
            ax.set_ylabel("")
    mesh = axes[0].collections[0]
    fig.colorbar(mesh, ax=list(axes), pad=0.02).set_label(_metric(sweeps[0], metric)[1])
    if suptitle is None:
        same = {(function_title(sr.objective), sr.steps) for sr in sweeps}
        if len(same) == 1:
            ((name, steps),) = same
            suptitle = f"{name}, {steps} steps per run, one colour scale"
    if suptitle:
        fig.suptitle(suptitle)
    fit_titles(axes)
    return fig
