r"""The classic analytic test functions, each with its exact gradient and Hessian.

Formulas, domains and minima follow the SFU Virtual Library of Simulation Experiments (Surjanovic &
Bingham) and Wikipedia's "Test functions for optimization"; every constant below was refined to 20+
significant digits by Newton's method in 50-digit decimal arithmetic, and the known errors of public
sources (Styblinski-Tang's minimum value, Himmelblau's minima, the Easom formula, McCormick's "convexity")
are avoided and pinned by regression tests. Two-dimensional formulas write ``x = x[..., 0]`` and
``y = x[..., 1]``.
"""

from __future__ import annotations

import math

import numpy as np

from adamlab.functions._base import TestFunction, sym2
from adamlab.functions._validate import int_at_least, positive_real, real

__all__ = [
    "Sphere",
    "Quadratic",
    "Rosenbrock",
    "Beale",
    "Booth",
    "Matyas",
    "Himmelblau",
    "ThreeHumpCamel",
    "SixHumpCamel",
    "StyblinskiTang",
    "Rastrigin",
    "Ackley",
    "GoldsteinPrice",
    "Easom",
    "Levi13",
    "McCormick",
    "Saddle",
    "MonkeySaddle",
]

PI = math.pi


def _box(d: int, low: float, high: float) -> np.ndarray:
    return np.tile([low, high], (d, 1)).astype(float)


def _pattern(d: int, values: list[float]) -> np.ndarray:
    """A d-vector repeating `values` (used for default starts of the n-D functions)."""
    return np.resize(np.asarray(values, float), d)


# ======================================================================================= convex


class Sphere(TestFunction):
    r"""Sphere function, the simplest convex bowl.

    .. math:: f(x) = \sum_{i=1}^{d} x_i^2, \qquad \nabla f(x) = 2x, \qquad \nabla^2 f = 2I.

    Parameters
    ----------
    dim : int, default 2
        Dimension d >= 1.

    Notes
    -----
    Unique minimum f(0) = 0; condition number 1. SFU's description ("d local minima ... unimodal")
    contradicts itself: there is exactly one minimum. Plotting window and standard domain
    :math:`[-5.12, 5.12]^d`.

    Examples
    --------
    >>> from adamlab.functions import get
    >>> f = get("sphere")
    >>> print(f([0.3, -0.7]), f.grad([0.3, -0.7]))
    0.58 [ 0.6 -1.4]
    """

    name = "sphere"
    latex = r"f(x) = \sum_{i=1}^{d} x_i^2"
    description = "Convex isotropic bowl (condition number 1): every method should converge."
    character = ("convex",)

    def __init__(self, dim: int = 2) -> None:
        d = int_at_least(self.name, "dim", dim, 1)
        super().__init__(
            d,
            params={"dim": d},
            minima=np.zeros((1, d)),
            min_value=0.0,
            domain=_box(d, -5.12, 5.12),
            starts=[_pattern(d, [4.0, 3.0]), _pattern(d, [-3.0, 4.0])],
        )

    def _value(self, x):
        return np.sum(x**2, axis=-1)

    def _grad(self, x):
        return 2.0 * x

    def _hessian(self, x):
        return np.broadcast_to(2.0 * np.eye(self.dim), x.shape + (self.dim,)).copy()


class Quadratic(TestFunction):
    r"""Ill-conditioned quadratic, optionally rotated.

    .. math::
        f(x, y) = \tfrac12 (u^2 + \kappa v^2), \quad
        u = x\cos\theta + y\sin\theta, \quad v = -x\sin\theta + y\cos\theta,

    i.e. :math:`f(z) = \tfrac12 z^\top A z` with :math:`A = R(\theta)\,\mathrm{diag}(1, \kappa)\,R(\theta)^\top`,
    :math:`\nabla f(z) = A z` and :math:`\nabla^2 f = A`.

    Parameters
    ----------
    kappa : float, default 10
        Condition number (eigenvalues 1 and kappa), > 0.
    angle : float, default 0
        Rotation angle theta in radians. With ``angle=0`` the ill-conditioning is axis-aligned, the case
        Adam's per-coordinate scaling fixes; with ``angle=pi/4`` it is not.

    Notes
    -----
    Gradient descent with step eta is stable iff eta < 2/kappa; the best constant step 2/(1 + kappa)
    contracts by (kappa - 1)/(kappa + 1). Matyas (kappa 25) and Booth (kappa 9) are rotated quadratics.

    Examples
    --------
    >>> import numpy as np
    >>> from adamlab.functions import get
    >>> f = get("quadratic", kappa=100, angle=np.pi / 6)
    >>> print(round(float(f([0.3, -0.7])), 9))
    28.597334072
    """

    name = "quadratic"
    latex = r"f = \frac{1}{2}(u^2 + \kappa v^2),\ (u, v) = R(\theta)^\top (x, y)"
    description = "Convex quadratic with condition number kappa, rotated by angle."
    character = ("convex",)
    log_levels = True

    def __init__(self, kappa: float = 10, angle: float = 0) -> None:
        k = positive_real(self.name, "kappa", kappa)
        th = real(self.name, "angle", angle)
        self._kappa, self._c, self._s = k, math.cos(th), math.sin(th)
        super().__init__(
            2,
            params={"kappa": kappa, "angle": angle},
            minima=[[0.0, 0.0]],
            min_value=0.0,
            domain=_box(2, -4.0, 4.0),
            starts=[[3.0, 2.0], [-3.0, 1.0]],
        )
        c, s = self._c, self._s
        r = np.array([[c, -s], [s, c]])
        a = r @ np.diag([1.0, k]) @ r.T
        self.A = 0.5 * (a + a.T)  # exactly symmetric
        self.A.setflags(write=False)

    def _uv(self, x):
        c, s = self._c, self._s
        return c * x[..., 0] + s * x[..., 1], -s * x[..., 0] + c * x[..., 1]

    def _value(self, x):
        u, v = self._uv(x)
        return 0.5 * (u**2 + self._kappa * v**2)

    def _grad(self, x):
        u, v = self._uv(x)
        c, s, k = self._c, self._s, self._kappa
        return np.stack([c * u - s * k * v, s * u + c * k * v], -1)

    def _hessian(self, x):
        return np.broadcast_to(self.A, x.shape + (2,)).copy()


