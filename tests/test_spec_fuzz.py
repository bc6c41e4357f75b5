"""Random damage to a spec (bytes, YAML nodes, file kinds): validate and build stay safe.

Whatever the damage, each command answers within seconds with exit 0 or 1 and no traceback,
and nothing outside the output folder changes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from conftest import MINI, REPO, CliRunner
from hypothesis import HealthCheck, given, settings
from strategies import spec_damage

SPEC_FILES = sorted(p.relative_to(MINI).as_posix() for p in (MINI / "spec").rglob("*.yaml"))
# A command that runs longer than this on the nine-mutation fixture is hanging.
TIME_LIMIT = 10


class Hung(Exception):
    """A command ran past TIME_LIMIT."""


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def expire(_signum: int, _frame: object) -> None:
        raise Hung(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def snapshot(root: Path, skip: str) -> dict[str, tuple[str, bytes]]:
    """Every entry below ``root`` but ``skip``: its kind and, for regular files, bytes."""
    found: dict[str, tuple[str, bytes]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = Path(dirpath).relative_to(root).as_posix()
        if rel_dir == skip or rel_dir.startswith(skip + "/"):
            dirnames.clear()
            continue
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if rel == skip:
                continue
            if path.is_symlink():
                found[rel] = ("link", os.readlink(path).encode())
            elif path.is_fifo():
                found[rel] = ("fifo", b"")
            elif path.is_file():
                found[rel] = ("file", path.read_bytes())
            else:
                found[rel] = ("dir", b"")
    return found


# --- damage (drawn by strategies.spec_damage) ------------------------------------------------


def _replace_node(data: Any, path: list[int], value: Any) -> Any:
    """Walk ``path`` (indices picked modulo each container's size), replace what is there."""
    if not path or not isinstance(data, dict | list) or not data:
        return value
    if isinstance(data, dict):
        key = sorted(data)[path[0] % len(data)]
        data[key] = _replace_node(data[key], path[1:], value)
    else:
        index = path[0] % len(data)
        data[index] = _replace_node(data[index], path[1:], value)
    return data


def apply(root: Path, outside: Path, rel: str, how: tuple[str, Any]) -> None:
    """Do to ``root/rel`` what strategies.spec_damage drew."""
    target = root / rel
    kind, detail = how
    if kind == "bytes":
        start, length, data = detail
        old = target.read_bytes()
        start %= len(old) + 1
        target.write_bytes(old[:start] + data + old[start + length:])
    elif kind == "node":
        path, value = detail
        data = yaml.safe_load(target.read_text(encoding="utf-8"))
        target.write_text(yaml.safe_dump(_replace_node(data, path, value), allow_unicode=True),
                          encoding="utf-8")
    else:
        target.unlink()
        if detail == "fifo":
            os.mkfifo(target)
        elif detail == "dev-zero":
            target.symlink_to("/dev/zero")
        elif detail == "outside":
            target.symlink_to(outside)
        elif detail == "directory":
            target.mkdir()
        elif detail == "empty":
            target.write_bytes(b"")
        elif detail == "huge":
            target.write_bytes(b"x: " + b"y" * (11 * 1024 * 1024))


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                  HealthCheck.too_slow])
@given(spec_damage(SPEC_FILES))
def test_damaged_specs_never_crash_hang_or_write_outside(cli: CliRunner,
                                                         case: tuple[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "root"
        shutil.copytree(MINI / "spec", root / "spec")
        shutil.copytree(REPO / "templates", root / "templates")
        outside = Path(tmp) / "secret.txt"
        outside.write_text("password: hunter2\n", encoding="utf-8")
        rel, how = case
        apply(root, outside, rel, how)
        before = snapshot(root, "out")
        for argv in (["validate"], ["build", "--out", str(root / "out")],
                     ["build", "--check", "--out", str(root / "out")]):
            with time_limit(TIME_LIMIT):
                code, out, err = cli(*argv, "--root", str(root))
            # 1: findings; 2: a damaged file that cannot be read (a link out, a FIFO).
            assert code in (0, 1, 2), (argv, err)
            assert "Traceback" not in out + err
            assert "hunter2" not in out + err
            # A diagnostic quotes values in short excerpts only.
            assert max(map(len, err.splitlines()), default=0) < 2000
        assert snapshot(root, "out") == before
        assert outside.read_text(encoding="utf-8") == "password: hunter2\n"
