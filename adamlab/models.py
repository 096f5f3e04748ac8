r"""The models of the paper's experiments, with their backward passes written out by hand (autograd-free: the
backward pass is something to read).

Each model is a small object with ``init(seed) -> params`` (a dict of arrays, so adamlab's optimizers, ``run`` and
``compare`` apply unchanged) and ``loss_and_grad(params, X, y, rng=None) -> (loss, grads)`` for a minibatch;
``rng`` draws the dropout masks or the VAE's noise (None: no dropout, and the VAE's noise from a fixed seed, so the
loss is a deterministic function of the parameters). ``check(model, params, X, y)`` compares every backward pass
with central differences (:func:`adamlab.check_grad`).

- :class:`SoftmaxRegression`: multinomial logistic regression with L2 (§6.1, MNIST).
- :class:`SparseLogistic`: binary logistic regression on sparse features, with dropout noise on them (§6.1, IMDB).
- :class:`MLP`: fully connected ReLU layers with dropout (§6.2).
- :class:`VAE`: a variational autoencoder, one softplus hidden layer each side, Gaussian latent, Bernoulli
  likelihood (§6.4).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from adamlab._checks import Interval, check_count

__all__ = ["SoftmaxRegression", "SparseLogistic", "MLP", "VAE", "check", "flatten", "unflatten"]

Params = dict[str, np.ndarray]


def _softmax_xent(z: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of logits ``z`` (n, k) for labels ``y``, and its gradient with respect to ``z``."""
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    n = len(y)
    loss = -np.mean(np.log(p[np.arange(n), y] + 1e-300))
    p[np.arange(n), y] -= 1.0
    return float(loss), p / n


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # exact and overflow-free


def _dropout(shape: tuple[int, ...], rate: float, rng: Any) -> np.ndarray | None:
    """Inverted dropout: a mask of 0 (dropped, probability ``rate``) and 1/(1 − rate); None for no dropout."""
    if rng is None or rate == 0:
        return None
    return (rng.random(shape) >= rate) / (1.0 - rate)


@dataclasses.dataclass(frozen=True)
class SoftmaxRegression:
    r"""Multinomial logistic regression, :math:`p = \mathrm{softmax}(XW + b)`, with an L2 penalty on W:

    .. math:: L = -\frac1n \sum_i \log p_{i, y_i} + \frac{\lambda}{2} \lVert W \rVert^2, \qquad
        \nabla_W L = X^\top (P - Y)/n + \lambda W, \quad \nabla_b L = \mathbf 1^\top (P - Y)/n .

    Parameters start at zero (the paper compares optimizers from the same initialisation)."""

    n_features: int
    n_classes: int = 10
    l2: float = 1e-4

    def __post_init__(self) -> None:
        check_count("SoftmaxRegression", "n_features", self.n_features, 1)
        check_count("SoftmaxRegression", "n_classes", self.n_classes, 2)
        Interval("[0, inf)").check("SoftmaxRegression", "l2", self.l2)

    def init(self, seed: int = 0) -> Params:
        return {"W": np.zeros((self.n_features, self.n_classes)), "b": np.zeros(self.n_classes)}

    def loss_and_grad(self, params: Params, X: np.ndarray, y: np.ndarray, rng: Any = None):
        W, b = params["W"], params["b"]
        loss, dz = _softmax_xent(X @ W + b, y)
        loss += 0.5 * self.l2 * float(np.sum(W * W))
        return loss, {"W": X.T @ dz + self.l2 * W, "b": dz.sum(axis=0)}


@dataclasses.dataclass(frozen=True)
class SparseLogistic:
    r"""Binary logistic regression on sparse binary features (a :class:`adamlab.datasets.CSR`), with an L2
    penalty and optional dropout noise on the features (each present word kept with probability 1 − ``dropout``
    and scaled by 1/(1 − dropout), as the paper does for IMDB after Wang & Manning 2013):

    .. math:: L = \frac1n \sum_i \left[\log(1 + e^{z_i}) - y_i z_i\right] + \frac{\lambda}{2}\lVert w\rVert^2,
        \quad z = Xw + b, \qquad \nabla_w L = X^\top(\sigma(z) - y)/n + \lambda w .
    """

    vocab: int
    l2: float = 1e-5
    dropout: float = 0.0

    def __post_init__(self) -> None:
        check_count("SparseLogistic", "vocab", self.vocab, 1)
        Interval("[0, inf)").check("SparseLogistic", "l2", self.l2)
        Interval("[0, 1)").check("SparseLogistic", "dropout", self.dropout)

    def init(self, seed: int = 0) -> Params:
        return {"w": np.zeros(self.vocab), "b": np.zeros(1)}

    def loss_and_grad(self, params: Params, X: Any, y: np.ndarray, rng: Any = None):
        w, b = params["w"], params["b"]
        values = _dropout((X.nnz,), self.dropout, rng)
        z = X.dot(w, values) + b[0]
        loss = float(np.mean(np.logaddexp(0.0, z) - y * z)) + 0.5 * self.l2 * float(w @ w)
        dz = (_sigmoid(z) - y) / len(y)
        return loss, {"w": X.rdot(dz, values) + self.l2 * w, "b": np.array([dz.sum()])}