class Booth(TestFunction):
    r"""Booth function, a rotated convex quadratic.

    .. math:: f(x, y) = (x + 2y - 7)^2 + (2x + y - 5)^2, \quad
        \nabla f = (10x + 8y - 34,\ 8x + 10y - 38), \quad \nabla^2 f = \begin{pmatrix}10 & 8\\ 8 & 10\end{pmatrix}.

    Notes
    -----
    Hessian eigenvalues 2 and 18 (condition number 9) along the diagonals. Minimum f(1, 3) = 0.
    Standard domain :math:`[-10, 10]^2`.

    Examples
    --------
    >>> from adamlab.functions import get
    >>> f = get("booth")
    >>> print(round(float(f([0.3, -0.7])), 12), f.grad([0.3, -0.7]).round(12))
    91.62 [-36.6 -42.6]
    """

    name = "booth"
    latex = r"f(x, y) = (x + 2y - 7)^2 + (2x + y - 5)^2"
    description = "Convex quadratic with condition number 9 along the diagonals."
    character = ("convex",)
    log_levels = True

    def __init__(self) -> None:
        super().__init__(
            2,
            minima=[[1.0, 3.0]],
            min_value=0.0,
            domain=_box(2, -10.0, 10.0),
            starts=[[-8.0, 8.0], [8.0, -8.0], [0.0, -6.0]],
        )

    def _value(self, x):
        X, Y = x[..., 0], x[..., 1]
        return (X + 2 * Y - 7) ** 2 + (2 * X + Y - 5) ** 2

    def _grad(self, x):
        X, Y = x[..., 0], x[..., 1]
        return np.stack([10 * X + 8 * Y - 34, 8 * X + 10 * Y - 38], -1)

    def _hessian(self, x):
        return sym2(np.full(x.shape[:-1], 10.0), 8.0, 10.0)


class Matyas(TestFunction):
    r"""Matyas function, a flat rotated quadratic valley.

    .. math:: f(x, y) = 0.26(x^2 + y^2) - 0.48xy, \quad
        \nabla f = (0.52x - 0.48y,\ 0.52y - 0.48x).

    Notes
    -----
    Hessian [[0.52, -0.48], [-0.48, 0.52]], eigenvalues 0.04 (along x = y) and 1.0: condition number 25
    and a very flat valley on the diagonal. Minimum f(0, 0) = 0. Standard domain :math:`[-10, 10]^2`.

    Examples
    --------
    >>> from adamlab.functions import get
    >>> import numpy as np
    >>> np.linalg.eigvalsh(get("matyas").hessian([0.0, 0.0])).round(12)   # condition number 25
    array([0.04, 1.  ])
    """

    name = "matyas"
    latex = r"f(x, y) = 0.26(x^2 + y^2) - 0.48xy"
    description = "Convex quadratic with a very flat valley along x = y (condition number 25)."
    character = ("convex", "valley")
    log_levels = True

    def __init__(self) -> None:
        super().__init__(
            2,
            minima=[[0.0, 0.0]],
            min_value=0.0,
            domain=_box(2, -10.0, 10.0),
            starts=[[-8.0, -6.0], [8.0, 2.0]],
            curves={"valley floor x = y": [[-10.0, -10.0], [10.0, 10.0]]},
        )

    def _value(self, x):
        X, Y = x[..., 0], x[..., 1]
        return 0.26 * (X**2 + Y**2) - 0.48 * X * Y

    def _grad(self, x):
        X, Y = x[..., 0], x[..., 1]
        return np.stack([0.52 * X - 0.48 * Y, 0.52 * Y - 0.48 * X], -1)

    def _hessian(self, x):
        return sym2(np.full(x.shape[:-1], 0.52), -0.48, 0.52)


# ======================================================================================= valleys


class Rosenbrock(TestFunction):
    r"""Rosenbrock's banana valley (a = 1, b = 100), in d >= 2 dimensions.

    .. math::
        f(x) = \sum_{i=1}^{d-1} \left[100\,(x_{i+1} - x_i^2)^2 + (1 - x_i)^2\right],

    .. math::
        \partial_i f = -400\,x_i (x_{i+1} - x_i^2) - 2(1 - x_i) + 200\,(x_i - x_{i-1}^2),

    where terms with an index outside 1..d are dropped; the Hessian is tridiagonal.

    Parameters
    ----------
    dim : int, default 2
        Dimension d >= 2.

    Notes
    -----
    Minimum f(1, ..., 1) = 0. In 2-D: Hessian [[802, -400], [-400, 200]] at the minimum (condition
    number about 2508); no other stationary point in [-2, 2] x [-1, 3]; the curved valley floor
    follows y = x^2 (listed in ``curves``). Classic start (-1.2, 1) with f = 24.2.
    Standard domain: :math:`[-5, 10]^d` (SFU), restricted to :math:`[-2.048, 2.048]^d` in places.

    Examples
    --------
    >>> from adamlab.functions import get
    >>> f = get("rosenbrock")
    >>> print(round(float(f([0.3, -0.7])), 12), f.grad([0.3, -0.7]).round(12))
    62.9 [  93.4 -158. ]
    """

    name = "rosenbrock"
    latex = r"f(x) = \sum_{i=1}^{d-1} 100(x_{i+1} - x_i^2)^2 + (1 - x_i)^2"
    description = (
        "Narrow curved valley: easy to find, slow to follow to the minimum at (1, ..., 1)."
    )
    character = ("valley",)
    log_levels = True

    def __init__(self, dim: int = 2) -> None:
        d = int_at_least(self.name, "dim", dim, 2)
        domain = [[-2.0, 2.0], [-1.0, 3.0]] if d == 2 else _box(d, -2.0, 2.0)
        xs = np.linspace(-2.0, 2.0, 101)
        curves = {"valley floor y = x^2": np.stack([xs, xs**2], -1)} if d == 2 else {}
        starts = [[-1.2, 1.0], [-1.5, 2.5], [1.5, -0.5]] if d == 2 else [_pattern(d, [-1.2, 1.0])]
        super().__init__(
            d,
            params={"dim": d},
            minima=np.ones((1, d)),
            min_value=0.0,
            domain=domain,
            standard_domain=_box(d, -5.0, 10.0),
            starts=starts,
            curves=curves,
        )

    def _value(self, x):
        a, b = x[..., :-1], x[..., 1:]
        return np.sum(100.0 * (b - a**2) ** 2 + (1.0 - a) ** 2, axis=-1)

    def _grad(self, x):
        a, b = x[..., :-1], x[..., 1:]
        g = np.zeros_like(x)
        g[..., :-1] += -400.0 * a * (b - a**2) - 2.0 * (1.0 - a)
        g[..., 1:] += 200.0 * (b - a**2)
        return g

    def _hessian(self, x):
        d = self.dim
        a, b = x[..., :-1], x[..., 1:]
        h = np.zeros(x.shape + (d,))
        i = np.arange(d - 1)
        h[..., i, i] += 1200.0 * a**2 - 400.0 * b + 2.0
        h[..., i + 1, i + 1] += 200.0
        h[..., i, i + 1] = -400.0 * a
        h[..., i + 1, i] = -400.0 * a
        return h


