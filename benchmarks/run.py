"""Run every benchmark in this folder, one after another, and say which targets were missed.

    python benchmarks/run.py            # what `make bench` runs

Each script prints its figures next to a reference measured in the same run, with the ratio, and says which
targets were met. A missed target is reported, not raised: `make bench` is a report, not a test, so it exits 0
unless a script crashes.
"""

from __future__ import annotations

import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
SCRIPTS = ["bench_optimizers.py", "bench_trajectory.py", "bench_cli.py"]


def main() -> int:
    crashed = []
    for name in SCRIPTS:
        print(f"\n=== {name} ===", flush=True)
        code = subprocess.run([sys.executable, str(HERE / name)]).returncode
        if code not in (0, 1):  # 1 is an older script's "target missed"; the script printed which
            crashed.append(name)
    if crashed:
        print(f"\ncrashed: {', '.join(crashed)}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
