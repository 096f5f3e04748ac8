"""Learning-rate schedules: literal values, reprs, validation."""

from __future__ import annotations

import math

import numpy as np
import pytest

import adamlab
from adamlab import SGD, schedules


def test_values():
    assert schedules.Constant(0.3)(100) == 0.3
    assert [schedules.InverseSqrt(2.0)(t) for t in (1, 4, 16)] == [2.0, 1.0, 0.5]
    s = schedules.StepDecay(1.0, every=3, gamma=0.5)
    assert [s(t) for t in range(1, 8)] == [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25]
    assert [schedules.ExponentialDecay(8.0, gamma=0.5)(t) for t in (1, 2, 4)] == [8.0, 4.0, 1.0]
    c = schedules.Cosine(1.0, total_steps=4, min_lr=0.2)
    assert [round(c(t), 12) for t in (1, 3, 5, 9)] == [1.0, 0.6, 0.2, 0.2]
    w = schedules.LinearWarmup(schedules.ExponentialDecay(1.0, gamma=0.5), warmup_steps=2)
    assert [w(t) for t in (1, 2, 3)] == [0.5, 0.5, 0.25]


def test_array_base_rate_for_sweeps():
    s = schedules.InverseSqrt(np.array([1.0, 4.0]))
    np.testing.assert_array_equal(s(4), [0.5, 2.0])


def test_reprs():
    assert repr(schedules.StepDecay(0.1, every=10)) == "StepDecay(lr=0.1, every=10, gamma=0.1)"
    assert (
        repr(schedules.LinearWarmup(schedules.Cosine(0.1, 100), 5))
        == "LinearWarmup(after=Cosine(lr=0.1, total_steps=100, min_lr=0.0), warmup_steps=5)"
    )


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (
            lambda: schedules.Constant(-1.0),
            ValueError,
            r"Constant: lr must be finite and in \[0, inf\), got -1\.0",
        ),
        (lambda: schedules.InverseSqrt(float("nan")), ValueError, "lr must be finite"),
        (
            lambda: schedules.StepDecay(0.1, every=0),
            ValueError,
            "StepDecay: every must be an integer >= 1, got 0",
        ),
        (lambda: schedules.StepDecay(0.1, every=2.5), TypeError, "every must be an integer"),
        (
            lambda: schedules.ExponentialDecay(0.1, gamma=1.5),
            ValueError,
            r"ExponentialDecay: gamma must be finite and in \(0, 1\], got 1\.5",
        ),
        (
            lambda: schedules.Cosine(0.1, total_steps=-3),
            ValueError,
            "Cosine: total_steps must be an integer >= 1, got -3",
        ),
        (lambda: schedules.Beta1Decay(1.0), ValueError, r"beta1 must be finite and in \[0, 1\)"),
        (
            lambda: schedules.Beta1Decay(0.9, lam=0.0),
            ValueError,
            r"lam must be finite and in \(0, 1\]",
        ),
        (lambda: schedules.Beta1Decay(np.array([0.9, 0.5])), TypeError, "beta1 must be a number"),
        (lambda: schedules.LinearWarmup("x", 3), TypeError, "LinearWarmup: after must be a number"),
    ],
)
def test_bad_arguments(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_t_starts_at_one():
    with pytest.raises(ValueError, match="t = 1, 2, ..., got t=0"):
        schedules.InverseSqrt(1.0)(0)


def test_config_round_trip():
    s = schedules.LinearWarmup(schedules.StepDecay(0.1, every=5, gamma=0.5), warmup_steps=3)
    back = schedules.Schedule.from_config(s.config())
    assert repr(back) == repr(s)
    assert all(back(t) == s(t) for t in range(1, 30))


def test_sgd_with_inverse_sqrt():
    opt = SGD(lr=schedules.InverseSqrt(1.0))
    x, s = np.zeros(1), opt.init(np.zeros(1))
    for _ in range(4):
        x, s = opt.step(x, np.ones(1), s)
    assert x[0] == pytest.approx(-(1 + 1 / math.sqrt(2) + 1 / math.sqrt(3) + 0.5), rel=1e-15)


def test_beta1_decay_is_theorem_4_1():
    """β1,t = β1·λ^(t−1): 0.9, 0.45, 0.225 for λ = 1/2; constant for λ = 1."""
    s = schedules.Beta1Decay(0.9, lam=0.5)
    assert [s(t) for t in (1, 2, 3)] == [0.9, 0.45, 0.225]
    assert {schedules.Beta1Decay(0.9, lam=1.0)(t) for t in (1, 10, 1000)} == {0.9}
    assert schedules.Beta1Decay(0.9).lam == 1 - 1e-8  # the paper's example


def test_beta1_decay_flushes_to_zero_instead_of_going_subnormal():
    """0.3·2^(1−t) is 2.67e-308 at t = 1021 (normal) and subnormal from t = 1022: there it is 0, so a long run
    with Theorem 4.1's schedule is not stopped by the engine's refusal of subnormal hyperparameters."""
    s = schedules.Beta1Decay(0.3, lam=0.5)
    assert s(1021) == 0.3 * 0.5**1020 > 0 and s(1022) == 0.0 and s(10**6) == 0.0
    opt = adamlab.Adam(lr=schedules.InverseSqrt(0.5), beta1=s, beta2=0.1)
    traj = adamlab.run(opt, adamlab.objectives.reddi(3.0), [0.0], 1500)
    assert np.isfinite(traj.final).all()


def test_equal_schedules_hash_alike():
    """== and hash agree, also for 0.0 and -0.0 (a set or dict of schedules must not hold both)."""
    assert schedules.Constant(0.0) == schedules.Constant(-0.0)
    assert hash(schedules.Constant(0.0)) == hash(schedules.Constant(-0.0))
    assert len({schedules.Constant(0.0), schedules.Constant(-0.0)}) == 1
