"""Stochastic, minibatch, sparse and online objectives: protocol, reproducibility, unbiasedness, regret.

Unbiasedness tests average N independent samples (one vectorised call over a batch of N copies of the
point) and accept a deviation of at most Z standard errors, with the standard error derived from the
variance of the sampled gradient (computed independently of the implementation where it matters).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from adamlab import objectives
from adamlab.functions import get
from adamlab.gradcheck import check_grad, check_hessian
from adamlab.objectives import (
    LeastSquares,
    LogisticRegression,
    SparseLogisticRegression,
    noisy,
    reddi,
    reddi_stochastic,
    reddi_synthetic,
    regret,
    sparse,
)

Z = 5.0  # accepted deviation in standard errors (the seeds are fixed, so this is deterministic)
N = 40_000


def _samples(obj, x, n=N, seed=0, t=1):
    x = np.broadcast_to(np.asarray(x, float), (n, obj.dim))
    return obj.sample_grad(x, t, np.random.default_rng(seed))


def all_objectives():
    return [
        noisy("rosenbrock", sigma=2.0),
        noisy(get("quadratic", kappa=50), sigma=[0.5, 3.0], distribution="student_t", df=3.5),
        sparse("quadratic", p=[1.0, 0.1]),
        sparse(noisy("sphere", 0.1), p=0.3, rescale=False),
        LeastSquares(n=64, batch_size=8),
        LogisticRegression(n=64, batch_size=4, replace=True),
        SparseLogisticRegression(n=200, dim=6, batch_size=2),
        reddi(3.0),
        reddi_synthetic(),
        reddi_stochastic(),
    ]


OBJECTIVES = all_objectives()
IDS = [o.name for o in OBJECTIVES]


# --------------------------------------------------------------------------- protocol


@pytest.mark.parametrize("obj", OBJECTIVES, ids=IDS)
def test_protocol(obj):
    d = obj.dim
    assert obj.stochastic is True and isinstance(obj.name, str) and obj.name
    assert obj.domain.shape == (d, 2) and obj.starts.shape[1] == d and obj.start.shape == (d,)
    assert obj.minima.shape[1] == d and isinstance(obj.log_levels, bool)
    assert isinstance(obj.latex, str) and isinstance(obj.description, str) and obj.description
    x = obj.starts
    assert np.shape(obj(x)) == (len(x),) and obj.grad(x).shape == x.shape
    rng = np.random.default_rng(0)
    assert obj.sample_grad(x, 1, rng).shape == x.shape
    grid = np.broadcast_to(obj.start, (2, 3, d))
    assert obj.sample_grad(grid, 5, rng).shape == (2, 3, d)
    assert obj.sample_grad(obj.start, 1, rng).shape == (d,)
    if obj.min_value is not None:
        np.testing.assert_allclose(obj(obj.minima), obj.min_value, atol=1e-12)
    repr(obj)


@pytest.mark.parametrize("obj", OBJECTIVES, ids=IDS)
def test_same_seed_same_gradient_sequence(obj):
    x = np.broadcast_to(obj.start, (3, obj.dim))
    a = obj.sample_grads(x, steps=7, seed=42)
    b = obj.sample_grads(x, steps=7, seed=42)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (7, 3, obj.dim)
    gen = np.random.default_rng(42)  # a Generator works the same as its seed
    np.testing.assert_array_equal(obj.sample_grads(x, steps=7, seed=gen), a)


@pytest.mark.parametrize(
    "obj", [o for o in OBJECTIVES if o.name not in ("reddi", "reddi_synthetic")]
)
def test_noise_differs_between_seeds_and_batch_elements(obj):
    x = np.broadcast_to(obj.start, (64, obj.dim))
    a = obj.sample_grads(x, steps=3, seed=1)
    b = obj.sample_grads(x, steps=3, seed=2)
    assert not np.array_equal(a, b)
    assert len(np.unique(a[0], axis=0)) > 1  # independent noise per batch element


@pytest.mark.parametrize("obj", [o for o in OBJECTIVES if hasattr(o, "hessian")], ids=str)
def test_exact_gradient_and_hessian_of_the_expected_value(obj):
    pts = obj.starts
    assert check_grad(obj, pts).ok
    if obj.dim > 0 and obj.name not in ("reddi", "reddi_synthetic", "reddi_stochastic"):
        assert check_hessian(obj, pts).ok


def test_wrappers_keep_the_base_function():
    f = get("rosenbrock")
    obj = noisy(f, sigma=1.0)
    assert obj.base is f
    np.testing.assert_array_equal(obj.minima, f.minima)
    assert obj.min_value == f.min_value and obj.log_levels == f.log_levels
    np.testing.assert_array_equal(obj.grad([0.3, -0.7]), f.grad([0.3, -0.7]))
    assert float(obj([0.3, -0.7])) == float(f([0.3, -0.7]))
    assert f.stochastic is False  # the deterministic function is untouched


# --------------------------------------------------------------------------- unbiasedness


def test_gaussian_noise_is_unbiased_with_the_right_variance():
    obj = noisy("rosenbrock", sigma=2.0)
    x = [-1.2, 1.0]
    g = _samples(obj, x)
    se = 2.0 / math.sqrt(N)
    assert np.all(np.abs(g.mean(0) - np.array([-215.6, -88.0])) < Z * se)
    np.testing.assert_allclose(g.std(0), 2.0, rtol=0.02)


def test_student_t_noise_is_unbiased_and_heavy_tailed():
    nu, sigma = 3.5, np.array([0.5, 3.0])
    obj = noisy(get("quadratic", kappa=50), sigma=sigma, distribution="student_t", df=nu)
    x = [1.0, 1.0]
    g = _samples(obj, x)
    var = sigma**2 * nu / (nu - 2)
    np.testing.assert_allclose(obj.noise_variance, var)
    assert np.all(np.abs(g.mean(0) - [1.0, 50.0]) < Z * np.sqrt(var / N))
    z = (g - [1.0, 50.0]) / sigma
    gaussian_tail = 2 * 0.5 * math.erfc(4 / math.sqrt(2))  # P(|N(0,1)| > 4) = 6.3e-5
    assert np.mean(np.abs(z) > 4) > 20 * gaussian_tail


def test_least_squares_minibatch_gradient_is_unbiased():
    obj = LeastSquares(n=64, dim=2, batch_size=8, seed=3)
    A, b = np.asarray(obj.features), np.asarray(obj.targets)
    w = np.array([0.5, 2.0])
    per_example = (A @ w - b)[:, None] * A  # independent of the implementation
    full = per_example.mean(0)
    np.testing.assert_allclose(obj.grad(w), full, rtol=1e-12)
    B, n = 8, 64
    var = per_example.var(0) / B * (n - B) / (n - 1)  # sampling without replacement
    g = _samples(obj, w, seed=5)
    assert np.all(np.abs(g.mean(0) - full) < Z * np.sqrt(var / N))
    np.testing.assert_allclose(g.var(0), var, rtol=0.05)


def test_minibatches_have_distinct_examples_unless_replace():
    obj = LeastSquares(n=10, dim=1, batch_size=10, noise=0.0, seed=0)
    np.testing.assert_allclose(_samples(obj, [0.3], n=5), np.broadcast_to(obj.grad([0.3]), (5, 1)))
    rep = LeastSquares(n=10, dim=1, batch_size=10, noise=0.0, replace=True, seed=0)
    assert np.ptp(_samples(rep, [0.3], n=50)) > 0


def test_logistic_regression_minibatch_gradient_is_unbiased_and_minimum_exact():
    obj = LogisticRegression(n=64, dim=2, batch_size=4, seed=1)
    A, y = np.asarray(obj.features), np.asarray(obj.targets)
    w = np.array([1.0, -2.0])
    per_example = (-y / (1 + np.exp(y * (A @ w))))[:, None] * A + obj.l2 * w
    full = per_example.mean(0)
    np.testing.assert_allclose(obj.grad(w), full, rtol=1e-12)
    loss = np.mean(np.log1p(np.exp(-y * (A @ w)))) + 0.5 * obj.l2 * w @ w
    assert float(obj(w)) == pytest.approx(loss, rel=1e-13)
    var = per_example.var(0) / 4 * (64 - 4) / 63
    g = _samples(obj, w, seed=2)
    assert np.all(np.abs(g.mean(0) - full) < Z * np.sqrt(var / N))
    np.testing.assert_allclose(obj.grad(obj.minima), 0.0, atol=1e-12)
    assert np.all(np.linalg.eigvalsh(obj.hessian(obj.minima[0])) > 0)


@pytest.mark.parametrize("p", [0.3, [1.0, 0.05]])
def test_sparse_gradient_is_unbiased_when_rescaled(p):
    obj = sparse("quadratic", p=p)
    x = np.array([2.0, -1.0])
    true = get("quadratic").grad(x)  # (2, -10)
    pv = np.broadcast_to(np.asarray(p, float), (2,))
    g = _samples(obj, x, seed=4)
    var = true**2 * (1 - pv) / pv
    assert np.all(np.abs(g.mean(0) - true) < Z * np.sqrt(var / N) + 1e-12)
    assert np.all(np.abs((g != 0).mean(0) - pv) <= Z * np.sqrt(pv * (1 - pv) / N))
    observed = g[g[:, 1] != 0, 1]
    np.testing.assert_allclose(
        observed, true[1] / pv[1]
    )  # observed coordinates are rescaled by 1/p


def test_sparse_gradient_without_rescaling_is_biased_by_p():
    obj = sparse("quadratic", p=0.25, rescale=False)
    x = np.array([2.0, -1.0])
    g = _samples(obj, x, seed=6)
    true = np.array([2.0, -10.0])
    var = true**2 * 0.25 * 0.75
    assert np.all(np.abs(g.mean(0) - 0.25 * true) < Z * np.sqrt(var / N))


def test_sparse_logistic_regression_has_zipf_frequencies_and_sparse_unbiased_gradients():
    obj = SparseLogisticRegression(n=2000, dim=8, batch_size=1, zipf=1.0, max_frequency=0.5, seed=0)
    freq = 0.5 / np.arange(1, 9)
    np.testing.assert_allclose(obj.feature_frequencies, freq)
    A = np.asarray(obj.features)
    assert set(np.unique(A)) <= {0.0, 1.0}
    assert np.all(np.abs(A.mean(0) - freq) < Z * np.sqrt(freq * (1 - freq) / 2000))
    w = obj.start
    g = _samples(obj, w, n=20_000, seed=3)
    # One example per step: a coordinate is nonzero only if the example contains that feature.
    assert np.all(np.abs((g != 0).mean(0) - A.mean(0)) < Z * np.sqrt(freq / 20_000))
    # ... and the minibatch gradient is still unbiased (the L2 term is spread over the examples).
    y = np.asarray(obj.targets)
    W = A / A.mean(0)
    per_example = (-y / (1 + np.exp(y * (A @ w))))[:, None] * A + obj.l2 * w * W
    np.testing.assert_allclose(per_example.mean(0), obj.grad(w), rtol=1e-10, atol=1e-15)
    se = np.sqrt(per_example.var(0) / 20_000)
    assert np.all(np.abs(g.mean(0) - obj.grad(w)) < Z * se)
    np.testing.assert_allclose(obj.grad(obj.minima), 0.0, atol=1e-12)


def test_reddi_stochastic_is_unbiased():
    obj = reddi_stochastic()
    c = _samples(obj, [0.0], n=200_000, seed=0)
    var = 0.01 * 0.99 * (1010 + 10) ** 2
    assert abs(c.mean() - 0.2) < Z * math.sqrt(var / 200_000)
    assert set(np.unique(c)) == {1010.0, -10.0}
    np.testing.assert_allclose(obj.grad([0.5]), [0.2])
    np.testing.assert_array_equal(obj.minima, [[-1.0]])


# --------------------------------------------------------------------------- data sets


def test_data_is_reproducible_by_seed():
    a, b, c = LeastSquares(seed=7), LeastSquares(seed=7), LeastSquares(seed=8)
    np.testing.assert_array_equal(a.features, b.features)
    np.testing.assert_array_equal(a.targets, b.targets)
    assert not np.array_equal(a.features, c.features)
    np.testing.assert_array_equal(a.minima, b.minima)


def test_least_squares_minimum_and_conditioning():
    obj = LeastSquares(n=2000, dim=2, noise=0.0, kappa=100, seed=0)
    np.testing.assert_allclose(obj.minima[0], obj.w_true, atol=1e-12)  # noise-free: exact fit
    assert obj.min_value == pytest.approx(0.0, abs=1e-20)
    ev = np.linalg.eigvalsh(obj.hessian(obj.start))
    assert 70 < ev[1] / ev[0] < 140  # about kappa
    noisy_fit = LeastSquares(n=4000, noise=0.5, seed=0)
    assert noisy_fit.min_value == pytest.approx(0.125, rel=0.1)  # noise^2 / 2


# --------------------------------------------------------------------------- online problems


def test_reddi_sequences():
    obj = reddi(3.0)
    t = np.arange(1, 10)
    np.testing.assert_array_equal(obj.coefficient(t), [3, -1, -1, 3, -1, -1, 3, -1, -1])
    np.testing.assert_array_equal(obj.value_t([[0.5]], 4), [1.5])
    np.testing.assert_array_equal(obj.project([[-3.0], [0.2], [7.0]]), [[-1.0], [0.2], [1.0]])
    assert obj.minima.tolist() == [[-1.0]] and obj.min_value == pytest.approx(-1 / 3)
    assert float(obj([1.0])) == pytest.approx(1 / 3)
    syn = reddi_synthetic()
    c = syn.coefficient(np.arange(1, 203))
    assert c[0] == 1010 and c[101] == 1010 and np.all(c[1:101] == -10)
    assert c[:101].sum() == 10  # per period 1010 - 100 * 10 = +10 > 0: x = -1 is optimal
    assert syn.hindsight(101)[-1] == -10 and syn.hindsight(202)[-1] == -20


def test_regret_hand_computed():
    obj = reddi(3.0)
    # Always at +1: losses 3, -1, -1, 3, ...; best in hindsight -|S_t|, S = 3, 2, 1, 4, 3, 2.
    np.testing.assert_array_equal(regret(obj, np.ones((6, 1))), [6, 4, 2, 8, 6, 4])
    np.testing.assert_array_equal(regret(obj, -np.ones((6, 1))), 0)
    np.testing.assert_allclose(
        regret(obj, np.ones((6, 1)), average=True), [6, 2, 2 / 3, 2, 6 / 5, 2 / 3]
    )
    # A batch of two players: shape (T, 2).
    xs = np.stack([np.ones((6, 1)), -np.ones((6, 1))], 1)
    np.testing.assert_array_equal(regret(obj, xs)[:, 0], [6, 4, 2, 8, 6, 4])
    # Stochastic problems use the expected loss: 0.2 x against the best value -0.2 per step.
    st = reddi_stochastic()
    np.testing.assert_allclose(regret(st, np.zeros((4, 1))), [0.2, 0.4, 0.6, 0.8])


def test_regret_accepts_a_trajectory_like_object():
    class FakeTrajectory:
        params = np.array([[1.0], [1.0], [1.0], [-1.0]])  # x_1..x_3 played, then the final point
        steps = np.arange(4)

    np.testing.assert_array_equal(regret(reddi(3.0), FakeTrajectory()), [6, 4, 2])

    class Sparse(FakeTrajectory):
        steps = np.array([0, 2, 4, 6])

    with pytest.raises(ValueError, match="every=1"):
        regret(reddi(3.0), Sparse())


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "build, exc, pattern",
    [
        (lambda: noisy("sphere", sigma=-1.0), ValueError, "sigma must be >= 0"),
        (lambda: noisy("sphere", sigma=[1.0, 2.0, 3.0]), ValueError, r"shape \(2,\)"),
        (lambda: noisy("sphere", distribution="cauchy"), ValueError, "distribution"),
        (lambda: noisy("sphere", distribution="student_t", df=1.0), ValueError, "df must be > 1"),
        (lambda: noisy("sphre"), ValueError, "did you mean 'sphere'"),
        (lambda: noisy(42), TypeError, "expected a function name"),
        (lambda: sparse("sphere", p=0.0), ValueError, r"p must lie in \(0, 1\], got 0.0"),
        (lambda: sparse("sphere", p=1.5), ValueError, r"p must lie in \(0, 1\]"),
        (lambda: sparse("sphere", p=[0.5, 0.5, 0.5]), ValueError, r"shape \(2,\)"),
        (lambda: LeastSquares(n=10, batch_size=11), ValueError, "batch_size must be <= n = 10"),
        (lambda: LeastSquares(batch_size=0), ValueError, "batch_size must be >= 1"),
        (lambda: LeastSquares(noise=-0.1), ValueError, "noise must be >= 0"),
        (lambda: LeastSquares(kappa=0), ValueError, "kappa must be > 0"),
        (lambda: LogisticRegression(l2=0.0), ValueError, "l2 must be > 0"),
        (lambda: SparseLogisticRegression(zipf=-1), ValueError, "zipf must be >= 0"),
        (lambda: SparseLogisticRegression(max_frequency=2), ValueError, "max_frequency"),
        (lambda: reddi(2.0), ValueError, "C must be > 2"),
        (lambda: reddi_stochastic(p=0), ValueError, "p must lie in"),
    ],
)
def test_bad_parameters(build, exc, pattern):
    with pytest.raises(exc, match=pattern):
        build()


def test_bad_calls():
    obj = noisy("sphere")
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="d = 2"):
        obj.sample_grad([1.0, 2.0, 3.0], 1, rng)
    with pytest.raises(ValueError, match="1-based"):
        obj.sample_grad([1.0, 2.0], 0, rng)
    with pytest.raises(ValueError, match="1-based"):
        reddi().sample_grad([0.0], 0, rng)
    with pytest.raises(ValueError, match=r"shape \(T, \.\.\., 1\)"):
        regret(reddi(), np.zeros(5))


def test_module_exports():
    for name in objectives.__all__:
        assert hasattr(objectives, name)


@pytest.mark.parametrize("obj", OBJECTIVES, ids=IDS)
def test_huge_inputs_do_not_warn(obj):
    import warnings

    x = np.full((2, obj.dim), 1e200)
    x[1] *= -1e100
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        obj(x), obj.grad(x), obj.sample_grad(x, 1, np.random.default_rng(0))
