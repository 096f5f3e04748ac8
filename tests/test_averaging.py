"""Temporal averaging (Kingma & Ba §7.2): hand-computed numbers, the bias-correction identity, independent
references (cumulative sums, explicit weights), the streaming form against the sequence form, and errors."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import adamlab
from adamlab.averaging import EMA, Polyak, ema, polyak

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


# ---- hand-computed numbers ------------------------------------------------------------------------------------


def test_polyak_by_hand():
    # (1), (1+2)/2, (1+2+3)/3, (1+2+3+4)/4
    assert polyak([1.0, 2.0, 3.0, 4.0]).tolist() == [1.0, 1.5, 2.0, 2.5]


def test_ema_by_hand():
    # beta = 0.5: theta_bar = 0.5, 0.5*0.5 + 0.5*2 = 1.25, 0.625 + 1.5 = 2.125, 1.0625 + 2 = 3.0625
    raw = ema([1.0, 2.0, 3.0, 4.0], beta=0.5, bias_correction=False)
    np.testing.assert_allclose(raw, [0.5, 1.25, 2.125, 3.0625], rtol=1e-15)
    # divided by 1 - 0.5^t = 0.5, 0.75, 0.875, 0.9375
    corrected = ema([1.0, 2.0, 3.0, 4.0], beta=0.5)
    np.testing.assert_allclose(corrected, [1.0, 5 / 3, 17 / 7, 49 / 15], rtol=1e-15)


def test_ema_with_beta_zero_is_the_last_iterate():
    thetas = np.array([[3.0, -1.0], [0.5, 7.0], [-2.0, 2.0]])
    np.testing.assert_array_equal(ema(thetas, beta=0.0), thetas)


# ---- identities and independent references -------------------------------------------------------------------


@given(
    theta=hnp.arrays(np.float64, st.integers(1, 4), elements=finite),
    beta=st.floats(0.0, 0.9999),
    T=st.integers(1, 40),
)
def test_bias_corrected_ema_of_a_constant_is_the_constant(theta, beta, T):
    thetas = np.broadcast_to(theta, (T, *theta.shape))
    np.testing.assert_allclose(ema(thetas, beta), thetas, rtol=1e-12, atol=1e-300)
    # and the uncorrected average is short of it by exactly the factor 1 - beta^t
    t = np.arange(1, T + 1)[:, None]
    np.testing.assert_allclose(
        ema(thetas, beta, bias_correction=False), (1 - beta**t) * thetas, rtol=1e-12, atol=1e-300
    )


@given(
    thetas=hnp.arrays(
        np.float64, st.tuples(st.integers(1, 30), st.integers(1, 3)), elements=finite
    ),
    beta=st.floats(0.0, 0.999),
)
def test_ema_is_the_normalised_geometric_weighting(thetas, beta):
    # theta_hat_t = sum_k beta^(t-k) theta_k / sum_k beta^(t-k): an explicit weight matrix, not the recursion
    T = len(thetas)
    t, k = np.meshgrid(np.arange(1, T + 1), np.arange(1, T + 1), indexing="ij")
    weights = np.where(k <= t, float(beta) ** np.maximum(t - k, 0), 0.0)
    expected = weights @ thetas / weights.sum(axis=1, keepdims=True)
    scale = np.max(np.abs(thetas)) + 1.0
    np.testing.assert_allclose(ema(thetas, beta), expected, rtol=1e-9, atol=1e-9 * scale)


@given(
    thetas=hnp.arrays(np.float64, st.tuples(st.integers(1, 50), st.integers(1, 3)), elements=finite)
)
def test_polyak_is_the_cumulative_mean(thetas):
    expected = np.cumsum(thetas, axis=0) / np.arange(1, len(thetas) + 1)[:, None]
    scale = np.max(np.abs(thetas)) + 1.0
    np.testing.assert_allclose(polyak(thetas), expected, rtol=1e-12, atol=1e-12 * scale)


def test_polyak_of_a_linear_sequence():
    # theta_k = k: the mean of 1..t is (t + 1) / 2
    t = np.arange(1, 1001, dtype=float)
    np.testing.assert_allclose(polyak(t), (t + 1) / 2, rtol=1e-14)


def test_streaming_equals_the_sequence_form_and_batches_are_independent():
    rng = np.random.default_rng(3)
    thetas = rng.normal(size=(25, 4, 2))  # 25 iterates of a batch of 4 starts in 2-D
    for average, function in ((EMA(0.9), lambda a: ema(a, 0.9)), (Polyak(), polyak)):
        state = average.init(thetas[0])
        for theta in thetas:
            state = average.update(theta, state)
        assert state.t == 25
        np.testing.assert_array_equal(average.value(state), function(thetas)[-1])
        for k in range(4):  # each start is averaged on its own
            np.testing.assert_array_equal(function(thetas)[:, k], function(thetas[:, k]))


def test_a_trajectory_is_averaged_from_its_first_step():
    traj = adamlab.run(adamlab.SGD(lr=0.1), "sphere", [1.0, 2.0], 5)
    np.testing.assert_array_equal(ema(traj, 0.9), ema(traj.params[1:], 0.9))
    np.testing.assert_array_equal(polyak(traj), polyak(traj.params[1:]))
    sparse = adamlab.run(adamlab.SGD(lr=0.1), "sphere", [1.0, 2.0], 6, every=2)
    with pytest.raises(ValueError, match="every step recorded"):
        ema(sparse)


def test_dtypes_are_kept_and_inputs_are_not_changed():
    thetas = np.arange(6, dtype=np.float32).reshape(3, 2)
    thetas.flags.writeable = False  # any write into the input would raise
    assert ema(thetas, 0.5).dtype == np.float32
    assert polyak(thetas).dtype == np.float32
    np.testing.assert_array_equal(thetas, np.arange(6, dtype=np.float32).reshape(3, 2))
    assert polyak([1, 2, 3]).dtype == np.float64  # integers become float64
    state = EMA(0.5).init(np.zeros(2))
    before = state.theta_bar.copy()
    EMA(0.5).update(np.ones(2), state)
    np.testing.assert_array_equal(state.theta_bar, before)  # the old state is untouched


# ---- errors --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("beta", [1.0, -0.1, float("nan"), 2])
def test_a_bad_beta_is_a_value_error_naming_it(beta):
    with pytest.raises(ValueError, match=r"EMA: beta must be finite and in \[0, 1\)"):
        EMA(beta=beta)
    with pytest.raises(ValueError, match="beta"):
        ema([1.0, 2.0], beta=beta)


@pytest.mark.parametrize("beta", ["0.9", None, np.array([0.5, 0.9]), [0.5]])
def test_a_beta_of_the_wrong_type_is_a_type_error(beta):
    with pytest.raises(TypeError, match="EMA: beta must be a number"):
        EMA(beta=beta)


def test_bias_correction_must_be_a_bool():
    with pytest.raises(TypeError, match="EMA: bias_correction must be True or False, got 1"):
        EMA(bias_correction=1)


def test_bad_iterates_and_states():
    with pytest.raises(ValueError, match="must be finite"):
        polyak([1.0, float("nan")])
    with pytest.raises(ValueError, match="at least one iterate"):
        ema(np.zeros((0, 2)))
    with pytest.raises(ValueError, match="leading time axis"):
        polyak(3.0)
    with pytest.raises(TypeError, match="array of numbers"):
        polyak("abc")
    with pytest.raises(TypeError, match="real numbers"):
        ema(np.array([1 + 2j]))
    avg = Polyak()
    with pytest.raises(ValueError, match=r"shape \(3,\) but the state was made for shape \(2,\)"):
        avg.update(np.zeros(3), avg.init(np.zeros(2)))
    with pytest.raises(TypeError, match="state must come from EMA.init"):
        EMA().update(np.zeros(2), (0, np.zeros(2)))
    with pytest.raises(ValueError, match="no iterate has been averaged yet"):
        EMA().value(EMA().init(np.zeros(2)))
    with pytest.raises(ValueError, match="no iterate has been averaged yet"):
        avg.value(avg.init(np.zeros(2)))


# ---- the package ---------------------------------------------------------------------------------------------


def test_averaging_is_served_lazily_by_the_package():
    code = (
        "import sys, adamlab\n"
        "assert 'adamlab.averaging' not in sys.modules\n"
        "assert adamlab.averaging.EMA is __import__('adamlab.averaging').averaging.EMA\n"
        "assert 'averaging' in adamlab.__all__\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
