"""Inside a step: effective per-coordinate step sizes over time, and g / m̂ / Δθ arrows on the contour.

Both views read what the optimizer itself reported (``Trajectory.info``: ``step_size``, ``delta``,
``m_hat``...), recorded by :func:`adamlab.run` through ``step_with_info``; nothing is re-derived.
"""

from __future__ import annotations

import numpy as np

from adamlab.plot._runs import FLOOR, domain_box, objective_of, prepare, require_2d
from adamlab.plot._style import fit_titles, legend_outside, lw, ms, new_axes, new_figure, set_title
from adamlab.plot._text import function_title
from adamlab.plot.contour_paths import PATH_GID, draw_background

__all__ = ["step_sizes", "update_arrows"]

COORD_STYLES = ("-", "--", ":", "-.")
ARROW_COLORS = {"grad": "black", "moment": "#8C8C8C"}


def step_sizes(trajectories, ax=None, *, logx=True, coords=None):
    """Effective per-coordinate step size over time, next to the realised |Δθᵢ|.

    Left: ``info["step_size"]`` (Adam α/(√v̂ᵢ+ε), RMSProp α/(√vᵢ+ε), AdaGrad α/(√Gᵢ+ε), AdaMax
    α/uᵢ, SGD/Momentum α). Right: ``|info["delta"]|``. One colour per optimizer, one line style per
    coordinate. On an ill-conditioned quadratic the adaptive methods give the coordinates very
    different step sizes and nearly equal steps |Δθᵢ| (the equalisation); SGD does the opposite.

    Parameters
    ----------
    trajectories : as for :func:`adamlab.plot.paths`; for a batch of starts the first start is drawn.
    ax : None, one Axes (step sizes only) or a pair of Axes (step sizes, |Δθ|)
    logx : bool
        Log step axis (default).
    coords : list of int, optional
        Coordinates to draw (default: all, at most four).

    Returns
    -------
    numpy array of the Axes drawn on. The y axes span at most seven decades (and stop at 1e-16):
    a line that leaves the bottom keeps falling (convergence), and a step of exactly 0 is not
    drawn (log axis).
    """
    from matplotlib.lines import Line2D

    runs = prepare(trajectories, view="step_sizes")
    if ax is None:
        fig = new_figure((12.5, 4.8))
        axes = np.asarray(fig.subplots(1, 2, sharex=True))
        fig.suptitle(
            f"{function_title(runs[0].traj.objective)}: the step size each coordinate gets (left) "
            "and the step it takes (right)"
        )
    else:
        axes = np.atleast_1d(np.asarray(ax, dtype=object))
    d = np.shape(runs[0].traj.params)[-1]
    coords = list(range(min(d, len(COORD_STYLES)))) if coords is None else list(coords)
    quantities = [
        ("step_size", "effective step size per coordinate"),
        ("delta", r"realised $|\Delta\theta_i|$"),
    ]
    for a, (field, title) in zip(axes, quantities):
        for run in runs:
            if field not in run.traj.info:
                raise ValueError(
                    f"{run.label}: the trajectory has no info[{field!r}] (record_info=False?)"
                )
            track = run.tracks[0]
            y = np.abs(np.asarray(run.traj.info[field], dtype=float)[(slice(None), *track.index)])
            steps = np.asarray(run.traj.steps)
            keep = steps > 0
            if track.diverged:
                keep &= steps < track.diverged_at
            for k, i in enumerate(coords):
                a.plot(
                    steps[keep],
                    y[keep, i],
                    color=run.color,
                    ls=COORD_STYLES[k % len(COORD_STYLES)],
                    lw=lw(1.2),
                    label=run.label if k == 0 else "_nolegend_",
                )
        a.set_yscale("log")
        low, high = a.get_ylim()
        a.set_ylim(max(low, FLOOR, high * 1e-7), high)
        if logx:
            a.set_xscale("log")
        a.set_xlabel("step $t$")
        set_title(a, title)
        a.grid(True, which="major", alpha=0.3)
    axes[0].set_ylabel(r"step size ($\alpha$ per unit of $\hat m$ or $g$)")
    if len(axes) > 1:
        axes[1].set_ylabel(r"$|\Delta\theta_i|$")
    handles, _ = axes[0].get_legend_handles_labels()
    styles = [
        Line2D(
            [],
            [],
            color="black",
            ls=COORD_STYLES[k % len(COORD_STYLES)],
            label=rf"$\theta_{i + 1}$",
        )
        for k, i in enumerate(coords)
    ]
    legend_outside(axes[-1], handles + styles)
    fit_titles(list(axes))
    return axes