class Beale(TestFunction):
    r"""Beale function: a minimum in a flat, curved valley, two saddles and a plateau line.

    .. math::
        f(x, y) = t_1^2 + t_2^2 + t_3^2, \quad t_1 = 1.5 - x + xy, \ t_2 = 2.25 - x + xy^2, \
        t_3 = 2.625 - x + xy^3,

    .. math::
        \nabla f = \sum_k 2 t_k \nabla t_k, \quad \nabla^2 f = \sum_k 2(\nabla t_k \nabla t_k^\top +
        t_k \nabla^2 t_k).

    Notes
    -----
    Minimum f(3, 0.5) = 0 (Hessian eigenvalues 0.3015 and 48.98). Saddles at (0, 1), f = 14.203125, and
    (0.1005379..., -2.6445135...), f = 9.8645122... On the line x = 0, f = 14.203125 exactly and
    df/dy = 0: a plateau line (in ``curves``). So Beale is unimodal on its box, despite SFU calling it
    "multimodal". Standard domain :math:`[-4.5, 4.5]^2`.

    Examples
    --------
    >>> from adamlab.functions import get
    >>> f = get("beale")
    >>> print(f([0.0, 2.0]), f.grad([0.0, 2.0])[1])     # the plateau line x = 0
    14.203125 0.0
    """

    name = "beale"
    latex = r"f = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2"
    description = "Flat curved valleys with sharp walls; saddles at (0, 1) and near (0.1, -2.64)."
    character = ("valley", "plateau")
    log_levels = True

    def __init__(self) -> None:
        super().__init__(
            2,
            minima=[[3.0, 0.5]],
            min_value=0.0,
            domain=_box(2, -4.5, 4.5),
            starts=[[1.0, 1.5], [-3.0, -3.0], [-2.0, 3.0]],
            stationary_points={
                "saddle": [[0.0, 1.0], [0.10053793732415835927, -2.64451358502312496886]],
            },
            curves={"plateau line x = 0 (f = 14.203125)": [[0.0, -4.5], [0.0, 4.5]]},
        )

    @staticmethod
    def _terms(x):
        X, Y = x[..., 0], x[..., 1]
        t = (1.5 - X + X * Y, 2.25 - X + X * Y**2, 2.625 - X + X * Y**3)
        dt = ((Y - 1, X), (Y**2 - 1, 2 * X * Y), (Y**3 - 1, 3 * X * Y**2))
        zero = np.zeros_like(X)
        ddt = ((zero, 1.0, zero), (zero, 2 * Y, 2 * X), (zero, 3 * Y**2, 6 * X * Y))
        return t, dt, ddt

    def _value(self, x):
        t, _, _ = self._terms(x)
        return t[0] ** 2 + t[1] ** 2 + t[2] ** 2

    def _grad(self, x):
        t, dt, _ = self._terms(x)
        gx = sum(2 * tk * dk[0] for tk, dk in zip(t, dt))
        gy = sum(2 * tk * dk[1] for tk, dk in zip(t, dt))
        return np.stack([gx, gy], -1)

    def _hessian(self, x):
        t, dt, ddt = self._terms(x)
        hxx = sum(2 * (dk[0] ** 2 + tk * hk[0]) for tk, dk, hk in zip(t, dt, ddt))
        hxy = sum(2 * (dk[0] * dk[1] + tk * hk[1]) for tk, dk, hk in zip(t, dt, ddt))
        hyy = sum(2 * (dk[1] ** 2 + tk * hk[2]) for tk, dk, hk in zip(t, dt, ddt))
        return sym2(hxx, hxy, hyy)


# ======================================================================================= multimodal


class Himmelblau(TestFunction):
    r"""Himmelblau's function: four global minima, one maximum, four saddles.

    .. math::
        f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2, \quad
        \nabla f = (4x p + 2q,\ 2p + 4y q), \ p = x^2 + y - 11, \ q = x + y^2 - 7.

    Notes
    -----
    All four minima have f = 0 and are global: (3, 2), (-2.805118086952745, 3.131312518250573),
    (-3.779310253377747, -3.283185991286170), (3.584428340330492, -1.848126526964404). Some sources have
    typos in them (pybenchfunction lists (-2.805118, 3.283186) and x = 3.584458). Local maximum at
    (-0.270844590667, -0.923038556480), f = 181.616521523. Standard domain :math:`[-5, 5]^2`.

    Examples
    --------
    >>> from adamlab.functions import get
    >>> f = get("himmelblau")
    >>> bool(abs(f(f.minima)).max() < 1e-20), f.stationary_points["saddle"].shape
    (True, (4, 2))
    """

    name = "himmelblau"
    latex = r"f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2"
    description = "Four global minima with f = 0: where you end up depends on where you start."
    character = ("multimodal",)
    log_levels = True

    def __init__(self) -> None:
        super().__init__(
            2,
            minima=[
                [3.0, 2.0],
                [-2.80511808695274485305, 3.13131251825057296580],
                [-3.77931025337774689189, -3.28318599128616941227],
                [3.58442834033049174494, -1.84812652696440355354],
            ],
            min_value=0.0,
            domain=_box(2, -5.0, 5.0),
            starts=[[-0.5, 0.0], [0.0, -1.5], [0.5, 0.5]],
            stationary_points={
                "maximum": [[-0.27084459066734761304, -0.92303855647998146313]],
                "saddle": [
                    [3.38515418360702093800, 0.07385187983774928772],
                    [0.08667750455539635182, 2.88425470117477611306],
                    [-3.07302575076438961047, -0.08135304428796751155],
                    [-0.12796134673068006631, -1.95371498024457642610],
                ],
            },
        )

    def _value(self, x):
        X, Y = x[..., 0], x[..., 1]
        return (X**2 + Y - 11) ** 2 + (X + Y**2 - 7) ** 2

    def _grad(self, x):
        X, Y = x[..., 0], x[..., 1]
        p, q = X**2 + Y - 11, X + Y**2 - 7
        return np.stack([4 * X * p + 2 * q, 2 * p + 4 * Y * q], -1)

    def _hessian(self, x):
        X, Y = x[..., 0], x[..., 1]
        return sym2(12 * X**2 + 4 * Y - 42, 4 * X + 4 * Y, 12 * Y**2 + 4 * X - 26)


