"""The race figure of ``adamlab demo`` and ``adamlab race``: paths on the contour beside the loss curves."""

from __future__ import annotations

from adamlab.plot._runs import domain_box, objective_of, prepare, require_2d
from adamlab.plot._style import fit_titles, new_figure, set_title
from adamlab.plot._text import function_title
from adamlab.plot.contour_paths import draw_background, draw_tracks, marker_handles
from adamlab.plot.loss import draw_curves

__all__ = ["race_figure", "rows_legend"]


def rows_legend(fig, groups, *, ncol=None, **kw):
    """One legend under the figure's axes, each group of handles starting a new row.

    matplotlib fills a legend column by column; the groups (e.g. the optimizers, then the markers) are
    padded with blank entries so that they read row by row and never mix. ``ncol`` defaults to the
    size of the largest group, at most 3.
    """
    from matplotlib.lines import Line2D

    groups = [list(g) for g in groups if g]
    if ncol is None:
        ncol = max(1, min(3, max(len(g) for g in groups)))
    rows = []
    for group in groups:
        for k in range(0, len(group), ncol):
            row = group[k : k + ncol]
            rows.append(row + [Line2D([], [], linestyle="none", label=" ")] * (ncol - len(row)))
    handles = [rows[r][c] for c in range(ncol) for r in range(len(rows))]  # column-major
    kw = dict(loc="outside lower center", ncol=ncol, frameon=False) | kw
    return fig.legend(handles=handles, labels=[h.get_label() for h in handles], **kw)


def race_figure(trajectories, objective=None, *, kind=None, figsize=(12.5, 6.0), fig=None):
    """Contour with paths (left) and loss curves (right), one legend below both: the demo figure.

    ``kind`` is passed to :func:`adamlab.plot.loss_curves`; default ``"gap"`` when the minimum value is
    known, else ``"value"``. Draws into ``fig`` when given (a figure without a layout engine is switched
    to the constrained layout, which keeps the legend under the x axes), else into a new figure of size
    ``figsize``. The legend lists the optimizers row by row, then the markers.

    Returns
    -------
    matplotlib.figure.Figure
    """
    require_2d(trajectories, "race_figure")
    f = objective_of(trajectories, objective, view="race_figure")
    box = domain_box(f)
    runs = prepare(trajectories, box, view="race_figure")
    if kind is None:
        kind = "gap" if getattr(f, "min_value", None) is not None else "value"
    fig = new_figure(figsize, fig)
    left, right = fig.subplots(1, 2, width_ratios=[1.0, 1.15])
    draw_background(f, left)
    handles = draw_tracks(runs, left)
    left.set_xlabel(r"$\theta_1$")
    left.set_ylabel(r"$\theta_2$")
    steps = max(run.last_step for run in runs)
    set_title(left, f"{function_title(f)}: {steps} steps")
    draw_curves(runs, right, kind=kind)
    set_title(right, "loss per step")
    any_diverged = any(t.diverged for run in runs for t in run.tracks)
    rows_legend(fig, [handles, marker_handles(left, any_diverged)])
    fit_titles([left, right])
    return fig
