"""The trajectory views draw exactly the recorded data: paths, 3-D, loss curves, step sizes, arrows."""

import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
import pytest

import adamlab
from adamlab import plot
from adamlab.plot.contour_paths import PATH_GID

pytestmark = pytest.mark.usefixtures("plot_hygiene")


def path_lines(ax):
    return [line for line in ax.get_lines() if line.get_gid() == PATH_GID]


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


@pytest.fixture(scope="module")
def race():
    optimizers = {
        "Adam": adamlab.Adam(lr=0.1),
        "SGD": adamlab.SGD(lr=0.01),
        "Momentum": adamlab.Momentum(lr=0.005),
    }
    return adamlab.compare(optimizers, "himmelblau", np.array([0.0, 0.0]), 40)


@pytest.fixture(scope="module")
def diverging():
    traj = adamlab.run(adamlab.SGD(lr=0.01), "rosenbrock", np.array([-1.5, 2.0]), 40)
    assert bool(traj.diverged)  # the premise of the divergence tests
    return traj


def test_import_adamlab_does_not_import_matplotlib():
    code = (
        "import sys, numpy as np, adamlab\n"
        "adamlab.run(adamlab.Adam(lr=0.1), 'himmelblau', np.zeros(2), 5)\n"
        "assert 'matplotlib' not in sys.modules, sorted(m for m in sys.modules if 'matplotlib' in m)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_colors_one_per_optimizer_and_variants_distinct():
    six = ["Adam", "AdaMax", "RMSProp", "AdaGrad", "Momentum", "SGD"]
    assert len({plot.colors[name] for name in six}) == 6
    # Adam's variants have fixed colours of their own, distinct from the six and from the variant cycle.
    ten = six + ["AMSGrad", "AdamW", "AdamEpsHat", "NAdam"]
    fixed = [plot.colors[name] for name in ten]
    assert len(set(fixed)) == 10 and not set(fixed) & set(plot.colors.variants)
    for cls in (adamlab.AMSGrad, adamlab.AdamW, adamlab.AdamEpsHat, adamlab.NAdam):
        assert plot.colors(cls()) == plot.colors[cls.__name__]
    assert plot.colors(adamlab.Adam(lr=0.3)) == plot.colors["Adam"]
    labels = ["Adam(lr=0.1)", "Adam(lr=0.01)", "Adam(lr=0.001)", "SGD(lr=0.01)", "Adam(lr=0.1)"]
    assigned = plot.colors.assign(labels)
    assert assigned[0] == assigned[4] == plot.colors["Adam"]
    assert assigned[3] == plot.colors["SGD"]
    assert len(set(assigned[:4])) == 4


def test_paths_draw_the_recorded_params_with_repr_labels(race):
    ax = plot.paths(race)
    lines = path_lines(ax)
    assert [line.get_label() for line in lines] == [t.label for t in race.values()]
    for line, traj in zip(lines, race.values()):
        np.testing.assert_array_equal(line.get_xydata(), traj.params)
    # One colour per optimizer, the class colour.
    assert [line.get_color() for line in lines] == [plot.colors[k] for k in race]
    assert legend_texts(ax)[:3] == ["Adam(lr=0.1)", "SGD(lr=0.01)", "Momentum(lr=0.005)"]
    f = adamlab.functions.get("himmelblau")
    assert ax.get_xlim() == tuple(f.domain[0]) and ax.get_ylim() == tuple(f.domain[1])


def test_paths_draws_into_a_given_axes_and_returns_it(race):
    fig, ax = plt.subplots()
    assert plot.paths(race["Adam"], ax=ax) is ax
    assert len(path_lines(ax)) == 1


def test_a_diverged_run_is_drawn_as_diverged(diverging):
    ax = plot.paths(diverging)
    (line,) = path_lines(ax)
    t_div = int(diverging.diverged_at)
    kept = diverging.steps < t_div
    np.testing.assert_array_equal(line.get_xydata(), diverging.params[kept])
    assert line.get_label() == f"SGD(lr=0.01) (diverged at t={t_div})"
    crosses = [ln for ln in ax.get_lines() if ln.get_marker() == "X" and len(ln.get_xdata())]
    assert len(crosses) == 1
    # The cross sits where the path leaves the domain, on the domain's border.
    (x, y) = crosses[0].get_xydata()[0]
    f = diverging.objective
    assert f.domain[0, 0] <= x <= f.domain[0, 1] and f.domain[1, 0] <= y <= f.domain[1, 1]
    assert ax.get_xlim() == tuple(f.domain[0])  # limits from the domain, not the blown-up path


def test_a_batch_of_starts_is_one_legend_entry_and_one_line_per_start():
    starts = np.array([[0.0, 0.0], [-2.0, 2.0], [1.0, -3.0]])
    traj = adamlab.run(adamlab.Adam(lr=0.1), "himmelblau", starts, 30)
    ax = plot.paths(traj)
    lines = path_lines(ax)
    assert len(lines) == 3
    for k, line in enumerate(lines):
        np.testing.assert_array_equal(line.get_xydata(), traj.params[:, k])
    assert legend_texts(ax).count("Adam(lr=0.1)") == 1


def test_loss_curves_are_the_values_on_a_log_axis(race, diverging):
    ax = plot.loss_curves(race, kind="value")
    assert ax.get_yscale() == "log"
    for line, traj in zip(ax.get_lines(), race.values()):
        np.testing.assert_array_equal(line.get_xdata(), traj.steps)
        np.testing.assert_array_equal(line.get_ydata(), traj.values)
    ax = plot.loss_curves(race, kind="distance")
    for line, traj in zip(ax.get_lines(), race.values()):
        np.testing.assert_allclose(line.get_ydata(), traj.distance_to_minimum())
    ax = plot.loss_curves(diverging, kind="gap")
    line = ax.get_lines()[0]
    kept = diverging.steps < int(diverging.diverged_at)
    np.testing.assert_array_equal(line.get_ydata(), diverging.values[kept] - 0.0)
    assert "diverged at t=" in line.get_label()


def test_loss_values_below_zero_are_drawn_as_the_gap_to_the_minimum():
    traj = adamlab.run(adamlab.Adam(lr=0.05), "six_hump_camel", np.array([-1.5, 0.5]), 40)
    f = traj.objective
    assert f.min_value < 0 and (traj.values < 0).any()
    ax = plot.loss_curves(traj)
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), traj.values - f.min_value)
    assert "f^*" in ax.get_ylabel()
    assert ax.get_yscale() == "log"