class ThreeHumpCamel(TestFunction):
    r"""Three-hump camel: a global minimum between two local ones.

    .. math::
        f(x, y) = 2x^2 - 1.05x^4 + \frac{x^6}{6} + xy + y^2, \quad
        \nabla f = (4x - 4.2x^3 + x^5 + y,\ x + 2y).

    Notes
    -----
    Global minimum f(0, 0) = 0; local minima +-(1.747552345830289, -0.873776172915144) with
    f = 0.298638442236860; saddles +-(1.070542291823660, -0.535271145911830) with f = 0.877361557763140.
    Standard domain :math:`[-5, 5]^2`; plotting window :math:`[-2, 2]^2`.

    Examples
    --------
    >>> from adamlab.functions import get
    >>> f = get("three_hump_camel")
    >>> print(round(float(f([0.3, -0.7])), 12), f.grad([0.3, -0.7]).round(12))
    0.4516165 [ 0.38903 -1.1    ]
    """

    name = "three_hump_camel"
    latex = r"f(x, y) = 2x^2 - 1.05x^4 + \frac{x^6}{6} + xy + y^2"
    description = "One global and two local minima separated by low saddles."
    character = ("multimodal",)
    log_levels = True

    def __init__(self) -> None:
        m = np.array([1.74755234583028889857, -0.87377617291514444929])
        s = np.array([1.07054229182365997308, -0.53527114591182998654])
        super().__init__(
            2,
            minima=[[0.0, 0.0]],
            min_value=0.0,
            domain=_box(2, -2.0, 2.0),
            standard_domain=_box(2, -5.0, 5.0),
            starts=[[-1.5, 1.5], [1.9, -0.5], [-1.0, -1.5]],
            stationary_points={"local minimum": [m, -m], "saddle": [s, -s]},
        )

    def _value(self, x):
        X, Y = x[..., 0], x[..., 1]
        return 2 * X**2 - 1.05 * X**4 + X**6 / 6 + X * Y + Y**2

    def _grad(self, x):
        X, Y = x[..., 0], x[..., 1]
        return np.stack([4 * X - 4.2 * X**3 + X**5 + Y, X + 2 * Y], -1)

    def _hessian(self, x):
        X = x[..., 0]
        return sym2(4 - 12.6 * X**2 + 5 * X**4, 1.0, 2.0)


class SixHumpCamel(TestFunction):
    r"""Six-hump camel: two global minima, four local ones, and a saddle at the origin.

    .. math::
        f(x, y) = \left(4 - 2.1x^2 + \frac{x^4}{3}\right)x^2 + xy + (-4 + 4y^2)y^2, \quad
        \nabla f = (8x - 8.4x^3 + 2x^5 + y,\ x - 8y + 16y^3).

    Notes
    -----
    Global minima +-(0.08984201310031806, -0.7126564030207396), f = -1.031628453489877 (SFU rounds
    to -1.0316). The origin is a saddle with a gradient exactly (0, 0): an optimizer started there
    never moves. Local minima +-(-1.703606714970, 0.796083568673), f = -0.215463824384, and
    +-(-1.607104752920, -0.568651454884), f = 2.104250310311; maxima +-(1.230229876517, 0.162334584459).
    Standard domain [-3, 3] x [-2, 2]; plotting window [-2, 2] x [-1, 1]. (optproblems scales f by 4.)

    Examples
    --------
    >>> from adamlab.functions import get
    >>> f = get("six_hump_camel")
    >>> f.grad([0.0, 0.0]), round(f.min_value, 12)     # the origin is an exact saddle
    (array([0., 0.]), -1.03162845349)
    """

    name = "six_hump_camel"
    latex = r"f(x, y) = (4 - 2.1x^2 + \frac{x^4}{3})x^2 + xy + (4y^2 - 4)y^2"
    description = "Two symmetric global minima, four local minima and a saddle at the origin."
    character = ("multimodal", "saddle")
    log_levels = True

    def __init__(self) -> None:
        m = np.array([0.08984201310031806242, -0.71265640302073963340])
        l1 = np.array([-1.70360671496998084877, 0.79608356867262511903])
        l2 = np.array([-1.60710475292019722976, -0.56865145488413137139])
        mx = np.array([1.23022987651665262661, 0.16233458445899497001])
        super().__init__(
            2,
            minima=[m, -m],
            min_value=-1.03162845348987735042,
            domain=[[-2.0, 2.0], [-1.0, 1.0]],
            standard_domain=[[-3.0, 3.0], [-2.0, 2.0]],
            starts=[[-1.5, 0.8], [1.0, -0.9], [0.0, 0.0]],
            stationary_points={
                "saddle (gradient exactly 0)": [[0.0, 0.0]],
                "local minimum": [l1, -l1, l2, -l2],
                "maximum": [mx, -mx],
            },
        )

    def _value(self, x):
        X, Y = x[..., 0], x[..., 1]
        return (4 - 2.1 * X**2 + X**4 / 3) * X**2 + X * Y + (-4 + 4 * Y**2) * Y**2

    def _grad(self, x):
        X, Y = x[..., 0], x[..., 1]
        return np.stack([8 * X - 8.4 * X**3 + 2 * X**5 + Y, X - 8 * Y + 16 * Y**3], -1)

    def _hessian(self, x):
        X, Y = x[..., 0], x[..., 1]
        return sym2(8 - 25.2 * X**2 + 10 * X**4, 1.0, -8 + 48 * Y**2)


# Roots of 2t^3 - 16t + 2.5 = 0 (the per-coordinate stationary points of Styblinski-Tang).
_ST_MIN = -2.90353402777117709512
_ST_MAX = 0.15673125678034010267
_ST_LOC = 2.74680277099083699245
_ST_VALUE = -39.16616570377141546389  # per dimension; NOT SFU's -39.16599


