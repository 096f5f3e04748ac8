"""The optimizer core checked against literal hand-computed numbers, an independent scalar reference written
from the papers (tests/reference.py), identities between optimizers and the paper's invariants."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import adamlab
from adamlab import (
    SGD,
    AdaGrad,
    Adam,
    AdaMax,
    AdamEpsHat,
    AdamW,
    AMSGrad,
    Momentum,
    NAdam,
    RMSProp,
    objectives,
    schedules,
)
from tests.cases import CASES, STREAMS, run_stream

TABLE = CASES


def test_every_optimizer_has_a_case():
    """Adding an optimizer means adding a row to tests/cases.py: the reference and the torch twin."""
    covered = {type(case.optimizer) for case in CASES.values()}
    missing = [name for name, cls in adamlab.OPTIMIZERS.items() if cls not in covered]
    assert not missing, f"no case in tests/cases.py for {missing}"
    for name, cls in adamlab.OPTIMIZERS.items():
        cases = [c for c in CASES.values() if type(c.optimizer) is cls]
        assert any(c.torch or c.no_torch for c in cases), name
    for name, case in CASES.items():
        assert (case.torch is None) != (case.no_torch == ""), f"{name}: a torch twin or a reason"


@pytest.mark.parametrize("stream", sorted(STREAMS))
@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_independent_reference(name, stream):
    case = CASES[name]
    grads = STREAMS[stream]
    theta0 = np.array([0.5, -1.0, 2.0, 0.0])
    got = run_stream(case.optimizer, theta0, grads, l2=case.l2)
    expected = np.array([case.reference(float(theta0[i]), list(grads[:, i])) for i in range(4)]).T
    movement = np.max(np.abs(expected - theta0))
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-13 * movement + 1e-300)


# ------------------------------------------------------------------------------------------------------------
# Literal hand-computed steps.


def two_steps(opt, theta, g1, g2):
    s = opt.init(np.array([theta]))
    x, s = opt.step(np.array([theta]), np.array([g1]), s)
    first = float(x[0])
    x, s = opt.step(x, np.array([g2]), s)
    return first, float(x[0])


def test_sgd_by_hand():
    assert two_steps(SGD(lr=0.1), 1.0, 2.0, -1.0) == pytest.approx((0.8, 0.9), abs=1e-15)


def test_momentum_by_hand():
    # b1 = 1 -> 1 - 0.1 = 0.9; b2 = 0.9 + 1 = 1.9 -> 0.9 - 0.19 = 0.71
    assert two_steps(Momentum(lr=0.1, momentum=0.9), 1.0, 1.0, 1.0) == pytest.approx((0.9, 0.71))
    # Nesterov: 1 - 0.1 (1 + 0.9) = 0.81; 0.81 - 0.1 (1 + 0.9 * 1.9) = 0.539
    nag = Momentum(lr=0.1, momentum=0.9, nesterov=True)
    assert two_steps(nag, 1.0, 1.0, 1.0) == pytest.approx((0.81, 0.539))


def test_adagrad_by_hand():
    # G = 9 -> 1 - 0.1 * 3/3 = 0.9; G = 25 -> 0.9 - 0.1 * 4/5 = 0.82
    assert two_steps(AdaGrad(lr=0.1, eps=0.0), 1.0, 3.0, 4.0) == pytest.approx((0.9, 0.82))


def test_rmsprop_by_hand():
    # v = 0.4 -> -0.01 * 2/sqrt(0.4); v = 0.76 -> minus 0.01 * 2/sqrt(0.76)
    got = two_steps(RMSProp(lr=0.01, rho=0.9, eps=0.0), 0.0, 2.0, 2.0)
    assert got == pytest.approx((-0.03162277660168379, -0.05456434998873997), rel=1e-14)


def test_adam_by_hand():
    # Step 1: m̂ = 1, v̂ = 1 -> -0.001/(1 + 1e-8). Step 2 (g = -1): m = -0.01, m̂ = -0.01/0.19 = -1/19,
    # v̂ = 0.001999/0.001999 = 1 -> total -0.001 (18/19)/(1 + 1e-8).
    got = two_steps(Adam(), 0.0, 1.0, -1.0)
    assert got == pytest.approx((-0.001 / (1 + 1e-8), -0.0009473684115789474), rel=1e-13)


def test_adamax_by_hand():
    # Step 1: m = -0.3, u = 3 -> +0.002. Step 2: m = -0.17, u = 2.997 -> + 0.002 * 0.17/(0.19 * 2.997)
    assert two_steps(AdaMax(), 0.0, -3.0, 1.0) == pytest.approx((0.002, 0.002597088316386562))


def test_nadam_by_hand():
    """θ₀ = 0, g = 2 then −1, α = 0.1, ε = 0. μ_t = 0.9(1 − 0.5·0.96^(0.004t)): μ₁ = 0.45007347359129612,
    μ₂ = 0.45014693518621754. Step 1: v̂ = 4, so −0.1·[(1−μ₁)/(1−μ₁)·2/2 + μ₂/(1−μ₁μ₂)·0.2/2]. Step 2:
    m = 0.08, v = 0.004996, v̂ = v/(1 − 0.999²). Computed with 40-digit decimals."""
    got = two_steps(NAdam(lr=0.1, eps=0.0), 0.0, 2.0, -1.0)
    assert got == pytest.approx((-0.10564517783553882, -0.06453420491157635), rel=1e-14)


def test_amsgrad_by_hand():
    """g = 1 then 0: v = 0.001 then 0.000999, but v_max keeps 0.001, so step 2 divides by √(0.001/0.001999)."""
    opt = AMSGrad(lr=0.1, eps=0.0)
    first, second = two_steps(opt, 0.0, 1.0, 0.0)
    assert first == pytest.approx(-0.1, rel=1e-14)  # α·sign(g)
    m_hat = 0.09 / 0.19
    assert second - first == pytest.approx(-0.1 * m_hat / math.sqrt(0.001 / 0.001999), rel=1e-13)


def test_adamw_by_hand():
    """θ = 2, g = 0.5, α = 0.1, λ = 0.5: decay to 2·(1 − 0.05) = 1.9, then the Adam step α·sign(g)."""
    first, _ = two_steps(AdamW(lr=0.1, weight_decay=0.5, eps=0.0), 2.0, 0.5, 0.5)
    assert first == pytest.approx(1.8, rel=1e-15)


@pytest.mark.parametrize(
    ("bias_correction", "ratio"),
    [("none", 3.1622776601683795), ("m", 31.622776601683793), ("v", 0.1), ("both", 1.0)],
)
def test_bias_correction_ablation_first_step(bias_correction, ratio):
    """|Δθ|/α at t = 1 under a constant gradient (paper §3 and §6.4; the bias-correction lab's numbers)."""
    opt = Adam(lr=1e-3, eps=0.0, bias_correction=bias_correction)
    x, _, info = opt.step_with_info(np.zeros(1), np.array([0.7]), opt.init(np.zeros(1)))
    assert abs(info.delta[0]) / 1e-3 == pytest.approx(ratio, rel=1e-12)
    assert x[0] == info.delta[0]


def test_uncorrected_adam_peaks_near_t10():
    """Without correction the constant-gradient step is (1 − β1ᵗ)/√(1 − β2ᵗ)·α: about 6.5α near t = 10."""
    opt = Adam(lr=1.0, eps=0.0, bias_correction="none")
    x, s = np.zeros(1), opt.init(np.zeros(1))
    ratios = []
    for _ in range(1000):
        x, s, info = opt.step_with_info(x, np.ones(1), s)
        ratios.append(abs(info.delta[0]))
    assert ratios[9] == pytest.approx((1 - 0.9**10) / math.sqrt(1 - 0.999**10), rel=1e-12)
    assert 6.4 < max(ratios) < 6.7 and 8 <= int(np.argmax(ratios)) + 1 <= 14
    assert ratios[999] == pytest.approx(1.26, abs=0.01)


# ------------------------------------------------------------------------------------------------------------
# Identities between optimizers.


def test_momentum_zero_is_sgd():
    grads = STREAMS["normal"]
    a = run_stream(Momentum(lr=0.05, momentum=0.0), np.ones(4), grads)
    b = run_stream(SGD(lr=0.05), np.ones(4), grads)
    np.testing.assert_array_equal(a, b)


def test_adam_v_equals_rmsprop_v():
    grads = STREAMS["normal"]
    adam, rms = Adam(beta2=0.9), RMSProp(rho=0.9)
    x = np.ones(4)
    sa, sr = adam.init(x), rms.init(x)
    for g in grads:
        _, sa = adam.step(x, g, sa)
        _, sr = rms.step(x, g, sr)
        np.testing.assert_array_equal(sa.v, sr.v)


def test_adam_without_correction_and_beta1_zero_is_rmsprop():
    grads = STREAMS["normal"]
    a = run_stream(Adam(lr=0.01, beta1=0.0, beta2=0.9, bias_correction="none"), np.ones(4), grads)
    b = run_stream(RMSProp(lr=0.01, rho=0.9), np.ones(4), grads)
    np.testing.assert_allclose(a, b, rtol=1e-14)


@pytest.mark.parametrize("g", [3.0, -0.02, 1e-7])
def test_constant_gradient_gives_exact_moments(g):
    """With a constant gradient the bias-corrected moments are g and g² at every t (paper §3)."""
    opt = Adam(beta1=0.9, beta2=0.999)
    x, s = np.zeros(1), opt.init(np.zeros(1))
    for _ in range(300):
        x, s, info = opt.step_with_info(x, np.array([g]), s)
        assert info.m_hat[0] == pytest.approx(g, rel=1e-12)
        assert info.v_hat[0] == pytest.approx(g * g, rel=1e-12)


@pytest.mark.parametrize("stream", sorted(STREAMS))
def test_eps_hat_with_scaled_eps_is_algorithm_1(stream):
    """The paper's efficient form with ε̂_t = ε√(1 − β2ᵗ) is exactly Algorithm 1 (paper §2)."""
    eps, beta2 = 1e-6, 0.999
    paper = run_stream(Adam(lr=0.01, eps=eps), np.ones(4), STREAMS[stream])
    # ε̂ as a schedule of t: any hyperparameter may be one.
    efficient = AdamEpsHat(lr=0.01, eps=lambda t: eps * math.sqrt(1 - beta2**t))
    np.testing.assert_allclose(
        run_stream(efficient, np.ones(4), STREAMS[stream]), paper, rtol=1e-13
    )


def test_eps_hat_constant_differs_for_tiny_gradients():
    """With a constant ε̂ (Keras) and tiny gradients the two forms differ a lot, as documented."""
    grads = STREAMS["tiny"]
    a = run_stream(Adam(lr=0.01, eps=1e-7), np.zeros(4), grads)[-1]
    b = run_stream(AdamEpsHat(lr=0.01, eps=1e-7), np.zeros(4), grads)[-1]
    assert np.max(np.abs(a - b) / np.abs(a)) > 0.1


def test_adam_approaches_adagrad():
    """Adam with β1 = 0, β2 → 1 and α/√t approaches AdaGrad (paper §5)."""
    grads = STREAMS["normal"][:100]
    ada = run_stream(AdaGrad(lr=0.1, eps=0.0), np.ones(4), grads)
    errors = []
    for beta2 in (1 - 1e-3, 1 - 1e-5, 1 - 1e-7):
        adam = Adam(lr=schedules.InverseSqrt(0.1), beta1=0.0, beta2=beta2, eps=0.0)
        errors.append(np.max(np.abs(run_stream(adam, np.ones(4), grads) - ada)))
    assert errors[0] > errors[1] > errors[2]
    assert errors[2] < 1e-5


def test_adamw_differs_from_l2():
    grads = STREAMS["normal"]
    a = run_stream(Adam(lr=0.01), np.ones(4), grads, l2=0.1)[-1]
    b = run_stream(AdamW(lr=0.01, weight_decay=0.1), np.ones(4), grads)[-1]
    assert np.max(np.abs(a - b)) > 1e-3


def test_l2_and_decoupled_decay_are_the_same_for_sgd():
    """θ − α(g + λθ) = θ(1 − αλ) − αg: for SGD, L2 and decoupled decay are one thing (not for Adam)."""
    f = objectives.l2("rosenbrock", 0.3)
    x = np.array([-1.2, 1.0])
    y = x.copy()
    opt = SGD(lr=1e-3)
    s = r = opt.init(x)
    for _ in range(100):
        x, s = opt.step(x, f.grad(x), s)
        y, r = opt.step(y * (1 - 1e-3 * 0.3), adamlab.functions.get("rosenbrock").grad(y), r)
    np.testing.assert_allclose(x, y, rtol=1e-12)


def test_l2_objective_adds_the_penalty():
    f, g = objectives.l2("beale", 0.25), adamlab.functions.get("beale")
    x = np.array([[1.0, 2.0], [-0.5, 0.3]])
    np.testing.assert_allclose(f(x), g(x) + 0.125 * np.sum(x**2, -1), rtol=1e-15)
    np.testing.assert_allclose(f.grad(x), g.grad(x) + 0.25 * x, rtol=1e-15)
    np.testing.assert_allclose(f.hessian(x), g.hessian(x) + 0.25 * np.eye(2), rtol=1e-15)
    assert f.minima.shape == (0, 2) and objectives.l2("beale", 0.0).minima.shape == (1, 2)
    with pytest.raises(ValueError, match=r"l2: weight_decay must be finite and in \[0, inf\)"):
        objectives.l2("beale", -1.0)


def test_adam_on_l2_is_scale_invariant_in_lambda():
    """Adam with ε = 0 on a pure penalty (λ/2)θ² follows the same path for every λ (the gradient λθ is only
    rescaled), while AdamW shrinks θ by (1 − αλ) per step on top of its Adam step."""
    zero = objectives.l2("sphere", 0.0)  # f = |θ|², so l2 adds to 2θ: use the difference of two λ
    paths = []
    for lam in (1e-3, 1.0, 50.0):
        opt = Adam(lr=0.01, eps=0.0)
        x, s = np.array([1.0, 10.0]), opt.init(np.zeros(2))
        for _ in range(100):
            x, s = opt.step(x, objectives.l2("sphere", lam).grad(x) - zero.grad(x), s)
        paths.append(x)
    np.testing.assert_allclose(paths[0], paths[1], rtol=1e-12)
    np.testing.assert_allclose(paths[0], paths[2], rtol=1e-12)
    # AdamW on a zero gradient is pure decay: (1 − αλ)^t.
    opt = AdamW(lr=0.01, weight_decay=0.01)
    x, s = np.array([1.0, 10.0]), opt.init(np.zeros(2))
    for _ in range(100):
        x, s = opt.step(x, np.zeros(2), s)
    np.testing.assert_allclose(x, np.array([1.0, 10.0]) * 0.990049339, rtol=1e-9)


def test_autograd_ema_momentum_is_heavy_ball():
    """autograd's v = μv − (1 − μ)g, x += s·v equals Momentum(lr = s(1 − μ))."""
    s_, mu = 0.1, 0.9
    x, v, out = 1.0, 0.0, []
    for g in STREAMS["normal"][:, 0]:
        v = mu * v - (1 - mu) * g
        x = x + s_ * v
        out.append(x)
    got = run_stream(Momentum(lr=s_ * (1 - mu), momentum=mu), np.ones(1), STREAMS["normal"][:, :1])
    np.testing.assert_allclose(got[:, 0], out, rtol=1e-12)


# ------------------------------------------------------------------------------------------------------------
# The paper's invariants as properties.

# Gradients of ordinary size or exactly 0: below ~1e-100, g² and (1 − β)g fall into subnormal numbers, whose
# lost precision breaks exact identities (e.g. m̂ = g) in any floating-point implementation.
finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False).filter(
    lambda x: x == 0 or abs(x) > 1e-100
)
grad_streams = hnp.arrays(
    np.float64, st.tuples(st.integers(1, 30), st.integers(1, 3)), elements=finite
)


