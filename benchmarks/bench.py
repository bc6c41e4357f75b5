"""Speed of the commands against their floors, at the catalogue's size and at 10 and 100 times it.

Everything is measured in one run, as whole processes, and the commands are interleaved run by
run so that a noisy machine slows each of them alike: the ratios are what to compare.

- start: ``kraken-spec --version`` and ``--help`` against ``python -c pass``;
- the bundled catalogue: ``validate``, ``build`` and ``build --check`` against the floor,
  which reads the same spec files with PyYAML's C loader (and the JSON ones with ``json``)
  and builds every published SDL file with graphql-core's ``build_schema``; and, shown
  beside it, a stricter floor that builds only the page-only SDL files;
- ``check`` of 1,000 distinct operation documents against a plain graphql-core
  ``parse`` + ``validate`` loop over the same documents and schema (and graphql-inspector's
  ``validate`` on the same files, where node and the package are at hand);
- synthetic catalogues (the bundled one with every mutation copied, ``synthetic.py``):
  ``validate`` and ``build`` with the peak memory of their largest process.

    python benchmarks/bench.py [--runs 5] [--factors 1,10,100] [--large-runs 1]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from check_bench import documents  # noqa: E402
from synthetic import make_catalogue  # noqa: E402

PYTHON = sys.executable

# The floor: what any tool must do to read this catalogue and build its schemas.
FLOOR = r"""
import glob, json, os, sys
import yaml
from graphql import build_schema
root = sys.argv[1]
for path in sorted(glob.glob(os.path.join(root, "spec", "**", "*.yaml"), recursive=True)):
    with open(path, encoding="utf-8") as handle:
        yaml.load(handle, Loader=yaml.CSafeLoader)
for path in sorted(glob.glob(os.path.join(root, "spec", "**", "*.json"), recursive=True)):
    with open(path, encoding="utf-8") as handle:
        json.load(handle)
pattern = ("*.graphql" if sys.argv[2:] == ["page-only"] else "**/*.graphql")
folder = os.path.join(root, "build", "schema", "page-only" if sys.argv[2:] else "")
for path in sorted(glob.glob(os.path.join(folder, pattern), recursive=True)):
    with open(path, encoding="utf-8") as handle:
        build_schema(handle.read())
"""

# The peak resident memory of the largest process a command ran, in MB: the command runs
# as the only child of this wrapper, and its forked workers as its own children.
PEAK = r"""
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
if done.returncode:
    sys.exit(done.stderr.decode())
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
"""

# The targets (issue 13): a ratio to the floor or peer, or an absolute bound.
RATIO_TARGETS = {"validate": 1.3, "build": 2.0, "check": 0.8}
START_MARGIN_MS = 50.0
LARGE = {"validate": 20.0, "build": 30.0}
MEMORY_MB = 500


def kraken(*args: str) -> list[str]:
    return [PYTHON, "-m", "kraken_spec", *args]


def timed(argv: Sequence[str], cwd: str | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0,):
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: "
                         f"{done.stderr.decode()[-2000:]}")
    return elapsed


def interleaved(commands: dict[str, Callable[[], float]], runs: int) -> dict[str, list[float]]:
    """Each command ``runs`` times, round-robin, so slow spells hit every command."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, run in commands.items():
            times[name].append(run())
    return times


def fresh_root(tmp: str, name: str, factor: int) -> str:
    """A catalogue root holding a copy of the spec (copied ``factor`` times), built once."""
    root = os.path.join(tmp, name)
    make_catalogue(root, factor)
    subprocess.run(kraken("build", "--root", root, "--python-module",
                          os.path.join(root, "errors.py")), check=True, capture_output=True)
    return root


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str]] = []
        self.missed: list[str] = []

    def add(self, what: str, measured: str, against: str, ratio: str, target: str,
            ok: bool | None) -> None:
        verdict = "" if ok is None else ("ok" if ok else "MISSED")
        if ok is False:
            self.missed.append(what)
        self.rows.append((what, measured, against, ratio, f"{target} {verdict}".strip()))

    def print(self) -> None:
        header = ("measured", "median", "floor or peer", "ratio", "target")
        widths = [max(len(r[i]) for r in [header, *self.rows]) for i in range(5)]
        line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
        print(line)
        print("| " + " | ".join("-" * w for w in widths) + " |")
        for row in self.rows:
            print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


def seconds(value: float) -> str:
    return f"{value:.3f} s"


def start_rows(table: Table, runs: int) -> None:
    with tempfile.TemporaryDirectory() as empty:
        times = interleaved({
            "python": lambda: timed([PYTHON, "-c", "pass"], cwd=empty),
            "--version": lambda: timed(kraken("--version"), cwd=empty),
            "--help": lambda: timed(kraken("--help"), cwd=empty),
        }, runs * 4)
    bare = statistics.median(times["python"])
    for name in ("--version", "--help"):
        median = statistics.median(times[name])
        extra = (median - bare) * 1000
        table.add(f"kraken-spec {name}", seconds(median), f"python -c pass {seconds(bare)}",
                  f"+{extra:.0f} ms", f"<= +{START_MARGIN_MS:.0f} ms", extra <= START_MARGIN_MS)


