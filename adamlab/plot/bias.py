"""The bias-correction lab: what Adam's 1/(1 − βᵗ) factors do, measured on the real optimizer.

Every number drawn here comes from running :class:`adamlab.Adam` (``step_with_info``, or
:func:`adamlab.run` for the paths) on a gradient stream: the factors are m̂ₜ/mₜ and v̂ₜ/vₜ of one
run, the step multiplier is the ratio of the corrected to the uncorrected step, and the ablation
curves are |Δθₜ|/α of ``Adam(bias_correction="none" | "m" | "v" | "both")``. No formula of the
optimizer is re-typed in this module.

With the defaults β₁ = 0.9, β₂ = 0.999 and a constant gradient, uncorrected Adam's first step is
3.16α and grows to about 6.5α near t = 10: the correction *shrinks* early steps.
"""

from __future__ import annotations

import functools

import numpy as np

from adamlab.plot._colors import colors
from adamlab.plot._common import name_of, new_axes

__all__ = [
    "bias_lab",
    "bias_factors",
    "bias_moments",
    "bias_ablation_steps",
    "bias_ablation_paths",
    "ablation_optimizers",
    "MODES",
]

MODES = ("none", "m", "v", "both")
MODE_TEXT = {
    "none": "no correction",
    "m": "m only",
    "v": "v only",
    "both": "both (Algorithm 1)",
}
FACTOR_COLORS = {"m": "#4477AA", "v": "#AA3377", "step": "black"}
BOX = dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="none", alpha=0.85)


def _feed(optimizer, grads):
    """Feed the gradient stream ``grads`` (T, ...) to ``optimizer``; record state and info per step.

    Returns a dict of arrays (T, ...): the state fields (``m``, ``v``, ...) and the info fields
    (``m_hat``, ``v_hat``, ``step_size``, ``delta``) after each step t = 1..T.
    """
    grads = np.asarray(grads, dtype=float)
    params = np.zeros(grads.shape[1:])
    state = optimizer.init(params)
    records: dict[str, list] = {}
    for g in grads:
        params, state, info = optimizer.step_with_info(params, g, state)
        for name, value in list(state._asdict().items()) + list(info._asdict().items()):
            if name != "t" and value is not None:
                records.setdefault(name, []).append(np.array(value, dtype=float))
    return {name: np.stack(values) for name, values in records.items()}


@functools.lru_cache(maxsize=8)
def _constant_runs(lr, beta1, beta2, steps, grad):
    """The four ablation runs under a constant gradient (cached: the lab draws them twice)."""
    out = {}
    for mode, opt in ablation_optimizers(lr=lr, beta1=beta1, beta2=beta2).items():
        rec = _feed(opt, np.full((steps, 1), grad))
        for value in rec.values():
            value.setflags(write=False)
        out[mode] = rec
    return out


def constant_gradient_runs(lr=1e-3, beta1=0.9, beta2=0.999, steps=3000, grad=1.0):
    """``{mode: records}`` of ``Adam(bias_correction=mode)`` fed gₜ = ``grad`` for ``steps`` steps.

    ``records`` maps the state fields (``m``, ``v``) and info fields (``m_hat``, ``v_hat``,
    ``step_size``, ``delta``) to arrays (steps, 1) for t = 1..steps.
    """
    return _constant_runs(float(lr), float(beta1), float(beta2), int(steps), float(grad))


def ablation_optimizers(lr=1e-3, beta1=0.9, beta2=0.999, **kwargs):
    """``{mode: Adam(..., bias_correction=mode)}`` for the four modes, in the order none, m, v, both."""
    from adamlab import Adam

    return {
        mode: Adam(lr=lr, beta1=beta1, beta2=beta2, bias_correction=mode, **kwargs)
        for mode in MODES
    }


def _mode_colors(optimizers):
    """Colours of the ablation: "both" (plain Adam) keeps Adam's colour, the others are variants."""
    order = ["both", "none", "m", "v"]
    cols = colors.assign([optimizers[m] for m in order])
    return dict(zip(order, cols))


def _t(n):
    return np.arange(1, n + 1)