def test_surface3d_lifts_the_path_onto_the_surface(race):
    ax = plot.surface3d("himmelblau", race["Adam"], log=False)
    assert ax.name == "3d"
    (line,) = [ln for ln in ax.get_lines() if ln.get_gid() == PATH_GID]
    xs, ys, zs = line.get_data_3d()
    traj = race["Adam"]
    np.testing.assert_array_equal(np.c_[xs, ys], traj.params)
    np.testing.assert_allclose(zs - zs[0], traj.values - traj.values[0])


def test_surface3d_of_recorded_runs_uses_their_objective(race):
    """Issue 8 item 15: surface3d(traj) works (the objective comes from the run)."""
    ax = plot.surface3d(race["Adam"], log=False, resolution=12)
    (line,) = [ln for ln in ax.get_lines() if ln.get_gid() == PATH_GID]
    np.testing.assert_array_equal(np.c_[line.get_data_3d()[:2]], race["Adam"].params)
    assert ax.get_title() == "Himmelblau"
    ax = plot.surface3d(race, resolution=12)  # the dict from compare
    assert len([ln for ln in ax.get_lines() if ln.get_gid() == PATH_GID]) == 3
    texts = [t.get_text() for t in ax.figure.legends[0].get_texts()]
    assert texts[:3] == [t.label for t in race.values()]
    ax = plot.surface3d(race["Adam"], "booth", resolution=12)  # runs first, another surface
    assert ax.get_title() == "Booth"
    assert plot.surface3d("rosenbrock", resolution=12).get_lines()  # the surface alone: its minimum


