"""Animation (GIF frames, Jupyter HTML) and the ipywidgets explorer."""

import gc
import sys

import numpy as np
import pytest
from PIL import Image

import adamlab
from adamlab import plot
from adamlab.plot.views import PATH_GID

# Tests that inspect an animation without saving it: matplotlib warns when such one is deleted.
pytestmark = pytest.mark.filterwarnings("ignore:Animation was deleted without rendering")


pytestmark = pytest.mark.usefixtures("plot_hygiene")


@pytest.fixture(scope="module")
def race():
    optimizers = {"Adam": adamlab.Adam(lr=0.1), "SGD": adamlab.SGD(lr=0.05)}  # SGD diverges
    runs = adamlab.compare(optimizers, "himmelblau", np.array([0.0, 0.0]), 30)
    assert bool(runs["SGD"].diverged)
    return runs


def test_gif_has_the_requested_number_of_frames(race, tmp_path):
    path = tmp_path / "race.gif"
    anim = plot.animate(race, frames=6, fps=5, path=path, dpi=40)
    assert anim.frame_times.tolist() == [0, 6, 12, 18, 24, 30]
    with Image.open(path) as gif:
        assert gif.n_frames == 6
        assert gif.info["duration"] == 200  # 5 frames per second


def test_frames_follow_the_trajectory(race):
    anim = plot.animate(race, frames=4)
    lines = [ln for ln in anim._fig.axes[0].get_lines() if ln.get_gid() == PATH_GID]
    adam = race["Adam"]
    anim._func(2)  # the frame at t = 20
    np.testing.assert_array_equal(lines[0].get_xydata(), adam.params[:21])
    sgd = race["SGD"]
    t_div = int(sgd.diverged_at)
    np.testing.assert_array_equal(lines[1].get_xydata(), sgd.params[:t_div])
    assert lines[1].get_label() == f"SGD(lr=0.05) (diverged at t={t_div})"


@pytest.mark.filterwarnings(
    "ignore:Animation was deleted without rendering"
)  # never drawn, on purpose
def test_frames_are_capped_at_one_per_step(race):
    assert plot.anim.frame_times(3, 10).tolist() == [0, 1, 2, 3]
    anim = plot.animate(race["Adam"], frames=500)
    assert len(anim.frame_times) == 31
    del anim
    gc.collect()  # its warning is raised on deletion: let that happen under this test's filter


def test_animation_html_is_a_js_player(race):
    anim = plot.animate(race["Adam"], frames=3, dpi=30)
    html = plot.animation_html(anim)
    assert "<script" in html and html.count("data:image/png;base64") == 3


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
