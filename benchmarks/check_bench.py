"""Benchmark: checking client operations against plain graphql-core parse + validate.

Generates N distinct mutation documents from the bundled catalogue (each selects the
mutation's payload fields in a different order and alias), then times in one run:
the plain single-process graphql-core loop (parse + validate with the specified rules) and
``kraken-spec check``'s own work (parse + graded validation), single-process and with the
documents shared over the machine's cores. Ratios are what to compare: the machine is noisy.

    python benchmarks/check_bench.py [--documents 1000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from graphql import parse, validate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kraken_spec.contract.check import Target, check_paths  # noqa: E402
from kraken_spec.gql.operations import check_document  # noqa: E402
from kraken_spec.gql.schema import build_endpoint_schema  # noqa: E402
from kraken_spec.resources import bundled_catalogue  # noqa: E402


def documents(count: int) -> list[str]:
    """``count`` distinct, valid mutation documents over the API endpoint's mutations."""
    catalogue = bundled_catalogue()
    mutations = [m for m in catalogue.mutations_of("api") if m.return_fields]
    rng = random.Random(7)
    out = []
    for i in range(count):
        m = mutations[i % len(mutations)]
        variables = ", ".join(f"${a.name}: {a.type}" for a in m.arguments)
        arguments = ", ".join(f"{a.name}: ${a.name}" for a in m.arguments)
        fields = [f for f in m.return_fields or () if f.basis == "example"]
        rng.shuffle(fields)
        selection = " ".join(f.name for f in fields) or "__typename"
        head = f"mutation Op{i}({variables})" if variables else f"mutation Op{i}"
        call = f"{m.name}({arguments})" if arguments else m.name
        out.append(f"{head} {{\n  r{i}: {call} {{\n    {selection}\n  }}\n}}\n")
    return out


def best(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    texts = documents(args.documents)
    catalogue = bundled_catalogue()
    schemas = {e.name: build_endpoint_schema(catalogue, e.name) for e in catalogue.endpoints}
    api = schemas["api"]

    def plain() -> None:
        for text in texts:
            validate(api, parse(text))

    def graded() -> None:
        for text in texts:
            check_document(api, parse(text))

    with tempfile.TemporaryDirectory() as tmp:
        for i, text in enumerate(texts):
            Path(tmp, f"op{i:04d}.graphql").write_text(text, encoding="utf-8")
        target = Target(schemas, "api")
        findings, checked = check_paths([tmp], target)
        assert checked == len(texts) and not [f for f in findings if f.severity == "error"], \
            [str(f) for f in findings[:5]]

        def whole() -> None:
            check_paths([tmp], target)

        base = best(plain, args.runs)
        one = best(graded, args.runs)
        full = best(whole, args.runs)
    print(f"{len(texts)} documents, median of {args.runs} runs, {os.cpu_count()} cores")
    print(f"  graphql-core parse + validate, one process: {base:.3f} s")
    print(f"  graded parse + validate, one process:       {one:.3f} s  ({one / base:.2f}x)")
    print(f"  kraken-spec check (files read, all cores):  {full:.3f} s  ({full / base:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