def _nice_scale(length: float, target: float) -> float:
    """A factor 1, 2 or 5 times a power of ten that brings ``length`` closest to ``target``.

    >>> _nice_scale(0.42, 1.2), _nice_scale(300.0, 1.0)
    (2.0, 0.005)
    """
    if not np.isfinite(length) or length <= 0:
        return 1.0
    want = np.log10(target / length)
    k = np.floor(want)
    options = [m * 10.0**e for e in (k - 1, k, k + 1) for m in (1.0, 2.0, 5.0)]
    best = min(options, key=lambda s: abs(np.log10(s) - want))
    return float(f"{best:.1g}")


def update_arrows(trajectory, steps, ax=None, *, objective=None, zoom=None, scale=None):
    """Update decomposition at chosen steps: arrows −g, −m̂ and Δθ from θₜ₋₁, on the contour.

    For step t the arrows start at θₜ₋₁ = θₜ − Δθₜ and show the gradient used (−gₜ), the first
    moment the optimizer used (−m̂ₜ from ``info["m_hat"]``, or the momentum buffer −bₜ; absent for
    RMSProp without momentum, AdaGrad and SGD) and the step actually taken Δθₜ (``info["delta"]``).
    −g and −m̂ share one scale factor and Δθ has its own (1, 2 or 5 times a power of ten, written in
    the legend), so arrows of the same kind are comparable. ``scale=(s_grad, s_delta)`` fixes them.

    Parameters
    ----------
    trajectory : Trajectory (one start)
    steps : int or list of int
        Steps t (>= 1) to decompose; they must be recorded (``run(..., every=1)``).
    ax : Axes, optional
    objective : background (default: the trajectory's)
    zoom : bool or None
        Limit the view to the path and the arrows instead of the whole domain (default: when they
        cover less than a third of the domain).

    Returns
    -------
    matplotlib.axes.Axes
    """
    from matplotlib.lines import Line2D

    require_2d(trajectory, "update_arrows")
    f = objective_of(trajectory, objective, view="update_arrows")
    box = domain_box(f)
    runs = prepare(trajectory, box, view="update_arrows")
    if len(runs) != 1 or runs[0].multi:
        raise ValueError("update_arrows draws one start; pass a single-start trajectory")
    (run,) = runs
    ax = new_axes(ax, layout="compressed")
    draw_background(f, ax)
    rec_steps = np.asarray(run.traj.steps)
    steps = [int(s) for s in np.atleast_1d(steps)]
    index = []
    for t in steps:
        hit = np.flatnonzero(rec_steps == t)
        if t < 1 or not hit.size:
            raise ValueError(
                f"step {t} is not recorded (recorded: t = {rec_steps[1]}..{rec_steps[-1]})"
            )
        index.append(int(hit[0]))
    info = run.traj.info
    moment_field = next((k for k in ("m_hat", "b") if k in info), None)
    params = np.asarray(run.traj.params, dtype=float)
    delta = np.asarray(info["delta"], dtype=float)[index]
    origin = params[index] - delta
    grad = np.asarray(run.traj.grads, dtype=float)[index]
    moment = np.asarray(info[moment_field], dtype=float)[index] if moment_field else None
    p = run.tracks[0].points
    ax.plot(
        p[:, 0], p[:, 1], color=run.color, lw=lw(0.67), alpha=0.6, ls="--", zorder=3, gid=PATH_GID
    )
    ax.plot(
        *p[0],
        linestyle="none",
        zorder=4,
        marker="o",
        markersize=ms(1.0),
        markerfacecolor="white",
        markeredgecolor="k",
    )

    lo, hi = np.array(box).T if box is not None else (p.min(0), p.max(0))
    width = float(np.max(hi - lo)) or 1.0
    shown = p[: index[-1] + 1]
    if zoom is None:
        zoom = box is None or float(np.max(np.ptp(shown, axis=0))) < width / 3
    if zoom:
        pts = np.concatenate([origin, origin + delta, shown])
        width = float(np.max(np.ptp(pts, axis=0))) or 1.0
    if scale is None:
        gnorm = np.linalg.norm(grad, axis=-1).max()
        if moment is not None:
            gnorm = max(gnorm, np.linalg.norm(moment, axis=-1).max())
        s_grad = _nice_scale(gnorm, 0.15 * width)
        dnorm = np.linalg.norm(delta, axis=-1).max()
        # Δθ is in parameter units: draw it to scale whenever that is clearly visible.
        s_delta = 1.0 if 0.08 * width <= dnorm <= 0.4 * width else _nice_scale(dnorm, 0.12 * width)
    else:
        s_grad, s_delta = scale

    def arrows(vec, color, s, z):
        return ax.quiver(
            origin[:, 0],
            origin[:, 1],
            vec[:, 0] * s,
            vec[:, 1] * s,
            angles="xy",
            scale_units="xy",
            scale=1,
            color=color,
            width=0.0047 * lw() if color == run.color else 0.0033 * lw(),
            headwidth=4,
            headlength=5,
            zorder=z,
        )

    def times(s):
        return "" if s == 1 else f" ×{s:g}"

    handles = [Line2D([], [], color=run.color, lw=lw(0.67), ls="--", alpha=0.6, label=run.label)]
    arrows(-grad, ARROW_COLORS["grad"], s_grad, 5)
    handles.append(
        Line2D([], [], color=ARROW_COLORS["grad"], lw=lw(1.7), label=rf"$-g_t${times(s_grad)}")
    )
    if moment is not None:
        arrows(-moment, ARROW_COLORS["moment"], s_grad, 6)
        sym = r"\hat m_t" if moment_field == "m_hat" else r"b_t"
        handles.append(
            Line2D(
                [], [], color=ARROW_COLORS["moment"], lw=lw(1.7), label=rf"$-{sym}${times(s_grad)}"
            )
        )
    arrows(delta, run.color, s_delta, 7)
    handles.append(
        Line2D([], [], color=run.color, lw=lw(2.3), label=rf"$\Delta\theta_t${times(s_delta)}")
    )
    ax.plot(origin[:, 0], origin[:, 1], "o", color="black", markersize=ms(0.6), zorder=8)
    for (x, y), t in zip(origin, steps):
        ax.annotate(
            f"t={t}",
            (x, y),
            xytext=(-4, 4),
            textcoords="offset points",
            ha="right",
            fontsize="small",
            bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.8),
            zorder=9,
        )
    if zoom:
        ends = np.concatenate(
            [shown, origin + delta * s_delta, origin - grad * s_grad]
            + ([origin - moment * s_grad] if moment is not None else [])
        )
        c_lo, c_hi = ends.min(0), ends.max(0)
        pad = 0.1 * (c_hi - c_lo) + 1e-12
        ax.set_xlim(c_lo[0] - pad[0], c_hi[0] + pad[0])
        ax.set_ylim(c_lo[1] - pad[1], c_hi[1] + pad[1])
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    set_title(ax, f"Update decomposition, {function_title(f)}")
    legend_outside(ax, handles)
    fit_titles([ax])
    return ax