# Hyperparameters are 0 or normal numbers (adamlab refuses subnormal ones).
rate = st.floats(0, 0.99, allow_subnormal=False)


@settings(max_examples=60, deadline=None)
@given(grads=grad_streams, beta1=rate, beta2=st.floats(0, 0.9999, allow_subnormal=False))
def test_adamax_step_never_exceeds_lr_when_gradients_do_not_shrink(grads, beta1, beta2):
    """|Δθ| ≤ α (paper §7.1) holds whenever u_t ≥ every past |g_i|, e.g. for non-shrinking |g|."""
    grads = np.sort(np.abs(grads), axis=0) * np.where(grads < 0, -1.0, 1.0)  # |g| non-decreasing
    opt = AdaMax(lr=0.002, beta1=beta1, beta2=beta2)
    x, s = np.zeros(grads.shape[1]), opt.init(np.zeros(grads.shape[1]))
    for g in grads:
        x, s, info = opt.step_with_info(x, g, s)
        assert np.all(np.abs(info.delta) <= 0.002 * (1 + 1e-12))
        assert np.all(np.isfinite(x))


def adamax_sup(beta1, beta2, t):
    """The exact sup of |m̂_t|/u_t: m̂_t = Σ w_i g_i with w_i = (1-β1)β1^(t-i)/(1-β1^t) and u_t ≥ β2^(t-i)|g_i|,
    attained by |g_i| = β2^-(t-i), so sup = Σ w_i β2^-(t-i)."""
    return (1 - beta1) / (1 - beta1**t) * sum((beta1 / beta2) ** k for k in range(t))


