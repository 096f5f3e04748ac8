"""The command lines in docs/cli.md parse with the real parser (option names cannot drift from the docs)."""

from __future__ import annotations

import pathlib
import re
import shlex

import pytest

from adamlab import cli

DOC = pathlib.Path(__file__).resolve().parents[1] / "docs" / "cli.md"
EXAMPLES = [
    line.strip()
    for block in re.findall(r"```sh\n(.*?)```", DOC.read_text(), re.S)
    for line in block.splitlines()
    if line.startswith("adamlab ")
]


def test_there_are_examples_for_every_command():
    commands = {shlex.split(line)[1] for line in EXAMPLES}
    assert commands == {"demo", "functions", "race", "bias", "basins", "sweep", "paper"}


@pytest.mark.parametrize("line", EXAMPLES)
def test_documented_command_parses(line):
    argv = shlex.split(line)[1:]
    args = cli.build_parser().parse_args(cli._join_negative_values(argv))
    assert args.command == argv[0]
