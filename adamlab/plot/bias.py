"""The bias-correction lab: what Adam's 1/(1 − βᵗ) factors do, measured on the real optimizer.

Every number drawn here comes from running :class:`adamlab.Adam` (``step_with_info``, or
:func:`adamlab.run` for the paths) on a gradient stream: the factors are m̂ₜ/mₜ and v̂ₜ/vₜ of one
run, the step multiplier is the ratio of the corrected to the uncorrected step, and the ablation
curves are |Δθₜ|/α of ``Adam(bias_correction="none" | "m" | "v" | "both")``. No formula of the
optimizer is re-typed in this module.

Data flows one way: each public function measures its data (the ``*_data`` functions, NumPy only) and
hands it to a ``draw_*`` function; :func:`bias_lab` measures once and draws all panels. Titles read
β₁, β₂ and α from the optimizer objects that produced the data.

With the defaults β₁ = 0.9, β₂ = 0.999 and a constant gradient, uncorrected Adam's first step is
3.16α and grows to about 6.5α near t = 10: the correction *shrinks* early steps.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from adamlab.plot._colors import colors
from adamlab.plot._style import (
    fit_titles,
    legend_best,
    legend_outside,
    legend_over_data,
    lw,
    ms,
    new_axes,
    new_figure,
    set_title,
)
from adamlab.plot._text import function_title, optimizer_text

__all__ = [
    "bias_lab",
    "bias_factors",
    "bias_moments",
    "bias_ablation_steps",
    "bias_ablation_paths",
    "ablation_optimizers",
    "constant_gradient_runs",
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


# ---------------------------------------------------------------------------------------------- data


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


def ablation_optimizers(lr=1e-3, beta1=0.9, beta2=0.999, **kwargs):
    """``{mode: Adam(..., bias_correction=mode)}`` for the four modes, in the order none, m, v, both."""
    from adamlab import Adam

    return {
        mode: Adam(lr=lr, beta1=beta1, beta2=beta2, bias_correction=mode, **kwargs)
        for mode in MODES
    }


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


@dataclass(frozen=True)
class Ablation:
    """The four constant-gradient runs of the ablation and the optimizers that made them."""

    optimizers: dict
    records: dict
    grad: float

    @property
    def adam(self):
        """The corrected optimizer (Algorithm 1), whose hyperparameters the titles show."""
        return self.optimizers["both"]

    @property
    def steps(self) -> int:
        return len(self.records["both"]["delta"])


def ablation_data(lr=1e-3, beta1=0.9, beta2=0.999, steps=3000, grad=1.0) -> Ablation:
    """Measure the ablation under the constant gradient gₜ = ``grad``."""
    return Ablation(
        ablation_optimizers(lr=lr, beta1=beta1, beta2=beta2),
        constant_gradient_runs(lr, beta1, beta2, steps, grad),
        float(grad),
    )


@dataclass(frozen=True)
class Moments:
    """A gradient stream and what Adam made of it."""

    optimizer: object
    grads: np.ndarray
    records: dict
    gradient: str  # "constant" or "noisy"
    mean: float
    noise: float


def moments_data(
    beta1=0.9, beta2=0.999, steps=60, *, gradient="constant", mean=1.0, noise=1.0, seed=0
):
    """Feed ``Adam(beta1, beta2)`` the stream gₜ = mean (+ noise·N(0, 1), seeded, when noisy)."""
    from adamlab import Adam

    if gradient not in ("constant", "noisy"):
        raise ValueError(f"gradient must be 'constant' or 'noisy', not {gradient!r}")
    g = np.full(steps, float(mean))
    if gradient == "noisy":
        g = g + noise * np.random.default_rng(seed).standard_normal(steps)
    opt = Adam(beta1=beta1, beta2=beta2)
    return Moments(opt, g, _feed(opt, g[:, None]), gradient, float(mean), float(noise))


def ablation_trajectories(
    objective="quadratic", x0=None, steps=40, *, lr=0.1, beta1=0.9, beta2=0.999
):
    """The four ablation optimizers run from one start (``adamlab.run``), "both" first."""
    from adamlab import functions, run

    f = functions.get(objective) if isinstance(objective, str) else objective
    x0 = np.asarray(f.starts[0] if x0 is None else x0, dtype=float)
    optimizers = ablation_optimizers(lr=lr, beta1=beta1, beta2=beta2)
    # "both" first so that plain Adam keeps Adam's colour, as in bias_ablation_steps.
    return [run(optimizers[m], f, x0, steps) for m in ("both", "none", "m", "v")]


# ------------------------------------------------------------------------------------------- drawing


def _t(n):
    return np.arange(1, n + 1)


def _mode_colors(optimizers):
    """Colours of the ablation: "both" (plain Adam) keeps Adam's colour, the others are variants."""
    order = ["both", "none", "m", "v"]
    cols = colors.assign([optimizers[m] for m in order])
    return dict(zip(order, cols))