@dataclasses.dataclass(frozen=True)
class MLP:
    r"""A fully connected network with ReLU hidden layers, softmax output and (inverted) dropout on the input and
    on every hidden layer, e.g. the paper's 784-1000-1000-10:

    .. math:: h_0 = x \odot d_0, \quad h_\ell = \mathrm{relu}(h_{\ell-1} W_\ell + b_\ell) \odot d_\ell, \quad
        p = \mathrm{softmax}(h_{L-1} W_L + b_L),

    with a cross-entropy loss and an L2 penalty on the weights. He initialisation (N(0, 2/fan_in)), zero biases.
    """

    sizes: tuple[int, ...] = (784, 1000, 1000, 10)
    dropout_input: float = 0.2
    dropout_hidden: float = 0.5
    l2: float = 0.0

    def __post_init__(self) -> None:
        if len(self.sizes) < 2:
            raise ValueError(f"MLP: sizes needs an input and an output size, got {self.sizes!r}")
        for k, size in enumerate(self.sizes):
            check_count("MLP", f"sizes[{k}]", size, 1)
        Interval("[0, 1)").check("MLP", "dropout_input", self.dropout_input)
        Interval("[0, 1)").check("MLP", "dropout_hidden", self.dropout_hidden)
        Interval("[0, inf)").check("MLP", "l2", self.l2)

    def init(self, seed: int = 0) -> Params:
        rng = np.random.default_rng(seed)
        params = {}
        for i, (a, b) in enumerate(zip(self.sizes[:-1], self.sizes[1:]), start=1):
            params[f"W{i}"] = rng.normal(0.0, np.sqrt(2.0 / a), size=(a, b))
            params[f"b{i}"] = np.zeros(b)
        return params

    def loss_and_grad(self, params: Params, X: np.ndarray, y: np.ndarray, rng: Any = None):
        layers = len(self.sizes) - 1
        masks = [_dropout(X.shape, self.dropout_input, rng)]
        h = [X if masks[0] is None else X * masks[0]]
        pre = []
        for i in range(1, layers):  # hidden layers
            a = h[-1] @ params[f"W{i}"] + params[f"b{i}"]
            pre.append(a)
            mask = _dropout(a.shape, self.dropout_hidden, rng)
            masks.append(mask)
            r = np.maximum(a, 0.0)
            h.append(r if mask is None else r * mask)
        loss, d = _softmax_xent(h[-1] @ params[f"W{layers}"] + params[f"b{layers}"], y)
        grads = {}
        for i in range(layers, 0, -1):  # backward, layer by layer
            W = params[f"W{i}"]
            grads[f"W{i}"] = h[i - 1].T @ d + self.l2 * W
            grads[f"b{i}"] = d.sum(axis=0)
            if i > 1:
                d = d @ W.T
                if masks[i - 1] is not None:
                    d = d * masks[i - 1]
                d = d * (pre[i - 2] > 0)
        loss += (
            0.5 * self.l2 * sum(float(np.sum(params[f"W{i}"] ** 2)) for i in range(1, layers + 1))
        )
        return loss, {k: grads[k] for k in params}


def _softplus(a: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, a)


