"""The bias-correction lab draws what Adam actually does (literal numbers from the paper's defaults)."""

import matplotlib.figure
import numpy as np
import pytest

from adamlab import plot
from adamlab.plot.contour_paths import PATH_GID

pytestmark = pytest.mark.usefixtures("plot_hygiene")


def line_by_gid(ax, gid):
    (line,) = [ln for ln in ax.get_lines() if ln.get_gid() == gid]
    return line


def test_ablation_step_over_alpha_at_t1_and_t10():
    ax = plot.bias_ablation_steps(steps=1000)
    y = {
        mode: line_by_gid(ax, f"ablation-{mode}").get_ydata() for mode in ("none", "m", "v", "both")
    }
    # t = 1: (1 - b1)/sqrt(1 - b2) = 0.1/sqrt(0.001); m only 1/sqrt(0.001); v only 0.1; both 1.
    np.testing.assert_allclose(y["none"][0], 3.1622776601683795, rtol=1e-6)
    np.testing.assert_allclose(y["m"][0], 31.622776601683793, rtol=1e-6)
    np.testing.assert_allclose(y["v"][0], 0.1, rtol=1e-6)
    np.testing.assert_allclose(y["both"][0], 1.0, rtol=1e-6)
    # Without correction the step grows to about 6.5 alpha near t = 10 and is still 1.26 at t = 1000.
    np.testing.assert_allclose(y["none"][9], 6.5279, rtol=1e-4)
    np.testing.assert_allclose(y["none"][999], 1.2576, rtol=1e-4)
    texts = [t.get_text() for t in ax.texts]
    for expected in ("3.16", "31.6", "0.1", "1", "6.53 at t=10"):
        assert expected in texts
    legend = ax.get_legend()
    labels = [t.get_text() for t in legend.get_texts()]
    assert labels == ["no correction", "m only", "v only", "both (Algorithm 1)"]
    # The optimizer (read from the object) names the legend; the title names the betas.
    assert legend.get_title().get_text() == "bias correction of Adam, α = 0.001"
    assert "β₁ = 0.9, β₂ = 0.999" in ax.get_title(loc="left")


def test_ablation_panel_holds_every_curve_when_beta2_is_0_9999():
    """Issue 8 item 14: with β₂ = 0.9999 "m only" starts at 100α (the old panel stopped at 80)."""
    ax = plot.bias_ablation_steps(beta2=0.9999, steps=300)
    m = line_by_gid(ax, "ablation-m").get_ydata()
    np.testing.assert_allclose(m[0], 100.0, rtol=1e-6)  # 1/sqrt(1 - 0.9999)
    np.testing.assert_allclose(line_by_gid(ax, "ablation-none").get_ydata()[0], 10.0, rtol=1e-6)
    lo, hi = ax.get_ylim()
    for mode in ("none", "m", "v", "both"):
        y = line_by_gid(ax, f"ablation-{mode}").get_ydata()
        assert lo < y.min() and y.max() < hi
    assert "100" in [t.get_text() for t in ax.texts]


def test_coinciding_ablation_curves_stay_visible_when_beta1_is_0():
    """With β₁ = 0 there is no m bias: "m only" is "no correction" and "both" is "v only". Each pair is
    drawn solid and dashed, and the legend says which is which (before, two lines vanished)."""
    ax = plot.bias_ablation_steps(beta1=0.0, steps=200)
    lines = {mode: line_by_gid(ax, f"ablation-{mode}") for mode in ("none", "m", "v", "both")}
    np.testing.assert_array_equal(lines["m"].get_ydata(), lines["none"].get_ydata())
    np.testing.assert_array_equal(lines["both"].get_ydata(), lines["v"].get_ydata())
    for first, second in (("none", "m"), ("v", "both")):
        assert lines[first].get_linestyle() == "-" and lines[second].get_linestyle() == "--"
        assert lines[second].get_zorder() > lines[first].get_zorder()  # the dashes on top
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [
        "no correction",
        "m only (= no correction)",
        "v only",
        "both (Algorithm 1) (= v only)",
    ]
    # With the default betas no two curves coincide and all are solid.
    ax = plot.bias_ablation_steps(steps=200)
    assert {
        line_by_gid(ax, f"ablation-{m}").get_linestyle() for m in ("none", "m", "v", "both")
    } == {"-"}