@settings(max_examples=60, deadline=None)
@given(grads=grad_streams, beta1=rate, beta2=st.floats(0.5, 0.9999))
def test_adamax_step_bound_in_general(grads, beta1, beta2):
    """In general |Δθ_t| ≤ α·sup_t, and sup_t can exceed 1: the paper's |Δ| ≤ α is not a worst-case bound."""
    opt = AdaMax(lr=0.002, beta1=beta1, beta2=beta2)
    x, s = np.zeros(grads.shape[1]), opt.init(np.zeros(grads.shape[1]))
    for t, g in enumerate(grads, start=1):
        x, s, info = opt.step_with_info(x, g, s)
        assert np.all(np.abs(info.delta) <= 0.002 * adamax_sup(beta1, beta2, t) * (1 + 1e-12))


def test_adamax_exceeds_lr_for_shrinking_gradients():
    """Gradients shrinking by β2 per step: |Δθ|/α → (1 − β1)/(1 − β1/β2) = 1.00909... at the defaults."""
    opt = AdaMax(lr=1.0)
    x, s, largest = np.zeros(1), opt.init(np.zeros(1)), 0.0
    for t in range(1, 2001):
        x, s, info = opt.step_with_info(x, np.array([0.999**t]), s)
        largest = max(largest, abs(info.delta[0]))
    assert largest == pytest.approx(1.0090909090909, rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(grads=grad_streams, scale=st.floats(1e-6, 1e6))
def test_adam_without_eps_is_scale_invariant(grads, scale):
    """(c·m̂)/√(c²·v̂) = m̂/√v̂ (paper §2.1): rescaling the gradients leaves the path unchanged when ε = 0."""
    opt = Adam(lr=0.01, eps=0.0)
    a = run_stream(opt, np.zeros(grads.shape[1]), grads)
    b = run_stream(opt, np.zeros(grads.shape[1]), grads * scale)
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-15)