class StyblinskiTang(TestFunction):
    r"""Styblinski-Tang function, separable with :math:`2^d` local minima.

    .. math::
        f(x) = \frac12 \sum_{i=1}^{d} (x_i^4 - 16x_i^2 + 5x_i), \quad
        \partial_i f = 2x_i^3 - 16x_i + 2.5, \quad \nabla^2 f = \mathrm{diag}(6x_i^2 - 16).

    Parameters
    ----------
    dim : int, default 2
        Dimension d >= 1.

    Notes
    -----
    Global minimum at :math:`x_i = -2.903534027771177` (the smallest root of :math:`2t^3 - 16t + 2.5`)
    with f = -39.16616570377142 d. **SFU, benchmarkfcns and others give -39.16599 d, which is wrong**
    (-39.16599 is the value of a variant that divides by 2d). In 2-D: local minima
    (-2.9035, 2.7468) and (2.7468, -2.9035) with f = -64.1956 and (2.7468, 2.7468) with f = -50.0589;
    maximum (0.156731, 0.156731) with f = 0.391225; four saddles. Standard domain :math:`[-5, 5]^d`.

    Examples
    --------
    >>> from adamlab.functions import get
    >>> print(round(get("styblinski_tang", dim=3).min_value, 10))
    -117.4984971113
    """

    name = "styblinski_tang"
    latex = r"f(x) = \frac{1}{2}\sum_{i=1}^{d} (x_i^4 - 16x_i^2 + 5x_i)"
    description = "Separable, with 2^d local minima; the global one is in the (-,-) corner."
    character = ("multimodal",)

    def __init__(self, dim: int = 2) -> None:
        d = int_at_least(self.name, "dim", dim, 1)
        stationary: dict[str, list] = {
            "local minimum": [np.full(d, _ST_LOC)],
            "maximum": [np.full(d, _ST_MAX)],
        }
        if d == 2:
            stationary = {
                "local minimum": [[_ST_MIN, _ST_LOC], [_ST_LOC, _ST_MIN], [_ST_LOC, _ST_LOC]],
                "maximum": [[_ST_MAX, _ST_MAX]],
                "saddle": [
                    [_ST_MIN, _ST_MAX],
                    [_ST_MAX, _ST_MIN],
                    [_ST_LOC, _ST_MAX],
                    [_ST_MAX, _ST_LOC],
                ],
            }
        super().__init__(
            d,
            params={"dim": d},
            minima=np.full((1, d), _ST_MIN),
            min_value=_ST_VALUE * d,
            domain=_box(d, -5.0, 5.0),
            starts=[_pattern(d, [0.5, 0.3]), _pattern(d, [4.5, -4.5]), _pattern(d, [1.0, -4.0])],
            stationary_points=stationary,
        )

    def _value(self, x):
        return 0.5 * np.sum(x**4 - 16 * x**2 + 5 * x, axis=-1)

    def _grad(self, x):
        return 2 * x**3 - 16 * x + 2.5

    def _hessian(self, x):
        return (6 * x**2 - 16)[..., None] * np.eye(self.dim)


class Rastrigin(TestFunction):
    r"""Rastrigin function (A = 10): a bowl covered by a lattice of local minima.

    .. math::
        f(x) = 10d + \sum_{i=1}^{d} \left(x_i^2 - 10\cos 2\pi x_i\right), \quad
        \partial_i f = 2x_i + 20\pi \sin 2\pi x_i, \quad
        \nabla^2 f = \mathrm{diag}(2 + 40\pi^2 \cos 2\pi x_i).

    Parameters
    ----------
    dim : int, default 2
        Dimension d >= 1.

    Notes
    -----
    Minimum f(0) = 0; local minima near every integer point. The gradient is dominated by the
    :math:`\pm 20\pi` sine term (up to about 63 in size even near the origin), so gradient methods get
    trapped in the nearest local minimum. Standard domain :math:`[-5.12, 5.12]^d`.

    Examples
    --------
    >>> from adamlab.functions import get
    >>> print(get("rastrigin")([-1.25, 0.75]))   # cos(2 pi x) = 0 at both coordinates
    22.125
    """

    name = "rastrigin"
    latex = r"f(x) = 10d + \sum_{i=1}^{d} (x_i^2 - 10\cos 2\pi x_i)"
    description = (
        "A bowl under a lattice of local minima: gradient methods stop at the nearest one."
    )
    character = ("multimodal",)

    def __init__(self, dim: int = 2) -> None:
        d = int_at_least(self.name, "dim", dim, 1)
        super().__init__(
            d,
            params={"dim": d},
            minima=np.zeros((1, d)),
            min_value=0.0,
            domain=_box(d, -5.12, 5.12),
            starts=[_pattern(d, [4.2, -3.6]), _pattern(d, [2.2, 2.4]), _pattern(d, [0.45, 0.45])],
        )

    def _value(self, x):
        return 10.0 * self.dim + np.sum(x**2 - 10.0 * np.cos(2 * PI * x), axis=-1)

    def _grad(self, x):
        return 2 * x + 20 * PI * np.sin(2 * PI * x)

    def _hessian(self, x):
        return (2 + 40 * PI**2 * np.cos(2 * PI * x))[..., None] * np.eye(self.dim)


class Ackley(TestFunction):
    r"""Ackley function (a = 20, b = 0.2, c = 2 pi): a cone-shaped funnel in a rippled plateau.

    .. math::
        f(x) = -a\, e^{-b r} - e^{S} + a + e, \quad r = \sqrt{\tfrac1d \sum_i x_i^2}, \quad
        S = \tfrac1d \sum_i \cos(c x_i),

    .. math::
        \partial_i f = \frac{a b\, x_i\, e^{-b r}}{d\, r} + \frac{c}{d} \sin(c x_i)\, e^{S}.

    Parameters
    ----------
    dim : int, default 2
        Dimension d >= 1.

    Notes
    -----
    **Not differentiable at the minimum** f(0) = 0 (float64 gives 4.4e-16): near the origin the first
    term is a cone, and :math:`|\nabla f| \to ab/\sqrt{d}` (:math:`2\sqrt2` in 2-D) as x -> 0.
    By convention ``grad`` returns 0 at x = 0 exactly, and ``hessian`` drops the cone term there (its
    curvature is infinite), returning only the cosine term's Hessian. A constant-step optimizer keeps
    oscillating around the origin instead of settling. Standard domain :math:`[-32.768, 32.768]^d`
    (flat outer region); plotting window :math:`[-5, 5]^d` (the central funnel).

    Examples
    --------
    >>> import numpy as np
    >>> from adamlab.functions import get
    >>> f = get("ackley")
    >>> f.grad([0.0, 0.0]), round(float(np.linalg.norm(f.grad([1e-9, 0.0]))), 6)   # 0 by convention
    (array([0., 0.]), 2.828427)
    """

    name = "ackley"
    latex = (
        r"f = -20 e^{-0.2\sqrt{\frac{1}{d}\sum x_i^2}} - e^{\frac{1}{d}\sum \cos 2\pi x_i} + 20 + e"
    )
    description = "Rippled plateau around a funnel whose tip (the minimum) is a non-smooth cone."
    character = ("multimodal", "plateau")
    a, b, c = 20.0, 0.2, 2 * PI

    def __init__(self, dim: int = 2) -> None:
        d = int_at_least(self.name, "dim", dim, 1)
        super().__init__(
            d,
            params={"dim": d},
            minima=np.zeros((1, d)),
            min_value=0.0,
            domain=_box(d, -5.0, 5.0),
            standard_domain=_box(d, -32.768, 32.768),
            starts=[_pattern(d, [3.5, -2.5]), _pattern(d, [1.2, 1.0]), _pattern(d, [-4.0, 4.0])],
        )

    def _r(self, x):
        """r = |x| / sqrt(d), computed with scaling so tiny and huge x neither underflow nor overflow."""
        m = np.max(np.abs(x), axis=-1, keepdims=True)
        safe = np.where(m > 0, m, 1.0)
        return m[..., 0] * np.sqrt(np.sum((x / safe) ** 2, axis=-1) / self.dim)

    def _value(self, x):
        a, b, c, d = self.a, self.b, self.c, self.dim
        S = np.sum(np.cos(c * x), axis=-1) / d
        return -a * np.exp(-b * self._r(x)) - np.exp(S) + a + math.e

    def _unit(self, x):
        """u = x / |x| (0 at the origin), computed from x / max|x| so that it stays exact for tiny x."""
        m = np.max(np.abs(x), axis=-1, keepdims=True)
        scaled = x / np.where(m > 0, m, 1.0)
        norm = np.sqrt(np.sum(scaled**2, axis=-1, keepdims=True))
        return scaled / np.where(norm > 0, norm, 1.0)

    def _grad(self, x):
        a, b, c, d = self.a, self.b, self.c, self.dim
        # The cone's gradient is (a b e^{-br} / d) x / r = (a b e^{-br} / √d) u: bounded by ab/√d, so it is
        # computed from the unit vector u, never as a huge 1/r times a tiny x (which overflows below 1e-308).
        k = a * b * np.exp(-b * self._r(x)) / math.sqrt(d)
        eS = np.exp(np.sum(np.cos(c * x), axis=-1) / d)
        return k[..., None] * self._unit(x) + (c / d) * np.sin(c * x) * eS[..., None]

    def _hessian(self, x):
        a, b, c, d = self.a, self.b, self.c, self.dim
        r = self._r(x)
        u = self._unit(x)
        eye = np.eye(d)
        uu = u[..., :, None] * u[..., None, :]
        # The cone's Hessian (a b e^{-br}/d) (I - u uᵀ)/r - (a b² e^{-br}/d) u uᵀ: the first term grows like
        # 1/r across the radial direction. (I - u uᵀ)/r is formed before the bounded factor a b e^{-br}/d, so an
        # entry overflows to inf only where its true value is beyond the float range (|x| ≲ 1e-308 across the
        # radius), never where I - u uᵀ is small or 0 (no inf·0); at the origin the term is dropped.
        k = (a * b * np.exp(-b * r) / d)[..., None, None]
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            across = (eye - uu) / r[..., None, None]
        cone = np.where((r > 0)[..., None, None], k * across, 0.0) - b * k * uu
        s, co = np.sin(c * x), np.cos(c * x)
        eS = np.exp(np.sum(co, axis=-1) / d)[..., None, None]
        cosine = eS * (
            (c**2 / d) * co[..., None] * eye - (c**2 / d**2) * (s[..., :, None] * s[..., None, :])
        )
        return cone + cosine


