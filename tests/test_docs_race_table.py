"""docs/cli.md's account of the race table and of momentum's learning rate says what the command prints."""

from __future__ import annotations

import pathlib
import re

import numpy as np

from adamlab import SGD, Momentum, cli, compare

DOC = (pathlib.Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text()


def test_the_documented_momentum_note_is_the_demos():
    sgd, momentum = cli.DEMO_OPTIMIZERS["SGD"], cli.DEMO_OPTIMIZERS["Momentum"]
    lr_sgd, lr_mom, mu = sgd[1]["lr"], momentum[1]["lr"], momentum[1]["momentum"]
    assert f"SGD with lr = {lr_sgd:g} and Momentum with lr = {lr_mom:g}" in DOC
    assert np.isclose(lr_mom / (1 - mu), lr_sgd)  # "the same effective step"
    assert f"same effective step of {lr_sgd:g}" in DOC
    runs = compare(
        {"SGD": SGD(lr=lr_sgd), "Momentum": Momentum(lr=lr_mom, momentum=mu)}, "beale", None, 3
    )
    note = cli.momentum_note(runs).strip()
    assert note in re.findall(r"```text\n(.*?)\n```", DOC, re.S)


def test_the_documented_table_columns_are_the_tables():
    runs = compare({"SGD": SGD(lr=0.03)}, "beale", None, 3)
    header = cli.race_table(runs, 1e-4).splitlines()[0]
    for column in ("final f", "best f", "f-f* <= 0.0001"):
        assert column in header
    for column in ("**final f**", "**best f**", "**f − f\\* ≤ tol**"):
        assert column in DOC
    for phrase in (
        '"from step k"',
        '"at step k, not at the end"',
        '"never"',
        '"diverged at step k"',
    ):
        assert phrase in DOC
