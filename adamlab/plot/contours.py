"""Contour plot of a test function or objective over its domain, with its minima marked.

The background of every view in the plane (paths, animations, update arrows), and the function gallery.
matplotlib is imported inside :func:`contour`, so importing this module (and ``adamlab``) stays free of it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from adamlab.plot._style import fit_title, lw, ms
from adamlab.plot._text import function_title

__all__ = ["contour", "contour_levels", "grid", "minimum_style"]

_MARKERS = {  # kind of stationary point -> (marker, size relative to lines.markersize)
    "local minimum": ("D", 0.85),
    "maximum": ("^", 1.15),
    "saddle": ("X", 1.15),
}


def _white(marker: str, scale: float) -> dict:
    """A white marker with a black edge: visible on every colour map."""
    return dict(
        marker=marker,
        markersize=ms(scale),
        markerfacecolor="white",
        markeredgecolor="black",
        markeredgewidth=lw(0.55),
    )


def _drawable(latex: str) -> bool:
    """Whether matplotlib's mathtext can draw the formula (it lacks e.g. ``\\bmod``)."""
    from matplotlib.mathtext import MathTextParser

    try:
        MathTextParser("path").parse(f"${latex}$")
    except ValueError:
        return False
    return True


def minimum_style() -> dict:
    """Marker of a global minimum: a white star with a black edge (sized for the current rcParams)."""
    return _white("*", 2.5)


def grid(f: Any, resolution: int = 200, domain: Any = None):
    """Evaluate `f` on a ``resolution x resolution`` grid over its domain.

    Returns ``(X, Y, Z)`` with ``Z`` a masked array (non-finite values masked).
    """
    dom = np.asarray(f.domain if domain is None else domain, dtype=float)
    xs = np.linspace(dom[0, 0], dom[0, 1], resolution)
    ys = np.linspace(dom[1, 0], dom[1, 1], resolution)
    X, Y = np.meshgrid(xs, ys)
    with np.errstate(all="ignore"):
        Z = np.asarray(f(np.stack([X, Y], -1)), dtype=float)
    return X, Y, np.ma.masked_invalid(Z)


def contour_levels(Z: Any, n: int = 30, *, log: bool = False, min_value: float | None = None):
    r"""Contour levels for the values `Z`: `n` linear levels, or log-spaced above the minimum.

    With ``log=True`` the levels are :math:`z_{min} - \delta + \mathrm{geomspace}(\delta,\ z_{max} -
    z_{min} + \delta)` with :math:`\delta = 10^{-6}(z_{max} - z_{min})`: log-spaced in the *gap*
    :math:`f - f_{min}`, so functions with negative values (six-hump camel) and a minimum of 3
    (Goldstein-Price) work the same as those with minimum 0. :math:`z_{min}` is the smaller of the
    grid minimum and `min_value`.
    """
    Z = np.ma.masked_invalid(np.asarray(Z, dtype=float))
    lo, hi = float(Z.min()), float(Z.max())
    if min_value is not None and np.isfinite(min_value):
        lo = min(lo, float(min_value))
    span = hi - lo
    if not np.isfinite(span) or span <= 0:
        return np.linspace(lo - 1.0, lo + 1.0, n)
    if not log:
        return np.linspace(lo, hi, n)
    delta = 1e-6 * span
    return lo - delta + np.geomspace(delta, span + delta, n)


def _axis_labels(f: Any) -> tuple[str, str]:
    latex = getattr(f, "latex", "")
    if "w)" in latex or "w_" in latex:
        return "$w_1$", "$w_2$"
    if "y" in latex.replace(r"\theta", ""):
        return "$x$", "$y$"
    return "$x_1$", "$x_2$"