class GoldsteinPrice(TestFunction):
    r"""Goldstein-Price function: values spanning six orders of magnitude, four minima.

    .. math::
        f(x, y) = \left[1 + (x + y + 1)^2 (19 - 14x + 3x^2 - 14y + 6xy + 3y^2)\right]
        \left[30 + (2x - 3y)^2 (18 - 32x + 12x^2 + 48y - 36xy + 27y^2)\right].

    Notes
    -----
    The brackets depend only on u = x + y and w = 2x - 3y: f = A(u) B(w) with
    :math:`A(u) = 1 + (u + 1)^2(3u^2 - 14u + 19)` and :math:`B(w) = 30 + w^2(3w^2 - 16w + 18)`, where
    A'(u) = 12(u + 1)(u - 1)(u - 2) and B'(w) = 12w(w - 1)(w - 3). The gradient and Hessian are computed
    from this factorisation by the chain rule, and the nine stationary points are exact:
    minima (0, -1) -> 3 (global), (-0.6, -0.4) -> 30, (1.8, 0.2) -> 84, (1.2, 0.8) -> 840;
    saddles (-0.4, -0.6) -> 35, (1.2, -0.2) -> 99, (1.4, 0.6) -> 980, (0.6, 0.4) -> 990;
    maximum (0.8, 0.2) -> 1155. Standard domain :math:`[-2, 2]^2`; use log-spaced contours.

    Examples
    --------
    >>> from adamlab.functions import get
    >>> f = get("goldstein_price")
    >>> f(f.stationary_points["saddle"]).round(9)
    array([ 35.,  99., 980., 990.])
    """

    name = "goldstein_price"
    latex = r"f = [1 + (x+y+1)^2 (\ldots)] \cdot [30 + (2x-3y)^2 (\ldots)]"
    description = "Steep walls (f up to 1e6) around a flat region with four minima."
    character = ("multimodal",)
    log_levels = True

    def __init__(self) -> None:
        super().__init__(
            2,
            minima=[[0.0, -1.0]],
            min_value=3.0,
            domain=_box(2, -2.0, 2.0),
            starts=[[-1.5, 1.5], [1.5, 1.5], [0.5, -1.8]],
            stationary_points={
                "local minimum": [[-0.6, -0.4], [1.8, 0.2], [1.2, 0.8]],
                "saddle": [[-0.4, -0.6], [1.2, -0.2], [1.4, 0.6], [0.6, 0.4]],
                "maximum": [[0.8, 0.2]],
            },
        )

    @staticmethod
    def _ab(x):
        u = x[..., 0] + x[..., 1]
        w = 2 * x[..., 0] - 3 * x[..., 1]
        pa = 19 - 14 * u + 3 * u**2
        pb = 18 - 16 * w + 3 * w**2
        A = 1 + (u + 1) ** 2 * pa
        A1 = 2 * (u + 1) * pa + (u + 1) ** 2 * (6 * u - 14)
        A2 = 2 * pa + 4 * (u + 1) * (6 * u - 14) + 6 * (u + 1) ** 2
        B = 30 + w**2 * pb
        B1 = 2 * w * pb + w**2 * (6 * w - 16)
        B2 = 2 * pb + 4 * w * (6 * w - 16) + 6 * w**2
        return A, A1, A2, B, B1, B2

    def _value(self, x):
        A, _, _, B, _, _ = self._ab(x)
        return A * B

    def _grad(self, x):
        A, A1, _, B, B1, _ = self._ab(x)
        # d/dx = A' B + 2 A B',  d/dy = A' B - 3 A B'   (du = (1, 1), dw = (2, -3))
        return np.stack([A1 * B + 2 * A * B1, A1 * B - 3 * A * B1], -1)

    def _hessian(self, x):
        A, A1, A2, B, B1, B2 = self._ab(x)
        return sym2(
            A2 * B + 4 * A1 * B1 + 4 * A * B2,
            A2 * B - A1 * B1 - 6 * A * B2,
            A2 * B - 6 * A1 * B1 + 9 * A * B2,
        )