@settings(max_examples=60, deadline=None)
@given(g=hnp.arrays(np.float64, st.integers(1, 5), elements=finite), lr=st.floats(1e-5, 1.0))
def test_corrected_adam_first_step_is_lr_sign(g, lr):
    opt = Adam(lr=lr)
    x, _ = opt.step(np.zeros(g.shape), g, opt.init(np.zeros(g.shape)))
    expected = -lr * np.sign(g)
    # Up to ε: |Δθ| = α|g|/(|g| + ε).
    allowed = lr * 1e-8 / (np.abs(g) + 1e-8) + 4e-16 * lr  # the ε term, plus round-off
    assert np.all(np.abs(x - expected) <= allowed)


@settings(max_examples=40, deadline=None)
@given(grads=grad_streams)
def test_finite_input_never_gives_nan(grads):
    grads = grads.copy()
    grads[:, 0] = 0.0  # a coordinate without gradient: 0/0 territory when ε = 0
    for opt in (
        AdaGrad(eps=0.0),
        RMSProp(eps=0.0),
        RMSProp(eps=0.0, momentum=0.9),
        Adam(eps=0.0),
        AMSGrad(eps=0.0),
        AdamEpsHat(eps=0.0),
        NAdam(eps=0.0),
        AdamW(eps=0.0, weight_decay=0.0),
        AdaMax(),
    ):
        x = run_stream(opt, np.ones(grads.shape[1]), grads)
        assert np.all(np.isfinite(x)), opt
        assert np.all(x[:, 0] == 1.0), opt


