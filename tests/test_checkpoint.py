"""Checkpoints: one .npz file, bit-identical continuation, clear errors for bad files."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import adamlab
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
    RMSProp,
    schedules,
)

OPTIMIZERS = [
    SGD(lr=0.05),
    Momentum(lr=0.05, nesterov=True),
    AdaGrad(lr=0.3, initial_accumulator=0.1),
    RMSProp(lr=0.01, momentum=0.5),
    AMSGrad(lr=0.01),
    AdamW(lr=0.01, weight_decay=0.01),
    Adam(lr=schedules.LinearWarmup(schedules.Cosine(0.1, total_steps=50), warmup_steps=5)),
    Adam(lr=np.array([[0.1], [0.01]]), bias_correction="v", beta1=schedules.Beta1Decay(0.9, 0.99)),
    AdamEpsHat(lr=np.array([[0.1], [0.01]])),
    NAdam(lr=0.01),
    NAdam(beta1=np.array([[0.9], [0.5]])),
    AdaMax(lr=0.002, eps=1e-8),
]


def gradients(n, shape, seed=3):
    return np.random.default_rng(seed).normal(size=(n, *shape))


@pytest.mark.parametrize("opt", OPTIMIZERS, ids=repr)
def test_round_trip_is_bit_identical(opt, tmp_path):
    grads = gradients(40, (2, 3))
    x, s = np.ones((2, 3)), opt.init(np.ones((2, 3)))
    for g in grads[:20]:
        x, s = opt.step(x, g, s)
    path = tmp_path / "ck.npz"
    adamlab.save_checkpoint(path, opt, s, params=x)
    ck = adamlab.load_checkpoint(path, expected=type(opt))
    assert ck.optimizer == opt and repr(ck.optimizer) == repr(opt)
    y, r = ck.params, ck.state
    assert r.t == 20
    for g in grads[20:]:
        x, s = opt.step(x, g, s)
        y, r = ck.optimizer.step(y, g, r)
    np.testing.assert_array_equal(x, y)
    for a, b in zip(s[1:], r[1:]):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_array_equal(a, b)


def test_trees_and_float32(tmp_path):
    opt = Adam(lr=0.1)
    params = {"w": np.ones((2, 2), dtype=np.float32), "b": [np.zeros(3, dtype=np.float32)]}
    s = opt.init(params)
    params, s = opt.step(params, {"w": np.ones((2, 2)), "b": [np.ones(3)]}, s)
    adamlab.save_checkpoint(tmp_path / "t.npz", opt, s, params=params)
    ck = adamlab.load_checkpoint(tmp_path / "t.npz")
    assert ck.state.m["w"].dtype == np.float32 and isinstance(ck.params["b"], list)
    np.testing.assert_array_equal(ck.params["w"], params["w"])


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no adamlab checkpoint at"):
        adamlab.load_checkpoint(tmp_path / "nope.npz")


def test_truncated_file(tmp_path):
    opt = Adam()
    path = tmp_path / "ck.npz"
    adamlab.save_checkpoint(path, opt, opt.init(np.zeros(100)))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="is not a readable adamlab checkpoint"):
        adamlab.load_checkpoint(path)


def test_not_a_checkpoint(tmp_path):
    path = tmp_path / "other.npz"
    np.savez(path, x=np.zeros(3))
    with pytest.raises(
        ValueError, match="not a valid adamlab checkpoint: it has no adamlab metadata"
    ):
        adamlab.load_checkpoint(path)
    (tmp_path / "text.npz").write_text("hello")
    with pytest.raises(ValueError, match="not a readable adamlab checkpoint"):
        adamlab.load_checkpoint(tmp_path / "text.npz")


def test_checkpoint_of_another_optimizer(tmp_path):
    opt = RMSProp()
    adamlab.save_checkpoint(tmp_path / "r.npz", opt, opt.init(np.zeros(2)))
    with pytest.raises(ValueError, match="holds a RMSProp checkpoint, not a Adam one"):
        adamlab.load_checkpoint(tmp_path / "r.npz", expected=Adam)


def test_cannot_save_plain_callable_or_foreign_state(tmp_path):
    opt = SGD(lr=lambda t: 0.1)
    with pytest.raises(ValueError, match="only numbers, arrays and adamlab.schedules"):
        adamlab.save_checkpoint(tmp_path / "x.npz", opt, opt.init(np.zeros(1)))
    with pytest.raises(ValueError, match="needs a AdamState"):
        adamlab.save_checkpoint(tmp_path / "x.npz", Adam(), SGD().init(np.zeros(1)))


# ------------------------------------------------------------------------------------------------------------
# Every loader validates what it reads (issue 8, item 6): one ValueError naming the file and the problem.


def rewrite(path, change_meta=None, change_arrays=None):
    """Rewrite a saved checkpoint with its metadata and arrays changed."""
    with np.load(path) as z:
        arrays = {k: z[k] for k in z.files}
    meta = json.loads(str(arrays.pop("meta")))
    text = json.dumps(meta)
    if change_meta is not None:
        meta = change_meta(meta)
        text = meta if isinstance(meta, str) else json.dumps(meta)  # a str: JSON text as it is
    if change_arrays is not None:
        change_arrays(arrays)
    np.savez(path, meta=np.array(text), **arrays)


def good(tmp_path, opt=None, params=None):
    opt = opt or Adam(lr=0.1)
    params = {"w": np.ones((2, 3)), "b": np.zeros(3)} if params is None else params
    path = tmp_path / "ck.npz"
    adamlab.save_checkpoint(path, opt, opt.init(params), params=params)
    return path


def nested(meta, depth):
    """The metadata with a tree nested ``depth`` deep, as JSON text (json.dumps itself would recurse)."""
    tree = '{"list": [' * depth + "null" + "]}" * depth
    return json.dumps({**meta, "tree": None}).replace('"tree": null', f'"tree": {tree}')


BAD = {
    "meta is a list": (lambda m: [1, 2], None, "metadata is a list, not a JSON object"),
    "meta is null": (lambda m: None, None, "metadata is a NoneType, not a JSON object"),
    "hyperparameters a list": (
        lambda m: {**m, "hyperparameters": [0.1]},
        None,
        "hyperparameters must be a JSON object",
    ),
    "unknown hyperparameter": (
        lambda m: {**m, "hyperparameters": {"lr": 0.1, "momentum": 0.9}},
        None,
        "Adam does not take these hyperparameters",
    ),
    "t is 1.7": (lambda m: {**m, "t": 1.7}, None, "'t' must be an integer, got 1.7"),
    "t is a string": (lambda m: {**m, "t": "5"}, None, "'t' must be an integer, got '5'"),
    "t is true": (lambda m: {**m, "t": True}, None, "'t' must be an integer, got True"),
    "t is negative": (lambda m: {**m, "t": -1}, None, "'t' must be an integer >= 0"),
    "fewer leaves than declared": (
        lambda m: {**m, "tree": {"dict": ["w", "b", "c"], "children": [None, None, None]}},
        None,
        "the state field 'm' has 2 arrays, its tree 3",
    ),
    "a tree 5000 deep": (lambda m: nested(m, 5000), None, "nested too deeply"),
    "a tree 100 deep": (lambda m: nested(m, 100), None, "nested deeper than 64"),
    "a malformed tree": (lambda m: {**m, "tree": {"set": []}}, None, "unknown tree node"),
    "complex state": (
        None,
        lambda a: a.update({"state/m/0": a["state/m/0"].astype(complex)}),
        "'state/m/0' has dtype complex128, not a float32/float64 array",
    ),
    "text state": (
        None,
        lambda a: a.update({"state/v/1": np.array(["a", "b", "c"])}),
        "'state/v/1' has dtype <U1",
    ),
    "mis-shaped state": (
        None,
        lambda a: a.update({"state/v/0": np.zeros((3, 2))}),
        "'v' has other shapes or dtypes than the others",
    ),
    "mis-shaped params": (
        None,
        lambda a: a.update({"params/0": np.zeros(6)}),
        "params and the state have different shapes",
    ),
    "a missing array": (None, lambda a: a.pop("state/m/1"), "the array 'state/m/1' is missing"),
    "another version": (lambda m: {**m, "version": 99}, None, "version 99 is not 1"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_checkpoint_gives_one_clear_error(case, tmp_path):
    change_meta, change_arrays, message = BAD[case]
    path = good(tmp_path)
    rewrite(path, change_meta, change_arrays)
    with pytest.raises(
        ValueError, match=f"'{re.escape(str(path))}' is not a valid adamlab checkpoint: "
    ):
        adamlab.load_checkpoint(path)
    with pytest.raises(ValueError, match=re.escape(message)):
        adamlab.load_checkpoint(path)


@pytest.mark.parametrize(
    ("options", "new"),
    [
        ({"amsgrad": True}, "amsgrad -> AMSGrad"),
        ({"weight_decay": 0.01, "decoupled_weight_decay": True}, "decoupled_weight_decay -> AdamW"),
        ({"weight_decay": 0.01, "decoupled_weight_decay": False}, "adamlab.objectives.l2"),
        ({"eps_hat": True}, "eps_hat -> AdamEpsHat"),
        ({"beta1_decay": 0.99}, "schedules.Beta1Decay"),
    ],
)
def test_a_checkpoint_of_the_old_flagged_adam_names_the_new_class(options, new, tmp_path):
    path = good(tmp_path)
    rewrite(path, lambda m: {**m, "hyperparameters": {**m["hyperparameters"], **options}})
    with pytest.raises(ValueError, match=r"adamlab 0\.1's Adam .*" + re.escape(new)):
        adamlab.load_checkpoint(path)


def test_a_failed_save_keeps_the_previous_file(tmp_path, monkeypatch):
    path = good(tmp_path)
    before = path.read_bytes()

    def broken(fh, **arrays):
        fh.write(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", broken)
    with pytest.raises(OSError, match="disk full"):
        adamlab.save_checkpoint(path, Adam(lr=0.5), Adam().init(np.zeros(2)))
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["ck.npz"]  # no temporary file left behind


def test_the_docs_own_optimizer_runs_and_save_checkpoint_says_why_it_refuses_it(tmp_path):
    import pathlib
    import re

    page = pathlib.Path(__file__).parents[1] / "docs" / "adding-an-optimizer.md"
    section = page.read_text(encoding="utf-8").split("## Your own optimizer")[1]
    namespace: dict = {}
    exec(re.search(r"```python\n(.*?)```", section, re.S).group(1), namespace)
    opt = namespace["SignSGD"](lr=0.1)
    params, state = opt.step(np.array([1.0, -1.0]), np.array([3.0, -2.0]), opt.init(np.zeros(2)))
    np.testing.assert_array_equal(params, [0.9, -0.9])
    with pytest.raises(TypeError, match="SignSGD is a class of your own"):
        adamlab.save_checkpoint(tmp_path / "c.npz", opt, state)
    assert not (tmp_path / "c.npz").exists()