def bias_factors(beta1=0.9, beta2=0.999, steps=3000, ax=None, *, annotate=(1, 10, 100, 1000)):
    """The correction factors 1/(1 − β₁ᵗ), 1/(1 − β₂ᵗ) and the step multiplier over t (log-log).

    Measured on ``Adam()`` under the constant gradient gₜ = 1: 1/(1 − β₁ᵗ) = m̂ₜ/mₜ and
    1/(1 − β₂ᵗ) = v̂ₜ/vₜ of the corrected run, and the multiplier √(1 − β₂ᵗ)/(1 − β₁ᵗ) is
    |Δθₜ| of the corrected run divided by |Δθₜ| of ``bias_correction="none"`` (same stream; ε
    changes it by about 1e-8). With the
    defaults the multiplier is 0.316 at t=1, 0.153 at t=10, 0.31 at t=100 and 0.80 at t=1000: the
    correction *shrinks* the early steps. ``annotate`` lists the t whose multiplier is written.

    Returns the Axes.
    """
    ax = new_axes(ax)
    runs = constant_gradient_runs(beta1=beta1, beta2=beta2, steps=steps)
    both, none = runs["both"], runs["none"]
    t = _t(steps)
    f1 = (both["m_hat"] / both["m"])[:, 0]
    f2 = (both["v_hat"] / both["v"])[:, 0]
    mult = (np.abs(both["delta"]) / np.abs(none["delta"]))[:, 0]
    ax.plot(t, f1, color=FACTOR_COLORS["m"], lw=2, label=rf"$1/(1-\beta_1^t)$, $\beta_1$={beta1:g}")
    ax.plot(t, f2, color=FACTOR_COLORS["v"], lw=2, label=rf"$1/(1-\beta_2^t)$, $\beta_2$={beta2:g}")
    ax.plot(
        t,
        mult,
        color=FACTOR_COLORS["step"],
        lw=2.4,
        label=r"step multiplier $\sqrt{1-\beta_2^t}\,/\,(1-\beta_1^t)$",
    )
    ax.axhline(1.0, color="grey", lw=0.8, ls=":")
    for tk in annotate or ():
        if tk <= steps:
            y = mult[tk - 1]
            ax.plot(tk, y, "o", color="black", markersize=5, zorder=5, clip_on=False)
            near_end = tk > steps**0.85  # keep the text inside the axes
            ax.annotate(
                f"{y:.3g}",
                (tk, y),
                xytext=(-4, -8) if near_end else (4, -8),
                textcoords="offset points",
                ha="right" if near_end else "left",
                va="top",
                fontsize=9,
                bbox=BOX,
            )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(0.8, steps)
    ax.set_ylim(bottom=min(0.05, 0.5 * float(np.min(mult))))
    ax.set_xlabel("step $t$")
    ax.set_ylabel("factor")
    ax.set_title("1  Bias-correction factors", loc="left")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="upper right", fontsize=8.5)
    return ax


