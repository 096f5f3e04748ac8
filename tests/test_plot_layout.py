"""Every figure reads cleanly, on screen and on a projector: no clipped text, no legend over data.

The checks (tests/figure_checks.py) measure the drawn figure in pixels: every text inside the figure,
titles clear of other text, and each legend inside the figure and clear of every line, marker, map,
cell and text. They run for each view with six optimizers, in the default style and inside
``plot.slides()``.
"""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

import adamlab
from adamlab import plot
from tests.figure_checks import problems

pytestmark = pytest.mark.usefixtures("plot_hygiene")

SIX = {  # the demo's race (adamlab demo), shorter
    "SGD": adamlab.SGD(lr=0.03),
    "Momentum": adamlab.Momentum(lr=0.003),
    "AdaGrad": adamlab.AdaGrad(lr=1.0),
    "RMSProp": adamlab.RMSProp(lr=0.01),
    "Adam": adamlab.Adam(lr=0.3),
    "AdaMax": adamlab.AdaMax(lr=1.0),
}


@pytest.fixture(scope="module")
def data():
    f = adamlab.functions.get("beale")
    runs = adamlab.compare(SIX, f, f.start, 60)
    grid = dict(lr=np.logspace(-3, 0, 7), beta2=np.array([0.9, 0.99, 0.999]))  # 7 narrow columns
    x0 = np.array([-1.5, 2.0])
    return {
        "f": f,
        "runs": runs,
        "momentum_sweep": adamlab.sweep(
            adamlab.Momentum(),
            "rosenbrock",
            x0,
            60,
            lr=np.logspace(-5, -2, 4),
            momentum=np.array([0.0, 0.5, 0.9]),
            value_tol=1.0,
        ),
        "adam": adamlab.sweep(adamlab.Adam(), "rosenbrock", x0, 60, **grid),
        "uncorrected": adamlab.sweep(
            adamlab.Adam(bias_correction="none"), "rosenbrock", x0, 60, **grid
        ),
        "basins": adamlab.basins(adamlab.Adam(lr=0.1), "himmelblau", resolution=6, steps=30),
        "quadratic": adamlab.compare(
            {"Adam": adamlab.Adam(lr=0.05), "SGD": adamlab.SGD(lr=0.01)},
            adamlab.functions.get("quadratic", kappa=100, angle=0),
            np.array([3.0, 2.0]),
            30,
        ),
        "one": adamlab.run(adamlab.Adam(lr=0.1), "himmelblau", np.zeros(2), 30),
    }


VIEWS = {
    "race_figure": lambda d: plot.race_figure(d["runs"], d["f"]),
    "paths": lambda d: plot.paths(d["runs"]).figure,
    "loss_curves": lambda d: plot.loss_curves(d["runs"]).figure,
    "surface3d": lambda d: plot.surface3d(d["runs"], resolution=20).figure,
    "bias_lab": lambda d: plot.bias_lab(steps=200, path_steps=15, moment_steps=30),
    "bias_steps_beta2_0.9999": lambda d: plot.bias_ablation_steps(beta2=0.9999, steps=300).figure,
    "bias_steps_beta1_0": lambda d: plot.bias_ablation_steps(beta1=0.0, steps=300).figure,
    "bias_factors_beta2_0.9999": lambda d: plot.bias_factors(beta2=0.9999, steps=300).figure,
    "bias_moments_noisy_v": lambda d: plot.bias_moments(gradient="noisy", moment="v").figure,
    "sweep_heatmap": lambda d: plot.sweep_heatmap(d["momentum_sweep"]).figure,
    "sweep_heatmap_steps": lambda d: (
        plot.sweep_heatmap(d["momentum_sweep"], metric="steps_to_tol").figure
    ),
    "sweep_heatmaps": lambda d: plot.sweep_heatmaps(
        {"Adam": d["adam"], "Adam without bias correction": d["uncorrected"]}
    ),
    "basin_map": lambda d: plot.basin_map(d["basins"]).figure,
    "step_sizes": lambda d: plot.step_sizes(d["quadratic"])[0].figure,
    "update_arrows": lambda d: plot.update_arrows(d["one"], [5, 20]).figure,
    "contour": lambda d: plot.contour("rosenbrock", resolution=40).figure,
}


# On a projector: every view but the single bias panels, which bias_lab draws again.
SLIDES = [v for v in VIEWS if not v.startswith(("bias_steps", "bias_factors", "bias_moments"))]
CASES = [(v, "default") for v in VIEWS] + [(v, "slides") for v in SLIDES]


@pytest.mark.parametrize("view, style", CASES)
def test_figure_reads_cleanly(view, style, data):
    context = plot.slides() if style == "slides" else matplotlib.rc_context({})
    with context:
        fig = VIEWS[view](data)
        found = problems(fig)
    plt.close(fig)
    assert not found, "\n".join(found)


def test_the_checks_see_a_legend_over_data_and_a_clipped_title():
    """The checks above can fail: a legend put on a line and a title wider than its figure."""
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1], [0, 1], label="diagonal")
    ax.legend(loc="center")
    ax.set_title("a title far too long to fit in a figure four inches wide, clipped at both ends")
    found = problems(fig)
    assert any("covers the line 'diagonal'" in p for p in found)
    assert any("clipped by the figure's edge" in p for p in found)
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.imshow(np.zeros((3, 3)))
    ax.plot([0], [0], "o", label="point")
    ax.legend(loc="upper right")
    assert any("covers the map" in p for p in problems(fig))


def test_the_race_legend_sits_below_both_x_axes(data):
    fig = plot.race_figure(data["runs"], fig=plt.figure(figsize=(12, 5)))  # no layout engine given
    fig.canvas.draw()
    (legend,) = fig.legends
    top = legend.get_window_extent().y1
    for ax in fig.axes:
        assert top <= ax.xaxis.get_tightbbox().y0 + 1.0  # under the tick labels and the x label


def test_slides_make_text_and_lines_larger_inside_the_block_only(data):
    def sizes():
        ax = plot.paths(data["runs"])
        lines = [ln for ln in ax.get_lines() if ln.get_gid() == "adamlab-path"]
        legend = ax.get_legend().get_texts()[0].get_fontsize()
        return ax.xaxis.label.get_fontsize(), legend, lines[0].get_linewidth()

    before = dict(matplotlib.rcParams)
    normal = sizes()
    with plot.slides():
        large = sizes()
    assert dict(matplotlib.rcParams) == before
    assert large[0] >= 1.5 * normal[0] and large[1] >= 1.3 * normal[1]
    assert large[2] >= 1.8 * normal[2]
    assert sizes() == normal


def test_make_figures_writes_png_and_svg_for_slides(tmp_path):
    """Issue 10: one command writes the key figures for slides (make figures)."""
    import importlib.util
    from pathlib import Path

    from PIL import Image

    script = Path(__file__).resolve().parents[1] / "scripts" / "make_figures.py"
    spec = importlib.util.spec_from_file_location("make_figures", script)
    figures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(figures)
    written = figures.main(["--out", str(tmp_path), "--only", "step-sizes"])
    assert [p.name for p in written] == ["step-sizes.png", "step-sizes.svg"]
    with Image.open(written[0]) as image:
        assert image.width == 12.5 * 150  # the figure's 12.5 inches at the slides' 150 dpi
    assert written[1].read_text().lstrip().startswith("<?xml")
    with pytest.raises(SystemExit):
        figures.main(["--out", str(tmp_path), "--only", "no-such-figure"])
