"""Reddi, Kale & Kumar (2018), section 3: Adam converges to the worst point of an online convex problem.

f_t(x) = C x when t mod 3 = 1, else -x, on F = [-1, 1]; the best fixed point is x = -1. With beta1 = 0,
beta2 = 1/(1 + C^2), no bias correction and eps = 0 (their framework), Adam goes to +1 with non-vanishing
average regret while AMSGrad goes to -1 (reference/paper.md section 3.5 reproduces the numbers).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import adamlab
from adamlab.objectives import reddi, regret


def _run(opt, obj, steps, x0=0.0):
    """Play steps 1..T: x_t is the point where f_t is evaluated; returns all x_t and the final point."""
    x = np.array([x0])
    state = opt.init(x)
    rng = np.random.default_rng(0)
    played = []
    for t in range(1, steps + 1):
        played.append(x)
        x, state = opt.step(x, obj.sample_grad(x, t, rng), state)
        x = obj.project(x)
    return np.array(played), x


def _reddi_adam(C, lr, amsgrad):
    """Adam and AMSGrad as Reddi et al. analyse them: β1 = 0, no bias correction, no ε."""
    cls = adamlab.AMSGrad if amsgrad else adamlab.Adam
    return cls(lr=lr, beta1=0.0, beta2=1 / (1 + C**2), eps=0.0, bias_correction="none")


@pytest.mark.parametrize(
    "C, lr",
    [(3.0, lambda t: 0.5 / math.sqrt(t)), (10.0, lambda t: 0.5 / math.sqrt(t)), (3.0, 0.1)],
    ids=["C=3, lr=0.5/sqrt(t)", "C=10, lr=0.5/sqrt(t)", "C=3, lr=0.1"],
)
def test_adam_goes_to_plus_one_and_amsgrad_to_minus_one(C, lr):
    obj = reddi(C)
    T = 1500
    xs_adam, x_adam = _run(_reddi_adam(C, lr, amsgrad=False), obj, T)
    xs_ams, x_ams = _run(_reddi_adam(C, lr, amsgrad=True), obj, T)
    assert x_adam[0] == pytest.approx(1.0, abs=1e-12)  # the worst point of F
    assert xs_adam[-300:].mean() > 0.9
    assert xs_ams[-300:].mean() < -0.85  # the best point of F
    # Average regret: stays at Theta(1) for Adam, goes to 0 for AMSGrad.
    avg_adam = regret(obj, xs_adam, average=True)
    avg_ams = regret(obj, xs_ams, average=True)
    worst = 2 * (C - 2) / 3  # average regret of sitting at +1 (2(C - 2) per period of 3)
    assert avg_adam[-1] > 0.9 * worst
    assert avg_ams[-1] < 0.1 * avg_adam[-1]
    assert avg_ams[-1] < avg_ams[T // 10]  # decreasing


def test_library_adam_matches_reddi_framework_scalar_reference():
    """Their Adam (beta1 = 0, no bias correction, no eps) written out in plain floats, then projected."""
    C = 3.0
    beta2 = 1 / (1 + C**2)
    obj = reddi(C)
    for amsgrad in (False, True):
        x, v, v_hat, expected = 0.0, 0.0, 0.0, []
        for t in range(1, 61):
            g = C if t % 3 == 1 else -1.0
            v = beta2 * v + (1 - beta2) * g * g
            v_hat = max(v_hat, v) if amsgrad else v
            x = min(1.0, max(-1.0, x - (0.5 / math.sqrt(t)) * g / math.sqrt(v_hat)))
            expected.append(x)
        played, final = _run(_reddi_adam(C, lambda t: 0.5 / math.sqrt(t), amsgrad), obj, 60)
        got = np.append(played[1:, 0], final[0])
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-13)