def _alpha(x: float) -> str:
    """A step as a multiple of α: "3.16α", or "α" for 1 (to three digits)."""
    return "α" if f"{x:.3g}" == "1" else f"{x:.3g}α"


def _betas(opt) -> str:
    return f"β₁ = {opt.beta1:g}, β₂ = {opt.beta2:g}"


def draw_factors(data: Ablation, ax, *, annotate=(1, 10, 100, 1000)):
    """Panel 1 from measured data: 1/(1 − β₁ᵗ) = m̂/m, 1/(1 − β₂ᵗ) = v̂/v and the step multiplier."""
    both, none = data.records["both"], data.records["none"]
    steps, opt = data.steps, data.adam
    t = _t(steps)
    f1 = (both["m_hat"] / both["m"])[:, 0]
    f2 = (both["v_hat"] / both["v"])[:, 0]
    mult = (np.abs(both["delta"]) / np.abs(none["delta"]))[:, 0]
    ax.plot(t, f1, color=FACTOR_COLORS["m"], lw=lw(1.3), label=r"$1/(1-\beta_1^t)$")
    ax.plot(t, f2, color=FACTOR_COLORS["v"], lw=lw(1.3), label=r"$1/(1-\beta_2^t)$")
    ax.plot(
        t,
        mult,
        color=FACTOR_COLORS["step"],
        lw=lw(1.6),
        label=r"step multiplier $\sqrt{1-\beta_2^t}\,/\,(1-\beta_1^t)$",
    )
    ax.axhline(1.0, color="grey", lw=lw(0.55), ls=":")
    for tk in annotate or ():
        if tk <= steps:
            y = mult[tk - 1]
            ax.plot(tk, y, "o", color="black", markersize=ms(0.85), zorder=5, clip_on=False)
            near_end = tk > steps**0.85  # keep the text inside the axes
            ax.annotate(
                f"{y:.3g}",
                (tk, y),
                xytext=(-4, -8) if near_end else (4, -8),
                textcoords="offset points",
                ha="right" if near_end else "left",
                va="top",
                fontsize="small",
                bbox=BOX,
            )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(0.8, steps)
    values = np.concatenate([f1, f2, mult])
    ax.set_xlabel("step $t$")
    ax.set_ylabel("factor")
    set_title(ax, f"1  Bias-correction factors ({_betas(opt)})", loc="left")
    ax.grid(True, which="major", alpha=0.3)
    # Room under the lowest annotation, and above the highest curve for the legend.
    legend_over_data(
        ax, min(0.05, 0.3 * float(values.min())), 2 * float(values.max()), log=True, ncols=(1,)
    )
    return ax


def draw_moments(data: Moments, ax, *, moment="m", title=None):
    """Panel 2 from measured data: mₜ (or vₜ) against its corrected value and the truth."""
    if moment not in ("m", "v"):
        raise ValueError(f"moment must be 'm' or 'v', not {moment!r}")
    rec, g, opt = data.records, data.grads, data.optimizer
    steps = len(g)
    t = _t(steps)
    noisy = data.gradient == "noisy"
    if moment == "m":
        raw, hat, beta, b = rec["m"][:, 0], rec["m_hat"][:, 0], opt.beta1, "_1"
        samples, truth, truth_label = g, data.mean, r"true mean $E[g]$"
    else:
        raw, hat, beta, b = rec["v"][:, 0], rec["v_hat"][:, 0], opt.beta2, "_2"
        samples = g**2
        truth = data.mean**2 + (data.noise**2 if noisy else 0.0)
        truth_label = r"true $E[g^2]$"
    sym = moment
    if noisy:
        ax.plot(
            t,
            samples,
            ".",
            color="0.65",
            markersize=ms(0.65),
            label=f"${'g_t' if sym == 'm' else 'g_t^2'}$",
        )
        ax.plot(
            t, np.cumsum(samples) / t, color="0.35", lw=lw(0.8), label="running mean of the samples"
        )
    ax.plot(t, raw, color=FACTOR_COLORS[sym], lw=lw(1.3), label=rf"${sym}_t$ (biased towards 0)")
    ax.plot(
        t, hat, color=colors["Adam"], lw=lw(1.7), label=rf"$\hat {sym}_t = {sym}_t/(1-\beta{b}^t)$"
    )
    ax.axhline(truth, color="black", ls="--", lw=lw(0.8), label=truth_label, zorder=4)
    ax.set_xlim(0, steps)
    ax.set_xlabel("step $t$")
    ax.set_ylabel(f"${sym}$")
    if title is None:
        what = "constant" if not noisy else f"noisy (σ = {data.noise:g})"
        title = rf"2  ${sym}_t$ vs $\hat {sym}_t$ vs the truth, {what} gradient, β{b[1]} = {beta:g}"
        title = title.replace("β1", "β₁").replace("β2", "β₂")
    set_title(ax, title, loc="left")
    ax.grid(True, alpha=0.3)
    if noisy:
        lo, hi = np.min(samples), np.max(samples)
        if moment == "v":  # squares are heavy-tailed: keep the estimates, not the outliers, in view
            lo, hi = 0.0, max(np.percentile(samples, 90), 1.5 * truth)
        lo, hi = min(lo, 0.0) - 0.05 * (hi - lo), hi + 0.05 * (hi - lo)
        if moment == "v":  # the outliers above the range must not end up under the legend
            ax.set_ylim(lo, hi)
            legend_outside(ax)
        else:
            legend_over_data(ax, lo, hi, log=False)
    else:
        ax.set_ylim(0, 1.15 * truth)
        legend_best(ax)
    return ax


