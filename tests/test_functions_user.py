"""User-wrapped functions: exact callables are used as given; a missing gradient is approximate."""

from __future__ import annotations

import numpy as np
import pytest

from adamlab.functions import TestFunction, from_callables


def value(x):
    return (x[0] - 1) ** 2 + 3 * x[1] ** 2 + x[0] * x[1]


def grad(x):
    return np.array([2 * (x[0] - 1) + x[1], 6 * x[1] + x[0]])


def hess(x):
    return np.array([[2.0, 1.0], [1.0, 6.0]])


PTS = np.array([[0.0, 0.0], [1.0, -2.0], [2.5, 0.5]])


def test_exact_callables_are_used_and_vectorised_for_the_caller():
    f = from_callables(value, grad, hess, dim=2, minima=[[12 / 11, -2 / 11]], min_value=-1 / 11)
    assert isinstance(f, TestFunction) and not f.approximate_grad and not f.approximate_hessian
    np.testing.assert_allclose(f(PTS), [1.0, 10.0, 4.25])  # by hand
    np.testing.assert_allclose(f.grad(PTS), [[-2, 0], [-2, -11], [3.5, 5.5]])
    assert f.hessian(PTS).shape == (3, 2, 2)
    assert f(PTS.reshape(3, 1, 2)).shape == (3, 1)
    assert float(f(f.minima[0])) == pytest.approx(f.min_value, abs=1e-15)
    np.testing.assert_allclose(f.grad(f.minima), 0.0, atol=1e-15)


def test_missing_gradient_is_finite_differences_and_flagged():
    f = from_callables(value, dim=2)
    assert f.approximate_grad and f.approximate_hessian
    np.testing.assert_allclose(f.grad(PTS), [[-2, 0], [-2, -11], [3.5, 5.5]], rtol=1e-8, atol=1e-8)
    np.testing.assert_allclose(f.hessian(PTS[1]), hess(None), rtol=1e-5, atol=1e-5)
    g = from_callables(value, grad, dim=2)
    assert not g.approximate_grad and g.approximate_hessian
    np.testing.assert_allclose(g.hessian(PTS), np.broadcast_to(hess(None), (3, 2, 2)), atol=1e-7)


def test_vectorized_callables_are_called_once():
    calls = []

    def batch_value(x):
        calls.append(x.shape)
        return np.sum(x**2, axis=-1)

    f = from_callables(batch_value, lambda x: 2 * x, dim=3, vectorized=True)
    assert f(np.ones((4, 5, 3))).shape == (4, 5) and calls == [(4, 5, 3)]


def test_metadata_defaults_and_validation():
    f = from_callables(value, dim=2, name="bowl", latex=r"x^2", description="a bowl")
    assert f.name == "bowl" and repr(f) == "bowl()" and f.latex == "x^2"
    np.testing.assert_array_equal(f.domain, [[-5, 5], [-5, 5]])
    np.testing.assert_array_equal(f.start, [3.0, 3.0])
    assert f.minima.shape == (0, 2) and f.min_value is None and f.stochastic is False
    with pytest.raises(ValueError, match="d = 2"):
        f([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="callable"):
        from_callables(3.0, dim=2)
    with pytest.raises(TypeError, match="grad must be callable"):
        from_callables(value, grad="no", dim=2)
    with pytest.raises(ValueError, match="dim must be >= 1"):
        from_callables(value, dim=0)
    with pytest.raises(ValueError, match=r"domain must have shape \(2, 2\)"):
        from_callables(value, dim=2, domain=[[0, 1]])
