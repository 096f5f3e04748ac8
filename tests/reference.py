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


def adam(
    theta,
    grads,
    lr,
    b1=0.9,
    b2=0.999,
    eps=1e-8,
    *,
    amsgrad=False,
    wd=0.0,
    decoupled=False,
    correct_m=True,
    correct_v=True,
    lam=1.0,
):
    """Kingma & Ba, Algorithm 1 (+ PyTorch's AMSGrad, L2 / decoupled decay, Theorem 4.1's β1,t)."""
    out, m, v, vmax = [], 0.0, 0.0, 0.0
    for t, g in enumerate(grads, start=1):
        a = lr(t) if callable(lr) else lr
        if wd and not decoupled:
            g = g + wd * theta
        if wd and decoupled:
            theta = theta * (1 - a * wd)
        b1t = b1 * lam ** (t - 1)
        m = b1t * m + (1 - b1t) * g
        v = b2 * v + (1 - b2) * g * g
        vmax = max(vmax, v)
        mh = m / (1 - b1**t) if correct_m else m
        vh = (vmax if amsgrad else v) / (1 - b2**t) if correct_v else (vmax if amsgrad else v)
        den = math.sqrt(vh) + eps
        theta = theta - (a * mh / den if den > 0 else 0.0)
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