def _coincident(ratio, mode):
    """The earlier mode whose curve equals ``mode``'s (β₁ = 0 makes m̂ = m), or None."""
    for other in MODES[: MODES.index(mode)]:
        if np.allclose(ratio[other], ratio[mode], rtol=1e-12, atol=0.0):
            return other
    return None


def draw_ablation_steps(data: Ablation, ax, *, annotate=True):
    """Panel 3 from measured data: |Δθₜ|/α of the four modes under a constant gradient.

    Curves that coincide (with β₁ = 0 there is no m bias to correct, so "m only" is "no correction"
    and "both" is "v only") are drawn dashed over the first, and their legend entry says so.
    """
    optimizers, steps = data.optimizers, data.steps
    lr = float(data.adam.lr)
    cols = _mode_colors(optimizers)
    t = _t(steps)
    ratio = {mode: np.abs(data.records[mode]["delta"][:, 0]) / lr for mode in MODES}
    same = {mode: _coincident(ratio, mode) for mode in MODES}
    for mode in MODES:
        label = MODE_TEXT[mode]
        style = dict(ls="-", zorder=2)
        if same[mode] is not None:
            label += f" (= {MODE_TEXT[same[mode]]})"
            style = dict(ls=(0, (3, 2)), zorder=3)
        ax.plot(
            t,
            ratio[mode],
            color=cols[mode],
            lw=lw(1.5) if mode == "both" else lw(1.2),
            label=label,
            gid=f"ablation-{mode}",
            **style,
        )
    if annotate:
        notes = [(mode, 1, "left") for mode in MODES if same[mode] is None]
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
                markersize=ms(1.0),
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
                fontsize="small",
                color=cols[mode],
                fontweight="bold",
                bbox=BOX,
            )
    ax.axhline(1.0, color="grey", lw=lw(0.55), ls=":")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(0.8, steps)
    values = np.concatenate(list(ratio.values()))
    values = values[values > 0]
    ax.set_xlabel("step $t$")
    ax.set_ylabel(r"$|\Delta\theta_t|\,/\,\alpha$")
    set_title(ax, f"3  Step size under a constant gradient ({_betas(data.adam)})", loc="left")
    ax.grid(True, which="major", alpha=0.3)
    # Every curve in view (β₂ = 0.9999 puts "m only" at 100α), the labels above them, the legend on top.
    legend_over_data(
        ax,
        0.4 * float(values.min()),
        3.0 * float(values.max()),
        log=True,
        title=f"bias correction of {optimizer_text(data.adam, omit=('bias_correction',))}",
    )
    return ax