# ------------------------------------------------------------------------------------------------------------
# Structure, purity, dtypes, batches, sweeps.

ALL = [CASES[k].optimizer for k in sorted(CASES)]


@pytest.mark.parametrize("opt", ALL, ids=repr)
def test_step_is_pure(opt):
    params = np.array([[1.0, 2.0], [3.0, 4.0]])
    grad = np.array([[0.1, -0.2], [0.0, 5.0]])
    state = opt.init(params)
    state = opt.step(params, grad, state)[1]
    before = (
        params.copy(),
        grad.copy(),
        [np.copy(f) if f is not None else None for f in state[1:]],
    )
    opt.step_with_info(params, grad, state)
    np.testing.assert_array_equal(params, before[0])
    np.testing.assert_array_equal(grad, before[1])
    for f, old in zip(state[1:], before[2]):
        if f is not None:
            np.testing.assert_array_equal(f, old)


@pytest.mark.parametrize("opt", ALL, ids=repr)
def test_float32_stays_float32(opt):
    x = np.array([1.0, -2.0], dtype=np.float32)
    s = opt.init(x)
    arrays = [name for name in s._fields if isinstance(getattr(s, name), np.ndarray)]
    assert len(arrays) == len(s) - 1 - ("mu_product" in s._fields)
    for name in arrays:
        assert getattr(s, name).dtype == np.float32
    for _ in range(3):
        x, s, info = opt.step_with_info(x, np.array([0.5, 0.25], dtype=np.float32), s)
    assert x.dtype == np.float32
    for f in (*(getattr(s, name) for name in arrays), *info):
        assert f.dtype == np.float32


