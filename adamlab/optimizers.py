r"""The optimizers, in the order they are taught, each its paper's pseudo-code line for line.

Each class holds its equations (docstring), its hyperparameters with their ranges, its ``State`` in the paper's
symbols and an ``update`` for one array, given the hyperparameters' values at this step. Everything else (trees of
arrays, dtypes, checks, schedules, speed) is in ``adamlab/_engine.py``, which a reader of the algorithms can skip.

    state = opt.init(params)
    params, state = opt.step(params, grad, state)

``nonzero(d)`` is ``d`` with its zeros replaced by 1: with ε = 0, a coordinate that has only ever seen zero
gradients divides 0 by 0; dividing by 1 keeps it in place. Every other number is untouched.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from adamlab._engine import OPTIMIZERS, Array, Optimizer, flag, hyperparameter, nonzero, option


class SGD(Optimizer):
    r"""Plain gradient descent.

    .. math::

        \theta_t \leftarrow \theta_{t-1} - \alpha\, g_t

    Parameters
    ----------
    lr : float, array or schedule, default 0.01
        The step size α (a callable of the 1-based step t for a schedule).

    Notes
    -----
    PyTorch: ``torch.optim.SGD(params, lr=α)``; optax: ``optax.sgd(α)``. All libraries agree.

    References
    ----------
    Robbins & Monro (1951), "A Stochastic Approximation Method".

    Examples
    --------
    >>> import numpy as np
    >>> opt = SGD(lr=0.1)
    >>> params, state = opt.step(np.array([1.0, -2.0]), np.array([2.0, -4.0]), opt.init(np.zeros(2)))
    >>> params, state.t
    (array([ 0.8, -1.6]), 1)
    """

    lr: float = hyperparameter(0.01, "[0, inf)")

    class State(NamedTuple):
        t: int  # completed steps

    def update(self, theta, g, state, *, lr):
        theta = theta - lr * g
        return theta, self.State(state.t + 1), {"step_size": lr}


class Momentum(Optimizer):
    r"""Heavy-ball momentum (Polyak), or Nesterov's accelerated gradient in Sutskever's form.

    .. math::

        b_t &\leftarrow \mu\, b_{t-1} + g_t \qquad (b_0 = 0,\ \text{so } b_1 = g_1) \\
        \theta_t &\leftarrow \theta_{t-1} - \alpha\, b_t
            \qquad\text{or, Nesterov:}\quad \theta_t \leftarrow \theta_{t-1} - \alpha\,(g_t + \mu\, b_t)

    Parameters
    ----------
    lr : float, array or schedule, default 0.01
        The step size α.
    momentum : float, array or schedule in [0, 1), default 0.9
        μ, the fraction of the previous buffer kept.
    nesterov : bool, default False
        Use the Nesterov update (the gradient "looks ahead" along the buffer).

    Notes
    -----
    The buffer holds gradients, not steps: α stays outside it, so a changed α acts at once (PyTorch and optax;
    Keras and scikit-learn keep ``v = μv − αg``, the same iterates for a constant α). ``momentum=0`` is SGD.
    On a steady slope the buffer grows to g/(1 − μ), so the effective step is α/(1 − μ): ten times SGD's for
    μ = 0.9. Compare momentum with SGD at α(1 − μ), not at the same α. autograd's ``sgd(mass=μ)`` damps the
    buffer (an EMA of g) and equals ``Momentum(lr=α(1 − μ))``.

    PyTorch: ``torch.optim.SGD(params, lr=α, momentum=μ, nesterov=...)`` (dampening 0).

    References
    ----------
    Polyak (1964); Sutskever, Martens, Dahl & Hinton (2013), "On the importance of initialization and
    momentum in deep learning".

    Examples
    --------
    >>> import numpy as np
    >>> opt = Momentum(lr=0.1, momentum=0.5)
    >>> x, s = np.array([1.0]), opt.init(np.zeros(1))
    >>> x, s = opt.step(x, np.array([1.0]), s)   # b = 1
    >>> x, s = opt.step(x, np.array([1.0]), s)   # b = 0.5 * 1 + 1 = 1.5
    >>> x.round(12), s.b
    (array([0.75]), array([1.5]))
    """

    lr: float = hyperparameter(0.01, "[0, inf)")
    momentum: float = hyperparameter(0.9, "[0, 1)")
    nesterov: bool = flag(False)

    class State(NamedTuple):
        t: int  # completed steps
        b: Array  # the momentum buffer, b₀ = 0

    def update(self, theta, g, state, *, lr, momentum, nesterov):
        b = momentum * state.b + g  # momentum buffer
        if nesterov:
            theta = theta - lr * (g + momentum * b)  # look ahead along the new buffer
        else:
            theta = theta - lr * b
        return theta, self.State(state.t + 1, b), {"b": b, "step_size": lr}


class AdaGrad(Optimizer):
    r"""AdaGrad: each coordinate's step is divided by the root of its summed squared gradients.

    .. math::

        G_t &\leftarrow G_{t-1} + g_t^2 \qquad (G_0 = \text{initial\_accumulator}) \\
        \theta_t &\leftarrow \theta_{t-1} - \frac{\alpha}{\sqrt{G_t} + \epsilon}\, g_t

    Parameters
    ----------
    lr : float, array or schedule, default 0.01
        The step size α.
    eps : float, array or schedule >= 0, default 1e-10
        ε, added outside the square root.
    initial_accumulator : float or array >= 0, default 0.0
        G₀.

    Notes
    -----
    Duchi et al. leave ε unspecified; here it sits outside the root, as in PyTorch. optax and Keras put it
    inside (``√(G + ε)``) and start ``G₀ = 0.1``, which makes their first steps for small gradients
    un-normalised (≈ αg/0.316). Reproduce Keras/optax's start with ``initial_accumulator=0.1`` (ε placement
    differs). With ``eps=0`` a coordinate whose gradient has always been 0 takes a zero step (not 0/0), and its
    reported ``step_size`` is α.

    PyTorch: ``torch.optim.Adagrad(params, lr=α, eps=ε, initial_accumulator_value=G₀)``.

    References
    ----------
    Duchi, Hazan & Singer (2011), "Adaptive Subgradient Methods for Online Learning and Stochastic
    Optimization", JMLR 12.

    Examples
    --------
    >>> import numpy as np
    >>> opt = AdaGrad(lr=0.5, eps=0.0)
    >>> x, s = opt.step(np.array([1.0, 1.0]), np.array([3.0, 0.0]), opt.init(np.zeros(2)))
    >>> x, s.G   # the first step is α·sign(g); a zero gradient gives a zero step
    (array([0.5, 1. ]), array([9., 0.]))
    """

    lr: float = hyperparameter(0.01, "[0, inf)")
    eps: float = hyperparameter(1e-10, "[0, inf)")
    initial_accumulator: float = hyperparameter(0.0, "[0, inf)", schedule=False)

    class State(NamedTuple):
        t: int  # completed steps
        G: Array  # the running sum of squared gradients

    def init_leaf(self, theta):
        return self.State(0, np.full_like(theta, self.initial_accumulator))

    def update(self, theta, g, state, *, lr, eps):
        G = state.G + g**2  # sum of squared gradients
        theta = theta - lr * g / nonzero(np.sqrt(G) + eps)
        step_size = lr / nonzero(np.sqrt(G) + eps)  # the effective step size α/(√G + ε)
        return theta, self.State(state.t + 1, G), {"G": G, "step_size": step_size}


class RMSProp(Optimizer):
    r"""RMSProp: divide by the root of a running mean of g² (Hinton, lecture 6e); optional momentum.

    .. math::

        v_t &\leftarrow \rho\, v_{t-1} + (1 - \rho)\, g_t^2 \qquad (v_0 = 0) \\
        b_t &\leftarrow \mu\, b_{t-1} + \frac{g_t}{\sqrt{v_t} + \epsilon}
            \qquad (b_0 = 0) \\
        \theta_t &\leftarrow \theta_{t-1} - \alpha\, b_t

    With μ = 0 (the default) this is Hinton's RMSProp, θ ← θ − α g/(√v + ε): the buffer is then just the
    rescaled gradient.

    Parameters
    ----------
    lr : float, array or schedule, default 0.01
        The step size α.
    rho : float, array or schedule in [0, 1), default 0.9
        ρ, the decay of the running mean (Hinton's value; PyTorch's ``alpha`` defaults to 0.99).
    eps : float, array or schedule >= 0, default 1e-8
        ε, added outside the square root.
    momentum : float, array or schedule in [0, 1), default 0.0
        μ for momentum on the rescaled gradient (the buffer excludes α, as in PyTorch).

    Notes
    -----
    There is no bias correction: with v₀ = 0 the first step is α·g/(√(1−ρ)|g| + ε) ≈ 3.16α·sign(g) for ρ = 0.9
    (10α for PyTorch's 0.99). Adam with β1 = 0 and no bias correction is this method. ε is outside the root
    (PyTorch); optax (default) and Keras put it inside, and Keras, TF and optax keep α inside the momentum
    buffer. autograd starts v₀ = 1. With ``eps=0`` a coordinate whose gradient has always been 0 takes a zero
    step (not 0/0).

    PyTorch: ``torch.optim.RMSprop(params, lr=α, alpha=ρ, eps=ε, momentum=μ)``.

    References
    ----------
    Tieleman & Hinton (2012), Coursera "Neural Networks for Machine Learning", lecture 6e.

    Examples
    --------
    >>> import numpy as np
    >>> opt = RMSProp(lr=0.01, rho=0.9, eps=0.0)
    >>> x, s = opt.step(np.array([0.0]), np.array([2.0]), opt.init(np.zeros(1)))
    >>> x.round(6), s.v.round(12)   # -0.01 / sqrt(0.1) = -0.0316...; v = 0.1 * 4
    (array([-0.031623]), array([0.4]))
    """

    lr: float = hyperparameter(0.01, "[0, inf)")
    rho: float = hyperparameter(0.9, "[0, 1)")
    eps: float = hyperparameter(1e-8, "[0, inf)")
    momentum: float = hyperparameter(0.0, "[0, 1)")

    class State(NamedTuple):
        t: int  # completed steps
        v: Array  # the running mean of g²
        b: Array  # the momentum buffer (the rescaled gradient when μ = 0)

    def update(self, theta, g, state, *, lr, rho, eps, momentum):
        v = rho * state.v + (1 - rho) * g**2  # running mean of g²
        b = momentum * state.b + g / nonzero(np.sqrt(v) + eps)  # momentum on the rescaled gradient
        theta = theta - lr * b
        step_size = lr / nonzero(np.sqrt(v) + eps)  # the effective step size α/(√v + ε)
        return theta, self.State(state.t + 1, v, b), {"v": v, "step_size": step_size}


class Adam(Optimizer):
    r"""Adam, Algorithm 1 of Kingma & Ba (2015).

    .. math::

        t &\leftarrow t + 1 \\
        m_t &\leftarrow \beta_1 m_{t-1} + (1 - \beta_1)\, g_t
            &&\text{(biased first moment estimate)} \\
        v_t &\leftarrow \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2
            &&\text{(biased second raw moment estimate)} \\
        \hat m_t &\leftarrow m_t / (1 - \beta_1^t)
            &&\text{(bias-corrected first moment estimate)} \\
        \hat v_t &\leftarrow v_t / (1 - \beta_2^t)
            &&\text{(bias-corrected second raw moment estimate)} \\
        \theta_t &\leftarrow \theta_{t-1} - \alpha\, \hat m_t / (\sqrt{\hat v_t} + \epsilon)

    Parameters
    ----------
    lr : float, array or schedule, default 1e-3
        The step size α (``schedules.InverseSqrt`` gives the α/√t of §4).
    beta1, beta2 : float, array or schedule in [0, 1), default 0.9 and 0.999
        Decay rates of the moment estimates. ``beta1=schedules.Beta1Decay(0.9, lam)`` is Theorem 4.1's
        β1,t = β1·λ^(t−1).
    eps : float, array or schedule >= 0, default 1e-8
        ε, added to √v̂ (outside the root, after bias correction).
    bias_correction : {"both", "m", "v", "none"}, default "both"
        Which moments are bias-corrected, for the ablation of §6.4. "none" is RMSProp with momentum (paper
        §6.4); "v" alone is AdamD. The first step under a constant gradient is α, 31.6α ("m"), 0.1α ("v") or
        3.16α ("none") at the default βs.

    Notes
    -----
    * This is what PyTorch computes (``torch.optim.Adam(params, lr=α, betas=(β1, β2), eps=ε)``) and what optax's
      ``adam`` computes; results agree to float64 round-off.
    * A schedule is evaluated at t and used wherever its symbol appears, so a scheduled β1,t also enters the
      correction 1 − β1,tᵗ. The convergence proof of §4 keeps 1 − β1ᵗ; for its λ = 1 − 10⁻⁸ the two differ by
      less than 10⁻⁶ relative (β1ᵗ is negligible long before λ^(t(t−1)) departs from 1).
    * Variants are classes of their own: ``AMSGrad``, ``AdamW``, ``AdamEpsHat`` (Keras, TF, scikit-learn),
      ``NAdam``. L2 regularisation belongs to the objective: Adam on ``objectives.l2(f, λ)`` is PyTorch's
      ``Adam(weight_decay=λ)``.
    * With ``eps=0``, a coordinate whose gradient has always been 0 takes a zero step (not 0/0).
    * With a constant gradient, m̂ₜ = g and v̂ₜ = g² for every t, so every step is α·sign(g) up to ε.

    References
    ----------
    Kingma & Ba (2015), "Adam: A Method for Stochastic Optimization", ICLR, arXiv:1412.6980, Algorithm 1.

    Examples
    --------
    >>> import numpy as np
    >>> opt = Adam(lr=0.1)
    >>> x, s, info = opt.step_with_info(np.array([1.0, 1.0]), np.array([0.5, -2.0]), opt.init(np.zeros(2)))
    >>> x.round(9)                      # the first step is α·sign(g), up to ε
    array([0.9, 1.1])
    >>> info.m_hat, info.v_hat.round(12)
    (array([ 0.5, -2. ]), array([0.25, 4.  ]))
    """

    lr: float = hyperparameter(1e-3, "[0, inf)")
    beta1: float = hyperparameter(0.9, "[0, 1)")
    beta2: float = hyperparameter(0.999, "[0, 1)")
    eps: float = hyperparameter(1e-8, "[0, inf)")
    bias_correction: str = option("both", "m", "v", "none")

    class State(NamedTuple):
        t: int  # completed steps
        m: Array  # biased first moment estimate, m₀ = 0
        v: Array  # biased second raw moment estimate, v₀ = 0

    def update(self, theta, g, state, *, lr, beta1, beta2, eps, bias_correction):
        correct_m, correct_v = bias_correction in ("m", "both"), bias_correction in ("v", "both")
        t = state.t + 1
        m = beta1 * state.m + (1 - beta1) * g  # biased first moment estimate
        v = beta2 * state.v + (1 - beta2) * g**2  # biased second raw moment estimate
        m_hat = m / (1 - beta1**t) if correct_m else m  # bias-corrected first moment estimate
        v_hat = v / (1 - beta2**t) if correct_v else v  # bias-corrected second raw moment estimate
        theta = theta - lr * m_hat / nonzero(np.sqrt(v_hat) + eps)
        step_size = lr / nonzero(np.sqrt(v_hat) + eps)  # the effective step size α/(√v̂ + ε)
        return theta, self.State(t, m, v), {"m_hat": m_hat, "v_hat": v_hat, "step_size": step_size}


class AMSGrad(Optimizer):
    r"""AMSGrad (Reddi, Kale & Kumar 2018) as PyTorch and Keras compute it: Adam dividing by the running maximum
    of v, so that a coordinate's step size never grows.

    .. math::

        m_t &\leftarrow \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
        v_t &\leftarrow \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\
        v^{\max}_t &\leftarrow \max(v^{\max}_{t-1}, v_t) \\
        \hat m_t &\leftarrow m_t / (1 - \beta_1^t), \qquad
        \hat v_t \leftarrow v^{\max}_t / (1 - \beta_2^t) \\
        \theta_t &\leftarrow \theta_{t-1} - \alpha\, \hat m_t / (\sqrt{\hat v_t} + \epsilon)

    Parameters
    ----------
    lr : float, array or schedule, default 1e-3
    beta1, beta2 : float, array or schedule in [0, 1), default 0.9 and 0.999
    eps : float, array or schedule >= 0, default 1e-8
    bias_correction : {"both", "m", "v", "none"}, default "both"
        As in ``Adam``; the v correction divides the maximum.

    Notes
    -----
    * The defaults are exactly ``torch.optim.Adam(amsgrad=True)`` (and Keras' ``amsgrad=True`` up to its ε̂): the
      maximum is over the raw v and the bias correction comes after it.
    * Reddi et al.'s Algorithm 2 has no bias correction and no ε: ``AMSGrad(bias_correction="none", eps=0)``
      (with their α_t = α/√t: ``lr=schedules.InverseSqrt(α)``).
    * optax's ``amsgrad`` takes the maximum over the corrected v̂ instead, which keeps the inflated early values of
      v/(1 − β2ᵗ) for long and makes steps smaller. ``optax.amsgrad(bias_correction_nu=False)`` (max over the raw
      v, m̂ corrected, v not) is ``AMSGrad(bias_correction="m")`` (tested against an independent implementation
      of optax's formula).

    References
    ----------
    Reddi, Kale & Kumar (2018), "On the Convergence of Adam and Beyond", ICLR, Algorithm 2.

    Examples
    --------
    >>> import numpy as np
    >>> opt = AMSGrad(lr=0.1, eps=0.0)
    >>> x, s = np.zeros(1), opt.init(np.zeros(1))
    >>> for g in (1.0, 0.0):
    ...     x, s = opt.step(x, np.array([g]), s)
    >>> s.v_max > s.v                    # the large first gradient is remembered
    array([ True])
    """

    lr: float = hyperparameter(1e-3, "[0, inf)")
    beta1: float = hyperparameter(0.9, "[0, 1)")
    beta2: float = hyperparameter(0.999, "[0, 1)")
    eps: float = hyperparameter(1e-8, "[0, inf)")
    bias_correction: str = option("both", "m", "v", "none")

    class State(NamedTuple):
        t: int  # completed steps
        m: Array  # biased first moment estimate
        v: Array  # biased second raw moment estimate
        v_max: Array  # the running maximum of v

    def update(self, theta, g, state, *, lr, beta1, beta2, eps, bias_correction):
        correct_m, correct_v = bias_correction in ("m", "both"), bias_correction in ("v", "both")
        t = state.t + 1
        m = beta1 * state.m + (1 - beta1) * g
        v = beta2 * state.v + (1 - beta2) * g**2
        v_max = np.maximum(state.v_max, v)  # AMSGrad's one new line
        m_hat = m / (1 - beta1**t) if correct_m else m
        v_hat = v_max / (1 - beta2**t) if correct_v else v_max
        theta = theta - lr * m_hat / nonzero(np.sqrt(v_hat) + eps)
        step_size = lr / nonzero(np.sqrt(v_hat) + eps)
        return (
            theta,
            self.State(t, m, v, v_max),
            {"m_hat": m_hat, "v_hat": v_hat, "step_size": step_size},
        )


class AdamW(Optimizer):
    r"""AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay.

    .. math::

        \theta_{t-1}' &\leftarrow \theta_{t-1}\,(1 - \alpha\lambda)
            &&\text{(weight decay, outside the moments)} \\
        \theta_t &\leftarrow \theta_{t-1}' - \alpha\, \hat m_t / (\sqrt{\hat v_t} + \epsilon)
            &&\text{(the Adam step, with } m, v, \hat m, \hat v \text{ as in Algorithm 1)}

    Parameters
    ----------
    lr : float, array or schedule, default 1e-3
    beta1, beta2 : float, array or schedule in [0, 1), default 0.9 and 0.999
    eps : float, array or schedule >= 0, default 1e-8
    weight_decay : float, array or schedule >= 0, default 1e-2
        λ. The decay per step is αλ (PyTorch, optax and Keras all multiply by the learning rate).

    Notes
    -----
    Exactly ``torch.optim.AdamW(params, lr=α, betas=(β1, β2), eps=ε, weight_decay=λ)``; optax's ``adamw`` and
    Keras' ``AdamW`` compute the same with equal λ (their defaults are 1e-4 and 4e-3). Not the same as L2: Adam on
    the gradient of f + (λ/2)‖θ‖² (``objectives.l2``, PyTorch's ``Adam(weight_decay=λ)``) divides the decay term
    λθ by √v̂ like everything else, so coordinates with large gradients are barely decayed; AdamW shrinks every
    coordinate by the same factor 1 − αλ.

    References
    ----------
    Loshchilov & Hutter (2019), "Decoupled Weight Decay Regularization", ICLR, Algorithm 2.

    Examples
    --------
    >>> import numpy as np
    >>> opt = AdamW(lr=0.1, weight_decay=0.5)
    >>> x, s = opt.step(np.array([2.0]), np.array([0.0]), opt.init(np.zeros(1)))
    >>> x                                # a zero gradient: only the decay, 2 · (1 − 0.05)
    array([1.9])
    """

    lr: float = hyperparameter(1e-3, "[0, inf)")
    beta1: float = hyperparameter(0.9, "[0, 1)")
    beta2: float = hyperparameter(0.999, "[0, 1)")
    eps: float = hyperparameter(1e-8, "[0, inf)")
    weight_decay: float = hyperparameter(1e-2, "[0, inf)")

    State = Adam.State

    def update(self, theta, g, state, *, lr, beta1, beta2, eps, weight_decay):
        t = state.t + 1
        theta = theta * (1 - lr * weight_decay)  # decoupled weight decay
        m = beta1 * state.m + (1 - beta1) * g
        v = beta2 * state.v + (1 - beta2) * g**2
        m_hat = m / (1 - beta1**t)
        v_hat = v / (1 - beta2**t)
        theta = theta - lr * m_hat / nonzero(np.sqrt(v_hat) + eps)
        step_size = lr / nonzero(np.sqrt(v_hat) + eps)
        return theta, self.State(t, m, v), {"m_hat": m_hat, "v_hat": v_hat, "step_size": step_size}


class AdamEpsHat(Optimizer):
    r"""Adam in the paper's "efficient" order of computation (end of §2), as Keras, TensorFlow and scikit-learn
    compute it: the bias corrections folded into one step size α_t, and ε̂ added to the *uncorrected* √v.

    .. math::

        m_t &\leftarrow \beta_1 m_{t-1} + (1 - \beta_1)\, g_t, \qquad
        v_t \leftarrow \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\
        \alpha_t &\leftarrow \alpha\, \sqrt{1 - \beta_2^t} / (1 - \beta_1^t) \\
        \theta_t &\leftarrow \theta_{t-1} - \alpha_t\, m_t / (\sqrt{v_t} + \hat\epsilon)

    Parameters
    ----------
    lr : float, array or schedule, default 1e-3
    beta1, beta2 : float, array or schedule in [0, 1), default 0.9 and 0.999
    eps : float, array or schedule >= 0, default 1e-8
        ε̂, which the paper never defines.

    Notes
    -----
    This equals Algorithm 1 (``Adam``) with ε = ε̂/√(1 − β2ᵗ): a larger ε early on, 31.6× at t = 1, 10× at t = 10
    and 1.26× at t = 1000 for β2 = 0.999. It matters when √v̂ is within a few orders of magnitude of ε (small
    gradients, float16/32). Keras' ``Adam()`` is ``AdamEpsHat(eps=1e-7)``; scikit-learn's ``AdamOptimizer`` is
    ``AdamEpsHat()``.

    References
    ----------
    Kingma & Ba (2015), §2, the paragraph after Algorithm 1.

    Examples
    --------
    >>> import numpy as np
    >>> opt = AdamEpsHat(lr=0.1, eps=1e-3)
    >>> x, s = opt.step(np.zeros(1), np.array([0.01]), opt.init(np.zeros(1)))
    >>> x.round(6)                       # Adam with ε = 1e-3/√0.001 = 0.0316: −0.1·0.01/(0.01 + 0.0316)
    array([-0.024025])
    """

    lr: float = hyperparameter(1e-3, "[0, inf)")
    beta1: float = hyperparameter(0.9, "[0, 1)")
    beta2: float = hyperparameter(0.999, "[0, 1)")
    eps: float = hyperparameter(1e-8, "[0, inf)")

    State = Adam.State

    def update(self, theta, g, state, *, lr, beta1, beta2, eps):
        t = state.t + 1
        m = beta1 * state.m + (1 - beta1) * g
        v = beta2 * state.v + (1 - beta2) * g**2
        lr_t = lr * (1 - beta2**t) ** 0.5 / (1 - beta1**t)  # both bias corrections in one step size
        theta = theta - lr_t * m / nonzero(np.sqrt(v) + eps)
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)  # for pictures: Algorithm 1's m̂ and v̂
        step_size = lr * (1 - beta2**t) ** 0.5 / nonzero(np.sqrt(v) + eps)  # Δθ = −step_size · m̂
        return theta, self.State(t, m, v), {"m_hat": m_hat, "v_hat": v_hat, "step_size": step_size}


class AdaMax(Optimizer):
    r"""AdaMax, Algorithm 2 of Kingma & Ba (2015): Adam with the infinity norm.

    .. math::

        m_t &\leftarrow \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
        u_t &\leftarrow \max(\beta_2 u_{t-1},\ |g_t| + \epsilon)
            &&\text{(exponentially weighted infinity norm; } \epsilon = 0 \text{ in the paper)} \\
        \theta_t &\leftarrow \theta_{t-1} - \frac{\alpha}{1 - \beta_1^t}\, \frac{m_t}{u_t}

    Parameters
    ----------
    lr : float, array or schedule, default 2e-3
        The step size α (the paper's default).
    beta1, beta2 : float, array or schedule in [0, 1), default 0.9 and 0.999
    eps : float, array or schedule >= 0, default 0.0
        Algorithm 2 has no ε. A positive ε enters inside the max, as in PyTorch, and stays in u.

    Notes
    -----
    u needs no bias correction. The paper's ``|Δθ| ≤ α`` holds whenever no past gradient exceeds the current
    u (e.g. when ``|g|`` does not shrink), but it is not a worst-case bound: gradients shrinking by β2 per step
    reach ``|Δθ|/α → (1 − β1)/(1 − β1/β2)``, 1.009 at the defaults (see ``docs/conventions.md``). A coordinate
    whose gradient has always been 0 has u = 0 and takes a zero step (Algorithm 2 would compute 0/0; PyTorch gives
    NaN there with ``eps=0``). Keras puts ε outside the max (``u + ε``) and defaults to lr 1e-3; optax puts it
    inside like PyTorch.

    PyTorch: ``torch.optim.Adamax(params, lr=α, betas=(β1, β2), eps=ε)`` (its default ε is 1e-8).

    References
    ----------
    Kingma & Ba (2015), "Adam: A Method for Stochastic Optimization", §7.1, Algorithm 2.

    Examples
    --------
    >>> import numpy as np
    >>> opt = AdaMax(lr=0.002)
    >>> x, s = opt.step(np.array([1.0, 1.0]), np.array([-3.0, 0.0]), opt.init(np.zeros(2)))
    >>> x, s.u                       # the first step is α·sign(g); u = |g|
    (array([1.002, 1.   ]), array([3., 0.]))
    """

    lr: float = hyperparameter(2e-3, "[0, inf)")
    beta1: float = hyperparameter(0.9, "[0, 1)")
    beta2: float = hyperparameter(0.999, "[0, 1)")
    eps: float = hyperparameter(0.0, "[0, inf)")

    class State(NamedTuple):
        t: int  # completed steps
        m: Array  # biased first moment estimate
        u: Array  # exponentially weighted infinity norm

    def update(self, theta, g, state, *, lr, beta1, beta2, eps):
        t = state.t + 1
        m = beta1 * state.m + (1 - beta1) * g  # biased first moment estimate
        u = np.maximum(beta2 * state.u, np.abs(g) + eps)  # exponentially weighted infinity norm
        theta = theta - lr / (1 - beta1**t) * (m / nonzero(u))
        m_hat, step_size = m / (1 - beta1**t), lr / nonzero(u)  # Δθ = −step_size · m̂
        return theta, self.State(t, m, u), {"m_hat": m_hat, "u": u, "step_size": step_size}


class NAdam(Optimizer):
    r"""NAdam (Dozat 2016): Adam with Nesterov momentum, as ``torch.optim.NAdam`` computes it, with its
    momentum schedule μ_t.

    .. math::

        \mu_t &\leftarrow \beta_1 \left(1 - \tfrac12\, 0.96^{t\psi}\right)
            &&\text{(the momentum schedule; } \psi = \text{momentum\_decay)} \\
        m_t &\leftarrow \beta_1 m_{t-1} + (1 - \beta_1)\, g_t, \qquad
        v_t \leftarrow \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2, \qquad
        \hat v_t \leftarrow v_t / (1 - \beta_2^t) \\
        \theta_t &\leftarrow \theta_{t-1}
            - \alpha\, \frac{1 - \mu_t}{1 - \prod_{i \le t} \mu_i}\, \frac{g_t}{\sqrt{\hat v_t} + \epsilon}
            - \alpha\, \frac{\mu_{t+1}}{1 - \prod_{i \le t+1} \mu_i}\, \frac{m_t}{\sqrt{\hat v_t} + \epsilon}

    The first term is the bias-corrected gradient, the second the momentum looked ahead one step (μ_{t+1}).

    Parameters
    ----------
    lr : float, array or schedule, default 2e-3
    beta1, beta2 : float, array or schedule in [0, 1), default 0.9 and 0.999
    eps : float, array or schedule >= 0, default 1e-8
    momentum_decay : float, array or schedule >= 0, default 4e-3
        ψ: μ_t warms up from β1/2 towards β1 (μ_t = 0.457 at t = 100 and 0.81 at t = 1000 for β1 = 0.9).

    Notes
    -----
    Three incompatible NAdams exist. This one is PyTorch's (Dozat's schedule with ψ = 0.004). Keras 3 uses
    0.96ᵗ with no ψ, so its μ warms up about 250× faster; optax's ``nadam`` keeps β1 constant.

    References
    ----------
    Dozat (2016), "Incorporating Nesterov Momentum into Adam", ICLR workshop.

    Examples
    --------
    >>> import numpy as np
    >>> opt = NAdam(lr=0.1, eps=0.0)
    >>> x, s = opt.step(np.zeros(1), np.array([2.0]), opt.init(np.zeros(1)))
    >>> x.round(6), round(s.mu_product, 6)        # μ_1 = 0.9 (1 − 0.5 · 0.96^0.004) = 0.450073
    (array([-0.105645]), 0.450073)
    """

    lr: float = hyperparameter(2e-3, "[0, inf)")
    beta1: float = hyperparameter(0.9, "[0, 1)")
    beta2: float = hyperparameter(0.999, "[0, 1)")
    eps: float = hyperparameter(1e-8, "[0, inf)")
    momentum_decay: float = hyperparameter(4e-3, "[0, inf)")

    class State(NamedTuple):
        t: int  # completed steps
        m: Array  # biased first moment estimate
        v: Array  # biased second raw moment estimate
        mu_product: float = 1.0  # the product μ_1 ⋯ μ_t

    def update(self, theta, g, state, *, lr, beta1, beta2, eps, momentum_decay):
        t = state.t + 1
        mu = beta1 * (1 - 0.5 * 0.96 ** (t * momentum_decay))  # μ_t
        mu_next = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * momentum_decay))  # μ_{t+1}
        mu_product = state.mu_product * mu
        m = beta1 * state.m + (1 - beta1) * g
        v = beta2 * state.v + (1 - beta2) * g**2
        v_hat = v / (1 - beta2**t)
        den = nonzero(np.sqrt(v_hat) + eps)
        theta = theta - lr * (1 - mu) / (1 - mu_product) * g / den
        theta = theta - lr * mu_next / (1 - mu_product * mu_next) * m / den
        return (
            theta,
            self.State(t, m, v, mu_product),
            {"v_hat": v_hat, "step_size": lr / den},
        )


__all__ = ["Optimizer", "OPTIMIZERS", "hyperparameter", "flag", "option", "nonzero", *OPTIMIZERS]