class Easom(TestFunction):
    r"""Easom function: a single narrow well in an exactly flat plane.

    .. math::
        f(x, y) = -\cos x \cos y\, E, \quad E = e^{-(x - \pi)^2 - (y - \pi)^2},

    .. math::
        \nabla f = E\,\big(\sin x \cos y + 2(x - \pi)\cos x \cos y,\ \cos x \sin y + 2(y - \pi)\cos x \cos y\big).

    Notes
    -----
    Minimum f(pi, pi) = -1 (Hessian 3I). Away from the well the function is numerically flat:
    f(0, 0) = -2.7e-9, f(10, 10) = -9.8e-42, and beyond a distance of about 27.3 from (pi, pi) the
    exponential underflows, so f = 0 and the gradient is exactly 0 (a gradient method started there
    cannot move). Huge inputs give 0, never NaN. Jamil & Yang (2013), SciPy's benchmark suite and
    opfunu's LaTeX use an Ackley-like formula under this name; this is the standard (SFU/Wikipedia)
    Easom. Standard domain :math:`[-100, 100]^2`; plotting window :math:`[-1, 7]^2`.

    Examples
    --------
    >>> import numpy as np
    >>> from adamlab.functions import get
    >>> f = get("easom")
    >>> print(float(f([np.pi, np.pi])), abs(float(f([30.0, 30.0]))), f.grad([30.0, 30.0]))
    -1.0 0.0 [0. 0.]
    """

    name = "easom"
    latex = r"f(x, y) = -\cos x \cos y \; e^{-(x - \pi)^2 - (y - \pi)^2}"
    description = "A narrow well at (pi, pi) in a plane that is flat to machine precision."
    character = ("plateau",)

    def __init__(self) -> None:
        super().__init__(
            2,
            minima=[[PI, PI]],
            min_value=-1.0,
            domain=_box(2, -1.0, 7.0),
            standard_domain=_box(2, -100.0, 100.0),
            starts=[[2.0, 1.5], [4.5, 4.0], [0.0, 0.0]],
        )

    @staticmethod
    def _parts(x):
        X, Y = x[..., 0], x[..., 1]
        dx, dy = X - PI, Y - PI
        E = np.exp(-(dx**2) - dy**2)
        far = E == 0  # exactly flat: avoid 0 * inf for huge inputs
        dx, dy = np.where(far, 0.0, dx), np.where(far, 0.0, dy)
        return X, Y, dx, dy, E

    def _value(self, x):
        X, Y, _, _, E = self._parts(x)
        return -np.cos(X) * np.cos(Y) * E

    def _grad(self, x):
        X, Y, dx, dy, E = self._parts(x)
        cc = np.cos(X) * np.cos(Y)
        gx = E * (np.sin(X) * np.cos(Y) + 2 * dx * cc)
        gy = E * (np.cos(X) * np.sin(Y) + 2 * dy * cc)
        return np.stack([gx, gy], -1)

    def _hessian(self, x):
        X, Y, dx, dy, E = self._parts(x)
        sx, cx, sy, cy = np.sin(X), np.cos(X), np.sin(Y), np.cos(Y)
        Q = sx * cy + 2 * dx * cx * cy  # df/dx = E Q
        R = cx * sy + 2 * dy * cx * cy  # df/dy = E R
        hxx = E * (-2 * dx * Q + 3 * cx * cy - 2 * dx * sx * cy)
        hxy = E * (-2 * dy * Q - sx * sy - 2 * dx * cx * sy)
        hyy = E * (-2 * dy * R + 3 * cx * cy - 2 * dy * cx * sy)
        return sym2(hxx, hxy, hyy)


class Levi13(TestFunction):
    r"""Levi function N.13: rows of local minima from the :math:`\sin^2(3\pi x)` term.

    .. math::
        f(x, y) = \sin^2(3\pi x) + (x - 1)^2\,(1 + \sin^2 3\pi y) + (y - 1)^2\,(1 + \sin^2 2\pi y),

    .. math::
        \nabla f = \big(3\pi \sin 6\pi x + 2(x - 1)(1 + \sin^2 3\pi y),\
        3\pi (x - 1)^2 \sin 6\pi y + 2(y - 1)(1 + \sin^2 2\pi y) + 2\pi (y - 1)^2 \sin 4\pi y\big).

    Notes
    -----
    Minimum f(1, 1) = 0 (Hessian eigenvalues 2 and 18 pi^2 + 2 = 179.65). pyswarms' ``levi`` is a
    different function. Standard domain :math:`[-10, 10]^2`; plotting window :math:`[-1, 3]^2`.

    Examples
    --------
    >>> from adamlab.functions import get
    >>> print(round(float(get("levi13")([0.3, -0.7])), 12))
    6.136311896062
    """

    name = "levi13"
    latex = r"f = \sin^2 3\pi x + (x-1)^2 (1 + \sin^2 3\pi y) + (y-1)^2 (1 + \sin^2 2\pi y)"
    description = "Dense rows of local minima around a global minimum at (1, 1)."
    character = ("multimodal",)
    log_levels = True

    def __init__(self) -> None:
        super().__init__(
            2,
            minima=[[1.0, 1.0]],
            min_value=0.0,
            domain=_box(2, -1.0, 3.0),
            standard_domain=_box(2, -10.0, 10.0),
            starts=[[-0.6, 2.6], [2.7, -0.4], [0.2, 0.3]],
        )

    def _value(self, x):
        X, Y = x[..., 0], x[..., 1]
        return (
            np.sin(3 * PI * X) ** 2
            + (X - 1) ** 2 * (1 + np.sin(3 * PI * Y) ** 2)
            + (Y - 1) ** 2 * (1 + np.sin(2 * PI * Y) ** 2)
        )

    def _grad(self, x):
        X, Y = x[..., 0], x[..., 1]
        gx = 3 * PI * np.sin(6 * PI * X) + 2 * (X - 1) * (1 + np.sin(3 * PI * Y) ** 2)
        gy = (
            3 * PI * (X - 1) ** 2 * np.sin(6 * PI * Y)
            + 2 * (Y - 1) * (1 + np.sin(2 * PI * Y) ** 2)
            + 2 * PI * (Y - 1) ** 2 * np.sin(4 * PI * Y)
        )
        return np.stack([gx, gy], -1)

    def _hessian(self, x):
        X, Y = x[..., 0], x[..., 1]
        hxx = 18 * PI**2 * np.cos(6 * PI * X) + 2 * (1 + np.sin(3 * PI * Y) ** 2)
        hxy = 6 * PI * (X - 1) * np.sin(6 * PI * Y)
        hyy = (
            18 * PI**2 * (X - 1) ** 2 * np.cos(6 * PI * Y)
            + 2 * (1 + np.sin(2 * PI * Y) ** 2)
            + 8 * PI * (Y - 1) * np.sin(4 * PI * Y)
            + 8 * PI**2 * (Y - 1) ** 2 * np.cos(4 * PI * Y)
        )
        return sym2(hxx, hxy, hyy)


