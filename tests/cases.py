"""The one table of optimizer cases that the optimizer tests read.

Each case is an adamlab optimizer with non-default hyperparameters, its independent scalar reference (written
from the papers in tests/reference.py, without adamlab), and its torch.optim twin with the map from adamlab's
state fields to torch's state keys (or the reason there is none). ``test_every_optimizer_has_a_case`` fails when
an optimizer in ``adamlab.OPTIMIZERS`` has no case: adding an optimizer means adding a row here.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

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
    Optimizer,
    RMSProp,
    schedules,
)
from tests import reference as ref


@dataclasses.dataclass(frozen=True)
class Case:
    optimizer: Optimizer
    reference: Callable[
        [float, list[float]], list[float]
    ]  # (θ₀, gradients of one coordinate) -> θ₁, θ₂, ...
    torch: Callable[[Any, list[Any]], Any] | None = (
        None  # (torch, params) -> a torch.optim optimizer
    )
    state_map: dict[str, str] = dataclasses.field(
        default_factory=dict
    )  # adamlab field -> torch key
    no_torch: str = ""  # why there is no torch twin
    l2: float = 0.0  # feed the gradient of objectives.l2(f, l2): g + l2·θ


CASES: dict[str, Case] = {
    "SGD": Case(
        SGD(lr=0.05),
        lambda th, gs: ref.sgd(th, gs, 0.05),
        lambda torch, p: torch.optim.SGD(p, lr=0.05),
    ),
    "Momentum": Case(
        Momentum(lr=0.05, momentum=0.8),
        lambda th, gs: ref.momentum(th, gs, 0.05, 0.8),
        lambda torch, p: torch.optim.SGD(p, lr=0.05, momentum=0.8),
        {"b": "momentum_buffer"},
    ),
    "Nesterov": Case(
        Momentum(lr=0.05, momentum=0.8, nesterov=True),
        lambda th, gs: ref.momentum(th, gs, 0.05, 0.8, nesterov=True),
        lambda torch, p: torch.optim.SGD(p, lr=0.05, momentum=0.8, nesterov=True),
        {"b": "momentum_buffer"},
    ),
    "AdaGrad": Case(
        AdaGrad(lr=0.3, eps=1e-10),
        lambda th, gs: ref.adagrad(th, gs, 0.3, 1e-10),
        lambda torch, p: torch.optim.Adagrad(p, lr=0.3, eps=1e-10),
        {"G": "sum"},
    ),
    "AdaGrad-G0": Case(
        AdaGrad(lr=0.3, eps=1e-7, initial_accumulator=0.1),
        lambda th, gs: ref.adagrad(th, gs, 0.3, 1e-7, g0=0.1),
        lambda torch, p: torch.optim.Adagrad(p, lr=0.3, eps=1e-7, initial_accumulator_value=0.1),
        {"G": "sum"},
    ),
    "RMSProp": Case(
        RMSProp(lr=0.01, rho=0.9),
        lambda th, gs: ref.rmsprop(th, gs, 0.01, 0.9, 1e-8),
        lambda torch, p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-8),
        {"v": "square_avg"},
    ),
    "RMSProp-momentum": Case(
        RMSProp(lr=0.01, rho=0.95, momentum=0.7),
        lambda th, gs: ref.rmsprop(th, gs, 0.01, 0.95, 1e-8, mu=0.7),
        lambda torch, p: torch.optim.RMSprop(p, lr=0.01, alpha=0.95, eps=1e-8, momentum=0.7),
        {"v": "square_avg", "b": "momentum_buffer"},
    ),
    "Adam": Case(
        Adam(lr=0.01),
        lambda th, gs: ref.adam(th, gs, 0.01),
        lambda torch, p: torch.optim.Adam(p, lr=0.01),
        {"m": "exp_avg", "v": "exp_avg_sq"},
    ),
    "Adam-none": Case(
        Adam(lr=0.01, bias_correction="none"),
        lambda th, gs: ref.adam(th, gs, 0.01, correct_m=False, correct_v=False),
        no_torch="no bias-correction switch in torch",
    ),
    "Adam-m": Case(
        Adam(lr=0.01, bias_correction="m"),
        lambda th, gs: ref.adam(th, gs, 0.01, correct_v=False),
        no_torch="no bias-correction switch in torch",
    ),
    "Adam-v": Case(
        Adam(lr=0.01, bias_correction="v"),
        lambda th, gs: ref.adam(th, gs, 0.01, correct_m=False),
        no_torch="no bias-correction switch in torch",
    ),
    "Adam-invsqrt": Case(
        Adam(lr=schedules.InverseSqrt(0.1), beta2=0.99),
        lambda th, gs: ref.adam(th, gs, lambda t: 0.1 / math.sqrt(t), b2=0.99),
        no_torch="torch's LambdaLR would need the same t convention",
    ),
    "Adam-beta1-decay": Case(
        Adam(lr=0.01, beta1=schedules.Beta1Decay(0.9, lam=0.99)),
        lambda th, gs: ref.adam(th, gs, 0.01, b1=lambda t: 0.9 * 0.99 ** (t - 1)),
        no_torch="torch has no β1 schedule",
    ),
    "Adam-L2": Case(
        Adam(lr=0.01),
        lambda th, gs: ref.adam(th, gs, 0.01, wd=0.1),
        lambda torch, p: torch.optim.Adam(p, lr=0.01, weight_decay=0.1),
        {"m": "exp_avg", "v": "exp_avg_sq"},
        l2=0.1,
    ),
    "AMSGrad": Case(
        AMSGrad(lr=0.01),
        lambda th, gs: ref.amsgrad(th, gs, 0.01),
        lambda torch, p: torch.optim.Adam(p, lr=0.01, amsgrad=True),
        {"m": "exp_avg", "v": "exp_avg_sq", "v_max": "max_exp_avg_sq"},
    ),
    "AMSGrad-Reddi": Case(
        AMSGrad(lr=schedules.InverseSqrt(0.05), beta2=0.99, eps=0.0, bias_correction="none"),
        lambda th, gs: ref.amsgrad(
            th,
            gs,
            lambda t: 0.05 / math.sqrt(t),
            b2=0.99,
            eps=0.0,
            correct_m=False,
            correct_v=False,
        ),
        no_torch="torch always bias-corrects AMSGrad",
    ),
    "AMSGrad-optax": Case(
        AMSGrad(lr=0.01, bias_correction="m"),
        lambda th, gs: ref.optax_amsgrad_raw_nu(th, gs, 0.01),
        no_torch="optax's amsgrad(bias_correction_nu=False) is the reference here",
    ),
    "AdamW": Case(
        AdamW(lr=0.01, weight_decay=0.1),
        lambda th, gs: ref.adamw(th, gs, 0.01, wd=0.1),
        lambda torch, p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1),
        {"m": "exp_avg", "v": "exp_avg_sq"},
    ),
    "AdamEpsHat": Case(
        AdamEpsHat(lr=0.01, eps=1e-7),
        lambda th, gs: ref.adam_eps_hat(th, gs, 0.01, eps_hat=1e-7),
        no_torch="torch has no ε̂ form (Keras, TF and scikit-learn compute it)",
    ),
    "AdaMax": Case(
        AdaMax(lr=0.002),
        lambda th, gs: ref.adamax(th, gs, 0.002),
        no_torch="torch's Adamax gives NaN with eps=0 where u = 0 (see the eps case)",
    ),
    "AdaMax-eps": Case(
        AdaMax(lr=0.002, eps=1e-8),
        lambda th, gs: ref.adamax(th, gs, 0.002, eps=1e-8),
        lambda torch, p: torch.optim.Adamax(p, lr=0.002, eps=1e-8),
        {"m": "exp_avg", "u": "exp_inf"},
    ),
    "NAdam": Case(
        NAdam(lr=0.01),
        lambda th, gs: ref.nadam(th, gs, 0.01),
        lambda torch, p: torch.optim.NAdam(p, lr=0.01),
        {"m": "exp_avg", "v": "exp_avg_sq", "mu_product": "mu_product"},
    ),
}


def streams(steps: int = 150, d: int = 4) -> dict[str, Any]:
    """Fixed gradient streams, independent of θ: normal, tiny (1e-9..1e-5: they separate ε variants), and
    zero-laden (a coordinate that never sees a gradient, one that starts late)."""
    import numpy as np

    rng = np.random.default_rng(7)
    normal = rng.normal(size=(steps, d))
    tiny = rng.uniform(1e-9, 1e-5, size=(steps, d)) * rng.choice([-1, 1], size=(steps, d))
    zeros = rng.normal(size=(steps, d))
    zeros[rng.random((steps, d)) < 0.4] = 0.0
    zeros[:, 0] = 0.0  # a coordinate that never sees a gradient
    zeros[:20, 1] = 0.0  # and one that starts late
    return {"normal": normal, "tiny": tiny, "zeros": zeros}


STREAMS = streams()


def run_stream(opt: Optimizer, theta0: Any, grads: Any, l2: float = 0.0) -> Any:
    """The params after each step of ``opt`` on the gradient stream (plus l2·θ, the L2 term)."""
    import numpy as np

    params, state = np.array(theta0, dtype=float), opt.init(theta0)
    out = []
    for g in grads:
        params, state = opt.step(params, g + l2 * params, state)
        out.append(params)
    return np.array(out)