@dataclasses.dataclass(frozen=True)
class VAE:
    r"""A variational autoencoder (Kingma & Welling 2013) as in the paper's §6.4: one softplus hidden layer of
    ``hidden`` units in the encoder and in the decoder, a ``latent``-dimensional Gaussian posterior and a
    Bernoulli likelihood on inputs in [0, 1]. The loss is the negative evidence lower bound per example, in nats,
    with one reparameterised sample :math:`z = \mu + \sigma \odot \varepsilon`:

    .. math:: L = \frac1n \sum_i \Big[ \sum_j \mathrm{BCE}(x_{ij}, \hat x_{ij})
        - \tfrac12 \sum_k \big(1 + \log\sigma_{ik}^2 - \mu_{ik}^2 - \sigma_{ik}^2\big) \Big].
    """

    n_in: int = 64
    hidden: int = 100
    latent: int = 50

    def __post_init__(self) -> None:
        for name in ("n_in", "hidden", "latent"):
            check_count("VAE", name, getattr(self, name), 1)

    def init(self, seed: int = 0) -> Params:
        rng = np.random.default_rng(seed)

        def w(a: int, b: int) -> np.ndarray:
            return rng.normal(0.0, 1.0 / np.sqrt(a), size=(a, b))

        H, Z, D = self.hidden, self.latent, self.n_in
        return {
            "We": w(D, H), "be": np.zeros(H), "Wmu": w(H, Z), "bmu": np.zeros(Z), "Wlv": w(H, Z),
            "blv": np.zeros(Z), "Wd": w(Z, H), "bd": np.zeros(H), "Wo": w(H, D), "bo": np.zeros(D),
        }  # fmt: skip

    def loss_and_grad(self, params: Params, X: np.ndarray, y: Any = None, rng: Any = None):
        p = params
        n = len(X)
        eps = (np.random.default_rng(0) if rng is None else rng).standard_normal((n, self.latent))
        with np.errstate(over="ignore", invalid="ignore"):
            a_e = X @ p["We"] + p["be"]
            h = _softplus(a_e)
            mu, logvar = h @ p["Wmu"] + p["bmu"], h @ p["Wlv"] + p["blv"]
            sigma = np.exp(0.5 * logvar)
            z = mu + sigma * eps
            a_d = z @ p["Wd"] + p["bd"]
            h_d = _softplus(a_d)
            logits = h_d @ p["Wo"] + p["bo"]
            reconstruction = np.sum(np.logaddexp(0.0, logits) - X * logits) / n
            kl = -0.5 * np.sum(1.0 + logvar - mu**2 - sigma**2) / n
            # Backward.
            d_logits = (_sigmoid(logits) - X) / n
            g = {"Wo": h_d.T @ d_logits, "bo": d_logits.sum(axis=0)}
            d_ad = (d_logits @ p["Wo"].T) * _sigmoid(a_d)  # softplus' = sigmoid
            g["Wd"], g["bd"] = z.T @ d_ad, d_ad.sum(axis=0)
            d_z = d_ad @ p["Wd"].T
            d_mu = d_z + mu / n
            d_logvar = d_z * eps * 0.5 * sigma + 0.5 * (sigma**2 - 1.0) / n
            g["Wmu"], g["bmu"] = h.T @ d_mu, d_mu.sum(axis=0)
            g["Wlv"], g["blv"] = h.T @ d_logvar, d_logvar.sum(axis=0)
            d_ae = (d_mu @ p["Wmu"].T + d_logvar @ p["Wlv"].T) * _sigmoid(a_e)
            g["We"], g["be"] = X.T @ d_ae, d_ae.sum(axis=0)
        return float(reconstruction + kl), {k: g[k] for k in params}


# ------------------------------------------------------------------------------------------------------------
# Gradient checks.


def flatten(params: Params) -> np.ndarray:
    """All parameters as one vector (in the dict's order)."""
    return np.concatenate([np.ravel(v) for v in params.values()])


def unflatten(vector: np.ndarray, like: Params) -> Params:
    out, start = {}, 0
    for k, v in like.items():
        out[k] = np.reshape(vector[start : start + v.size], v.shape)
        start += v.size
    return out


def check(model: Any, params: Params, X: Any, y: Any, *, seed: int = 1, tol: float = 1e-6) -> Any:
    """Compare ``model``'s backward pass with central differences of its loss, at ``params`` (all of them at once,
    as one vector), with the dropout masks or noise drawn from ``seed`` for every evaluation so that the loss is a
    fixed function. Returns :func:`adamlab.check_grad`'s result (``.ok``, ``.max_rel_error``)."""
    from adamlab.gradcheck import check_grad

    def f(v: np.ndarray) -> float:
        return model.loss_and_grad(unflatten(v, params), X, y, np.random.default_rng(seed))[0]

    def grad(v: np.ndarray) -> np.ndarray:
        return flatten(
            model.loss_and_grad(unflatten(v, params), X, y, np.random.default_rng(seed))[1]
        )

    return check_grad(f, flatten(params), grad, tol=tol)
