"""Synthetic catalogues: the bundled spec with every mutation copied FACTOR times."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The copies differ from their original in names only: the mutation (in its entry and in
# its example's selection) and its payload type, which the spec holds to one mutation
# where the entry lists its fields.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _renamed(entry: dict[str, object], suffix: str) -> dict[str, object]:
    name = str(entry["name"])
    copy = dict(entry)
    copy["name"] = name + suffix
    if entry["returnFields"] is not None:
        # A payload without listed fields is a type of spec/types/, which copies share.
        payload = dict(entry["payload"])  # type: ignore[call-overload]
        payload["type"] = payload["type"] + suffix
        copy["payload"] = payload
    example = dict(entry["example"])  # type: ignore[call-overload]
    example["operation"] = re.sub(rf"\b{name}\b", name + suffix, example["operation"])
    copy["example"] = example
    return copy


def make_catalogue(dest: str, factor: int) -> int:
    """Write a catalogue root at ``dest`` (which must not exist); return its mutation count."""
    shutil.copytree(os.path.join(ROOT, "spec"), os.path.join(dest, "spec"))
    folder = os.path.join(dest, "spec", "mutations")
    count = 0
    for file in sorted(os.listdir(folder)):
        with open(os.path.join(folder, file), encoding="utf-8") as handle:
            entry = yaml.load(handle, Loader=_LOADER)
        count += factor
        for k in range(1, factor):
            suffix = f"Copy{k}"
            with open(os.path.join(folder, f"{entry['name']}{suffix}.yaml"), "w",
                      encoding="utf-8") as out:
                yaml.dump(_renamed(entry, suffix), out, Dumper=_DUMPER, sort_keys=False,
                          allow_unicode=True)
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dest", help="a folder that does not exist yet")
    parser.add_argument("--factor", type=int, default=100)
    args = parser.parse_args()
    print(f"{make_catalogue(args.dest, args.factor)} mutations in {args.dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