def draw_ablation_paths(trajectories, ax, *, legend=True, title=None):
    """Panel 4 from recorded runs: the ablation as paths on the contour, with a dot per step."""
    from adamlab.plot._runs import domain_box, prepare
    from adamlab.plot.contour_paths import draw_background, draw_tracks, marker_handles

    first = trajectories[0]
    f = first.objective
    labelled = {MODE_TEXT[t.optimizer.bias_correction]: t for t in trajectories}
    runs = prepare(labelled, domain_box(f), view="bias_ablation_paths")
    draw_background(f, ax)
    handles = draw_tracks(runs, ax, markers=True)
    # The first steps of every variant point the same way (−sign g), so paths overlap: Algorithm 1 is drawn
    # wide and pale underneath, "v only" dashed on top, so that both stay visible where they coincide.
    for (text, traj), line in zip(labelled.items(), handles):
        mode = traj.optimizer.bias_correction
        # The title states α: the legend names the variant, and keeps a divergence note if there is one.
        line.set_label(text + line.get_label().removeprefix(f"{text}: {traj.label}"))
        if mode == "both":
            line.set(lw=lw(4.0), alpha=0.45, zorder=2, marker="o", markersize=ms(1.1))
        elif mode == "v":
            line.set(linestyle=(0, (3, 1.5)), zorder=3.5)
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    steps = int(np.asarray(first.steps)[-1])
    if title is None:
        title = (
            f"4  The ablation as paths, α = {float(first.optimizer.lr):g}, {steps} steps\n"
            f"    {function_title(f)}"
        )
    set_title(ax, title, loc="left")
    if legend:
        any_diverged = any(t.diverged for run in runs for t in run.tracks)
        legend_outside(ax, handles + marker_handles(ax, any_diverged))
    return ax


# --------------------------------------------------------------------------------------- public views


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
    ax = draw_factors(
        ablation_data(beta1=beta1, beta2=beta2, steps=steps), new_axes(ax), annotate=annotate
    )
    fit_titles([ax])
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
    if moment not in ("m", "v"):
        raise ValueError(f"moment must be 'm' or 'v', not {moment!r}")
    data = moments_data(beta1, beta2, steps, gradient=gradient, mean=mean, noise=noise, seed=seed)
    ax = draw_moments(data, new_axes(ax), moment=moment)
    fit_titles([ax])
    return ax


def bias_ablation_steps(
    beta1=0.9, beta2=0.999, steps=3000, ax=None, *, lr=1e-3, grad=1.0, annotate=True
):
    """|Δθₜ|/α of ``Adam(bias_correction=...)``: none, m only, v only, both; constant gradient.

    Measured with ``step_with_info`` under gₜ = ``grad``. With the defaults: no correction 3.16 at
    t=1, about 6.5 near t=10, 1.26 at t=1000; m only 31.6 at t=1; v only 0.1 at t=1; both 1.
    The y range holds every curve (β₂ = 0.9999 puts "m only" at 100 on the first step). Curves that
    coincide (β₁ = 0) are drawn dashed over each other and say so in the legend. The ablation lines
    carry ``gid="ablation-<mode>"``; the legend's title names the optimizer.

    Returns the Axes.
    """
    data = ablation_data(lr=lr, beta1=beta1, beta2=beta2, steps=steps, grad=grad)
    ax = draw_ablation_steps(data, new_axes(ax), annotate=annotate)
    fit_titles([ax])
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
    trajectories = ablation_trajectories(objective, x0, steps, lr=lr, beta1=beta1, beta2=beta2)
    ax = draw_ablation_paths(trajectories, new_axes(ax, layout="compressed"), legend=legend)
    fit_titles([ax])
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
    ``lr``. Draws into ``fig`` when given (one without a layout engine is switched to the
    constrained layout), else into a new figure of size ``figsize``. Returns the Figure.
    """
    ablation = ablation_data(beta1=beta1, beta2=beta2, steps=steps)
    constant = moments_data(beta1, beta2, moment_steps, gradient="constant")
    noisy = moments_data(beta1, beta2, moment_steps, gradient="noisy", noise=noise, seed=seed)
    trajectories = ablation_trajectories(objective, x0, path_steps, lr=lr, beta1=beta1, beta2=beta2)

    fig = new_figure(figsize, fig)
    axd = fig.subplot_mosaic(
        [["factors", "const", "noisy"], ["ablation", "ablation", "paths"]],
        height_ratios=[1.0, 1.15],
    )
    draw_factors(ablation, axd["factors"])
    draw_moments(constant, axd["const"])
    draw_moments(noisy, axd["noisy"], title=rf"2b  … noisy gradient $g_t \sim N(1, {noise:g}^2)$")
    draw_ablation_steps(ablation, axd["ablation"])
    draw_ablation_paths(trajectories, axd["paths"], legend=False)
    lr = float(ablation.adam.lr)
    first = {m: float(abs(ablation.records[m]["delta"][0, 0])) / lr for m in ("none", "both")}
    fig.suptitle(
        f"Adam's bias correction, measured ({_betas(ablation.adam)}): without it the first step "
        f"is {_alpha(first['none'])} instead of {_alpha(first['both'])}"
    )
    fit_titles(list(axd.values()))
    return fig
