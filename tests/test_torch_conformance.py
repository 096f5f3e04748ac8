"""Same numbers as torch.optim, to float64 round-off, for every case of tests/cases.py that has a torch twin.

torch is never a dependency of adamlab. These tests are skipped when it is not installed; `make parity` (which
CI runs after `make test`) installs the CPU build into the environment and runs them with skipping forbidden.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from adamlab import Adam, AdaMax, objectives
from tests.cases import CASES, STREAMS

if os.environ.get(
    "ADAMLAB_REQUIRE_TORCH"
):  # `make parity`: a missing torch is a failure, not a skip
    import torch
else:
    torch = pytest.importorskip("torch")

TWINS = sorted(name for name, case in CASES.items() if case.torch is not None)


@pytest.fixture(autouse=True)
def float64_default():
    """torch keeps scalar state (NAdam's μ product, the step count) in the default dtype: make it float64."""
    before = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(before)


@pytest.mark.parametrize("stream", sorted(STREAMS))
@pytest.mark.parametrize("name", TWINS)
def test_matches_torch_every_step(name, stream):
    case = CASES[name]
    grads = STREAMS[stream]
    theta0 = np.array([0.5, -1.0, 2.0, 0.0])
    p = torch.tensor(theta0, dtype=torch.float64, requires_grad=True)
    topt = case.torch(torch, [p])
    ours = case.optimizer
    x, s = theta0.copy(), ours.init(theta0)
    xs, ps = [], []
    for g in grads:
        x, s = ours.step(x, g + case.l2 * x, s)  # torch adds its own L2 term (weight_decay) inside
        p.grad = torch.tensor(g, dtype=torch.float64)
        topt.step()
        xs.append(x)
        ps.append(p.detach().numpy().copy())
        for field, key in case.state_map.items():
            theirs = np.asarray(topt.state[p][key].numpy())
            np.testing.assert_allclose(getattr(s, field), theirs, rtol=1e-12, atol=1e-300)
    xs, ps = np.array(xs), np.array(ps)
    movement = np.max(np.abs(ps - theta0))
    np.testing.assert_allclose(xs, ps, rtol=1e-12, atol=1e-13 * movement)


def test_adam_on_an_l2_objective_is_torch_adam_with_weight_decay():
    """Closed loop on a real function: Adam on objectives.l2(f, λ) is torch's Adam(weight_decay=λ) on f."""
    lam = 0.05
    f = objectives.l2("beale", lam)
    base = f.base
    x = np.array([1.0, 1.5])
    p = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    topt = torch.optim.Adam([p], lr=0.01, weight_decay=lam)
    opt = Adam(lr=0.01)
    s = opt.init(x)
    for _ in range(300):
        x, s = opt.step(x, f.grad(x), s)
        p.grad = torch.tensor(base.grad(p.detach().numpy()))
        topt.step()
        np.testing.assert_allclose(x, p.detach().numpy(), rtol=1e-11, atol=1e-14)


def test_float32_agrees_with_torch_float32():
    """In float32 both compute the bias corrections in double precision: they agree to float32 round-off."""
    case = CASES["Adam"]
    grads = STREAMS["normal"].astype(np.float32)
    x = np.array([0.5, -1.0, 2.0, 0.0], dtype=np.float32)
    p = torch.tensor(x, dtype=torch.float32, requires_grad=True)
    topt = case.torch(torch, [p])
    s = case.optimizer.init(x)
    for g in grads:
        x, s = case.optimizer.step(x, g, s)
        p.grad = torch.tensor(g)
        topt.step()
    assert x.dtype == np.float32
    np.testing.assert_allclose(x, p.detach().numpy(), rtol=2e-6, atol=1e-6)


def test_adamax_zero_gradient_is_nan_in_torch_and_zero_here():
    """The documented difference: PyTorch's Adamax with eps=0 gives 0/0 = NaN where u = 0."""
    p = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    topt = torch.optim.Adamax([p], eps=0.0)
    p.grad = torch.zeros(1, dtype=torch.float64)
    topt.step()
    assert torch.isnan(p).all()
    x, _ = AdaMax().step(np.zeros(1), np.zeros(1), AdaMax().init(np.zeros(1)))
    assert x[0] == 0.0