def bias_moments(
    beta1=0.9,
    beta2=0.999,
    steps=60,
    ax=None,
    *,
    gradient="constant",
    mean=1.0,
    noise=1.0,
    seed=0,
    moment="m",
):
    """mₜ against m̂ₜ against the true mean, for a constant or a noisy gradient stream.

    The stream is gₜ = ``mean`` (``gradient="constant"``) or gₜ = mean + noise·N(0, 1)
    (``"noisy"``, seeded). mₜ is Adam's state, m̂ₜ its info (``step_with_info``). The true mean
    E[g] is dashed; for a noisy stream the running mean (g₁ + … + gₜ)/t and the raw gₜ (grey dots)
    are shown too. ``moment="v"`` draws vₜ, v̂ₜ and E[g²] instead.

    Returns the Axes.
    """
    from adamlab import Adam

    if gradient not in ("constant", "noisy"):
        raise ValueError(f"gradient must be 'constant' or 'noisy', not {gradient!r}")
    if moment not in ("m", "v"):
        raise ValueError(f"moment must be 'm' or 'v', not {moment!r}")
    ax = new_axes(ax)
    rng = np.random.default_rng(seed)
    g = np.full(steps, float(mean))
    if gradient == "noisy":
        g = g + noise * rng.standard_normal(steps)
    rec = _feed(Adam(beta1=beta1, beta2=beta2), g[:, None])
    t = _t(steps)
    if moment == "m":
        raw, hat, sym, beta = rec["m"][:, 0], rec["m_hat"][:, 0], "m", beta1
        samples, truth = g, float(mean)
        truth_label = r"true mean $E[g]$"
    else:
        raw, hat, sym, beta = rec["v"][:, 0], rec["v_hat"][:, 0], "v", beta2
        samples = g**2
        truth = float(mean) ** 2 + (float(noise) ** 2 if gradient == "noisy" else 0.0)
        truth_label = r"true $E[g^2]$"
    if gradient == "noisy":
        ax.plot(
            t,
            samples,
            ".",
            color="0.65",
            markersize=4,
            label=f"${'g_t' if sym == 'm' else 'g_t^2'}$",
        )
        ax.plot(
            t,
            np.cumsum(samples) / t,
            color="0.35",
            lw=1.2,
            label="running mean of the samples",
        )
    b = "_1" if sym == "m" else "_2"
    ax.plot(t, raw, color=FACTOR_COLORS[sym], lw=2, label=rf"${sym}_t$ (biased towards 0)")
    ax.plot(t, hat, color=colors["Adam"], lw=2.6, label=rf"$\hat {sym}_t = {sym}_t/(1-\beta{b}^t)$")
    ax.axhline(truth, color="black", ls="--", lw=1.2, label=truth_label, zorder=4)
    ax.set_xlim(0, steps)
    ax.set_xlabel("step $t$")
    ax.set_ylabel(f"${sym}$")
    what = "constant" if gradient == "constant" else f"noisy (σ={noise:g})"
    ax.set_title(
        rf"2  ${sym}_t$ vs $\hat {sym}_t$ vs the truth, {what} gradient, β={beta:g}", loc="left"
    )
    ax.grid(True, alpha=0.3)
    if gradient == "noisy":
        lo, hi = np.min(samples), np.max(samples)
        if moment == "v":  # squares are heavy-tailed: keep the estimates, not the outliers, in view
            lo, hi = 0.0, max(np.percentile(samples, 90), 1.5 * truth)
        ax.set_ylim(min(lo, 0.0) - 0.05 * (hi - lo), hi + 0.45 * (hi - lo))
        ax.legend(loc="upper center", fontsize=8.5, ncol=2)
    else:
        ax.set_ylim(0, 1.15 * truth)
        ax.legend(loc="lower right", fontsize=8.5)
    return ax


def bias_ablation_steps(
    beta1=0.9, beta2=0.999, steps=3000, ax=None, *, lr=1e-3, grad=1.0, annotate=True
):
    """|Δθₜ|/α of ``Adam(bias_correction=...)``: none, m only, v only, both; constant gradient.

    Measured with ``step_with_info`` under gₜ = ``grad``. With the defaults: no correction 3.16 at
    t=1, about 6.5 near t=10, 1.26 at t=1000; m only 31.6 at t=1; v only 0.1 at t=1; both 1.
    The ablation lines carry ``gid="ablation-<mode>"``.

    Returns the Axes.
    """
    ax = new_axes(ax)
    optimizers = ablation_optimizers(lr=lr, beta1=beta1, beta2=beta2)
    runs = constant_gradient_runs(lr, beta1, beta2, steps, grad)
    cols = _mode_colors(optimizers)
    t = _t(steps)
    ratio = {}
    for mode, opt in optimizers.items():
        ratio[mode] = np.abs(runs[mode]["delta"][:, 0]) / lr
        ax.plot(
            t,
            ratio[mode],
            color=cols[mode],
            lw=2.2 if mode == "both" else 1.8,
            label=f"{MODE_TEXT[mode]}: {opt!r}",
            gid=f"ablation-{mode}",
        )
    if annotate:
        notes = [("none", 1, "left"), ("m", 1, "left"), ("v", 1, "left"), ("both", 1, "left")]
        if steps >= 10:
            notes.append(("none", 10, "center"))
        if steps >= 1000:
            notes.append(("none", 1000, "center"))
        for mode, tk, ha in notes:
            y = ratio[mode][tk - 1]
            ax.plot(
                tk,
                y,
                "o",
                color=cols[mode],
                markersize=6,
                markeredgecolor="white",
                zorder=5,
                clip_on=False,
            )
            if ha == "center" and tk > steps**0.85:
                ha = "right"
            offset = {"left": (8, 0), "center": (0, 9), "right": (-4, 9)}[ha]
            text = f"{y:.3g}" if tk == 1 else f"{y:.3g} at t={tk}"
            ax.annotate(
                text,
                (tk, y),
                xytext=offset,
                textcoords="offset points",
                ha=ha,
                va="center" if ha == "left" else "bottom",
                fontsize=9.5,
                color=cols[mode],
                fontweight="bold",
                bbox=BOX,
            )
    ax.axhline(1.0, color="grey", lw=0.8, ls=":")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(0.8, steps)
    ax.set_ylim(0.05, 80)
    ax.set_xlabel("step $t$")
    ax.set_ylabel(r"$|\Delta\theta_t|\,/\,\alpha$")
    ax.set_title(f"3  Step size under a constant gradient (β₁={beta1:g}, β₂={beta2:g})", loc="left")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="upper right", fontsize=8.5, title="bias correction", title_fontsize=9)
    return ax