def bundled_rows(table: Table, root: str, runs: int) -> None:
    times = interleaved({
        "floor": lambda: timed([PYTHON, "-c", FLOOR, root]),
        "page-only floor": lambda: timed([PYTHON, "-c", FLOOR, root, "page-only"]),
        "validate": lambda: timed(kraken("validate", "--root", root)),
        "build": lambda: timed(kraken("build", "--root", root, "--python-module",
                                      os.path.join(root, "errors.py"))),
        "build --check": lambda: timed(kraken("build", "--check", "--root", root,
                                              "--python-module",
                                              os.path.join(root, "errors.py"))),
    }, runs)
    floor = statistics.median(times["floor"])
    # The stricter floor builds only the page-only SDL, as if no schema source's types had to
    # be built: shown beside the targets, which are judged against the work the commands do.
    strict = statistics.median(times["page-only floor"])
    for name in ("validate", "build"):
        median = statistics.median(times[name])
        table.add(f"{name} (page-only floor)", seconds(median),
                  f"page-only floor {seconds(strict)}", f"{median / strict:.2f}x", "", None)
    for name in ("validate", "build", "build --check"):
        median = statistics.median(times[name])
        target = RATIO_TARGETS.get(name.split()[0]) if name != "build --check" else None
        table.add(name, seconds(median), f"floor {seconds(floor)}", f"{median / floor:.2f}x",
                  f"<= {target}x" if target else "", None if target is None
                  else median / floor <= target)


def inspector() -> list[str] | None:
    """graphql-inspector's command, if node can run it without a network."""
    if shutil.which("npx") is None:
        return None
    argv = ["npx", "--offline", "--yes", "@graphql-inspector/cli"]
    try:
        done = subprocess.run([*argv, "--version"], capture_output=True, timeout=120,
                              check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return argv if done.returncode == 0 else None


def check_rows(table: Table, runs: int, count: int) -> None:
    from graphql import build_schema, parse, validate

    from kraken_spec.contract.check import Target, check_paths
    from kraken_spec.gql.schema import build_endpoint_schema
    from kraken_spec.resources import bundled_catalogue

    texts = documents(count)
    catalogue = bundled_catalogue()
    schemas = {e.name: build_endpoint_schema(catalogue, e.name) for e in catalogue.endpoints}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp, "ops")
        folder.mkdir()
        for i, text in enumerate(texts):
            (folder / f"op{i:04d}.graphql").write_text(text, encoding="utf-8")
        sdl = ROOT / "build" / "schema" / "api.graphql"
        published = build_schema(sdl.read_text(encoding="utf-8"))
        target = Target(schemas, "api")

        def plain() -> float:
            start = time.perf_counter()
            for text in texts:
                validate(published, parse(text))
            return time.perf_counter() - start

        def ours() -> float:
            start = time.perf_counter()
            findings, checked = check_paths([str(folder)], target)
            assert checked == count and not [f for f in findings if f.is_error]
            return time.perf_counter() - start

        commands: dict[str, Callable[[], float]] = {"plain": plain, "check": ours}
        peer = inspector()
        if peer is not None:
            commands["inspector"] = lambda: timed([*peer, "validate", str(folder / "*.graphql"),
                                                   str(sdl)])
        times = interleaved(commands, runs)
    base = statistics.median(times["plain"])
    median = statistics.median(times["check"])
    table.add(f"check, {count} documents (in process)", seconds(median),
              f"graphql-core loop {seconds(base)}", f"{median / base:.2f}x",
              f"<= {RATIO_TARGETS['check']}x", median / base <= RATIO_TARGETS["check"])
    if "inspector" in times:
        theirs = statistics.median(times["inspector"])
        table.add("graphql-inspector validate, same files", seconds(theirs),
                  f"graphql-core loop {seconds(base)}", f"{theirs / base:.2f}x", "", None)
    else:
        table.add("graphql-inspector validate", "not run", "node or the package is missing",
                  "", "", None)


def peak(argv: Sequence[str]) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run([PYTHON, "-c", PEAK, *argv], capture_output=True, text=True,
                          check=False)
    elapsed = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr[-2000:]}")
    return elapsed, int(done.stdout.strip())


def scale_rows(table: Table, tmp: str, factors: Sequence[int], runs: int,
               large_runs: int) -> None:
    per_mutation: dict[str, float] = {}
    for factor in factors:
        root = os.path.join(tmp, f"x{factor}")
        count = make_catalogue(root, factor)
        repeat = runs if factor < 100 else large_runs
        for command in ("validate", "build"):
            argv = kraken(command, "--root", root, *(
                ("--python-module", os.path.join(root, "errors.py"))
                if command == "build" else ()))
            measured = [peak(argv) for _ in range(repeat)]
            median = statistics.median(t for t, _ in measured)
            memory = max(m for _, m in measured)
            first = per_mutation.setdefault(command, median / count)
            growth = (median / count) / first
            limit = LARGE[command] if count >= 23_000 else None
            ok = None if limit is None else (median < limit and memory < MEMORY_MB)
            table.add(f"{command}, {count} mutations", seconds(median), f"peak {memory} MB",
                      f"{growth:.2f}x per mutation",
                      f"< {limit:.0f} s, < {MEMORY_MB} MB" if limit else "", ok)


def main() -> int:
    """Measure, print one table, and exit 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--factors", default="1,10,100",
                        help="synthetic catalogue sizes, as multiples of the bundled one")
    parser.add_argument("--large-runs", type=int, default=1,
                        help="runs at 100 times the catalogue (each takes a while)")
    parser.add_argument("--documents", type=int, default=1000)
    args = parser.parse_args()
    factors = [int(f) for f in args.factors.split(",") if f]
    table = Table()
    with tempfile.TemporaryDirectory() as tmp:
        start_rows(table, args.runs)
        bundled_rows(table, fresh_root(tmp, "bundled", 1), args.runs)
        check_rows(table, args.runs, args.documents)
        scale_rows(table, tmp, factors, args.runs, args.large_runs)
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, medians of "
          f"{args.runs} interleaved runs ({args.large_runs} at 100x)")
    table.print()
    if table.missed:
        print("missed: " + ", ".join(table.missed))
    return 1 if table.missed else 0


if __name__ == "__main__":
    sys.exit(main())
