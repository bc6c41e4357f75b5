"""Run every generator in memory, then write the outputs atomically or check them."""

from __future__ import annotations

import os
from dataclasses import dataclass

from kraken_spec.exceptions import OutputError
from kraken_spec.export import export_json
from kraken_spec.fsutil import write_files
from kraken_spec.generators.error_codes import generate_error_files, render_python_module
from kraken_spec.generators.markdown import generate_docs
from kraken_spec.generators.sdl import generate_sdl
from kraken_spec.model import Catalogue

# The generated Python module lives in the package so that clients can import it.
PYTHON_MODULE = os.path.join("kraken_spec", "errors.py")


@dataclass(frozen=True)
class BuildOutcome:
    """What a build or a check found; ``messages`` are for the user, one per line."""

    failed: bool
    messages: tuple[str, ...]


def render_outputs(catalogue: Catalogue, templates_dir: str) -> dict[str, str]:
    """Every file of the output folder, as path relative to it -> text."""
    files: dict[str, str] = {"catalogue.json": export_json(catalogue)}
    try:
        files.update(generate_sdl(catalogue))
        files.update(generate_docs(catalogue, templates_dir))
        files.update(generate_error_files(catalogue))
    except ValueError as exc:
        # A generator refuses a catalogue it cannot write faithfully (for instance one
        # mutation name on two endpoints, where outputs are keyed by name).
        raise OutputError(f"cannot generate the outputs: {exc}") from None
    return files


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, UnicodeDecodeError):
        return ""  # unreadable counts as stale


def _existing(folder: str) -> set[str]:
    found: set[str] = set()
    for dirpath, _dirs, names in os.walk(folder):
        for name in names:
            found.add(os.path.relpath(os.path.join(dirpath, name), folder).replace(os.sep, "/"))
    return found


def run_build(catalogue: Catalogue, root: str, out: str | None = None, *,
              check: bool = False, templates_dir: str | None = None) -> BuildOutcome:
    """Generate everything; write it (only changed files) or, with ``check``, compare it."""
    out_dir = out if out is not None else os.path.join(root, "build")
    templates = templates_dir if templates_dir is not None else os.path.join(root, "templates")
    files = render_outputs(catalogue, templates)
    try:
        module_text = render_python_module(catalogue)
    except ValueError as exc:
        raise OutputError(f"cannot generate {PYTHON_MODULE}: {exc}") from None
    module_path = os.path.join(root, PYTHON_MODULE)
    if check:
        problems: list[str] = []
        for rel, text in sorted(files.items()):
            current = _read(os.path.join(out_dir, rel))
            if current is None:
                problems.append(f"missing: {os.path.join(out_dir, rel)}")
            elif current != text:
                problems.append(f"stale: {os.path.join(out_dir, rel)}")
        for rel in sorted(_existing(out_dir) - set(files)):
            problems.append(f"extra: {os.path.join(out_dir, rel)}")
        current = _read(module_path)
        if current is None:
            problems.append(f"missing: {module_path}")
        elif current != module_text:
            problems.append(f"stale: {module_path}")
        if problems:
            problems.append(f"{len(problems)} output file(s) out of date; run 'kraken-spec build'")
            return BuildOutcome(True, tuple(problems))
        return BuildOutcome(False, (f"up to date: {len(files) + 1} files",))
    changed = write_files(out_dir, files, prune=["."])
    changed += [PYTHON_MODULE] if write_files(root, {PYTHON_MODULE: module_text}) else []
    return BuildOutcome(False, (f"built {len(files) + 1} files into {out_dir} and "
                                f"{module_path}; {len(changed)} changed",))
