"""check_grad / check_hessian: they accept correct derivatives, catch wrong ones, and say where."""

from __future__ import annotations

import numpy as np
import pytest

from adamlab.functions import available, get
from adamlab.gradcheck import central_difference, check_grad, check_hessian


def f(x):
    return x[0] ** 3 * x[1] + np.sin(x[1])


def good(x):
    return np.array([3 * x[0] ** 2 * x[1], x[0] ** 3 + np.cos(x[1])])


def bad(x):  # a typical slip: the derivative of sin taken as -cos
    return np.array([3 * x[0] ** 2 * x[1], x[0] ** 3 - np.cos(x[1])])


PTS = np.array([[0.5, 0.0], [1.0, 2.0], [-2.0, 0.3]])


def test_correct_gradient_passes():
    r = check_grad(f, PTS, good)
    assert r.ok and r.max_rel_error < 1e-9
    assert r.analytic.shape == r.numeric.shape == (3, 2) and r.rel_errors.shape == (3,)


def test_wrong_gradient_is_reported_with_location():
    r = check_grad(f, PTS, bad)
    assert not r.ok
    # At (0.5, 0): analytic (0, 0.125 - 1), true (0, 0.125 + 1): relative error 2 / 1.125.
    assert r.worst_index == 0 and r.worst_coordinate == (1,)
    np.testing.assert_array_equal(r.worst_point, [0.5, 0.0])
    assert r.max_rel_error == pytest.approx(2 / 1.125, rel=1e-6)
    text = str(r)
    assert "point #0" in text and "FAILED" in text and "entry (1,)" in text


def test_accepts_a_single_point_and_objects_with_grad():
    r = check_grad(get("rosenbrock"), [-1.2, 1.0])
    assert r.ok and len(r.rel_errors) == 1
    assert "OK" in str(r)


@pytest.mark.parametrize("name", available())
def test_every_zoo_function_passes(name):
    fn = get(name)
    rng = np.random.default_rng(0)
    lo, hi = fn.domain[:, 0], fn.domain[:, 1]
    pts = lo + (hi - lo) * rng.random((10, fn.dim))
    assert check_grad(fn, pts).ok
    assert check_hessian(fn, pts).ok


def test_hessian_check_catches_a_wrong_hessian():
    fn = get("himmelblau")
    wrong = lambda x: fn.hessian(x) + np.array([[0.0, 1.0], [1.0, 0.0]])  # noqa: E731
    r = check_hessian(fn, [[1.0, 1.0], [2.0, -1.0]], hessian=wrong)
    assert not r.ok and r.worst_coordinate in ((0, 1), (1, 0)) and r.what == "Hessian"


def test_nan_gradient_is_never_ok():
    r = check_grad(f, PTS, lambda x: np.array([np.nan, 0.0]))
    assert not r.ok and r.max_rel_error == np.inf


def test_central_difference_is_vectorised():
    x = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]])
    np.testing.assert_allclose(central_difference(lambda z: np.sum(z**2, -1), x), 2 * x, atol=1e-9)
    jac = central_difference(lambda z: z**2, x)  # vector-valued: (..., out, d)
    np.testing.assert_allclose(jac, 2 * x[:, :, None] * np.eye(2), atol=1e-9)


def test_bad_points_shape():
    with pytest.raises(ValueError, match="shape"):
        check_grad(f, np.zeros((2, 2, 2)), good)


def test_exported_from_adamlab():
    import adamlab

    assert adamlab.check_grad is check_grad


# ---- errors that name the problem (issue 8, item 7) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (
            lambda: check_grad(lambda x: x @ x, [[1.0, 2.0]]),
            TypeError,
            r"check_grad needs the gradient to check: pass it as grad=",
        ),
        (
            lambda: check_grad(get("beale"), np.zeros((0, 2))),
            ValueError,
            r"at least one point .* got shape \(0, 2\)",
        ),
        (
            lambda: check_grad(get("beale"), [1.0, 2.0], h=0),
            ValueError,
            r"check_grad: h must be finite and in \(0, inf\), got 0",
        ),
        (lambda: check_grad(get("beale"), [1.0, 2.0], h=-1e-3), ValueError, r"h must be finite"),
        (lambda: check_grad(get("beale"), [1.0, np.nan]), ValueError, r"points must be finite"),
        (
            lambda: check_grad(get("beale"), [1.0, 2.0], grad=3.0),
            TypeError,
            r"grad must be a function",
        ),
        (
            lambda: check_hessian(lambda x: x @ x, [[1.0, 2.0]]),
            TypeError,
            r"check_hessian needs the Hessian",
        ),
    ],
)
def test_mistakes_are_named(call, error, match):
    with pytest.raises(error, match=match):
        call()