def test_float32_with_array_hyperparameters():
    opt = Adam(lr=np.array([[0.1], [0.01]]))
    x = np.ones((2, 2), dtype=np.float32)
    x, s = opt.step(x, x, opt.init(x))
    assert x.dtype == np.float32 and s.m.dtype == np.float32


def test_integers_and_lists_become_float64():
    opt = SGD(lr=0.5)
    x, _ = opt.step([1, 2], [1, 1], opt.init([1, 2]))
    assert x.dtype == np.float64 and x.tolist() == [0.5, 1.5]


@pytest.mark.parametrize("opt", ALL, ids=repr)
def test_batch_equals_separate_runs(opt):
    starts = np.array([[0.5, -1.0], [2.0, 3.0], [0.0, 0.0]])
    grads = STREAMS["zeros"][:60, :2]
    batch = run_stream(opt, starts, [np.tile(g, (3, 1)) * [[1], [2], [-1]] for g in grads])
    for k, c in enumerate([1, 2, -1]):
        solo = run_stream(opt, starts[k], grads * c)
        np.testing.assert_array_equal(batch[:, k], solo)


@pytest.mark.parametrize(
    ("cls", "name", "values"),
    [
        (Adam, "lr", np.logspace(-3, 0, 5)),
        (Adam, "beta1", np.linspace(0, 0.99, 5)),
        (Adam, "beta2", np.array([0.9, 0.99, 0.999])),
        (Adam, "eps", np.array([0.0, 1e-8, 1e-3])),
        (Momentum, "momentum", np.array([0.0, 0.5, 0.9])),
        (RMSProp, "rho", np.array([0.5, 0.9, 0.99])),
        (AdaMax, "beta2", np.array([0.5, 0.999])),
        (AdaGrad, "lr", np.array([0.1, 1.0])),
    ],
)
def test_array_hyperparameters_equal_separate_runs(cls, name, values):
    K = len(values)
    grads = STREAMS["normal"][:80, :2]
    opt = cls(**{name: values[:, None]})
    sweep = run_stream(opt, np.ones((K, 2)), [np.tile(g, (K, 1)) for g in grads])
    for k in range(K):
        solo = run_stream(cls(**{name: float(values[k])}), np.ones(2), grads)
        np.testing.assert_allclose(sweep[:, k], solo, rtol=1e-15, atol=0)