class McCormick(TestFunction):
    r"""McCormick function: non-convex, and unbounded below outside its box.

    .. math::
        f(x, y) = \sin(x + y) + (x - y)^2 - 1.5x + 2.5y + 1, \quad
        \nabla f = \big(\cos(x + y) + 2(x - y) - 1.5,\ \cos(x + y) - 2(x - y) + 2.5\big).

    Notes
    -----
    ``minima`` and ``min_value`` refer to the standard box x in [-1.5, 4], y in [-3, 4]: the global
    minimum there is exactly :math:`(\tfrac12 - \tfrac\pi3, -\tfrac12 - \tfrac\pi3)` with value
    :math:`-\tfrac{\sqrt3}2 - \tfrac\pi3 = -1.913222954981036`. **On the whole plane f is unbounded below**:
    along the line x - y = 1, f = sin s + s/2 with s = x + y, which tends to -infinity, so an
    unconstrained optimizer can run away (clip to ``standard_domain``). All stationary points lie on
    x - y = 1 where cos(x + y) = -1/2; in the box also a local minimum at s = 4 pi/3 (f = 1.228369699)
    and a saddle at s = 2 pi/3 (f = 1.913223). Several sources wrongly call it convex (the Hessian
    eigenvalue along (1, 1) is -2 sin(x + y)) or use y in [-3, 3].

    Examples
    --------
    >>> from adamlab.functions import get
    >>> f = get("mccormick")
    >>> round(f.min_value, 12), round(float(f([-24.5, -25.5])), 2)   # x - y = 1 runs away
    (-1.913222954981, -24.74)
    """

    name = "mccormick"
    latex = r"f(x, y) = \sin(x + y) + (x - y)^2 - 1.5x + 2.5y + 1"
    description = "Non-convex; two minima in its box, unbounded below along x - y = 1 outside it."
    character = ("multimodal", "valley", "unbounded")

    def __init__(self) -> None:
        def on_line(s: float) -> list[float]:
            return [(s + 1) / 2, (s - 1) / 2]

        super().__init__(
            2,
            minima=[on_line(-2 * PI / 3)],
            min_value=-math.sqrt(3) / 2 - PI / 3,
            domain=[[-1.5, 4.0], [-3.0, 4.0]],
            starts=[[3.0, -2.0], [-1.0, 3.0], [2.5, 3.5]],
            stationary_points={
                "local minimum": [on_line(4 * PI / 3)],
                "saddle": [on_line(2 * PI / 3)],
            },
            curves={"runaway line x - y = 1": [[-1.5, -2.5], [4.0, 3.0]]},
        )

    def _value(self, x):
        X, Y = x[..., 0], x[..., 1]
        return np.sin(X + Y) + (X - Y) ** 2 - 1.5 * X + 2.5 * Y + 1

    def _grad(self, x):
        X, Y = x[..., 0], x[..., 1]
        c = np.cos(X + Y)
        return np.stack([c + 2 * (X - Y) - 1.5, c - 2 * (X - Y) + 2.5], -1)

    def _hessian(self, x):
        s = np.sin(x[..., 0] + x[..., 1])
        return sym2(2 - s, -2 - s, 2 - s)


# ======================================================================================= saddles


class Saddle(TestFunction):
    r"""The saddle :math:`x^2 - y^2` (unbounded below).

    .. math:: f(x, y) = x^2 - y^2, \quad \nabla f = (2x, -2y), \quad \nabla^2 f = \mathrm{diag}(2, -2).

    Notes
    -----
    No minimum (``minima`` has shape (0, 2), ``min_value`` is None). From (1, 0) every method converges to
    the saddle at the origin because the y-gradient is exactly 0; from (1, 1e-6) SGD (lr 0.1) needs 76
    steps to reach :math:`|y| \ge 1` and Adam (lr 0.1) 11: normalisation amplifies the tiny escape direction.

    Examples
    --------
    >>> from adamlab.functions import get
    >>> f = get("saddle")
    >>> f.minima.shape, f.min_value, f.hessian([0.0, 0.0]).tolist()
    ((0, 2), None, [[2.0, 0.0], [0.0, -2.0]])
    """

    name = "saddle"
    latex = r"f(x, y) = x^2 - y^2"
    description = "A non-degenerate saddle at the origin: escape needs a nonzero y."
    character = ("saddle", "unbounded")

    def __init__(self) -> None:
        super().__init__(
            2,
            minima=np.zeros((0, 2)),
            min_value=None,
            domain=_box(2, -2.0, 2.0),
            starts=[[1.0, 1e-3], [1.0, 0.0], [-1.5, 0.5]],
            stationary_points={"saddle": [[0.0, 0.0]]},
        )

    def _value(self, x):
        return x[..., 0] ** 2 - x[..., 1] ** 2

    def _grad(self, x):
        return np.stack([2 * x[..., 0], -2 * x[..., 1]], -1)

    def _hessian(self, x):
        return sym2(np.full(x.shape[:-1], 2.0), 0.0, -2.0)


class MonkeySaddle(TestFunction):
    r"""The monkey saddle :math:`x^3 - 3xy^2 = \mathrm{Re}(x + iy)^3` (unbounded below).

    .. math:: f(x, y) = x^3 - 3xy^2, \quad \nabla f = (3x^2 - 3y^2, -6xy), \quad
        \nabla^2 f = \begin{pmatrix} 6x & -6y \\ -6y & -6x \end{pmatrix}.

    Notes
    -----
    Degenerate critical point at the origin (gradient and Hessian both 0), with three descending
    valleys. From (0.1, 0) SGD creeps towards the origin like 1/k; Adam overshoots and runs away.

    Examples
    --------
    >>> from adamlab.functions import get
    >>> f = get("monkey_saddle")
    >>> print(f([0.3, -0.7]), f.hessian([0.0, 0.0]).tolist())
    -0.414 [[0.0, 0.0], [0.0, 0.0]]
    """

    name = "monkey_saddle"
    latex = r"f(x, y) = x^3 - 3xy^2"
    description = "A degenerate saddle (zero Hessian) with three valleys running to -infinity."
    character = ("saddle", "unbounded")

    def __init__(self) -> None:
        super().__init__(
            2,
            minima=np.zeros((0, 2)),
            min_value=None,
            domain=_box(2, -1.5, 1.5),
            starts=[[0.5, 0.3], [0.1, 0.0], [-0.5, 0.8]],
            stationary_points={"degenerate saddle": [[0.0, 0.0]]},
        )

    def _value(self, x):
        X, Y = x[..., 0], x[..., 1]
        return X**3 - 3 * X * Y**2

    def _grad(self, x):
        X, Y = x[..., 0], x[..., 1]
        return np.stack([3 * X**2 - 3 * Y**2, -6 * X * Y], -1)

    def _hessian(self, x):
        X, Y = x[..., 0], x[..., 1]
        return sym2(6 * X, -6 * Y, -6 * X)
