"""Wall-time benchmark of validate and build on the bundled catalogue, run as subprocesses."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Targets from the issues: validate under 1 s, a full build under 2 s (whole process).
TARGETS = {"validate": 1.0, "build": 2.0}


def _time(argv: list[str], runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        timings.append(time.perf_counter() - start)
    return timings


def main() -> int:
    """Time each command several times and compare the median with its target."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        # Build into a scratch copy so the benchmark never touches the committed outputs.
        for part in ("spec", "templates", "kraken_spec"):
            shutil.copytree(os.path.join(ROOT, part), os.path.join(tmp, part))
        commands = {
            "startup": [python, "-c", "import kraken_spec.cli"],
            "validate": [python, "-m", "kraken_spec", "validate", "--root", tmp],
            "build": [python, "-m", "kraken_spec", "build", "--root", tmp],
        }
        failed = False
        for name, argv in commands.items():
            timings = _time(argv, args.runs)
            median = statistics.median(timings)
            target = TARGETS.get(name)
            verdict = "" if target is None else (
                f"  target {target:.1f} s: {'ok' if median < target else 'MISSED'}")
            failed |= target is not None and median >= target
            print(f"{name:9} median {median:.3f} s  min {min(timings):.3f} s  "
                  f"max {max(timings):.3f} s  ({args.runs} runs){verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
