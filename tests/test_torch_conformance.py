"""Same numbers as torch.optim, to float64 round-off, on fixed gradient streams (normal, tiny, with zeros).

torch is never a dependency of adamlab: these tests run when it is installed (`pip install torch`) and are
skipped otherwise. The independent pure-Python reference (tests/reference.py) covers the same ground always.
"""

from __future__ import annotations

import numpy as np
import pytest

from adamlab import SGD, AdaGrad, Adam, AdaMax, Momentum, RMSProp
from tests.test_optimizers import STREAMS

torch = pytest.importorskip("torch")

CASES = {
    "SGD": (SGD(lr=0.05), lambda p: torch.optim.SGD(p, lr=0.05), {}),
    "Momentum": (
        Momentum(lr=0.05, momentum=0.9),
        lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9),
        {"b": "momentum_buffer"},
    ),
    "Nesterov": (
        Momentum(lr=0.05, momentum=0.9, nesterov=True),
        lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True),
        {"b": "momentum_buffer"},
    ),
    "AdaGrad": (
        AdaGrad(lr=0.3, eps=1e-10, initial_accumulator=0.1),
        lambda p: torch.optim.Adagrad(p, lr=0.3, eps=1e-10, initial_accumulator_value=0.1),
        {"G": "sum"},
    ),
    "RMSProp": (
        RMSProp(lr=0.01, rho=0.9),
        lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-8),
        {"v": "square_avg"},
    ),
    "RMSProp-momentum": (
        RMSProp(lr=0.01, rho=0.99, momentum=0.9),
        lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.99, eps=1e-8, momentum=0.9),
        {"v": "square_avg", "b": "momentum_buffer"},
    ),
    "Adam": (
        Adam(lr=0.01),
        lambda p: torch.optim.Adam(p, lr=0.01),
        {"m": "exp_avg", "v": "exp_avg_sq"},
    ),
    "Adam-amsgrad": (
        Adam(lr=0.01, amsgrad=True),
        lambda p: torch.optim.Adam(p, lr=0.01, amsgrad=True),
        {"m": "exp_avg", "v": "exp_avg_sq", "v_max": "max_exp_avg_sq"},
    ),
    "Adam-L2": (
        Adam(lr=0.01, weight_decay=0.1),
        lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.1),
        {"m": "exp_avg", "v": "exp_avg_sq"},
    ),
    "AdamW": (
        Adam(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True),
        lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1),
        {"m": "exp_avg", "v": "exp_avg_sq"},
    ),
    "AdaMax": (
        AdaMax(lr=0.002, eps=1e-8),
        lambda p: torch.optim.Adamax(p, lr=0.002, eps=1e-8),
        {"m": "exp_avg", "u": "exp_inf"},
    ),
}


@pytest.mark.parametrize("stream", sorted(STREAMS))
@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_torch_every_step(name, stream):
    ours, make_torch, state_map = CASES[name]
    grads = STREAMS[stream]
    theta0 = np.array([0.5, -1.0, 2.0, 0.0])
    p = torch.tensor(theta0, dtype=torch.float64, requires_grad=True)
    topt = make_torch([p])
    x, s = theta0.copy(), ours.init(theta0)
    xs, ps = [], []
    for g in grads:
        x, s = ours.step(x, g, s)
        p.grad = torch.tensor(g, dtype=torch.float64)
        topt.step()
        xs.append(x)
        ps.append(p.detach().numpy().copy())
        for field, key in state_map.items():
            theirs = topt.state[p][key].numpy()
            np.testing.assert_allclose(getattr(s, field), theirs, rtol=1e-12, atol=1e-300)
    xs, ps = np.array(xs), np.array(ps)
    movement = np.max(np.abs(ps - theta0))
    np.testing.assert_allclose(xs, ps, rtol=1e-12, atol=1e-13 * movement)


def test_adamax_zero_gradient_is_nan_in_torch_and_zero_here():
    """The documented difference: PyTorch's Adamax with eps=0 gives 0/0 = NaN where u = 0."""
    p = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    topt = torch.optim.Adamax([p], eps=0.0)
    p.grad = torch.zeros(1, dtype=torch.float64)
    topt.step()
    assert torch.isnan(p).all()
    x, _ = AdaMax().step(np.zeros(1), np.zeros(1), AdaMax().init(np.zeros(1)))
    assert x[0] == 0.0
