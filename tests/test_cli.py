"""The ``adamlab`` command, run for real in subprocesses (``python -m adamlab``).

The subprocesses are started together by a module fixture and run concurrently with the in-process tests;
their checks come last in the file.
"""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from adamlab import cli

ENV = {**os.environ, "MPLBACKEND": "Agg", "PYTHONWARNINGS": "error::RuntimeWarning"}


def start(args, cwd=None):
    return subprocess.Popen(
        [sys.executable, "-m", "adamlab", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env=ENV,
    )


class Results(dict):
    """The subprocesses' (exit code, stdout, stderr), collected when first asked for: they run meanwhile."""

    def __init__(self, running):
        super().__init__()
        self.running = running

    def __missing__(self, key):
        proc = self.running[key]
        stdout, stderr = proc.communicate(timeout=120)
        self[key] = (proc.returncode, stdout, stderr)
        return self[key]

    def __contains__(self, key):
        return key in self.running


# ---- user errors: exit 2, one line on stderr, no traceback ------------------------------------------------

# The user errors the issue lists, each in a real subprocess; the other command-line mistakes run the same
# code in-process (cli.main) to keep the suite fast.
ERRORS = {
    "unknown function": (
        ["race", "rosenbrok", "-o", "adam"],
        ["unknown function 'rosenbrok'", "did you mean 'rosenbrock'?", "himmelblau"],
    ),
    "unknown optimizer": (
        ["race", "rosenbrock", "--optimizer", "adamm:lr=0.1"],
        ["unknown optimizer 'adamm'", "did you mean 'Adam'?", "SGD, Momentum, AdaGrad, RMSProp"],
    ),
    "unknown hyperparameter": (
        ["race", "rosenbrock", "--optimizer", "adam:betta1=0.5"],
        ["unknown hyperparameter 'betta1' for Adam", "did you mean 'beta1'?", "lr, beta1, beta2"],
    ),
    "non-numeric value": (
        ["race", "rosenbrock", "--optimizer", "adam:lr=fast"],
        ["Adam lr must be a number", "'fast'"],
    ),
    "out-of-range value": (
        ["race", "rosenbrock", "--optimizer", "adam:beta1=1.5"],
        ["beta1", "[0, 1)", "1.5"],
    ),
    "malformed start": (
        ["race", "rosenbrock", "--optimizer", "adam", "--start", "1,a"],
        ["malformed start point '1,a'", "2 comma"],
    ),
    "unwritable output (no directory)": (
        ["race", "rosenbrock", "--optimizer", "adam", "--out", "/nonexistent-adamlab-dir/race.png"],
        ["cannot write '/nonexistent-adamlab-dir/race.png'", "does not exist"],
    ),
    "demo output is a file": (
        ["demo", "--out", "a-file"],
        ["'a-file': it is a file, not a directory"],
    ),
    "sweep range out of range": (
        ["sweep", "rosenbrock", "-o", "adam", "--lr", "1e-3:1:3", "--beta1", "0.5:1.0:3"],
        ["beta1", "1.0"],
    ),
}

MORE_ERRORS = {
    "basins without minima": (["basins", "saddle", "-o", "adam"], ["saddle has no minima"]),
    "hyperparameter twice": (
        ["race", "sphere", "-o", "adam:lr=0.1,lr=0.2"],
        ["'lr' is given twice"],
    ),
    "basins resolution too small": (
        ["basins", "himmelblau", "-o", "adam", "--resolution", "1"],
        ["--resolution must be at least 2, got 1"],
    ),
    "basins negative tol": (
        ["basins", "himmelblau", "-o", "adam", "--tol", "-1"],
        ["--tol", "must be >= 0"],
    ),
    "race negative value-tol": (
        ["race", "himmelblau", "-o", "adam", "--value-tol", "-1"],
        ["--value-tol", "must be >= 0"],
    ),
    "bias steps zero": (["bias", "--steps", "0"], ["--steps", "positive integer"]),
    "unknown function (basins)": (
        ["basins", "himmelblo", "-o", "adam"],
        ["unknown function 'himmelblo'", "did you mean 'himmelblau'?"],
    ),
    "negative lr": (["race", "rosenbrock", "--optimizer", "sgd:lr=-1"], ["lr", "-1"]),
    "bad flag": (
        ["race", "rosenbrock", "--optimizer", "momentum:nesterov=maybe"],
        ["Momentum nesterov must be true or false", "'maybe'"],
    ),
    "malformed hyperparameter": (
        ["race", "rosenbrock", "--optimizer", "adam:lr"],
        ["malformed hyperparameter", "key=value"],
    ),
    "start of wrong dimension": (
        ["race", "rosenbrock", "--optimizer", "adam", "--start", "1,2,3"],
        ["malformed start point '1,2,3'"],
    ),
    "unwritable output (a directory)": (
        ["race", "rosenbrock", "--optimizer", "adam", "--out", "/tmp"],
        ["cannot write"],
    ),
    "unknown output format": (
        ["race", "rosenbrock", "--optimizer", "adam", "--out", "race.txt"],
        ["must end in .png"],
    ),
    "bad steps": (
        ["race", "rosenbrock", "--optimizer", "adam", "--steps", "ten"],
        ["--steps", "must be an integer >= 0, got 'ten'"],
    ),
    "unknown command": (["frobnicate"], ["invalid choice: 'frobnicate'"]),
    "bias out of range": (["bias", "--beta2", "1.0"], ["beta2", "[0, 1)"]),
    "sweep malformed range": (
        ["sweep", "rosenbrock", "-o", "adam", "--lr", "1e-3:1"],
        ["malformed range --lr '1e-3:1'", "A:B:N"],
    ),
    "sweep log of negative": (
        ["sweep", "rosenbrock", "-o", "adam", "--lr", "-1:1:3", "--log"],
        ["--lr with --log needs positive ends"],
    ),
    "sweep unknown hyperparameter": (
        ["sweep", "rosenbrock", "-o", "sgd", "--lr", "1e-3:1:3", "--beta1", "0:0.9:3"],
        ["SGD has no hyperparameter 'beta1'", "valid: lr"],
    ),
    "sweep two second axes": (
        [
            "sweep",
            "rosenbrock",
            "-o",
            "adam",
            "--lr",
            "1e-3:1:3",
            "--beta1",
            "0:0.9:3",
            "--beta2",
            "0.9:0.99:3",
        ],
        ["at most one of", "--beta1 and --beta2"],
    ),
    "unknown function parameter": (["basins", "saddle:x=1", "-o", "adam"], ["saddle"]),
}


@pytest.fixture(scope="module", autouse=True)
def procs(tmp_path_factory):
    """Every subprocess of this file, started together when the module's first test runs (the user errors, the
    demo, the console script); the in-process tests run while they work, the checks come last."""
    out = tmp_path_factory.mktemp("cli")
    (out / "a-file").write_text("not a directory")
    running = {name: start(args, cwd=out) for name, (args, _) in ERRORS.items()}
    running["demo"] = start(["demo", "--out", str(out / "demo"), "--steps", "120", "--frames", "6"])
    script = os.path.join(os.path.dirname(sys.executable), "adamlab")
    if os.path.exists(script):
        running["script"] = subprocess.Popen(
            [script, "--help"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV
        )
    yield out, Results(running)
    for proc in running.values():
        if proc.poll() is None:  # a test failed before reading it
            proc.kill()
            proc.communicate()


@pytest.mark.parametrize("case", list(MORE_ERRORS))
def test_more_user_errors_exit_2_with_one_line(case, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = cli.main(MORE_ERRORS[case][0])
    stdout, stderr = capsys.readouterr()
    lines = stderr.strip().splitlines()
    assert code == 2, stderr
    assert len(lines) == 1 and lines[0].startswith("adamlab: error: "), stderr
    for fragment in MORE_ERRORS[case][1]:
        assert fragment in lines[0]
    assert stdout == ""


# ---- every other command, in-process (the same main(), without a new interpreter each) ------------------


def cli_run(capsys, *args):
    code = cli.main([str(a) for a in args])
    stdout, stderr = capsys.readouterr()
    assert code == 0, stderr
    assert "Traceback" not in stderr
    return stdout, stderr


@pytest.mark.parametrize("command", ["demo", "race", "functions", "bias", "basins", "sweep", None])
def test_help(command, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main([command, "--help"] if command else ["--help"])
    assert exc.value.code == 0
    stdout = capsys.readouterr().out
    assert stdout.startswith("usage: adamlab" + (f" {command}" if command else ""))


def test_race_png_table_matches_run(capsys, tmp_path):
    from adamlab import SGD, Adam
    from adamlab.trajectory import run

    out = tmp_path / "race.png"
    stdout, stderr = cli_run(
        capsys,
        "race",
        "himmelblau",
        "-o",
        "adam:lr=0.1",
        "sgd",
        "--steps",
        80,
        "--start",
        "-0.5,-3",
        "--out",
        out,
    )
    assert out.read_bytes()[:4] == b"\x89PNG"
    assert "running 2 optimizers on himmelblau" in stderr
    rows = {line.split()[0]: line for line in stdout.splitlines()}
    for name, opt in (("Adam", Adam(lr=0.1)), ("SGD", SGD())):
        traj = run(opt, "himmelblau", [-0.5, -3.0], 80)
        assert cli.hyperparameter_text(opt) in rows[name]
        assert cli._fmt(float(traj.final_value)) in rows[name]
    assert "lr=0.01" in rows["SGD"]  # the default lr is shown, although repr hides it


def test_race_gif_quiet_and_noise(capsys, tmp_path):
    out = tmp_path / "race.gif"
    stdout, stderr = cli_run(
        capsys, "-q", "race", "rosenbrock", "--optimizer", "momentum:lr=0.001,nesterov=true",
        "--optimizer", "adamax:lr=0.1", "--steps", 40, "--frames", 4, "--noise", 1.0, "--out", out,
    )  # fmt: skip
    assert stderr == ""  # -q: no progress
    from PIL import Image

    with Image.open(out) as im:
        assert im.n_frames == 4
    assert "lr=0.001, nesterov=True" in stdout and "lr=0.1" in stdout


def test_functions_lists_the_zoo(capsys):
    import adamlab

    stdout, _ = cli_run(capsys, "functions")
    names = [line.split()[0] for line in stdout.splitlines()[2:]]
    assert names == adamlab.functions.available()
    assert "(3, 2) and 3 more" in stdout  # Himmelblau
    assert "none (unbounded below)" in stdout  # saddle


def test_bias_prints_the_papers_numbers(capsys, tmp_path):
    stdout, _ = cli_run(capsys, "bias", "--steps", 100, "--out", tmp_path / "bias.png")
    assert (tmp_path / "bias.png").exists()
    rows = {
        line.split()[0]: line.split()[1:] for line in stdout.splitlines()[2:] if line[:1].isalpha()
    }
    # |Δθ|/α at t = 1, 10, 100 under a constant gradient (docs: 3.16, ~6.5; 31.6 with m only; 0.1 with v only)
    assert rows["none"][0] == "3.162" and rows["m"][0] == "31.62" and rows["v"][0] == "0.1"
    assert rows["both"][:3] == ["1", "1", "1"]
    assert 6.4 < float(rows["none"][1]) < 6.7


def test_basins_command(capsys, tmp_path):
    out = tmp_path / "basins.png"
    stdout, _ = cli_run(
        capsys,
        "basins",
        "himmelblau",
        "-o",
        "adam:lr=0.1",
        "--resolution",
        12,
        "--steps",
        60,
        "--out",
        out,
    )
    assert out.read_bytes()[:4] == b"\x89PNG"
    assert "(3, 2)" in stdout and "diverged" in stdout


def test_sweep_command(capsys, tmp_path):
    out = tmp_path / "sweep.png"
    stdout, _ = cli_run(
        capsys, "sweep", "rosenbrock", "-o", "adam", "--lr", "1e-3:1:4", "--log", "--beta1", "0:0.9:3",
        "--steps", 60, "--start", "-1.5,2", "--out", out,
    )  # fmt: skip
    assert out.read_bytes()[:4] == b"\x89PNG"
    assert "lr[4] x beta1[3]" in stdout and "diverged: 0/12 runs" in stdout


def test_race_without_optimizers_races_the_demos_six(capsys, tmp_path):
    stdout, _ = cli_run(capsys, "race", "Rosenbrock", "--steps", 50, "--out", tmp_path / "r.png")
    rows = stdout.splitlines()[2:8]
    assert [r.split()[0] for r in rows] == [
        "SGD",
        "Momentum",
        "AdaGrad",
        "RMSProp",
        "Adam",
        "AdaMax",
    ]
    assert "Momentum: lr 0.003 with momentum 0.9 takes steps of lr/(1 - momentum) = 0.03" in stdout


def test_sweep_without_axes_sweeps_lr_and_the_next_hyperparameter(capsys, tmp_path):
    stdout, _ = cli_run(capsys, "sweep", "rosenbrock", "--steps", 20, "--out", tmp_path / "s.png")
    assert "SweepResult(Adam() on rosenbrock(dim=2): lr[13] x beta1[12]" in stdout
    stdout, _ = cli_run(
        capsys, "sweep", "sphere", "-o", "rmsprop", "--steps", 5, "--out", tmp_path / "t.png"
    )
    assert "lr[13] x rho[12]" in stdout


def test_race_table_says_what_is_true():
    """The table never contradicts the plot: a diverged run says so instead of a value; a run that touched
    the tolerance and left it again is not reported as done; the best value is labelled as the best."""
    from adamlab import SGD, Adam, objectives, run

    runs = {
        "diverged": run(SGD(lr=1.1), "sphere", [3.0, 4.0], 100),
        "settles": run(Adam(lr=0.01), "sphere", [0.3, 0.4], 300),
        "noisy": run(SGD(lr=0.1), objectives.noisy("sphere", 0.3), [0.3, 0.4], 300),
    }
    table = cli.race_table(runs, 1e-4)
    rows = {line.split()[0]: line for line in table.splitlines()[2:]}
    assert "diverged at step 44" in rows["diverged"]
    assert "from step" in rows["settles"]
    assert (
        "not at the end" in rows["noisy"]
    )  # a noisy run touches 1e-4 but its final f is far above
    final = float(runs["noisy"].final_value)
    assert final > 1e-3 and cli._fmt(final) in rows["noisy"]


# ---- the parsing helpers, in-process ---------------------------------------------------------------------


def test_parse_optimizer():
    from adamlab import Adam, AMSGrad, Momentum

    assert cli.parse_optimizer("ADAM:lr=0.1, beta1=0.5") == Adam(lr=0.1, beta1=0.5)
    assert cli.parse_optimizer("momentum:nesterov=yes") == Momentum(nesterov=True)
    assert cli.parse_optimizer("adam:bias_correction=v") == Adam(bias_correction="v")
    with pytest.raises(cli.UsageError, match="unknown optimizer"):
        cli.parse_optimizer("radam")
    assert cli.parse_optimizer("amsgrad:lr=0.1") == AMSGrad(lr=0.1)


def test_parse_range_and_negative_values():
    np.testing.assert_allclose(cli.parse_range("1e-3:1:4", "--lr", log=True), [1e-3, 1e-2, 1e-1, 1])
    np.testing.assert_allclose(cli.parse_range("0:0.9:4", "--beta1"), [0, 0.3, 0.6, 0.9])
    assert cli._join_negative_values(["race", "f", "--start", "-1.5,2", "-o", "adam"]) == [
        "race", "f", "--start=-1.5,2", "-o", "adam"
    ]  # fmt: skip


def test_main_in_process_returns_2(capsys):
    assert cli.main(["race", "nope", "-o", "adam"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown function 'nope'" in err


# ---- the subprocesses: user errors, the demo and the console script ----------------------------------


@pytest.mark.parametrize("case", list(ERRORS))
def test_user_error_exits_2_with_one_line(case, procs):
    code, stdout, stderr = procs[1][case]
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert code == 2, stderr
    assert len(lines) == 1, stderr
    assert lines[0].startswith("adamlab: error: ")
    for fragment in ERRORS[case][1]:
        assert fragment in lines[0]
    assert stdout == ""


def test_demo_writes_png_gif_and_a_table(procs):
    out, runs = procs
    code, stdout, stderr = runs["demo"]
    assert code == 0, stderr
    png, gif = out / "demo" / "adamlab-demo.png", out / "demo" / "adamlab-demo.gif"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image

    with Image.open(gif) as im:
        assert im.format == "GIF" and im.n_frames == 6
    for name in ("SGD", "Momentum", "AdaGrad", "RMSProp", "Adam", "AdaMax"):
        assert f"\n{name} " in stdout
    assert "final f" in stdout and "best f" in stdout and "f-f* <= 0.0001" in stdout
    assert f"wrote {png}" in stdout and f"wrote {gif}" in stdout
    assert "running 6 optimizers" in stderr and "Traceback" not in stderr  # progress goes to stderr


def test_console_script(procs):
    if "script" not in procs[1]:
        pytest.skip("the adamlab console script is not installed (pip install -e .)")
    code, stdout, stderr = procs[1]["script"]
    assert code == 0 and stdout.startswith("usage: adamlab") and stderr == ""
