"""Animation (GIF frames, Jupyter HTML) and the ipywidgets explorer."""

import sys
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

import adamlab
from adamlab import plot
from adamlab.plot.contour_paths import PATH_GID

pytestmark = pytest.mark.usefixtures("plot_hygiene")


@pytest.fixture(scope="module")
def race():
    optimizers = {"Adam": adamlab.Adam(lr=0.1), "SGD": adamlab.SGD(lr=0.05)}  # SGD diverges
    runs = adamlab.compare(optimizers, "himmelblau", np.array([0.0, 0.0]), 30)
    assert bool(runs["SGD"].diverged)
    return runs


def test_gif_has_the_requested_number_of_frames(race, tmp_path):
    path = tmp_path / "race.gif"
    anim = plot.animate(race, frames=6, fps=5, path=path, dpi=40, trim=False)
    assert anim.frame_times.tolist() == [0, 6, 12, 18, 24, 30]
    with Image.open(path) as gif:
        assert gif.n_frames == 6
        assert gif.info["duration"] == 200  # 5 frames per second


def test_frames_follow_the_trajectory(race):
    anim = plot.animate(race, frames=4, trim=False)
    lines = [ln for ln in anim._fig.axes[0].get_lines() if ln.get_gid() == PATH_GID]
    adam = race["Adam"]
    anim._func(2)  # the frame at t = 20
    np.testing.assert_array_equal(lines[0].get_xydata(), adam.params[:21])
    sgd = race["SGD"]
    t_div = int(sgd.diverged_at)
    np.testing.assert_array_equal(lines[1].get_xydata(), sgd.params[:t_div])
    assert lines[1].get_label() == f"SGD(lr=0.05) (diverged at t={t_div})"


def test_frames_are_capped_at_one_per_step(race):
    assert plot.animation.frame_times(3, 10).tolist() == [0, 1, 2, 3]
    anim = plot.animate(race["Adam"], frames=500, trim=False)
    assert len(anim.frame_times) == 31


def test_an_animation_leaves_no_figure_behind(race):
    """Issue 8 item 11: a notebook cell that builds an animation must not also show a still.

    Jupyter's inline backend shows every figure pyplot holds at the end of a cell; the animation's
    figure is not one of them, neither after building, nor after saving or rendering the player.
    """
    before = plt.get_fignums()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nor a warning when the unused animation is deleted
        anim = plot.animate(race, frames=3, dpi=30)
        assert plt.get_fignums() == before
        html = plot.animation_html(anim)
        assert plt.get_fignums() == before
        assert anim._fig not in [
            m.canvas.figure for m in plt._pylab_helpers.Gcf.get_all_fig_managers()
        ]
        # As the last value of a cell the animation shows itself as a looping GIF.
        assert (
            anim._repr_html_().startswith('<img src="data:image/gif;base64,')
            and html == anim._repr_html_()
        )
        del anim


def test_frames_stop_once_nothing_moves():
    """SGD with α = 0.4 on the sphere shrinks θ five-fold per step: |θ_t - θ_end| = √2·0.2ᵗ, which is
    0.057 at t = 2 and 0.011 at t = 3, against 0.5% of the 10.24-wide view (0.0512). So the run has
    settled from t = 3, and the frames are t = 0, 1, 2, 3, then the last step."""
    traj = adamlab.run(adamlab.SGD(lr=0.4), "sphere", np.array([1.0, 1.0]), 100)
    anim = plot.animate(traj, frames=5)
    assert anim.frame_times.tolist() == [0, 1, 2, 3, 100]
    assert plot.animate(traj, frames=5, trim=False).frame_times.tolist() == [0, 25, 50, 75, 100]


def test_the_demo_animation_spends_its_frames_while_something_moves():
    """Issue 8 item 14: before, ~85% of the frames came after every run had finished moving."""
    f = adamlab.functions.get("beale")
    six = [adamlab.SGD(lr=0.03), adamlab.Momentum(lr=0.003), adamlab.AdaGrad(lr=1.0)]
    six += [adamlab.RMSProp(lr=0.01), adamlab.Adam(lr=0.3), adamlab.AdaMax(lr=1.0)]
    runs = adamlab.compare(six, f, f.start, 500)
    times = plot.animate(runs, f, frames=40).frame_times
    width = 9.0  # Beale's view is [-4.5, 4.5]^2
    # For each frame: does any run still move later by more than 0.5% of the view?
    still_moving = [
        any(
            np.linalg.norm(t.params[k:] - t.params[-1], axis=-1).max() > 0.005 * width
            for t in runs.values()
        )
        for k in times
    ]
    # Every frame but two: the one where the last run arrives, and the final step.
    assert still_moving[:-2] == [True] * (len(times) - 2) and not any(still_moving[-2:])
    assert times[-1] == 500 and len(times) == 40


def test_animation_html_is_a_gif_or_a_js_player(race):
    import base64
    import io

    from PIL import Image

    anim = plot.animate(race["Adam"], frames=3, dpi=30)
    html = plot.animation_html(anim)
    data = base64.b64decode(html.split("base64,")[1].split('"')[0])
    with Image.open(io.BytesIO(data)) as gif:
        assert gif.format == "GIF" and gif.n_frames == 3
    player = plot.animation_html(anim, player=True)
    assert "<script" in player and player.count("data:image/png;base64") == 3


def test_explorer_redraws_on_slider_changes():
    pytest.importorskip("ipywidgets")
    box = plot.explorer("himmelblau", "Adam", steps=20)
    assert box.trajectory.label == "Adam(lr=0.05)"
    box.controls["lr"].value = 0.2
    assert box.trajectory.label == "Adam(lr=0.2)"
    box.controls["bias_correction"].value = "none"
    assert box.trajectory.label == "Adam(lr=0.2, bias_correction='none')"
    box.controls["optimizer"].value = "RMSProp"
    assert type(box.trajectory.optimizer).__name__ == "RMSProp"
    assert box.controls["beta1"].disabled and not box.controls["rho"].disabled
    box.controls["x"].value = 1.0
    np.testing.assert_array_equal(box.trajectory.params[0], [1.0, 0.0])
    box.controls["function"].value = "rosenbrock"
    f = adamlab.functions.get("rosenbrock")
    assert box.trajectory.objective.name == "rosenbrock"
    assert (box.controls["x"].min, box.controls["x"].max) == tuple(f.domain[0])


def test_explorer_without_ipywidgets_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    with pytest.raises(ImportError, match=r'pip install "adamlab\[notebooks\]"'):
        plot.explorer()
