"""Independent scalar references, written from the papers' pseudo-code with plain Python floats.

Nothing here imports adamlab: these are the expected values for the conformance tests. Each function takes a
start value and a list of gradients (one coordinate) and returns the list of parameters after each step.
"""

from __future__ import annotations

import math


def sgd(theta, grads, lr):
    out = []
    for g in grads:
        theta = theta - lr * g
        out.append(theta)
    return out


def momentum(theta, grads, lr, mu, nesterov=False):
    out, b = [], 0.0
    for g in grads:
        b = mu * b + g
        theta = theta - lr * (g + mu * b if nesterov else b)
        out.append(theta)
    return out


def adagrad(theta, grads, lr, eps, g0=0.0):
    out, acc = [], g0
    for g in grads:
        acc = acc + g * g
        den = math.sqrt(acc) + eps
        theta = theta - (lr * g / den if den > 0 else 0.0)
        out.append(theta)
    return out


def rmsprop(theta, grads, lr, rho, eps, mu=0.0):
    out, v, b = [], 0.0, 0.0
    for g in grads:
        v = rho * v + (1 - rho) * g * g
        den = math.sqrt(v) + eps
        r = g / den if den > 0 else 0.0
        if mu:
            b = mu * b + r
            theta = theta - lr * b
        else:
            theta = theta - lr * r
        out.append(theta)
    return out


def _value(x, t):
    return x(t) if callable(x) else x


def adam(theta, grads, lr, b1=0.9, b2=0.999, eps=1e-8, *, wd=0.0, correct_m=True, correct_v=True):
    """Kingma & Ba, Algorithm 1, with an L2 term λθ added to g, and the bias-correction switches of §6.4.

    ``lr`` and ``b1`` may be callables of t (a schedule is used wherever its symbol appears, 1 − β1,tᵗ too)."""
    out, m, v = [], 0.0, 0.0
    for t, g in enumerate(grads, start=1):
        a, b1t = _value(lr, t), _value(b1, t)
        g = g + wd * theta
        m = b1t * m + (1 - b1t) * g
        v = b2 * v + (1 - b2) * g * g
        mh = m / (1 - b1t**t) if correct_m else m
        vh = v / (1 - b2**t) if correct_v else v
        den = math.sqrt(vh) + eps
        theta = theta - (a * mh / den if den > 0 else 0.0)
        out.append(theta)
    return out


def amsgrad(theta, grads, lr, b1=0.9, b2=0.999, eps=1e-8, *, correct_m=True, correct_v=True):
    """Reddi et al.'s AMSGrad as PyTorch computes it: the maximum of the raw v, bias correction after it."""
    out, m, v, vmax = [], 0.0, 0.0, 0.0
    for t, g in enumerate(grads, start=1):
        a = _value(lr, t)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        vmax = max(vmax, v)
        mh = m / (1 - b1**t) if correct_m else m
        vh = vmax / (1 - b2**t) if correct_v else vmax
        den = math.sqrt(vh) + eps
        theta = theta - (a * mh / den if den > 0 else 0.0)
        out.append(theta)
    return out


def optax_amsgrad_raw_nu(theta, grads, lr, b1=0.9, b2=0.999, eps=1e-8):
    """optax.amsgrad(bias_correction_nu=False), from optax's formula: nu_max = max(nu_max, nu) over the raw
    second moment, mu corrected, nu not: θ −= lr · m̂ / (√nu_max + eps)."""
    out, mu, nu, nu_max = [], 0.0, 0.0, 0.0
    for count, g in enumerate(grads, start=1):
        mu = (1 - b1) * g + b1 * mu
        nu = (1 - b2) * g * g + b2 * nu
        nu_max = max(nu_max, nu)
        mu_hat = mu / (1 - b1**count)
        den = math.sqrt(nu_max) + eps
        theta = theta - (lr * mu_hat / den if den > 0 else 0.0)
        out.append(theta)
    return out


def adamw(theta, grads, lr, b1=0.9, b2=0.999, eps=1e-8, wd=1e-2):
    """Loshchilov & Hutter's AdamW: θ ← θ(1 − αλ), then the Adam step."""
    out, m, v = [], 0.0, 0.0
    for t, g in enumerate(grads, start=1):
        theta = theta * (1 - lr * wd)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        den = math.sqrt(v / (1 - b2**t)) + eps
        theta = theta - lr * (m / (1 - b1**t)) / den
        out.append(theta)
    return out


def adam_eps_hat(theta, grads, lr, b1=0.9, b2=0.999, eps_hat=1e-8):
    """The end of the paper's §2 (Keras' Adam): α_t = α√(1 − β2ᵗ)/(1 − β1ᵗ), θ −= α_t m/(√v + ε̂)."""
    out, m, v = [], 0.0, 0.0
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        a_t = lr * math.sqrt(1 - b2**t) / (1 - b1**t)
        den = math.sqrt(v) + eps_hat
        theta = theta - (a_t * m / den if den > 0 else 0.0)
        out.append(theta)
    return out


def nadam(theta, grads, lr=2e-3, b1=0.9, b2=0.999, eps=1e-8, psi=4e-3):
    """Dozat's NAdam with PyTorch's momentum schedule μ_t = β1(1 − 0.5·0.96^(tψ))."""
    out, m, v, prod = [], 0.0, 0.0, 1.0
    for t, g in enumerate(grads, start=1):
        mu_t = b1 * (1 - 0.5 * 0.96 ** (t * psi))
        mu_next = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi))
        prod *= mu_t
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        den = math.sqrt(v / (1 - b2**t)) + eps
        if den > 0:
            theta -= lr * (1 - mu_t) / (1 - prod) * g / den
            theta -= lr * mu_next / (1 - prod * mu_next) * m / den
        out.append(theta)
    return out


def adamax(theta, grads, lr, b1=0.9, b2=0.999, eps=0.0):
    """Kingma & Ba, Algorithm 2 (ε inside the max as in PyTorch; 0 step where u = 0)."""
    out, m, u = [], 0.0, 0.0
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        u = max(b2 * u, abs(g) + eps)
        theta = theta - ((lr / (1 - b1**t)) * m / u if u > 0 else 0.0)
        out.append(theta)
    return out