def test_paths_of_a_function_says_what_it_needs():
    """Issue 8 item 15: paths("rosenbrock") explains that it draws runs, and how to get one."""
    for thing in ("rosenbrock", adamlab.functions.get("rosenbrock")):
        with pytest.raises(TypeError, match=r"adamlab\.run\(.*plot\.contour\('rosenbrock'\)"):
            plot.paths(thing)
    with pytest.raises(TypeError, match="loss_curves draws recorded runs"):
        plot.loss_curves("beale")
    with pytest.raises(TypeError, match="got int"):
        plot.paths([3])
    assert plot.contour("rosenbrock").get_title().startswith("Rosenbrock\n")


def test_titles_are_written_for_people(race):
    """No reprs in titles: names as a person writes them, hyperparameters in the paper's symbols."""
    titles = {
        "paths": plot.paths(race).get_title(),
        "loss": plot.loss_curves(race).get_title(),
        "arrows": plot.update_arrows(race["Adam"], [2]).get_title(),
        "quadratic": plot.loss_curves(
            adamlab.run(adamlab.SGD(), adamlab.functions.get("quadratic", kappa=100), [1.0, 1.0], 5)
        ).get_title(),
    }
    assert titles["paths"] == "Himmelblau: 40 steps"
    assert titles["loss"] == "Himmelblau"
    assert titles["arrows"] == "Update decomposition, Himmelblau"
    assert titles["quadratic"] == "Quadratic, κ = 100"
    for title in titles.values():
        assert "()" not in title and "object at" not in title and "kappa" not in title


def legend_rows(legend):
    """The legend's entries as a reader sees them, row by row (matplotlib stores them by column)."""
    texts = [t.get_text() for t in legend.get_texts()]
    ncol = legend._ncols
    nrow = len(texts) // ncol
    assert nrow * ncol == len(texts)  # full rows: groups are padded with blank entries
    return [[texts[c * nrow + r] for c in range(ncol)] for r in range(nrow)]


def test_race_figure_has_paths_and_loss_curves_and_one_legend(race):
    fig = plot.race_figure(race)
    left, right = fig.axes[:2]
    assert len(path_lines(left)) == 3 and len(right.get_lines()) == 3
    (legend,) = fig.legends
    rows = legend_rows(legend)
    # The optimizers first, in order and row by row; the markers on rows of their own.
    assert rows[0] == [t.label for t in race.values()]
    assert rows[1][:2] == ["start", "end"]
    assert left.get_legend() is None and right.get_legend() is None


def test_race_figure_with_six_optimizers_lists_them_in_two_rows_of_three():
    f = adamlab.functions.get("beale")
    six = [adamlab.SGD(lr=0.03), adamlab.Momentum(lr=0.003), adamlab.AdaGrad(lr=1.0)]
    six += [adamlab.RMSProp(lr=0.01), adamlab.Adam(lr=0.3), adamlab.AdaMax(lr=1.0)]
    fig = plot.race_figure(adamlab.compare(six, f, f.start, 10))
    rows = legend_rows(fig.legends[0])
    assert rows[:2] == [[repr(o) for o in six[:3]], [repr(o) for o in six[3:]]]
    assert "start" in rows[2]


def test_step_sizes_draw_info_per_coordinate_and_show_equalisation():
    f = adamlab.functions.get("quadratic", kappa=100, angle=0)
    optimizers = {
        "Adam": adamlab.Adam(lr=0.05),
        "RMSProp": adamlab.RMSProp(lr=0.05),
        "AdaGrad": adamlab.AdaGrad(lr=0.5),
        "AdaMax": adamlab.AdaMax(lr=0.05),
    }
    runs = adamlab.compare(optimizers, f, np.array([3.0, 2.0]), 20)
    left, right = plot.step_sizes(runs)
    for ax, field in ((left, "step_size"), (right, "delta")):
        lines = ax.get_lines()
        assert len(lines) == 8  # 4 optimizers x 2 coordinates
        for k, traj in enumerate(runs.values()):
            for i in range(2):
                line = lines[2 * k + i]
                np.testing.assert_array_equal(line.get_xdata(), traj.steps[1:])
                np.testing.assert_array_equal(line.get_ydata(), np.abs(traj.info[field][1:, i]))
                assert line.get_linestyle() == ("-" if i == 0 else "--")
    # What the picture shows: Adam's first step is lr in both coordinates although the gradients
    # (and hence the step sizes) differ by kappa * 2/3 ~ 67.
    adam = runs["Adam"]
    np.testing.assert_allclose(np.abs(adam.info["delta"][1]), [0.05, 0.05], rtol=1e-6)
    ratio = adam.info["step_size"][1, 0] / adam.info["step_size"][1, 1]
    np.testing.assert_allclose(ratio, 200.0 / 3.0, rtol=1e-6)


