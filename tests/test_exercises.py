"""The exercise checker: correct student code passes, every catalogued mistake is diagnosed as itself and only
itself, an uncatalogued bug is localised to its line, and nothing a student writes crashes the checker.

The student functions here are written independently, the way a student would (loops of plain NumPy), not taken
from the catalogue with a flag flipped.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import adamlab
from adamlab import exercises as E

# ------------------------------------------------------------------------------------------------------------
# Correct student code, written from the papers.


def sgd(theta, g, lr):
    return theta - lr * g


def momentum(theta, g, b, lr, mu):
    b = mu * b + g
    return theta - lr * b, b


def nesterov(theta, g, b, lr, mu):
    b = mu * b + g
    return theta - lr * (g + mu * b), b


def adagrad(theta, g, G, lr, eps):
    G = G + g**2
    return theta - lr * g / (np.sqrt(G) + eps), G


def rmsprop(theta, g, v, lr, rho, eps):
    v = rho * v + (1 - rho) * g**2
    return theta - lr * g / (np.sqrt(v) + eps), v


def adam(theta, g, m, v, t, lr, b1, b2, eps):
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g**2
    m_hat = m / (1 - b1**t)
    v_hat = v / (1 - b2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def adamax(theta, g, m, u, t, lr, b1, b2):
    m = b1 * m + (1 - b1) * g
    u = np.maximum(b2 * u, np.abs(g))
    safe = np.where(u > 0, u, 1.0)
    return theta - (lr / (1 - b1**t)) * np.where(u > 0, m / safe, 0.0), m, u


def adamw(theta, g, m, v, t, lr, b1, b2, eps, wd):
    return adam(theta * (1 - lr * wd), g, m, v, t, lr, b1, b2, eps)


CHECKERS = {
    "sgd": (E.check_sgd_step, sgd),
    "momentum": (E.check_momentum_step, momentum),
    "nesterov": (lambda fn: E.check_momentum_step(fn, nesterov=True), nesterov),
    "adagrad": (E.check_adagrad_step, adagrad),
    "rmsprop": (E.check_rmsprop_step, rmsprop),
    "adam": (E.check_adam_step, adam),
    "adamax": (E.check_adamax_step, adamax),
    "adamw": (E.check_adamw_step, adamw),
}


def in_float32(fn):
    """The same student code computing in float32 (its arrays; Python numbers stay numbers, as they would)."""

    def step(*args):
        out = fn(*(a.astype(np.float32) if isinstance(a, np.ndarray) else a for a in args))
        return (
            tuple(np.asarray(o, np.float32) for o in out)
            if isinstance(out, tuple)
            else np.asarray(out, np.float32)
        )

    return step


@pytest.mark.parametrize("name", sorted(CHECKERS))
def test_correct_code_passes(name):
    check, fn = CHECKERS[name]
    report = check(fn)
    assert report and report.diagnosis is None and report.first_difference is None, str(report)
    assert report.warnings == [] and str(report).endswith("correct")


@pytest.mark.parametrize("name", sorted(CHECKERS))
def test_correct_code_in_float32_passes_with_a_dtype_warning(name):
    check, fn = CHECKERS[name]
    report = check(in_float32(fn))
    assert report, str(report)
    assert any("float32" in w for w in report.warnings)


# ------------------------------------------------------------------------------------------------------------
# Planted mutants, one per catalogue key, written as a student would make the mistake.


def adam_like(fn_m_v_step):
    """A student Adam with one piece swapped: fn(m, v, g, t, b1, b2, eps) -> (m_state, v_state, step)."""

    def step(theta, g, m, v, t, lr, b1, b2, eps):
        with np.errstate(all="ignore"):
            m_state, v_state, direction = fn_m_v_step(m, v, g, t, b1, b2, eps)
        return theta - lr * direction, m_state, v_state

    return step


def _adam_parts(m, v, g, b1, b2):
    return b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g


ADAM_MUTANTS = {
    "no-bias-correction": lambda m, v, g, t, b1, b2, eps: (*_adam_parts(m, v, g, b1, b2), _adam_parts(m, v, g, b1, b2)[0] / (np.sqrt(_adam_parts(m, v, g, b1, b2)[1]) + eps)),
    "no-bias-correction-m": lambda m, v, g, t, b1, b2, eps: (*(mv := _adam_parts(m, v, g, b1, b2)), mv[0] / (np.sqrt(mv[1] / (1 - b2**t)) + eps)),
    "no-bias-correction-v": lambda m, v, g, t, b1, b2, eps: (*(mv := _adam_parts(m, v, g, b1, b2)), mv[0] / (1 - b1**t) / (np.sqrt(mv[1]) + eps)),
    "t-minus-one": lambda m, v, g, t, b1, b2, eps: (*(mv := _adam_parts(m, v, g, b1, b2)), mv[0] / (1 - b1 ** (t - 1)) / (np.sqrt(mv[1] / (1 - b2 ** (t - 1))) + eps)),
    "t-plus-one": lambda m, v, g, t, b1, b2, eps: (*(mv := _adam_parts(m, v, g, b1, b2)), mv[0] / (1 - b1 ** (t + 1)) / (np.sqrt(mv[1] / (1 - b2 ** (t + 1))) + eps)),
    "beta-not-powered": lambda m, v, g, t, b1, b2, eps: (*(mv := _adam_parts(m, v, g, b1, b2)), mv[0] / (1 - b1) / (np.sqrt(mv[1] / (1 - b2)) + eps)),
    "eps-inside-sqrt": lambda m, v, g, t, b1, b2, eps: (*(mv := _adam_parts(m, v, g, b1, b2)), mv[0] / (1 - b1**t) / np.sqrt(mv[1] / (1 - b2**t) + eps)),
    "eps-hat": lambda m, v, g, t, b1, b2, eps: (*(mv := _adam_parts(m, v, g, b1, b2)), np.sqrt(1 - b2**t) / (1 - b1**t) * mv[0] / (np.sqrt(mv[1]) + eps)),
    "missing-sqrt": lambda m, v, g, t, b1, b2, eps: (*(mv := _adam_parts(m, v, g, b1, b2)), mv[0] / (1 - b1**t) / (mv[1] / (1 - b2**t) + eps)),
    "betas-swapped": lambda m, v, g, t, b1, b2, eps: (*(mv := _adam_parts(m, v, g, b2, b1)), mv[0] / (1 - b2**t) / (np.sqrt(mv[1] / (1 - b1**t)) + eps)),
    "ema-weights-swapped": lambda m, v, g, t, b1, b2, eps: (*(mv := ((1 - b1) * m + b1 * g, (1 - b2) * v + b2 * g * g)), mv[0] / (1 - b1**t) / (np.sqrt(mv[1] / (1 - b2**t)) + eps)),
    "v-from-m": lambda m, v, g, t, b1, b2, eps: (*(mv := ((mm := b1 * m + (1 - b1) * g), b2 * v + (1 - b2) * mm**2)), mv[0] / (1 - b1**t) / (np.sqrt(mv[1] / (1 - b2**t)) + eps)),
    "corrected-moments-stored": lambda m, v, g, t, b1, b2, eps: ((mh := _adam_parts(m, v, g, b1, b2)[0] / (1 - b1**t)), (vh := _adam_parts(m, v, g, b1, b2)[1] / (1 - b2**t)), mh / (np.sqrt(vh) + eps)),
    "wrong-sign": lambda m, v, g, t, b1, b2, eps: (*(mv := _adam_parts(m, v, g, b1, b2)), -mv[0] / (1 - b1**t) / (np.sqrt(mv[1] / (1 - b2**t)) + eps)),
}  # fmt: skip


def adamw_mutant(key):
    if key == "l2-not-decoupled":
        return lambda theta, g, m, v, t, lr, b1, b2, eps, wd: adam(
            theta, g + wd * theta, m, v, t, lr, b1, b2, eps
        )
    if key == "decay-without-lr":
        return lambda theta, g, m, v, t, lr, b1, b2, eps, wd: adam(
            theta * (1 - wd), g, m, v, t, lr, b1, b2, eps
        )
    inner = adam_like(ADAM_MUTANTS[key])
    return lambda theta, g, m, v, t, lr, b1, b2, eps, wd: inner(theta * (1 - lr * wd), g, m, v, t, lr, b1, b2, eps)  # fmt: skip


def adamax_mutant(key):
    def step(theta, g, m, u, t, lr, b1, b2):
        m = b1 * m + (1 - b1) * g
        mag = g if key == "missing-abs" else np.abs(g)
        u = b2 * u + mag if key == "sum-not-max" else np.maximum(b2 * u, mag)
        with np.errstate(all="ignore"):
            uu = u / (1 - b2**t) if key == "u-bias-corrected" else u
            rate = lr if key == "no-bias-correction-m" else lr / (1 - b1**t)
            d = np.where(uu == 0, 0.0, m / np.where(uu == 0, 1.0, uu))
        sign = -1 if key == "wrong-sign" else 1
        return theta - sign * rate * d, m, u

    return step


MUTANTS = {
    "sgd": {"wrong-sign": lambda theta, g, lr: theta + lr * g},
    "momentum": {
        "dampening": lambda theta, g, b, lr, mu: (theta - lr * (mu * b + (1 - mu) * g), mu * b + (1 - mu) * g),
        "heavy-ball-as-nesterov": nesterov,
        "velocity-form": lambda theta, g, v, lr, mu: (theta + (mu * v - lr * g), mu * v - lr * g),
        "wrong-sign": lambda theta, g, b, lr, mu: (theta + lr * (mu * b + g), mu * b + g),
    },
    "nesterov": {
        "dampening": lambda theta, g, b, lr, mu: (theta - lr * ((1 - mu) * g + mu * (mu * b + (1 - mu) * g)), mu * b + (1 - mu) * g),
        "nesterov-as-heavy-ball": momentum,
        "velocity-form": lambda theta, g, v, lr, mu: (theta + mu * (mu * v - lr * g) - lr * g, mu * v - lr * g),
        "wrong-sign": lambda theta, g, b, lr, mu: (theta + lr * (g + mu * (mu * b + g)), mu * b + g),
    },
    "adagrad": {
        "eps-inside-sqrt": lambda theta, g, G, lr, eps: (theta - lr * g / np.sqrt(G + g * g + eps), G + g * g),
        "no-square": lambda theta, g, G, lr, eps: (theta - lr * g / (np.sqrt(G + g) + eps), G + g),
        "no-accumulation": lambda theta, g, G, lr, eps: (theta - lr * g / (np.abs(g) + eps), g * g),
        "wrong-sign": lambda theta, g, G, lr, eps: (theta + lr * g / (np.sqrt(G + g * g) + eps), G + g * g),
    },
    "rmsprop": {
        "eps-inside-sqrt": lambda theta, g, v, lr, rho, eps: (theta - lr * g / np.sqrt((w := rho * v + (1 - rho) * g * g) + eps), w),
        "ema-weights-swapped": lambda theta, g, v, lr, rho, eps: (theta - lr * g / (np.sqrt(w := (1 - rho) * v + rho * g * g) + eps), w),
        "no-square": lambda theta, g, v, lr, rho, eps: (theta - lr * g / (np.sqrt(w := rho * v + (1 - rho) * g) + eps), w),
        "wrong-sign": lambda theta, g, v, lr, rho, eps: (theta + lr * g / (np.sqrt(w := rho * v + (1 - rho) * g * g) + eps), w),
    },
    "adam": {key: adam_like(fn) for key, fn in ADAM_MUTANTS.items()},
    "adamax": {key: adamax_mutant(key) for key in E.MISTAKES["adamax"]},
    "adamw": {key: adamw_mutant(key) for key in E.MISTAKES["adamw"]},
}  # fmt: skip

PLANTED = [(name, key) for name, table in MUTANTS.items() for key in table]


def test_every_catalogue_key_has_a_planted_mutant():
    for name, table in E.MISTAKES.items():
        assert set(MUTANTS[name]) == set(table), name


@pytest.mark.parametrize(("name", "key"), PLANTED, ids=[f"{n}:{k}" for n, k in PLANTED])
def test_each_mistake_is_diagnosed_as_itself_and_matches_no_other(name, key):
    check, _ = CHECKERS[name]
    with np.errstate(all="ignore"):
        report = check(MUTANTS[name][key])
    assert report.diagnosis == key, str(report)
    assert bool(report) == E.MISTAKES[name][key].passes
    # No other catalogued mistake reproduces this student's outputs on every probe.
    ex = E.EXERCISES[name]
    student = [E._trace(MUTANTS[name][key], ex, p, lambda w: None) for p in ex.probes]
    others = [
        other
        for other, mistake in ex.mistakes.items()
        if E._matches(student, [E._trace(mistake.step, ex, p) for p in ex.probes], 1e-9, ex.order)
    ]
    assert others == [key]


def test_t_minus_one_divides_by_zero_and_is_still_diagnosed():
    report = E.check_adam_step(MUTANTS["adam"]["t-minus-one"])
    assert report.first_difference.t == 1 and np.all(np.isnan(report.first_difference.got))
    assert "not a number" in report.explanation


def test_beta_not_powered_names_t_stuck_at_one_too():
    report = E.check_adam_step(MUTANTS["adam"]["beta-not-powered"])
    assert "t stuck at 1" in report.explanation and "d2l" in report.explanation


@pytest.mark.parametrize(
    ("key", "phrase"),
    [
        ("no-bias-correction", "3.16 times too large"),
        ("no-bias-correction-v", "31.6 times too large"),
        ("no-bias-correction-m", "only 0.1 of its right length"),
        ("wrong-sign", "opposite way, 1 times as long"),
    ],
)
def test_explanations_give_the_numeric_consequence(key, phrase):
    assert phrase in E.check_adam_step(MUTANTS["adam"][key]).explanation


def test_velocity_form_passes_with_a_note():
    report = E.check_momentum_step(MUTANTS["momentum"]["velocity-form"])
    assert report and report.diagnosis == "velocity-form"
    assert "another convention" in report.explanation and "schedule" in report.explanation


# ------------------------------------------------------------------------------------------------------------
# An uncatalogued bug, and functions that misbehave.


def test_an_uncatalogued_bug_is_localised_to_its_line():
    def v_of_abs_g(theta, g, m, v, t, lr, b1, b2, eps):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * np.abs(g)  # the bug
        return theta - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps), m, v

    report = E.check_adam_step(v_of_abs_g)
    assert not report and report.diagnosis is None
    d = report.first_difference
    assert (d.field, d.t, d.probe) == ("v", 1, "first step")
    assert "none of the catalogued mistakes" in report.explanation
    assert "v_t ← β2 v_{t−1} + (1 − β2) g_t²" in report.explanation


def test_in_place_code_with_correct_numbers_passes_with_a_warning():
    def in_place(theta, g, m, v, t, lr, b1, b2, eps):
        m *= b1
        m += (1 - b1) * g
        v *= b2
        v += (1 - b2) * g * g
        theta -= lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
        return theta, m, v

    report = E.check_adam_step(in_place)
    assert report
    assert any("changed its input 'theta' in place" in w for w in report.warnings)
    assert any("'m' in place" in w for w in report.warnings)


def test_a_list_is_accepted_with_a_warning():
    report = E.check_sgd_step(lambda theta, g, lr: list(theta - lr * g))
    assert report and any("as a list" in w for w in report.warnings)


@pytest.mark.parametrize(
    ("fn", "message"),
    [
        (lambda *a: 1 / 0, r"raised ZeroDivisionError: division by zero \(line \d+"),
        (
            lambda theta, g, m, v, t, *h: (theta, m),
            r"it returned 2 values; expected \(theta, m, v\)",
        ),
        (
            lambda theta, g, m, v, t, *h: (theta[:2], m, v),
            r"'theta' has shape \(2,\), but theta has shape \(4,\)",
        ),
        (lambda theta, g, m, v, t, *h: ("a", m, v), r"'theta' is not an array of numbers"),
        (lambda theta, g, m, v, t, *h: None, r"it returned a NoneType"),
        (lambda *a: (_ for _ in ()).throw(NotImplementedError), r"not implemented yet"),
    ],
)
def test_misbehaving_functions_get_a_report_not_a_traceback(fn, message):
    report = E.check_adam_step(fn)
    assert not report and report.diagnosis is None
    assert re.search(message, report.explanation), report.explanation


def test_nan_output_is_a_difference():
    report = E.check_sgd_step(lambda theta, g, lr: theta * np.nan)
    assert not report and report.first_difference.field == "theta"


def test_no_report_contains_solution_code():
    code = re.compile(r"np\.|\bdef\b|\breturn\b|\*\*|\blambda\b|theta\s*[-+*/]?=|\bimport\b")
    texts = []
    for name, table in MUTANTS.items():
        check, fn = CHECKERS[name]
        texts.append(str(check(fn)))
        for mutant in table.values():
            with np.errstate(all="ignore"):
                report = check(mutant)
            texts += [str(report), report._repr_html_()]
    for mistake in (m for table in E.MISTAKES.values() for m in table.values()):
        texts += [mistake.story, mistake.summary, mistake.line]
    for text in texts:
        assert not code.search(text), text


def test_graders_get_an_assertion_error():
    bad = E.check_sgd_step(MUTANTS["sgd"]["wrong-sign"])
    with pytest.raises(AssertionError, match="wrong-sign"):
        E.assert_correct(bad)
    with pytest.raises(AssertionError, match="goes the opposite way"):
        bad.raise_if_wrong()
    E.assert_correct(E.check_sgd_step(sgd))


def test_html_report_is_a_coloured_table():
    html = E.check_adam_step(MUTANTS["adam"]["eps-hat"])._repr_html_()
    assert html.startswith("<table") and "#b3261e" in html and "<code>eps-hat</code>" in html
    assert "#1b7f3b" in E.check_adam_step(adam)._repr_html_()


def test_a_non_function_is_a_type_error():
    with pytest.raises(
        TypeError, match=r"check a function fn\(theta, g, m, v, t, lr, beta1, beta2, eps\)"
    ):
        E.check_adam_step(3)


def test_report_plot_draws_both_paths():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    report = E.check_adam_step(MUTANTS["adam"]["no-bias-correction-v"])
    ax = report.plot(steps=50)
    labels = [line.get_label() for line in ax.get_lines()]
    assert "adamlab" in labels and "yours" in labels
    ours = next(line for line in ax.get_lines() if line.get_label() == "adamlab").get_xydata()
    yours = next(line for line in ax.get_lines() if line.get_label() == "yours").get_xydata()
    assert not np.allclose(ours[1], yours[1])  # the first step differs, visibly
    plt.close(ax.figure)


# ------------------------------------------------------------------------------------------------------------
# A student's optimizer class.


class MyAdam:
    """A student's own Adam class in adamlab's protocol, with or without its bias corrections."""

    def __init__(self, lr=0.1, corrected=True):
        self.lr, self.corrected = lr, corrected

    def init(self, params):
        return adamlab.Adam.State(0, np.zeros_like(params), np.zeros_like(params))

    def step(self, params, grad, state):
        t, m, v = state.t + 1, 0.9 * state.m + 0.1 * grad, 0.999 * state.v + 0.001 * grad * grad
        mh, vh = (m / (1 - 0.9**t), v / (1 - 0.999**t)) if self.corrected else (m, v)
        return params - self.lr * mh / (np.sqrt(vh) + 1e-8), adamlab.Adam.State(t, m, v)


def test_check_optimizer_passes_a_correct_class_and_diagnoses_a_wrong_one():
    assert E.check_optimizer(MyAdam(lr=0.1), adamlab.Adam(lr=0.1))
    report = E.check_optimizer(MyAdam(lr=0.1, corrected=False), adamlab.Adam(lr=0.1))
    assert not report and report.diagnosis == "no-bias-correction"
    assert report.first_difference.field == "theta"
    with pytest.raises(TypeError, match="got the class MyAdam"):
        E.check_optimizer(MyAdam, adamlab.Adam())


def test_the_docs_page_lists_every_mistake_with_its_story():
    import pathlib

    page = (pathlib.Path(__file__).resolve().parents[1] / "docs" / "exercises.md").read_text()
    for table in E.MISTAKES.values():
        for mistake in table.values():
            assert f"**`{mistake.key}`**" in page and mistake.story in page, mistake.key
