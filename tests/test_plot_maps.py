"""Basin maps and sweep heatmaps show every run, coloured by what that run did."""

import dataclasses

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgba

import adamlab
from adamlab import plot
from adamlab.plot.basins import DIVERGED_COLOR, NO_MINIMUM_COLOR

pytestmark = pytest.mark.usefixtures("plot_hygiene")


@pytest.fixture(scope="module")
def basins():
    bm = adamlab.basins(adamlab.Adam(lr=0.1), "himmelblau", resolution=16, steps=150)
    # Two hand-made classes on top of the real ones: a diverged start and a start that found none.
    label = bm.label.copy()
    label[0, 0], label[0, 1] = -2, -1
    return dataclasses.replace(bm, label=label)


def test_basin_map_pixels_have_the_colour_of_the_minimum_reached(basins):
    ax = plot.basin_map(basins)
    image = ax.images[0].get_array()
    assert image.shape == basins.label.shape + (4,)
    handles = ax.get_legend().legend_handles
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    k = len(basins.minima)
    assert len(handles) == k + 2
    for j in range(k):
        colour = np.array(handles[j].get_facecolor())
        mask = basins.label == j
        assert mask.any()
        np.testing.assert_allclose(image[mask], np.broadcast_to(colour, image[mask].shape))
        share = mask.mean()
        assert texts[j].endswith(f": {share:.0%}")
    np.testing.assert_allclose(image[0, 0], to_rgba(DIVERGED_COLOR))
    np.testing.assert_allclose(image[0, 1], to_rgba(NO_MINIMUM_COLOR))
    assert texts[k].startswith("no known minimum") and texts[k + 1].startswith("diverged")
    # Distinct colours for distinct classes, and the minima marked in their colour.
    assert len({tuple(h.get_facecolor()) for h in handles}) == k + 2
    stars = [ln for ln in ax.get_lines() if ln.get_marker() == "*"]
    np.testing.assert_allclose(np.array([s.get_xydata()[0] for s in stars]), basins.minima)
    # Rows follow ys, columns xs (origin lower).
    assert ax.images[0].origin == "lower"
    x0, x1, y0, y1 = ax.images[0].get_extent()
    assert x0 < basins.xs[0] < basins.xs[-1] < x1 and y0 < basins.ys[0] < basins.ys[-1] < y1


@pytest.fixture(scope="module")
def sweep():
    return adamlab.sweep(
        adamlab.Momentum(),
        "rosenbrock",
        np.array([-1.5, 2.0]),
        150,
        lr=np.logspace(-5, -2, 7),
        momentum=np.linspace(0.0, 0.9, 4),
        value_tol=1.0,
    )


def test_sweep_heatmap_cells_are_the_sweep_data_and_divergence_is_marked(sweep):
    assert sweep.diverged.any() and not sweep.diverged.all()  # the premise
    ax = plot.sweep_heatmap(sweep)
    mesh = ax.collections[0]
    cells = mesh.get_array().reshape(4, 7)  # rows: momentum, columns: lr
    f_star = sweep.objective.min_value
    expected = np.ma.masked_array((sweep.final_value - f_star).T, mask=sweep.diverged.T)
    np.testing.assert_array_equal(np.ma.getmaskarray(cells), expected.mask)
    np.testing.assert_allclose(cells.compressed(), expected.compressed())
    # Each diverged run: a black cell with a white cross at its centre.
    (crosses,) = [ln for ln in ax.get_lines() if ln.get_marker() == "x"]
    lr_i, mom_i = np.nonzero(sweep.diverged)
    np.testing.assert_allclose(crosses.get_xdata(), sweep.values[0][lr_i])
    np.testing.assert_allclose(crosses.get_ydata(), sweep.values[1][mom_i])
    assert f"diverged ({sweep.diverged.sum()})" in [
        t.get_text() for t in ax.get_legend().get_texts()
    ]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "linear"
    assert ax.get_xlabel() == r"learning rate $\alpha$" and ax.get_ylabel() == r"momentum $\mu$"


def test_sweep_title_leaves_out_the_swept_hyperparameters(sweep):
    """Issue 8 item 14: not "Momentum(lr=0.01)" when lr is the swept axis."""
    ax = plot.sweep_heatmap(sweep)
    assert ax.get_title() == "Momentum on Rosenbrock, 150 steps per run"
    res = adamlab.sweep(
        adamlab.Adam(beta1=0.5), "sphere", np.ones(2), 5, lr=np.array([0.1, 0.2])
    )  # beta1 not swept: it stays in the title, in the paper's symbols
    assert plot.sweep_heatmap(res).get_title() == "Adam, β₁ = 0.5 on Sphere, 5 steps per run"


