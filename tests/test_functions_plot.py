"""adamlab.plot.contour over the zoo and the objectives; no matplotlib on import."""

from __future__ import annotations

import subprocess
import sys

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from adamlab.functions import available, get
from adamlab.objectives import LeastSquares, noisy, reddi
from adamlab.plot._text import function_title
from adamlab.plot.contours import contour, contour_levels

pytestmark = pytest.mark.usefixtures("plot_hygiene")


def test_core_modules_do_not_import_matplotlib():
    code = (
        "import sys, adamlab, adamlab.functions, adamlab.objectives, adamlab.gradcheck\n"
        "adamlab.functions.get('rosenbrock')\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("name", available())
def test_contour_of_every_function(name, monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *a, **k: pytest.fail("plt.show() called"))
    before = dict(matplotlib.rcParams)
    f = get(name)
    fig, ax = plt.subplots(figsize=(3, 3))
    out = contour(f, ax=ax, resolution=24, show_stationary=True, show_curves=True, show_starts=True)
    assert out is ax
    assert ax.get_xlim() == tuple(f.domain[0]) and ax.get_ylim() == tuple(f.domain[1])
    levels = np.asarray(ax.adamlab_contour.levels)
    assert np.all(np.diff(levels) > 0)
    assert ax.get_xlabel() and ax.get_ylabel()
    assert ax.get_title().startswith(function_title(f) + "\n$")  # the name for people, the formula
    labels = ax.get_legend_handles_labels()[1]
    assert ("global minimum" in labels) == (len(f.minima) > 0)
    fig.canvas.draw()  # renders the LaTeX title: a mathtext error would raise here
    assert dict(matplotlib.rcParams) == before


def test_log_levels_work_with_negative_values_and_follow_the_gap():
    z = np.array([[-1.0316, 0.0], [2.0, 5.0]])
    lo = -1.0316284534898774
    lv = contour_levels(z, 10, log=True, min_value=lo)
    assert lv[0] == pytest.approx(lo) and lv[-1] >= 5.0
    delta = 1e-6 * (5.0 - lo)
    gap = lv - lo + delta  # log-spaced in the gap above the minimum
    np.testing.assert_allclose(gap, np.geomspace(delta, 5.0 - lo + delta, 10), rtol=1e-9)
    np.testing.assert_allclose(contour_levels(z, 5), np.linspace(-1.0316, 5.0, 5))
    flat = contour_levels(np.zeros((3, 3)), 5, log=True)
    assert np.all(np.diff(flat) > 0)  # constant data still gives valid levels


def test_explicit_levels_new_figure_and_names():
    ax = contour("rosenbrock", levels=[0.0, 1.0, 10.0, 100.0, 1000.0], resolution=20)
    np.testing.assert_array_equal(ax.adamlab_contour.levels, [0.0, 1.0, 10.0, 100.0, 1000.0])
    ax2 = contour("booth", levels=7, filled=False, title=False, resolution=20)
    assert len(ax2.adamlab_contour.levels) == 7 and ax2.get_title() == ""


def test_contour_of_objectives():
    ax = contour(LeastSquares(), resolution=20)
    assert ax.get_xlabel() == "$w_1$"
    contour(noisy("beale", 1.0), resolution=20)
    ax1 = contour(reddi(3.0))  # 1-D: a curve of the expected loss, minimum marked
    x, y = ax1.adamlab_contour.get_data()
    np.testing.assert_allclose(y, x / 3)
    assert ax1.get_xlim() == (-1.0, 1.0)
    # Its formula uses \bmod, which matplotlib's mathtext cannot draw: the title is the name alone
    # (before, the figure raised when it was drawn).
    assert "$" not in ax1.get_title() and ax1.get_title().startswith("Reddi")
    ax1.figure.canvas.draw()


def test_contour_rejects_higher_dimensions():
    with pytest.raises(ValueError, match="d = 3"):
        contour(get("rosenbrock", dim=3))


def test_non_finite_values_are_left_blank():
    from adamlab.functions import from_callables

    f = from_callables(lambda x: np.log(x[..., 0]) + x[..., 1] ** 2, dim=2, vectorized=True)
    ax = contour(f, resolution=20)  # log of negatives: NaN on half the window, no warning
    assert ax.adamlab_contour is not None


def test_gallery_images_are_readable(tmp_path):
    """Issue 8 item 14: the gallery was 320 px wide with 7-point legends. Now 600 px, 10-point text, the
    legend under the axes and nothing clipped."""
    import importlib.util
    from pathlib import Path

    from PIL import Image

    from tests.figure_checks import problems

    script = Path(__file__).resolve().parents[1] / "scripts" / "make_gallery.py"
    spec = importlib.util.spec_from_file_location("make_gallery", script)
    gallery = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gallery)
    (path,) = gallery.main(["--out", str(tmp_path), "--names", "himmelblau", "--resolution", "40"])
    with Image.open(path) as image:
        assert image.width >= 600
        assert image.mode == "P"  # a 256-colour palette keeps the committed files small
    fig = gallery.draw("himmelblau", resolution=40)
    (legend,) = fig.legends
    assert min(t.get_fontsize() for t in legend.get_texts()) >= 10
    assert not problems(fig)
    plt.close(fig)