def test_array_hyperparameter_must_broadcast_to_params():
    with pytest.raises(ValueError, match=r"lr has shape \(30, 1\).*params of shape \(2,\)"):
        Adam(lr=np.full((30, 1), 0.1)).init(np.zeros(2))


def test_trees_dict_list_tuple():
    opt = Adam(lr=0.1)
    params = {"w": np.ones((2, 3)), "b": [np.zeros(3), (np.ones(1),)]}
    grad = {"w": np.full((2, 3), 2.0), "b": [np.ones(3), (-np.ones(1),)]}
    state = opt.init(params)
    new, state, info = opt.step_with_info(params, grad, state)
    assert set(new) == {"w", "b"} and isinstance(new["b"], list) and isinstance(new["b"][1], tuple)
    np.testing.assert_allclose(new["w"], 0.9)
    np.testing.assert_allclose(new["b"][0], -0.1)
    np.testing.assert_allclose(new["b"][1][0], 1.1)
    assert state.m["w"].shape == (2, 3) and info.delta["b"][1][0].shape == (1,)
    # Same numbers as flat arrays.
    flat, _ = opt.step(np.ones((2, 3)), np.full((2, 3), 2.0), opt.init(np.ones((2, 3))))
    np.testing.assert_array_equal(new["w"], flat)


def test_info_is_what_the_step_did():
    opt = Adam(lr=0.1)
    x, s = np.array([1.0, 2.0]), opt.init(np.zeros(2))
    for g in STREAMS["normal"][:10, :2]:
        new, s, info = opt.step_with_info(x, g, s)
        np.testing.assert_array_equal(new, x + info.delta)
        np.testing.assert_allclose(info.delta, -info.step_size * info.m_hat, rtol=1e-14)
        x = new