@pytest.fixture(scope="module")
def with_and_without_correction():
    grid = dict(lr=np.logspace(-3, 0, 4), beta2=np.array([0.9, 0.99, 0.999]))
    x0 = np.array([-1.5, 2.0])
    return [
        adamlab.sweep(adamlab.Adam(), "rosenbrock", x0, 40, **grid),
        adamlab.sweep(adamlab.Adam(bias_correction="none"), "rosenbrock", x0, 40, **grid),
    ]


def test_two_sweeps_share_one_colour_scale(with_and_without_correction):
    """Issue 8 item 14: one colour means one final loss in both panels (bias correction on and off)."""
    a, b = with_and_without_correction
    gaps = np.concatenate([a.final_value.ravel(), b.final_value.ravel()])  # f* = 0 on Rosenbrock
    fig = plot.sweep_heatmaps({"with": a, "without": b})
    left, right = fig.axes[:2]
    assert left.get_title() == "with" and right.get_title() == "without"
    meshes = [left.collections[0], right.collections[0]]
    assert meshes[0].norm is meshes[1].norm is left.adamlab_norm is right.adamlab_norm
    norm = meshes[0].norm
    np.testing.assert_allclose([norm.vmin, norm.vmax], [gaps.min(), gaps.max()])
    # The same value has the same colour in both panels: the colour of each cell is its own value's.
    for mesh, res in zip(meshes, (a, b)):
        np.testing.assert_allclose(mesh.get_array().reshape(3, 4), res.final_value.T)
        np.testing.assert_allclose(
            mesh.to_rgba(mesh.get_array()), mesh.cmap(norm(mesh.get_array()))
        )
    assert len(fig.axes) == 3  # two panels and one colour bar


def test_sweep_heatmap_takes_a_norm_or_limits(with_and_without_correction):
    a, b = with_and_without_correction
    norm = plot.sweep_norm([a, b])
    ax = plot.sweep_heatmap(a, norm=norm, colorbar=False)
    assert ax.collections[0].norm is norm and len(ax.figure.axes) == 1
    ax = plot.sweep_heatmap(a, vmin=1e-3, vmax=10.0)
    assert (ax.adamlab_norm.vmin, ax.adamlab_norm.vmax) == (1e-3, 10.0)
    own = plot.sweep_heatmap(a).adamlab_norm  # by default, this sweep's own range
    np.testing.assert_allclose([own.vmin, own.vmax], [a.final_value.min(), a.final_value.max()])


def test_sweep_heatmap_steps_to_tolerance_hatches_runs_that_never_got_there(sweep):
    ax = plot.sweep_heatmap(sweep, metric="steps_to_tol")
    cells = ax.collections[0].get_array().reshape(4, 7)
    reached = (sweep.steps_to_tol >= 0).T
    assert reached.any() and not reached.all()
    np.testing.assert_array_equal(cells[reached], sweep.steps_to_tol.T[reached])
    assert np.ma.getmaskarray(cells)[~reached].all()
    (hatched,) = [c for c in ax.collections if c.get_gid() == "missing"]
    assert hatched.get_hatch() == "//"
    assert len(hatched.get_paths()) == int((~reached.T & ~sweep.diverged).sum())
    # Steps are whole numbers.
    numbers = [t.get_text() for t in ax.texts]
    assert numbers and all(n.isdigit() for n in numbers)


def test_sweep_heatmap_one_hyperparameter():
    res = adamlab.sweep(
        adamlab.SGD(), "rosenbrock", np.array([-1.5, 2.0]), 50, lr=np.logspace(-4, -1, 6)
    )
    ax = plot.sweep_heatmap(res)
    line = ax.get_lines()[0]
    np.testing.assert_allclose(line.get_xdata(), res.values[0])
    ok = ~res.diverged
    np.testing.assert_allclose(line.get_ydata()[ok], res.final_value[ok] - 0.0)
    assert np.isnan(line.get_ydata()[~ok]).all()


def test_basin_map_of_a_function_without_minima():
    """A saddle has no minimum: every start is "no known minimum" (or diverged), drawn, not a crash."""
    bm = adamlab.basins(adamlab.Adam(lr=0.1), "saddle", resolution=6, steps=10)
    ax = plot.basin_map(bm)
    image = ax.images[0].get_array()
    assert image.shape[:2] == (6, 6)
    assert set(np.unique(bm.label)) <= {-1, -2}
    plt.close(ax.figure)