def contour(
    f: Any,
    ax: Any = None,
    levels: Any = None,
    *,
    resolution: int = 200,
    domain: Any = None,
    filled: bool = True,
    lines: bool = True,
    cmap: Any = "viridis",
    alpha: float = 1.0,
    show_minima: bool = True,
    show_stationary: bool = False,
    show_curves: bool = False,
    show_starts: bool = False,
    title: Any = None,
    colorbar: bool = False,
):
    r"""Draw the contours of a 2-D function over its domain and mark its minima.

    Parameters
    ----------
    f : TestFunction, objective or str
        Anything with ``f(points)`` vectorised over ``(..., 2)`` and a ``domain``; a zoo name is looked up
        with :func:`adamlab.functions.get`. A 1-D objective (``dim == 1``, e.g. the Reddi problems) is
        drawn as a curve of ``f(x)`` over its domain instead.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is created when None.
    levels : int or array, optional
        Number of levels (default 30) or the levels themselves. With an int, levels are log-spaced in
        the gap above the minimum when ``f.log_levels`` (see :func:`contour_levels`), else linear.
    resolution : int, default 200
        Grid points per axis.
    domain : array (2, 2), optional
        Plotting window; default ``f.domain``.
    filled, lines : bool, default True
        Draw filled contours and/or thin contour lines.
    cmap, alpha
        Colour map and opacity of the filled contours.
    show_minima : bool, default True
        Mark ``f.minima`` with white stars (legend label "global minimum").
    show_stationary : bool, default False
        Also mark ``f.stationary_points``: local minima (diamonds), maxima (triangles), saddles
        (crosses), all white with a black edge.
    show_curves : bool, default False
        Draw ``f.curves`` (valley floors, plateau lines) as dashed white lines.
    show_starts : bool, default False
        Mark ``f.starts`` with small black dots.
    title : str or False, optional
        Default: the function's name (e.g. "Rosenbrock") over its formula ``f.latex``; False for no
        title.
    colorbar : bool, default False
        Add a colour bar labelled ``f``.

    Returns
    -------
    matplotlib.axes.Axes
        The axes. The filled contour set (or the line set when ``filled=False``; the line for a 1-D
        objective) is available as ``ax.adamlab_contour``, e.g. for ``fig.colorbar(ax.adamlab_contour)``.

    Notes
    -----
    Never calls ``plt.show()`` and never changes rcParams. Axes limits are the domain; the aspect ratio
    is equal (so the picture shows the true conditioning) unless the domain's sides differ by more than
    a factor of 3. Non-finite values are left blank.

    Examples
    --------
    >>> import matplotlib
    >>> from adamlab.plot import contour
    >>> ax = contour("himmelblau", show_stationary=True)
    >>> [float(v) for v in ax.get_xlim()], len(ax.adamlab_contour.levels)
    ([-5.0, 5.0], 30)
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import BoundaryNorm

    if isinstance(f, str):
        from adamlab.functions import get

        f = get(f)
    if ax is None:
        _, ax = plt.subplots(figsize=(5.6, 4.8), layout="compressed")
    dom = np.asarray(f.domain if domain is None else domain, dtype=float)
    dim = int(getattr(f, "dim", dom.shape[0]))
    name = function_title(f)
    latex = getattr(f, "latex", "")
    if title is None:
        title = f"{name}\n${latex}$" if latex and _drawable(latex) else name
    min_value = getattr(f, "min_value", None)
    minima = np.asarray(getattr(f, "minima", np.zeros((0, dim))), dtype=float)

    if dim == 1:
        xs = np.linspace(dom[0, 0], dom[0, 1], resolution)
        with np.errstate(all="ignore"):
            ys = np.asarray(f(xs[:, None]), dtype=float)
        (line,) = ax.plot(xs, ys, color="C0")
        if show_minima and len(minima):
            with np.errstate(all="ignore"):
                ax.plot(
                    minima[:, 0],
                    f(minima),
                    linestyle="none",
                    label="global minimum",
                    **minimum_style(),
                )
        ax.set_xlim(float(dom[0, 0]), float(dom[0, 1]))
        ax.set_xlabel("$x$")
        ax.set_ylabel("$f(x)$")
        ax.adamlab_contour = line
        if title:
            fit_title(ax, title, fontsize="medium")
        return ax
    if dim != 2 or dom.shape != (2, 2):
        raise ValueError(f"contour draws 1-D or 2-D functions; {name} has d = {dim}")

    X, Y, Z = grid(f, resolution, dom)
    if levels is None or np.ndim(levels) == 0:
        n = 30 if levels is None else int(levels)
        lv = contour_levels(Z, n, log=bool(getattr(f, "log_levels", False)), min_value=min_value)
    else:
        lv = np.asarray(levels, dtype=float)
    cmap = plt.get_cmap(cmap)
    norm = BoundaryNorm(lv, cmap.N, extend="both")
    cs = None
    if filled:
        cs = ax.contourf(X, Y, Z, levels=lv, cmap=cmap, norm=norm, alpha=alpha, extend="both")
    if lines:
        cl = ax.contour(X, Y, Z, levels=lv, colors="black", linewidths=lw(0.27), alpha=0.35)
        cs = cs if cs is not None else cl
    ax.adamlab_contour = cs

    if show_curves:
        for k, c in getattr(f, "curves", {}).items():
            ax.plot(
                c[:, 0],
                c[:, 1],
                linestyle="--",
                color="white",
                linewidth=lw(0.7),
                alpha=0.8,
                label=k,
            )
    if show_stationary:
        for kind, pts in getattr(f, "stationary_points", {}).items():
            key = next((k for k in _MARKERS if k in kind), "saddle")
            ax.plot(
                pts[:, 0],
                pts[:, 1],
                linestyle="none",
                label=kind,
                zorder=4,
                **_white(*_MARKERS[key]),
            )
    if show_minima and len(minima):
        ax.plot(
            minima[:, 0],
            minima[:, 1],
            linestyle="none",
            label="global minimum",
            zorder=5,
            **minimum_style(),
        )
    if show_starts:
        s = np.asarray(f.starts, dtype=float)
        ax.plot(
            s[:, 0],
            s[:, 1],
            linestyle="none",
            marker="o",
            markersize=ms(0.7),
            color="white",
            markeredgecolor="black",
            label="default starts",
            zorder=5,
        )

    ax.set_xlim(float(dom[0, 0]), float(dom[0, 1]))
    ax.set_ylim(float(dom[1, 0]), float(dom[1, 1]))
    spans = dom[:, 1] - dom[:, 0]
    if 1 / 3 <= spans[0] / spans[1] <= 3:
        ax.set_aspect("equal")
    xl, yl = _axis_labels(f)
    ax.set_xlabel(xl)
    ax.set_ylabel(yl)
    if colorbar and cs is not None:
        cb = ax.figure.colorbar(cs, ax=ax)
        cb.set_label("$f$")
    if title:
        fit_title(ax, title, fontsize="medium")
    return ax