def test_update_arrows_start_at_the_previous_point_and_show_g_mhat_delta():
    traj = adamlab.run(adamlab.Adam(lr=0.1), "himmelblau", np.array([0.0, 0.0]), 20)
    ax = plot.update_arrows(traj, [1, 5, 10], scale=(0.01, 1.0))
    quivers = [c for c in ax.collections if type(c).__name__ == "Quiver"]
    assert len(quivers) == 3  # -g, -m_hat, delta
    grad, moment, delta = quivers
    idx = [1, 5, 10]
    np.testing.assert_allclose(delta.get_offsets(), traj.params[[0, 4, 9]], atol=1e-12)
    np.testing.assert_allclose(np.c_[grad.U, grad.V], -0.01 * traj.grads[idx])
    np.testing.assert_allclose(np.c_[moment.U, moment.V], -0.01 * traj.info["m_hat"][idx])
    np.testing.assert_allclose(np.c_[delta.U, delta.V], traj.params[idx] - traj.params[[0, 4, 9]])
    assert any("×0.01" in t for t in legend_texts(ax))
    with pytest.raises(ValueError, match="not recorded"):
        plot.update_arrows(traj, [50])


def test_plane_views_refuse_other_dimensions_and_curves_accept_them():
    traj = adamlab.run(adamlab.Adam(lr=0.1), adamlab.functions.get("sphere", dim=3), np.ones(3), 10)
    with pytest.raises(ValueError, match="3-D parameters"):
        plot.paths(traj)
    ax = plot.loss_curves(traj)
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), traj.values)
    assert len(plot.step_sizes(traj)[0].get_lines()) == 3


def test_dict_keys_are_kept_only_when_they_add_information(race):
    adam = race["Adam"]
    ax = plot.loss_curves({"Adam": adam, "Adam(lr=0.1) #2": adam, "tuned": adam})
    assert [ln.get_label() for ln in ax.get_lines()] == [
        "Adam(lr=0.1)",
        "Adam(lr=0.1) #2",
        "tuned: Adam(lr=0.1)",
    ]
    colours = [ln.get_color() for ln in ax.get_lines()]
    assert colours[0] == plot.colors["Adam"] and len(set(colours)) == 3


def test_every_view_returns_what_it_drew(race):
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    adam = race["Adam"]
    assert isinstance(plot.paths(race), Axes)
    assert isinstance(plot.loss_curves(race), Axes)
    assert isinstance(plot.surface3d("himmelblau", race, resolution=10), Axes)
    assert isinstance(plot.contour("himmelblau", resolution=10), Axes)
    assert isinstance(plot.update_arrows(adam, [2]), Axes)
    assert all(isinstance(a, Axes) for a in plot.step_sizes(race))
    assert isinstance(plot.race_figure(race), Figure)
    fig = plt.figure(layout="constrained")
    assert plot.race_figure(race, fig=fig) is fig
    fig, (a, b) = plt.subplots(1, 2)
    assert list(plot.step_sizes(race, ax=[a, b])) == [a, b]
    assert list(plot.step_sizes(race, ax=a)) == [a]
    for name in ("bias_factors", "bias_moments", "bias_ablation_steps"):
        fig, ax = plt.subplots()
        assert getattr(plot, name)(steps=20, ax=ax) is ax
