"""The test-function zoo: pinned reference values, derivatives, minima, errata, vectorisation, bad input.

Expected numbers are literals: functions.md section 1.3 (checked against SymPy at 20 digits) and our own
points computed independently with exact rational arithmetic (``fractions``) or plain scalar ``math``
code, never with adamlab.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adamlab import functions
from adamlab.functions import available, get

NAMES = [
    "sphere",
    "quadratic",
    "rosenbrock",
    "beale",
    "booth",
    "matyas",
    "himmelblau",
    "three_hump_camel",
    "six_hump_camel",
    "styblinski_tang",
    "rastrigin",
    "ackley",
    "goldstein_price",
    "easom",
    "levi13",
    "mccormick",
    "saddle",
    "monkey_saddle",
]

# Variants that exercise parameters and n-D code paths as well as the defaults.
VARIANTS = [(n, {}) for n in NAMES] + [
    ("quadratic", {"kappa": 100, "angle": math.pi / 6}),
    ("quadratic", {"kappa": 0.5, "angle": -2.0}),
    ("sphere", {"dim": 5}),
    ("rosenbrock", {"dim": 4}),
    ("rastrigin", {"dim": 3}),
    ("styblinski_tang", {"dim": 3}),
    ("ackley", {"dim": 3}),
    ("ackley", {"dim": 1}),
]
VARIANT_IDS = [n + "".join(f"-{k}={v:.3g}" for k, v in p.items()) for n, p in VARIANTS]

P = [0.3, -0.7]
Q = [-1.25, 0.75]

# functions.md section 1.3, at P = (0.3, -0.7) unless stated: name -> (point, f, grad).
REFERENCE_13 = {
    "rosenbrock": (P, 62.9, (93.4, -158)),
    "beale": (P, 10.31523741, (-11.4735006, 0.7924122)),
    "booth": (P, 91.62, (-36.6, -42.6)),
    "himmelblau": (P, 173.3562, (-26.352, -5.832)),
    "rastrigin": (P, 26.7603398874989, (60.3566432948311, 58.3566432948311)),
    "ackley": (P, 4.02623422496731, (3.1939799821643, -0.140714489305052)),
    "goldstein_price": (P, 57.40785984, (-192.9495168, 635.6299392)),
    "matyas": (P, 0.2516, (0.492, -0.508)),
    "three_hump_camel": (P, 0.4516165, (0.38903, -1.1)),
    "six_hump_camel": (P, -0.866367, (1.47806, 0.412)),
    "styblinski_tang": (P, -5.5159, (-2.246, 13.014)),
    "sphere": (P, 0.58, (0.6, -1.4)),
    "easom": ([3.0, 2.5], -0.51506478998487, (-0.219279486040877, -1.04568845339537)),
    "levi13": (P, 6.13631189606246, (-7.07343359540891, -19.8630471614932)),
    "mccormick": (P, -0.589418342308651, (1.42106099400289, 1.42106099400289)),
    "saddle": (P, -0.4, (0.6, 1.4)),
    "monkey_saddle": (P, -0.414, (-1.2, 1.26)),
}

# Our own points. Polynomials: exact rationals at Q = (-5/4, 3/4) from fractions.Fraction
# (e.g. beale 1462401/65536). Trigonometric ones: plain-float scalar code written from the formulas;
# rastrigin at Q is exact by hand: cos(2 pi x) = 0 there, so f = 20 + 1.5625 + 0.5625.
REFERENCE_OWN = {
    "rosenbrock": (Q, 4549 / 64, (-410.75, -162.5)),
    "beale": (Q, 1462401 / 65536, (-7.2242431640625, -29.1424560546875)),
    "booth": (Q, 729 / 8, (-40.5, -40.5)),
    "matyas": (Q, 401 / 400, (-1.01, 0.99)),
    "himmelblau": (Q, 17225 / 128, (28.0625, -40.4375)),
    "three_hump_camel": (Q, 20209 / 24576, (0.9013671875, 0.25)),
    "six_hump_camel": (Q, 5809 / 12288, (1.052734375, -0.5)),
    "styblinski_tang": (Q, -4319 / 256, (18.59375, -8.65625)),
    "goldstein_price": (Q, 115815201 / 4096, (43703.208984375, 141336.861328125)),
    "saddle": (Q, 1.0, (-2.5, -1.5)),
    "monkey_saddle": (Q, 5 / 32, (3.0, 5.625)),
    "sphere": (Q, 2.125, (-2.5, 1.5)),
    "rastrigin": (Q, 22.125, (-2.5 - 20 * math.pi, 1.5 - 20 * math.pi)),
    "ackley": (Q, 5.444147567427311, (-5.115121316052059, -1.9574754561124335)),
    "easom": ([2.5, 3.5], -0.43715650215614704, (-0.8875184549982914, 0.4771127520171575)),
    "levi13": (Q, 8.21875, (2.6747779607693802, 46.712938426394985)),
    "mccormick": (Q, 8.270574461395796, (-4.622417438109627, 7.377582561890373)),
}


def _domain_points(f, n, seed):
    rng = np.random.default_rng(seed)
    lo, hi = f.domain[:, 0], f.domain[:, 1]
    return lo + (hi - lo) * rng.random((n, f.dim))


def _five_point(fun, x, h):
    """Fourth-order central difference along each coordinate (independent of adamlab.gradcheck)."""
    d = x.shape[-1]
    cols = []
    for i in range(d):
        e = np.zeros(d)
        e[i] = 1.0
        hi = h[..., i]
        step = hi[..., None] * e
        a, b = np.asarray(fun(x + step)), np.asarray(fun(x - step))
        a2, b2 = np.asarray(fun(x + 2 * step)), np.asarray(fun(x - 2 * step))
        scale = hi.reshape(hi.shape + (1,) * (a.ndim - hi.ndim))
        cols.append((8 * (a - b) - (a2 - b2)) / (12 * scale))
    return np.stack(cols, -1)


# --------------------------------------------------------------------------- registry and metadata


def test_available_lists_exactly_the_contract_names_sorted():
    assert available() == sorted(NAMES)


@pytest.mark.parametrize("name, params", VARIANTS, ids=VARIANT_IDS)
def test_metadata_shapes_and_consistency(name, params):
    f = get(name, **params)
    d = f.dim
    assert f.name == name and isinstance(f.description, str) and f.description
    assert f.latex and "$" not in f.latex
    assert f.minima.ndim == 2 and f.minima.shape[1] == d
    assert f.domain.shape == (d, 2) and np.all(f.domain[:, 0] < f.domain[:, 1])
    assert f.standard_domain.shape == (d, 2)
    assert f.starts.ndim == 2 and f.starts.shape[1] == d and len(f.starts) >= 1
    np.testing.assert_array_equal(f.start, f.starts[0])
    assert np.all((f.starts >= f.domain[:, 0]) & (f.starts <= f.domain[:, 1]))
    assert isinstance(f.log_levels, bool)
    assert f.stochastic is False and not hasattr(f, "sample_grad")
    assert f.approximate_grad is False
    if f.min_value is None:
        assert f.minima.shape == (0, d)
    else:
        assert len(f.minima) >= 1
        box = f.standard_domain
        assert np.all((f.minima >= box[:, 0]) & (f.minima <= box[:, 1]))
    for pts in f.stationary_points.values():
        assert pts.ndim == 2 and pts.shape[1] == d
    for arr in [f.minima, f.domain, f.starts, *f.stationary_points.values()]:
        with pytest.raises(ValueError):
            arr[...] = 0  # read-only: callers cannot corrupt the metadata


def test_repr_shows_parameters():
    assert repr(get("quadratic")) == "quadratic(kappa=10, angle=0)"
    assert repr(get("quadratic", kappa=100, angle=0.5)) == "quadratic(kappa=100, angle=0.5)"
    assert repr(get("rosenbrock", dim=3)) == "rosenbrock(dim=3)"
    assert repr(get("beale")) == "beale()"


def test_counts_of_minima():
    assert get("himmelblau").minima.shape == (4, 2)
    assert get("six_hump_camel").minima.shape == (2, 2)
    assert get("saddle").min_value is None and get("monkey_saddle").min_value is None


def test_get_normalises_name_spelling():
    assert get("Six-Hump Camel").name == "six_hump_camel"


# --------------------------------------------------------------------------- reference values


@pytest.mark.parametrize("name", sorted(REFERENCE_13))
def test_reference_values_functions_md(name):
    point, value, grad = REFERENCE_13[name]
    f = get(name)
    assert float(f(point)) == pytest.approx(value, rel=1e-9, abs=1e-12)
    np.testing.assert_allclose(f.grad(point), grad, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", sorted(REFERENCE_OWN))
def test_reference_values_own_points(name):
    point, value, grad = REFERENCE_OWN[name]
    f = get(name)
    assert float(f(point)) == pytest.approx(value, rel=1e-12, abs=1e-14)
    np.testing.assert_allclose(f.grad(point), grad, rtol=1e-12, atol=1e-13)


def test_quadratic_reference_values():
    # functions.md 1.2: theta = pi/6, kappa = 100 at (0.3, -0.7).
    f = get("quadratic", kappa=100, angle=math.pi / 6)
    assert float(f(P)) == pytest.approx(28.597334072339, rel=1e-12)
    np.testing.assert_allclose(f.grad(P), (37.732780241131, -65.535477246199), rtol=1e-12)
    # Own, exact: cos = 3/5, sin = 4/5, kappa = 4 at Q: f = 3373/800.
    g = get("quadratic", kappa=4, angle=math.atan2(4, 3))
    assert float(g(Q)) == pytest.approx(3373 / 800, rel=1e-14)
    np.testing.assert_allclose(g.grad(Q), (-4.73, 3.36), rtol=1e-13)
    np.testing.assert_allclose(np.linalg.eigvalsh(g.hessian(Q)), [1.0, 4.0], rtol=1e-13)


def test_rosenbrock_3d_reference_and_classic_start():
    f = get("rosenbrock", dim=3)
    assert float(f([-1.25, 0.75, 0.5])) == pytest.approx(2289 / 32, rel=1e-14)
    np.testing.assert_allclose(f.grad([-1.25, 0.75, 0.5]), (-410.75, -144.25, -12.5), rtol=1e-14)
    g = get("rosenbrock")
    assert float(g([-1.2, 1])) == pytest.approx(24.2, rel=1e-13)
    np.testing.assert_allclose(g.grad([-1.2, 1]), (-215.6, -88), rtol=1e-12)
    np.testing.assert_allclose(g.hessian([1, 1]), [[802, -400], [-400, 200]], rtol=1e-14)


def test_hessians_at_known_points():
    np.testing.assert_allclose(get("booth").hessian(P), [[10, 8], [8, 10]])
    np.testing.assert_allclose(get("matyas").hessian(P), [[0.52, -0.48], [-0.48, 0.52]])
    np.testing.assert_allclose(get("easom").hessian([math.pi, math.pi]), 3 * np.eye(2), atol=1e-14)
    np.testing.assert_allclose(
        get("levi13").hessian([1, 1]), [[18 * math.pi**2 + 2, 0], [0, 2]], atol=1e-12
    )
    np.testing.assert_allclose(get("saddle").hessian(P), [[2, 0], [0, -2]])
    np.testing.assert_array_equal(get("monkey_saddle").hessian([0, 0]), np.zeros((2, 2)))
    np.testing.assert_allclose(get("sphere", dim=3).hessian([1, 2, 3]), 2 * np.eye(3))
    # Beale at its minimum: eigenvalues 0.3015 and 48.98 (functions.md).
    np.testing.assert_allclose(
        np.linalg.eigvalsh(get("beale").hessian([3, 0.5])), [0.3015, 48.98], atol=5e-3
    )
    # Himmelblau at (3, 2): eigenvalues 25.72 and 82.28.
    ev = np.linalg.eigvalsh(get("himmelblau").hessian([3, 2]))
    np.testing.assert_allclose(ev, [25.72, 82.28], atol=5e-3)


# --------------------------------------------------------------------------- derivatives vs differences


@pytest.mark.parametrize("name, params", VARIANTS, ids=VARIANT_IDS)
def test_gradient_and_hessian_match_finite_differences(name, params):
    f = get(name, **params)
    x = _domain_points(f, 128, seed=len(name))
    h = 1e-4 * np.maximum(1.0, np.abs(x))
    g, H = f.grad(x), f.hessian(x)
    g_fd = _five_point(f, x, h)
    H_fd = _five_point(f.grad, x, h)
    gscale = np.maximum(1.0, np.abs(g).max(-1, keepdims=True))
    assert np.all(np.abs(g - g_fd) <= 1e-7 * gscale)
    hscale = np.maximum(1.0, np.abs(H).max((-1, -2), keepdims=True))
    assert np.all(np.abs(H - H_fd) <= 1e-7 * hscale)
    np.testing.assert_array_equal(H, np.swapaxes(H, -1, -2))


# --------------------------------------------------------------------------- minima and stationary points


@pytest.mark.parametrize("name, params", VARIANTS, ids=VARIANT_IDS)
def test_minima_have_documented_value_and_zero_gradient(name, params):
    f = get(name, **params)
    if f.min_value is None:
        return
    values = f(f.minima)
    np.testing.assert_allclose(values, f.min_value, atol=1e-10, rtol=0)
    np.testing.assert_allclose(f.grad(f.minima), 0.0, atol=1e-9)  # Ackley: 0 by convention
    # No random domain point beats the documented minimum (on the standard box).
    x = _domain_points(f, 2000, seed=1)
    x = np.clip(x, f.standard_domain[:, 0], f.standard_domain[:, 1])
    assert np.all(f(x) >= f.min_value - 1e-12)


@pytest.mark.parametrize("name, params", VARIANTS, ids=VARIANT_IDS)
def test_stationary_points_are_stationary_and_correctly_classified(name, params):
    f = get(name, **params)
    for kind, pts in f.stationary_points.items():
        g = f.grad(pts)
        np.testing.assert_allclose(g, 0.0, atol=1e-9, err_msg=kind)
        ev = np.linalg.eigvalsh(f.hessian(pts))
        if "local minimum" in kind:
            assert np.all(ev > 0), kind
        elif "maximum" in kind:
            assert np.all(ev < 0), kind
        elif "degenerate" in kind:
            np.testing.assert_array_equal(ev, 0.0)
        elif "saddle" in kind:
            assert np.all((ev.min(-1) < 0) & (ev.max(-1) > 0)), kind
        else:  # pragma: no cover
            pytest.fail(f"unclassified stationary point kind {kind!r}")


def test_documented_stationary_values():
    # functions.md 1.2 (values quoted to the digits given there).
    f = get("himmelblau")
    assert float(f(f.stationary_points["maximum"][0])) == pytest.approx(181.616521523, abs=1e-9)
    np.testing.assert_allclose(
        np.sort(f(f.stationary_points["saddle"])), [13.3119, 67.7192, 104.015, 178.337], atol=6e-4
    )
    b = get("beale")
    # functions.md quotes 9.864510 for the second saddle; the refined value is 9.8645122848 (the
    # quoted digits are off by 2.3e-6 even at the 6-decimal coordinates given there).
    np.testing.assert_allclose(
        b(b.stationary_points["saddle"]), [14.203125, 9.8645122848], atol=1e-10
    )
    t = get("three_hump_camel")
    np.testing.assert_allclose(t(t.stationary_points["local minimum"]), 0.298638442237, atol=1e-12)
    np.testing.assert_allclose(t(t.stationary_points["saddle"]), 0.877362, atol=1e-6)
    s = get("six_hump_camel")
    local = s(s.stationary_points["local minimum"])
    np.testing.assert_allclose(
        np.sort(local), [-0.215463824384] * 2 + [2.104250310311] * 2, atol=1e-12
    )
    np.testing.assert_allclose(s(s.stationary_points["maximum"]), 2.4963, atol=1e-4)
    gp = get("goldstein_price")
    np.testing.assert_allclose(gp(gp.stationary_points["local minimum"]), [30, 84, 840], rtol=1e-13)
    np.testing.assert_allclose(gp(gp.stationary_points["saddle"]), [35, 99, 980, 990], rtol=1e-13)
    np.testing.assert_allclose(gp(gp.stationary_points["maximum"]), [1155], rtol=1e-13)
    m = get("mccormick")
    assert float(m(m.stationary_points["local minimum"][0])) == pytest.approx(1.228369699, abs=1e-9)
    assert float(m(m.stationary_points["saddle"][0])) == pytest.approx(1.913223, abs=1e-6)
    st2 = get("styblinski_tang")
    np.testing.assert_allclose(
        np.sort(st2(st2.stationary_points["local minimum"])),
        [-64.1956, -64.1956, -50.0589],
        atol=1e-4,
    )
    assert float(st2(st2.stationary_points["maximum"][0])) == pytest.approx(0.391225, abs=1e-6)


def test_six_hump_camel_origin_is_an_exact_saddle():
    f = get("six_hump_camel")
    np.testing.assert_array_equal(f.grad([0.0, 0.0]), [0.0, 0.0])


def test_beale_plateau_line():
    f = get("beale")
    y = np.linspace(-4.5, 4.5, 37)
    line = np.stack([np.zeros_like(y), y], -1)
    np.testing.assert_allclose(f(line), 14.203125, rtol=0, atol=1e-12)
    np.testing.assert_allclose(f.grad(line)[:, 1], 0.0, atol=1e-12)


# --------------------------------------------------------------------------- errata (functions.md 1.5)


def test_erratum_styblinski_tang_minimum_value():
    for d in (1, 2, 3, 10):
        f = get("styblinski_tang", dim=d)
        assert f.min_value == pytest.approx(-39.16616570377142 * d, abs=1e-10 * d)
        assert float(f(f.minima[0])) == pytest.approx(-39.16616570377142 * d, abs=1e-10 * d)
        assert abs(f.min_value - (-39.16599 * d)) > 1e-4 * d  # SFU's number is wrong
    f2 = get("styblinski_tang")
    assert float(f2([-2.903534, -2.903534])) == pytest.approx(-78.332331, abs=1e-6)
    # The minimiser is the smallest root of 2t^3 - 16t + 2.5.
    t = f2.minima[0, 0]
    assert abs(2 * t**3 - 16 * t + 2.5) < 1e-13


def test_erratum_himmelblau_four_minima():
    f = get("himmelblau")
    documented = [
        (3.0, 2.0),
        (-2.805118086953, 3.131312518251),
        (-3.779310253378, -3.283185991286),
        (3.584428340330, -1.848126526964),
    ]
    np.testing.assert_allclose(f.minima, documented, atol=1e-11)
    np.testing.assert_allclose(f(np.array(documented)), 0.0, atol=1e-20)
    np.testing.assert_allclose(f([-2.805118, 3.131313]), 0.0, atol=1.1e-11)  # 6-decimal coordinates
    # pybenchfunction's typo (-2.805118, 3.283186) is not a minimum: f = 0.972 there.
    assert float(f([-2.805118, 3.283186])) == pytest.approx(0.972, abs=1e-3)
    # ... and x = 3.584458 (pybenchfunction, a Packt book) is not stationary: the true x is 3.584428.
    assert np.linalg.norm(f.grad([3.584458, -1.848126])) > 1e-3


def test_erratum_easom_is_not_the_ackley_type_formula():
    f = get("easom")
    assert float(f([math.pi, math.pi])) == -1.0
    assert float(f([0.0, 0.0])) == pytest.approx(-2.7e-9, rel=0.05)  # not 0 at the origin
    assert float(f([10.0, 10.0])) == pytest.approx(-9.8e-42, rel=0.05)


def test_erratum_mccormick_exact_minimum_nonconvex_and_unbounded():
    f = get("mccormick")
    np.testing.assert_allclose(
        f.minima[0], [0.5 - math.pi / 3, -0.5 - math.pi / 3], rtol=0, atol=1e-15
    )
    assert f.minima[0, 0] < 0  # (-0.54719, -1.54719), not (0.54719, -1.54719)
    assert f.min_value == pytest.approx(-math.sqrt(3) / 2 - math.pi / 3, abs=1e-15)
    assert "unbounded" in f.character and "convex" not in f.character
    # Unbounded below off the box: along x - y = 1, f = sin s + s/2.
    s = -50.0
    assert float(f([(s + 1) / 2, (s - 1) / 2])) == pytest.approx(math.sin(s) + s / 2, abs=1e-12)
    assert float(f([(s + 1) / 2, (s - 1) / 2])) == pytest.approx(-24.74, abs=5e-3)
    # Non-convex: the Hessian eigenvalue along (1, 1) is -2 sin(x + y).
    assert np.linalg.eigvalsh(f.hessian([0.5, 0.5])).min() < 0
    np.testing.assert_array_equal(f.domain, [[-1.5, 4.0], [-3.0, 4.0]])  # y up to 4, not 3


def test_erratum_six_hump_camel_scaling_and_domain():
    f = get("six_hump_camel")
    assert f.min_value == pytest.approx(-1.031628453490, abs=1e-12)  # not optproblems' 4x
    np.testing.assert_allclose(np.abs(f.minima), [[0.089842013100, 0.712656403021]] * 2, atol=1e-12)
    np.testing.assert_array_equal(f.standard_domain, [[-3, 3], [-2, 2]])


def test_erratum_sphere_and_beale_are_unimodal():
    assert get("sphere").minima.shape == (1, 2) and get("sphere").stationary_points == {}
    b = get("beale")
    assert b.minima.shape == (1, 2) and "local minimum" not in b.stationary_points


# --------------------------------------------------------------------------- edge cases


def test_ackley_gradient_convention_at_the_kink():
    f = get("ackley")
    np.testing.assert_array_equal(f.grad([0.0, 0.0]), [0.0, 0.0])
    assert np.all(np.isfinite(f.hessian([0.0, 0.0])))
    for r in (1e-6, 1e-9, 1e-150, 1e-300):
        g = f.grad([r, 0.0])
        assert np.linalg.norm(g) == pytest.approx(2 * math.sqrt(2), rel=1e-2)  # a b / sqrt(d)
    assert float(f([0.0, 0.0])) == pytest.approx(0.0, abs=1e-15)


def test_easom_far_field_is_exactly_flat_without_nan():
    f = get("easom")
    for p in ([30.0, 30.0], [-100.0, 100.0], [1e300, -1e300], [1e308, 1e308]):
        assert float(f(p)) == 0.0
        np.testing.assert_array_equal(f.grad(p), 0.0)
        np.testing.assert_array_equal(f.hessian(p), 0.0)


@pytest.mark.parametrize("name, params", VARIANTS, ids=VARIANT_IDS)
def test_huge_inputs_never_raise_or_warn(name, params):
    f = get(name, **params)
    x = np.array([1e200, -1e300, 1e5, -3e150])[:, None] * np.ones(f.dim)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f(x), f.grad(x), f.hessian(x)
        f(np.full(f.dim, np.inf))


def test_integer_and_list_inputs_are_accepted():
    f = get("rosenbrock")
    assert float(f([1, 1])) == 0.0
    assert f.grad([[0, 0], [1, 1]]).dtype == np.float64
    assert float(f(np.array([2, 3], dtype=np.int64))) == 101.0


# --------------------------------------------------------------------------- vectorisation


@pytest.mark.parametrize("name, params", VARIANTS, ids=VARIANT_IDS)
def test_batch_equals_single_calls(name, params):
    f = get(name, **params)
    x = _domain_points(f, 7, seed=3)
    v, g, H = f(x), f.grad(x), f.hessian(x)
    assert v.shape == (7,) and g.shape == (7, f.dim) and H.shape == (7, f.dim, f.dim)
    for k in range(7):
        assert float(f(x[k])) == pytest.approx(float(v[k]), rel=1e-15, abs=1e-300)
        np.testing.assert_allclose(f.grad(x[k]), g[k], rtol=1e-15, atol=0)
        np.testing.assert_allclose(f.hessian(x[k]), H[k], rtol=1e-15, atol=0)
    grid = x[:6].reshape(2, 3, f.dim)
    np.testing.assert_array_equal(f(grid), v[:6].reshape(2, 3))
    assert f.grad(grid).shape == (2, 3, f.dim) and f.hessian(grid).shape == (2, 3, f.dim, f.dim)
    assert np.ndim(f(x[0])) == 0


# --------------------------------------------------------------------------- bad input


def test_wrong_dimension_names_expected_d():
    f = get("beale")
    with pytest.raises(ValueError, match="d = 2"):
        f([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="d = 2"):
        f.grad(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="d = 2"):
        f.hessian(1.0)
    with pytest.raises(ValueError, match="d = 4"):
        get("sphere", dim=4)([1.0, 2.0])
    with pytest.raises(TypeError):
        f("hello")


def test_unknown_name_lists_names_and_suggests_closest():
    with pytest.raises(ValueError) as err:
        get("rosenbrok")
    msg = str(err.value)
    assert "did you mean 'rosenbrock'" in msg
    assert all(n in msg for n in NAMES)
    with pytest.raises(ValueError, match="available"):
        get("no_such_function_xyz")
    with pytest.raises(TypeError):
        get(3)


@pytest.mark.parametrize(
    "name, params, exc, pattern",
    [
        ("quadratic", {"kapa": 10}, TypeError, "kapa.*did you mean 'kappa'"),
        ("beale", {"dim": 3}, TypeError, "dim.*valid parameters: none"),
        ("quadratic", {"kappa": 0}, ValueError, "kappa must be > 0, got 0"),
        ("quadratic", {"kappa": -1.5}, ValueError, "kappa must be > 0, got -1.5"),
        ("quadratic", {"kappa": float("nan")}, ValueError, "kappa must be finite"),
        ("quadratic", {"kappa": "10"}, TypeError, "kappa must be a real number"),
        ("quadratic", {"kappa": True}, TypeError, "kappa"),
        ("quadratic", {"angle": float("inf")}, ValueError, "angle must be finite"),
        ("sphere", {"dim": 0}, ValueError, "dim must be >= 1, got 0"),
        ("rastrigin", {"dim": 2.5}, ValueError, "dim must be an integer, got 2.5"),
        ("styblinski_tang", {"dim": "3"}, TypeError, "dim must be an integer"),
        ("rosenbrock", {"dim": 1}, ValueError, "dim must be >= 2, got 1"),
    ],
)
def test_bad_parameters_raise_with_clear_message(name, params, exc, pattern):
    with pytest.raises(exc, match=pattern):
        get(name, **params)


def test_integral_float_dim_is_accepted():
    assert get("sphere", dim=3.0).dim == 3


# --------------------------------------------------------------------------- properties (hypothesis)

coord = st.floats(-5, 5, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(coord, coord, st.floats(0.1, 1000), st.floats(-4, 4))
def test_quadratic_is_rotation_of_the_axis_aligned_one(x, y, kappa, angle):
    c, s = math.cos(angle), math.sin(angle)
    z = np.array([x, y])
    rotated = np.array([c * x - s * y, s * x + c * y])  # R(angle) z
    f0 = get("quadratic", kappa=kappa, angle=0.0)
    f1 = get("quadratic", kappa=kappa, angle=angle)
    assert float(f1(rotated)) == pytest.approx(float(f0(z)), rel=1e-9, abs=1e-12)
    assert float(f0(z)) == pytest.approx(0.5 * (x * x + kappa * y * y), rel=1e-12, abs=1e-300)


@settings(max_examples=60, deadline=None)
@given(coord, coord)
def test_symmetries(x, y):
    six, three = get("six_hump_camel"), get("three_hump_camel")
    assert float(six([x, y])) == pytest.approx(float(six([-x, -y])), rel=1e-12, abs=1e-12)
    assert float(three([x, y])) == pytest.approx(float(three([-x, -y])), rel=1e-12, abs=1e-12)
    monkey = get("monkey_saddle")  # Re (x + iy)^3 is invariant under rotation by 120 degrees
    w = complex(x, y) * complex(math.cos(2 * math.pi / 3), math.sin(2 * math.pi / 3))
    assert float(monkey([w.real, w.imag])) == pytest.approx(
        float(monkey([x, y])), rel=1e-9, abs=1e-9
    )
    assert float(monkey([x, y])) == pytest.approx((complex(x, y) ** 3).real, rel=1e-12, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(coord, min_size=1, max_size=6))
def test_separable_functions_are_sums_of_1d_ones(xs):
    x = np.array(xs)
    for name in ("styblinski_tang", "rastrigin", "sphere"):
        fd, f1 = get(name, dim=len(xs)), get(name, dim=1)
        assert float(fd(x)) == pytest.approx(float(np.sum(f1(x[:, None]))), rel=1e-12, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.floats(-3, 3), st.floats(-3, 3))
def test_lower_bounds(x, y):
    assert float(get("goldstein_price")([x, y])) >= 3.0  # A >= 1 and B >= 3 everywhere
    assert float(get("rastrigin")([x, y])) >= 0.0
    assert float(get("himmelblau")([x, y])) >= 0.0
    assert float(get("easom")([x, y])) >= -1.0


def test_classes_are_exported():
    assert isinstance(functions.Rosenbrock(dim=3), functions.TestFunction)
    assert functions.REGISTRY["beale"] is functions.Beale


def test_docs_table_and_gallery_cover_every_function():
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[1]
    text = (root / "docs" / "functions.md").read_text()
    for name in available():
        assert f"| `{name}`" in text, name
        png = root / "docs" / "gallery" / f"{name}.png"
        assert png.exists() and png.stat().st_size < 100_000, png  # scripts/make_gallery.py


@pytest.mark.parametrize("x", [[1e-309, 0.0], [5e-324, 0.0], [1e-310, -1e-310], [1e-200, 3e-201]])
def test_ackley_near_the_origin_has_finite_gradient_and_no_nan_hessian(x):
    """The cone term's gradient (ab e^{-br}/√d)·x/|x| is bounded by 2√2 in 2-D even where r underflows; its
    Hessian grows like 1/r across the radius (inf below ~1e-308, as the true value) but is never NaN, and the
    radial curvature stays finite (issue 8, item 9)."""
    f = get("ackley")
    x = np.array(x)
    g = f.grad(x)
    assert np.all(np.isfinite(g))
    np.testing.assert_allclose(np.linalg.norm(g), 2 * np.sqrt(2), rtol=1e-12)
    direction = (x / np.abs(x).max()) / np.linalg.norm(
        x / np.abs(x).max()
    )  # |x|² itself underflows
    np.testing.assert_allclose(g / np.linalg.norm(g), direction, rtol=1e-12)
    H = f.hessian(x)
    assert not np.any(np.isnan(H))
    if (
        x[1] == 0
    ):  # along an axis the radial curvature is the (0, 0) entry: finite, 53.26 = 53.66 - ab²/d
        np.testing.assert_allclose(H[0, 0], 53.65673259512123 - 20 * 0.2**2 / 2, rtol=1e-12)
        assert H[0, 1] == H[1, 0] == 0.0


def test_ackley_hessian_overflows_only_where_the_true_value_does():
    """Near the origin the cone's Hessian is homogeneous of degree -1 (up to its bounded radial part and the
    cosine term, both ~50, nothing beside 1e300): H(x) = s H(s x) for a tiny x. At x = (1e-308, 1e-310) the
    entries that involve the radial direction are ~1e304 and ~1e306, inside the float range, and must be
    those numbers; only the across-the-radius entry (2/r ~ 3e308) overflows (issue 8, item 9)."""
    f = get("ackley")
    x, s = np.array([1e-308, 1e-310]), 1e8
    with np.errstate(
        over="ignore"
    ):  # s H(s x) beyond the float range in its (1, 1) entry, as H(x) is
        H, scaled = f.hessian(x), s * f.hessian(s * x)
    np.testing.assert_allclose(
        [H[0, 0], H[0, 1], H[1, 0]], [scaled[0, 0], scaled[0, 1], scaled[1, 0]], rtol=1e-9
    )
    assert H[1, 1] == np.inf and f.hessian(s * x)[1, 1] * (s / 1e300) > np.finfo(float).max / 1e300