@pytest.mark.parametrize("opt", ALL, ids=repr)
def test_info_fields(opt):
    _, _, info = opt.step_with_info(np.ones(2), np.ones(2), opt.init(np.ones(2)))
    assert info._fields[-2:] == ("step_size", "delta")
    for f in info:
        assert np.shape(f) == (2,)


def test_repr_shows_changed_hyperparameters():
    assert repr(Adam()) == "Adam(lr=0.001)"
    assert repr(Adam(lr=0.1, bias_correction="m")) == "Adam(lr=0.1, bias_correction='m')"
    assert repr(Momentum(nesterov=True)) == "Momentum(lr=0.01, nesterov=True)"
    assert repr(AdamW()) == "AdamW(lr=0.001)"
    assert repr(RMSProp(rho=0.99)) == "RMSProp(lr=0.01, rho=0.99)"
    assert "lr=<array (3, 1) 0.001..1>" in repr(Adam(lr=np.array([[1e-3], [1e-2], [1.0]])))
    assert repr(Adam(lr=schedules.InverseSqrt(0.5))) == "Adam(lr=InverseSqrt(lr=0.5))"


def test_immutable_and_replace():
    opt = Adam()
    with pytest.raises(dataclasses.FrozenInstanceError):
        opt.lr = 1.0  # type: ignore[misc]
    assert dataclasses.replace(opt, lr=0.5) == Adam(lr=0.5)
    assert Adam(lr=0.5) != Adam(lr=0.25) and Adam() != RMSProp()
    assert Adam(lr=np.ones((2, 1))) == Adam(lr=np.ones((2, 1)))


def test_state_counts_steps():
    opt = Adam()
    s = opt.init(np.zeros(3))
    assert s.t == 0 and s._fields == ("t", "m", "v")
    for k in range(1, 4):
        _, s = opt.step(np.zeros(3), np.ones(3), s)
        assert s.t == k


def test_schedule_receives_one_based_t():
    seen = []

    def lr(t):
        seen.append(t)
        return 0.1

    opt = SGD(lr=lr)
    x, s = np.zeros(1), opt.init(np.zeros(1))
    for _ in range(3):
        x, s = opt.step(x, np.ones(1), s)
    assert seen == [1, 2, 3]


def test_exports():
    for name in ("SGD", "Momentum", "AdaGrad", "RMSProp", "Adam", "AdaMax"):
        assert adamlab.OPTIMIZERS[name] is getattr(adamlab, name)


@pytest.mark.parametrize("opt", ALL, ids=repr)
def test_large_arrays_blocked_path_is_bit_identical(opt):
    """Arrays of at least 2^16 elements are updated block by block (the engine's kernel, for cache speed); the
    numbers must be exactly those of small arrays, which take the readable update directly."""
    rng = np.random.default_rng(11)
    n = 70_000  # above _kernel.BLOCK = 65,536, so the big array runs the kernel and its two blocks
    x = rng.normal(size=n)
    grads = rng.normal(size=(3, n))
    grads[:, :100] = 0.0
    big_x, big_s = x, opt.init(x)
    parts = [(x[i : i + 1000], opt.init(x[i : i + 1000])) for i in range(0, n, 1000)]
    for g in grads:
        big_x, big_s, big_info = opt.step_with_info(big_x, g, big_s)
        stepped = [
            opt.step_with_info(p, g[i * 1000 : (i + 1) * 1000], s) for i, (p, s) in enumerate(parts)
        ]
        parts = [(p, s) for p, s, _ in stepped]
        np.testing.assert_array_equal(big_x, np.concatenate([p for p, _ in parts]))
        for k, field in enumerate(big_info):
            np.testing.assert_array_equal(field, np.concatenate([inf[k] for _, _, inf in stepped]))
    x2, s2 = opt.step(x, grads[0], opt.init(x))
    x3, s3, _ = opt.step_with_info(x, grads[0], opt.init(x))
    np.testing.assert_array_equal(x2, x3)