def test_factors_and_step_multiplier():
    ax = plot.bias_factors(steps=1000)
    f1, f2, mult = ax.get_lines()[:3]
    np.testing.assert_allclose(f1.get_ydata()[[0, 1]], [10.0, 1 / 0.19], rtol=1e-9)
    np.testing.assert_allclose(f2.get_ydata()[0], 1000.0, rtol=1e-9)
    # The multiplier sqrt(1 - b2^t)/(1 - b1^t): 0.316, 0.153, 0.309, 0.795 at t = 1, 10, 100, 1000.
    np.testing.assert_allclose(
        mult.get_ydata()[[0, 9, 99, 999]],
        [0.31622777, 0.15318907, 0.30856589, 0.79517581],
        rtol=1e-6,
    )
    assert ax.get_xscale() == ax.get_yscale() == "log"


def test_moments_constant_gradient():
    ax = plot.bias_moments(steps=30, gradient="constant")
    by_label = {ln.get_label(): ln for ln in ax.get_lines()}
    m, m_hat = by_label["$m_t$ (biased towards 0)"], by_label[r"$\hat m_t = m_t/(1-\beta_1^t)$"]
    np.testing.assert_allclose(m.get_ydata()[:3], [0.1, 0.19, 0.271])
    np.testing.assert_allclose(m_hat.get_ydata(), np.ones(30))


def test_moments_noisy_gradient_shows_samples_running_mean_and_truth():
    ax = plot.bias_moments(steps=40, gradient="noisy", noise=1.0, seed=3)
    samples, running = ax.get_lines()[:2]
    g = samples.get_ydata()
    np.testing.assert_allclose(running.get_ydata(), np.cumsum(g) / np.arange(1, 41))
    by_label = {ln.get_label(): ln.get_ydata() for ln in ax.get_lines()}
    m = by_label["$m_t$ (biased towards 0)"]
    np.testing.assert_allclose(m[0], 0.1 * g[0])  # m_1 = (1 - beta1) g_1: biased towards 0
    m_hat = by_label[r"$\hat m_t = m_t/(1-\beta_1^t)$"]
    np.testing.assert_allclose(m_hat[0], g[0])  # m_hat_1 = g_1


def test_ablation_paths_start_together_and_differ():
    ax = plot.bias_ablation_paths("himmelblau", [0.0, 0.0], 25, lr=0.1)
    lines = [ln for ln in ax.get_lines() if ln.get_gid() == PATH_GID]
    assert [ln.get_label() for ln in lines] == [
        "both (Algorithm 1)",
        "no correction",
        "m only",
        "v only",
    ]
    # Algorithm 1 lies under the other paths where they coincide: it is drawn wider, "v only" dashed.
    assert lines[0].get_linewidth() > 2 * lines[3].get_linewidth()
    assert lines[3].get_linestyle() != "-"
    firsts = np.array([ln.get_xydata()[1] for ln in lines])
    np.testing.assert_array_equal(np.array([ln.get_xydata()[0] for ln in lines]), 0.0)
    # First step lengths per coordinate: lr x (1, 3.16, 31.6, 0.1).
    np.testing.assert_allclose(
        np.abs(firsts), 0.1 * np.array([[1.0], [3.1623], [31.623], [0.1]]) * [1, 1], rtol=1e-4
    )


def test_bias_lab_figure():
    fig = plot.bias_lab(steps=200, path_steps=20, moment_steps=20)
    assert isinstance(fig, matplotlib.figure.Figure)
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert [t[:2] for t in titles] == ["1 ", "2 ", "2b", "3 ", "4 "]
    # The headline is measured: uncorrected Adam's first step is (1 - β₁)/√(1 - β₂) = 3.16α.
    assert fig.get_suptitle().endswith("the first step is 3.16α instead of α")
    fig = plot.bias_lab(beta1=0.9, beta2=0.9, steps=50, path_steps=5, moment_steps=5)
    assert fig.get_suptitle().endswith("the first step is 0.316α instead of α")
