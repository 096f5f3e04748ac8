"""Benchmark of the ``adamlab demo`` command (target <= 10 s), run as a user runs it.

    python benchmarks/bench_cli.py

The reference measured in the same run is the command's fixed start-up cost (``adamlab functions``: Python,
NumPy and the zoo, no figures). Exits with status 1 if the target is missed.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time

TARGET = 10.0


def timed(args, cwd=None):
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "adamlab", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"FAIL  adamlab {' '.join(args)} exited {proc.returncode}: {proc.stderr}")
    return seconds, proc


def main():
    startup = min(timed(["functions"])[0] for _ in range(3))
    with tempfile.TemporaryDirectory() as out:
        seconds, proc = timed(["demo", "--out", out])
    ok = seconds <= TARGET
    print(
        ("PASS  " if ok else "FAIL  ")
        + f"adamlab demo: {seconds:.2f} s (target <= {TARGET:g} s, {seconds / TARGET:.0%} of it); "
        f"start-up alone (adamlab functions) {startup:.2f} s -> demo = {seconds / startup:.1f}x start-up"
    )
    stages = [line for line in proc.stderr.splitlines() if line.endswith(" s)")]
    if stages:
        print("      stages: " + "; ".join(stages))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