def bias_ablation_paths(
    objective="quadratic",
    x0=None,
    steps=40,
    ax=None,
    *,
    lr=0.1,
    beta1=0.9,
    beta2=0.999,
    legend=True,
):
    """The same ablation as paths from one start on a surface (``adamlab.run``).

    A dot marks every step, so the step lengths of panel 3 can be seen: with the defaults (the
    ill-conditioned quadratic, α = 0.1) "both" walks straight in steps of α, "v only" starts with
    tiny steps, "none" overshoots and "m only" jumps 31.6α on its first step.

    Returns the Axes (see :func:`adamlab.plot.paths`).
    """
    from adamlab import functions, run
    from adamlab.plot.views import paths

    f = functions.get(objective) if isinstance(objective, str) else objective
    x0 = np.asarray(f.starts[0] if x0 is None else x0, dtype=float)
    optimizers = ablation_optimizers(lr=lr, beta1=beta1, beta2=beta2)
    # "both" first so that plain Adam keeps Adam's colour, as in bias_ablation_steps.
    order = ["both", "none", "m", "v"]
    trajectories = [run(optimizers[m], f, x0, steps) for m in order]
    ax = paths(trajectories, f, ax=ax, legend=legend, markers=True)
    ax.set_title("")
    ax.set_title(f"4  The ablation as paths, α={lr:g}, {steps} steps\n    {name_of(f)}", loc="left")
    return ax


def bias_lab(
    beta1=0.9,
    beta2=0.999,
    steps=3000,
    *,
    objective="quadratic",
    x0=None,
    path_steps=40,
    lr=0.1,
    moment_steps=60,
    noise=1.0,
    seed=0,
    figsize=(17, 10),
    fig=None,
):
    """The whole bias-correction lab in one Figure (panels 1-4, see the panel functions).

    1 :func:`bias_factors`; 2 :func:`bias_moments` for a constant and a noisy gradient;
    3 :func:`bias_ablation_steps`; 4 :func:`bias_ablation_paths` on ``objective`` with step size
    ``lr``. Draws into ``fig`` when given (e.g. a ``plt.figure(layout="constrained")``), else into
    a new figure of size ``figsize``. Returns the Figure.
    """
    import matplotlib.pyplot as plt

    if fig is None:
        fig = plt.figure(figsize=figsize, layout="constrained")
    axd = fig.subplot_mosaic(
        [["factors", "const", "noisy"], ["ablation", "ablation", "paths"]],
        height_ratios=[1.0, 1.15],
    )
    bias_factors(beta1, beta2, steps, ax=axd["factors"])
    bias_moments(beta1, beta2, moment_steps, ax=axd["const"], gradient="constant")
    bias_moments(
        beta1, beta2, moment_steps, ax=axd["noisy"], gradient="noisy", noise=noise, seed=seed
    )
    axd["noisy"].set_title(rf"2b  … noisy gradient $g_t \sim N(1, {noise:g}^2)$", loc="left")
    bias_ablation_steps(beta1, beta2, steps, ax=axd["ablation"])
    bias_ablation_paths(
        objective, x0, path_steps, ax=axd["paths"], lr=lr, beta1=beta1, beta2=beta2, legend=False
    )
    fig.suptitle(
        f"Adam's bias correction, measured (β₁={beta1:g}, β₂={beta2:g}): "
        "without it the early steps are larger, not smaller",
        fontsize=14,
    )
    return fig
