"""The catalogue of mistakes people make when they write an optimizer, for :mod:`adamlab.exercises`.

Each mistake is a step function with the student's signature that computes exactly what the mistake computes, a
one-line summary, the line of the paper's algorithm it concerns, and its story: why people make it, where it has
been seen, and what it does to the numbers. The checker runs every mistake of an exercise on the same probes as the
student's function; the one that reproduces the student's outputs on every probe is the diagnosis.

These functions are the mistakes, not solutions: the correct numbers always come from adamlab's optimizers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np


@dataclasses.dataclass(frozen=True)
class Mistake:
    key: str
    summary: str  # what the student's code does, in words
    line: str  # the line of the paper's algorithm it concerns
    story: str  # why it happens, where it was seen, what it does
    step: Callable
    passes: bool = (
        False  # the same algorithm in another convention (the report passes, with a note)
    )


# ------------------------------------------------------------------------------------------------------------
# Adam (Algorithm 1) and its mistakes. The signature: (theta, g, m, v, t, lr, beta1, beta2, eps).


def _adam(theta, g, m, v, t, lr, b1, b2, eps, *, cm=True, cv=True, tt=None, swap=False, inside=False,
          hat=False, nosqrt=False, ema_swap=False, v_from_m=False, store_hat=False, sign=1.0,
          powered=True):  # fmt: skip
    """One Adam step with switches for the mistakes (written once, so each mistake differs in one place)."""
    if swap:
        b1, b2 = b2, b1
    tc = t if tt is None else tt(t)
    if ema_swap:
        m = (1 - b1) * m + b1 * g
        v = (1 - b2) * v + b2 * g * g
    else:
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * (m * m if v_from_m else g * g)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        c1 = 1 - (b1**tc if powered else b1)
        c2 = 1 - (b2**tc if powered else b2)
        m_hat = m / c1 if cm else m
        v_hat = v / c2 if cv else v
        if hat:
            step = lr * np.sqrt(c2) / c1 * m / (np.sqrt(v) + eps)
        elif inside:
            step = lr * m_hat / np.sqrt(v_hat + eps)
        elif nosqrt:
            step = lr * m_hat / (v_hat + eps)
        else:
            step = lr * m_hat / (np.sqrt(v_hat) + eps)
    theta = theta - sign * step
    if store_hat:
        return theta, m_hat, v_hat
    return theta, m, v


def _adam_mistake(**switches):
    return lambda theta, g, m, v, t, lr, beta1, beta2, eps: _adam(
        theta, g, m, v, t, lr, beta1, beta2, eps, **switches
    )


_T_STUCK = (
    "With t passed in, 't stuck at 1' (d2l's TensorFlow Adam never increments its step counter) computes exactly "
    "these numbers too: both divide by 1 − β instead of 1 − βᵗ."
)

ADAM: dict[str, Mistake] = {
    m.key: m
    for m in [
        Mistake(
            "no-bias-correction",
            "divides by neither 1 − β1ᵗ nor 1 − β2ᵗ",
            "m̂_t ← m_t/(1 − β1ᵗ) and v̂_t ← v_t/(1 − β2ᵗ)",
            "The most common Adam from scratch: it is RMSProp with momentum, the version the paper's §6.4 shows "
            "diverging for β2 close to 1. Started at zero, m and v are too small for the first steps; the two "
            "corrections undo that, and without them the first step is (1 − β1)/√(1 − β2) times α.",
            _adam_mistake(cm=False, cv=False),
        ),
        Mistake(
            "no-bias-correction-m",
            "corrects v but not m",
            "m̂_t ← m_t/(1 − β1ᵗ)",
            "Without the first correction m̂ is 1 − β1ᵗ times too small: the early steps are too short (0.1 "
            "of the right length at t = 1 for β1 = 0.9), which reads as 'Adam warms up slowly'.",
            _adam_mistake(cm=False),
        ),
        Mistake(
            "no-bias-correction-v",
            "corrects m but not v",
            "v̂_t ← v_t/(1 − β2ᵗ)",
            "Correcting m but not v makes the first steps far too large: v is only 1 − β2ᵗ of its value, so the "
            "step grows by 1/√(1 − β2ᵗ), 31.6 times at t = 1 for β2 = 0.999.",
            _adam_mistake(cv=False),
        ),
        Mistake(
            "t-minus-one",
            "uses the number of completed steps, t − 1, in the corrections",
            "m̂_t ← m_t/(1 − β1ᵗ), v̂_t ← v_t/(1 − β2ᵗ) with t counted from 1",
            "An off-by-one between 'steps taken' and 'this step': the paper increments t before using it. At "
            "t = 1 the corrections become 1 − β⁰ = 0, a division by zero (NaN or inf in the first step).",
            _adam_mistake(tt=lambda t: t - 1),
        ),
        Mistake(
            "t-plus-one",
            "uses t + 1 in the corrections",
            "m̂_t ← m_t/(1 − β1ᵗ), v̂_t ← v_t/(1 − β2ᵗ)",
            "An off-by-one the other way (incrementing t after the step and then again before it): the "
            "corrections are slightly too weak, most visibly in the first steps.",
            _adam_mistake(tt=lambda t: t + 1),
        ),
        Mistake(
            "beta-not-powered",
            "divides by 1 − β instead of 1 − βᵗ",
            "m̂_t ← m_t/(1 − β1ᵗ), v̂_t ← v_t/(1 − β2ᵗ)",
            "Seen as '(1 − β²)' for '(1 − β₂ᵗ)' in notes and forum answers. The correction is right at t = 1 "
            "and wrong afterwards: it keeps dividing m by 0.1 and v by 0.001 for ever. " + _T_STUCK,
            _adam_mistake(powered=False),
        ),
        Mistake(
            "eps-inside-sqrt",
            "adds ε inside the square root",
            "θ_t ← θ_{t−1} − α m̂_t/(√v̂_t + ε)",
            "√(v̂ + ε) instead of √v̂ + ε (optax's eps_root, Keras' RMSprop): an ε of 1e-8 inside the root acts "
            "like 1e-4 outside it, so small gradients take much smaller steps.",
            _adam_mistake(inside=True),
        ),
        Mistake(
            "eps-hat",
            "uses the paper's 'efficient' form with a constant ε̂ (Keras, TensorFlow, scikit-learn)",
            "θ_t ← θ_{t−1} − α m̂_t/(√v̂_t + ε)",
            "The end of §2 folds both corrections into α_t = α√(1 − β2ᵗ)/(1 − β1ᵗ) and adds ε̂ to the "
            "uncorrected √v. That is Algorithm 1 only with ε̂ = ε√(1 − β2ᵗ); with a constant ε̂ the effective "
            "ε is 31.6 times larger at t = 1. Not wrong in Keras, but not Algorithm 1 (see adamlab.AdamEpsHat).",
            _adam_mistake(hat=True),
        ),
        Mistake(
            "missing-sqrt",
            "divides by v̂ instead of √v̂",
            "θ_t ← θ_{t−1} − α m̂_t/(√v̂_t + ε)",
            "Without the square root the step is no longer scale-free: it divides g by g², so it shrinks when "
            "the gradient grows (a gradient 1000 times larger gives a step 1000 times smaller).",
            _adam_mistake(nosqrt=True),
        ),
        Mistake(
            "betas-swapped",
            "uses β2 where the algorithm has β1 and the other way round",
            "m_t ← β1 m_{t−1} + (1 − β1) g_t, v_t ← β2 v_{t−1} + (1 − β2) g_t²",
            "Swapping the two rates (an easy slip when both are called 'beta') averages the gradient over "
            "1000 steps and its square over 10: the momentum becomes very slow and the scale very jumpy.",
            _adam_mistake(swap=True),
        ),
        Mistake(
            "ema-weights-swapped",
            "weights the averages the wrong way round: (1 − β)·old + β·new",
            "m_t ← β1 m_{t−1} + (1 − β1) g_t, v_t ← β2 v_{t−1} + (1 − β2) g_t²",
            "The weights of an exponential average are easy to exchange. Then m keeps only 10% of its past and "
            "v only 0.1%: almost no averaging, and the bias corrections now over-correct.",
            _adam_mistake(ema_swap=True),
        ),
        Mistake(
            "v-from-m",
            "averages the square of the new m instead of g²",
            "v_t ← β2 v_{t−1} + (1 − β2) g_t²",
            "v must estimate E[g²], the raw second moment of the gradient itself. Squaring the already averaged m "
            "estimates E[g]² instead, which is much smaller for noisy gradients, so the steps blow up.",
            _adam_mistake(v_from_m=True),
        ),
        Mistake(
            "corrected-moments-stored",
            "keeps m̂ and v̂ in the state instead of m and v",
            "m̂_t ← m_t/(1 − β1ᵗ) (m̂ is used for this step only)",
            "The corrections belong to one step. Writing m̂ back into the state applies the correction again at "
            "the next step, on top of an already corrected average: the early moments are inflated step after step.",
            _adam_mistake(store_hat=True),
        ),
        Mistake(
            "wrong-sign",
            "adds the step instead of subtracting it",
            "θ_t ← θ_{t−1} − α m̂_t/(√v̂_t + ε)",
            "Gradient ascent: every step goes uphill.",
            _adam_mistake(sign=-1.0),
        ),
    ]
}


# ------------------------------------------------------------------------------------------------------------
# AdamW: (theta, g, m, v, t, lr, beta1, beta2, eps, weight_decay).


def _adamw_mistake(l2=False, no_lr=False, **switches):
    def step(theta, g, m, v, t, lr, beta1, beta2, eps, weight_decay):
        if l2:
            return _adam(
                theta, g + weight_decay * theta, m, v, t, lr, beta1, beta2, eps, **switches
            )
        decayed = theta * (1 - weight_decay) if no_lr else theta * (1 - lr * weight_decay)
        return _adam(decayed, g, m, v, t, lr, beta1, beta2, eps, **switches)

    return step


_ADAMW_OWN = [
    Mistake(
        "l2-not-decoupled",
        "adds λθ to the gradient (L2 regularisation) instead of decaying θ",
        "θ_t ← θ_{t−1}(1 − αλ), then the Adam step",
        "This is PyTorch's Adam(weight_decay=λ), and the mistake Loshchilov & Hutter point out: the decay term "
        "then passes through the division by √v̂, so coordinates with large gradients are hardly decayed.",
        _adamw_mistake(l2=True),
    ),
    Mistake(
        "decay-without-lr",
        "decays θ by (1 − λ) instead of (1 − αλ)",
        "θ_t ← θ_{t−1}(1 − αλ)",
        "The paper's AdamW writes the decay with its own schedule multiplier; PyTorch, optax and Keras all "
        "multiply λ by the learning rate. Without α the decay is 1/α times stronger (1000 times at α = 1e-3).",
        _adamw_mistake(no_lr=True),
    ),
]
ADAMW: dict[str, Mistake] = {m.key: m for m in _ADAMW_OWN}
for _key, _switches in {
    "no-bias-correction": {"cm": False, "cv": False},
    "no-bias-correction-m": {"cm": False},
    "no-bias-correction-v": {"cv": False},
    "t-minus-one": {"tt": lambda t: t - 1},
    "t-plus-one": {"tt": lambda t: t + 1},
    "beta-not-powered": {"powered": False},
    "eps-inside-sqrt": {"inside": True},
    "eps-hat": {"hat": True},
    "missing-sqrt": {"nosqrt": True},
    "betas-swapped": {"swap": True},
    "ema-weights-swapped": {"ema_swap": True},
    "v-from-m": {"v_from_m": True},
    "corrected-moments-stored": {"store_hat": True},
    "wrong-sign": {"sign": -1.0},
}.items():
    ADAMW[_key] = dataclasses.replace(ADAM[_key], step=_adamw_mistake(**_switches))


# ------------------------------------------------------------------------------------------------------------
# SGD: (theta, g, lr).

SGD: dict[str, Mistake] = {
    "wrong-sign": Mistake(
        "wrong-sign",
        "adds the step instead of subtracting it",
        "θ_t ← θ_{t−1} − α g_t",
        "Gradient ascent: the gradient points uphill, so the step must go against it.",
        lambda theta, g, lr: theta + lr * g,
    ),
}


# ------------------------------------------------------------------------------------------------------------
# Momentum: (theta, g, b, lr, momentum) -> (theta, b); heavy ball b ← μb + g, θ ← θ − αb.


def _momentum(nesterov: bool) -> dict[str, Mistake]:
    def heavy(theta, g, b, lr, mu):
        b = mu * b + g
        return theta - lr * b, b

    def nag(theta, g, b, lr, mu):
        b = mu * b + g
        return theta - lr * (g + mu * b), b

    def dampening(theta, g, b, lr, mu):
        b = mu * b + (1 - mu) * g
        return (theta - lr * (g * (1 - mu) + mu * b), b) if nesterov else (theta - lr * b, b)

    def velocity(theta, g, b, lr, mu):
        v = mu * b - lr * g  # the student's b is the velocity −αb
        return (theta + mu * v - lr * g, v) if nesterov else (theta + v, v)

    def wrong_sign(theta, g, b, lr, mu):
        new, b = (nag if nesterov else heavy)(theta, g, b, lr, mu)
        return 2 * theta - new, b

    out = {
        "dampening": Mistake(
            "dampening",
            "averages the gradient into the buffer, b ← μb + (1 − μ)g",
            "b_t ← μ b_{t−1} + g_t",
            "An exponential average instead of a sum (autograd's sgd, PyTorch's dampening=μ): the same "
            "direction, but every step is 1 − μ times as long (10 times shorter at μ = 0.9), so it needs a 10 "
            "times larger α to match.",
            dampening,
        ),
        "velocity-form": Mistake(
            "velocity-form",
            "keeps the velocity v ← μv − αg and adds it, θ ← θ + v (CS231n, Keras, scikit-learn)",
            "b_t ← μ b_{t−1} + g_t, θ_t ← θ_{t−1} − α b_t",
            "The same algorithm in another convention: your buffer is −α times adamlab's, and θ is identical as "
            "long as α is constant. The two part when α changes during the run (a learning-rate schedule): the "
            "velocity form keeps the old α inside v, adamlab's buffer applies a new α at once.",
            velocity,
            passes=True,
        ),
        "wrong-sign": Mistake(
            "wrong-sign",
            "adds the step instead of subtracting it",
            "θ_t ← θ_{t−1} − α b_t",
            "Gradient ascent with momentum: every step goes uphill.",
            wrong_sign,
        ),
    }
    if nesterov:
        out["nesterov-as-heavy-ball"] = Mistake(
            "nesterov-as-heavy-ball",
            "steps along the buffer only, θ ← θ − αb (the heavy ball), where Nesterov asked for θ − α(g + μb)",
            "θ_t ← θ_{t−1} − α (g_t + μ b_t)",
            "Nesterov's look-ahead is the only difference from the heavy ball: the step uses g + μb, the gradient "
            "plus the buffer one step ahead.",
            heavy,
        )
    else:
        out["heavy-ball-as-nesterov"] = Mistake(
            "heavy-ball-as-nesterov",
            "steps along g + μb (Nesterov's look-ahead) where the heavy ball asked for θ − αb",
            "θ_t ← θ_{t−1} − α b_t",
            "The heavy ball steps along the buffer b itself; g + μb is Nesterov's accelerated gradient (Sutskever "
            "et al.'s form), a different method.",
            nag,
        )
    return out


MOMENTUM = _momentum(nesterov=False)
NESTEROV = _momentum(nesterov=True)


# ------------------------------------------------------------------------------------------------------------
# AdaGrad: (theta, g, G, lr, eps) -> (theta, G).

ADAGRAD: dict[str, Mistake] = {
    "eps-inside-sqrt": Mistake(
        "eps-inside-sqrt",
        "adds ε inside the square root, √(G + ε)",
        "θ_t ← θ_{t−1} − α g_t/(√G_t + ε)",
        "optax and Keras put ε inside the root (adamlab and PyTorch outside): for tiny gradients the step is "
        "then no longer about α but much smaller.",
        lambda theta, g, G, lr, eps: _div(theta, g, G + g * g, lr, eps, inside=True),
    ),
    "no-square": Mistake(
        "no-square",
        "accumulates g instead of g²",
        "G_t ← G_{t−1} + g_t²",
        "AdaGrad sums squared gradients, so G only grows. Summing g lets G shrink or turn negative (its square "
        "root is then NaN).",
        lambda theta, g, G, lr, eps: _div(theta, g, G + g, lr, eps),
    ),
    "no-accumulation": Mistake(
        "no-accumulation",
        "uses this step's g² alone, G ← g², instead of the running sum",
        "G_t ← G_{t−1} + g_t²",
        "Without the sum every step is α·sign(g): the step never decays, which is AdaGrad's whole point (its "
        "steps shrink like α/√t).",
        lambda theta, g, G, lr, eps: _div(theta, g, g * g, lr, eps),
    ),
    "wrong-sign": Mistake(
        "wrong-sign",
        "adds the step instead of subtracting it",
        "θ_t ← θ_{t−1} − α g_t/(√G_t + ε)",
        "Gradient ascent: every step goes uphill.",
        lambda theta, g, G, lr, eps: _flip(_div(theta, g, G + g * g, lr, eps), theta),
    ),
}


def _div(theta, g, acc, lr, eps, inside=False):
    with np.errstate(divide="ignore", invalid="ignore"):
        den = np.sqrt(acc + eps) if inside else np.sqrt(acc) + eps
        return theta - lr * g / den, acc


def _flip(result, theta):
    new, *rest = result
    return (2 * theta - new, *rest)


# ------------------------------------------------------------------------------------------------------------
# RMSProp: (theta, g, v, lr, rho, eps) -> (theta, v).

RMSPROP: dict[str, Mistake] = {
    "eps-inside-sqrt": Mistake(
        "eps-inside-sqrt",
        "adds ε inside the square root, √(v + ε)",
        "θ_t ← θ_{t−1} − α g_t/(√v_t + ε)",
        "optax (by default) and Keras put ε inside the root; a Keras ε of 1e-7 inside acts like about 3e-4 "
        "outside. Small gradients then take much smaller steps.",
        lambda theta, g, v, lr, rho, eps: _rms(theta, g, v, lr, rho, eps, inside=True),
    ),
    "ema-weights-swapped": Mistake(
        "ema-weights-swapped",
        "weights the average the wrong way round: v ← (1 − ρ)v + ρg²",
        "v_t ← ρ v_{t−1} + (1 − ρ) g_t²",
        "With the weights exchanged v keeps only 10% of its past (for ρ = 0.9): it follows the last gradient, "
        "and RMSProp turns into a sign-like step.",
        lambda theta, g, v, lr, rho, eps: _rms(theta, g, v, lr, rho, eps, swap=True),
    ),
    "no-square": Mistake(
        "no-square",
        "averages g instead of g²",
        "v_t ← ρ v_{t−1} + (1 − ρ) g_t²",
        "v must average g²: an average of g can be negative or near 0 when the gradient changes sign, and its "
        "square root then explodes the step (or is NaN).",
        lambda theta, g, v, lr, rho, eps: _rms(theta, g, v, lr, rho, eps, nosquare=True),
    ),
    "wrong-sign": Mistake(
        "wrong-sign",
        "adds the step instead of subtracting it",
        "θ_t ← θ_{t−1} − α g_t/(√v_t + ε)",
        "Gradient ascent: every step goes uphill.",
        lambda theta, g, v, lr, rho, eps: _flip(_rms(theta, g, v, lr, rho, eps), theta),
    ),
}


def _rms(theta, g, v, lr, rho, eps, inside=False, swap=False, nosquare=False):
    square = g if nosquare else g * g
    v = (1 - rho) * v + rho * square if swap else rho * v + (1 - rho) * square
    with np.errstate(divide="ignore", invalid="ignore"):
        den = np.sqrt(v + eps) if inside else np.sqrt(v) + eps
        return theta - lr * g / den, v


# ------------------------------------------------------------------------------------------------------------
# AdaMax (Algorithm 2): (theta, g, m, u, t, lr, beta1, beta2) -> (theta, m, u).


def _adamax(
    theta, g, m, u, t, lr, b1, b2, *, correct_u=False, no_abs=False, add=False, cm=True, sign=1.0
):
    m = b1 * m + (1 - b1) * g
    mag = g if no_abs else np.abs(g)
    u = b2 * u + mag if add else np.maximum(b2 * u, mag)
    with np.errstate(divide="ignore", invalid="ignore"):
        uu = u / (1 - b2**t) if correct_u else u
        step = (lr / (1 - b1**t) if cm else lr) * np.where(
            uu == 0, 0.0, m / np.where(uu == 0, 1.0, uu)
        )
    return theta - sign * step, m, u


def _adamax_mistake(**switches):
    return lambda theta, g, m, u, t, lr, beta1, beta2: _adamax(
        theta, g, m, u, t, lr, beta1, beta2, **switches
    )


ADAMAX: dict[str, Mistake] = {
    "u-bias-corrected": Mistake(
        "u-bias-corrected",
        "divides u by 1 − β2ᵗ as if it were Adam's v",
        "θ_t ← θ_{t−1} − (α/(1 − β1ᵗ)) m_t/u_t",
        "u is a maximum, not an average, so it is not biased towards its zero start: §7.1 says it needs no "
        "correction. Correcting it makes u far too large early on (1000 times at t = 1 for β2 = 0.999): the "
        "first steps almost vanish.",
        _adamax_mistake(correct_u=True),
    ),
    "missing-abs": Mistake(
        "missing-abs",
        "takes max(β2u, g) instead of max(β2u, |g|)",
        "u_t ← max(β2 u_{t−1}, |g_t|)",
        "u is a norm, so it uses |g|. Without the absolute value a negative gradient never raises u: the step "
        "divides by a stale (or zero) u and explodes.",
        _adamax_mistake(no_abs=True),
    ),
    "sum-not-max": Mistake(
        "sum-not-max",
        "accumulates u ← β2u + |g| instead of taking the maximum",
        "u_t ← max(β2 u_{t−1}, |g_t|)",
        "The infinity norm of §7.1 is a maximum. A sum grows towards |g|/(1 − β2), 1000 times |g| for "
        "β2 = 0.999, so the steps shrink towards nothing.",
        _adamax_mistake(add=True),
    ),
    "no-bias-correction-m": Mistake(
        "no-bias-correction-m",
        "leaves out the first moment's correction α/(1 − β1ᵗ)",
        "θ_t ← θ_{t−1} − (α/(1 − β1ᵗ)) m_t/u_t",
        "AdaMax still corrects m (only u needs none): without it the first steps are 1 − β1ᵗ times too short "
        "(0.1 of α at t = 1).",
        _adamax_mistake(cm=False),
    ),
    "wrong-sign": Mistake(
        "wrong-sign",
        "adds the step instead of subtracting it",
        "θ_t ← θ_{t−1} − (α/(1 − β1ᵗ)) m_t/u_t",
        "Gradient ascent: every step goes uphill.",
        _adamax_mistake(sign=-1.0),
    ),
}
