"""An output folder the tool owns: a manifest of what it wrote, a lock, and the guards."""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass

from kraken_spec.exceptions import OutputError, UnreadableFileError
from kraken_spec.fs.files import is_within, read_regular

# Both names start with a dot and a fixed prefix, so they sort first and read as the tool's.
MANIFEST = ".kraken-spec-manifest.json"
LOCK = ".kraken-spec.lock"
STAGING_PREFIX = ".kraken-spec-"
MANIFEST_FORMAT_VERSION = 1
# A build of the bundled catalogue takes about a second; a lock held far longer belongs to a
# stuck or very slow process, and waiting on forever is worse than failing with its name.
LOCK_TIMEOUT = 60.0


@dataclass(frozen=True)
class OutputFolder:
    """An output folder and the files its manifest says the tool wrote there."""

    path: str
    owned: frozenset[str]
    exists: bool


def manifest_text(files: list[str]) -> str:
    """The manifest listing ``files`` (relative, ``/``-separated), sorted, newline-ended."""
    document = {
        "formatVersion": MANIFEST_FORMAT_VERSION,
        "generator": "kraken-spec",
        "note": "Files kraken-spec wrote into this folder; it removes only files named here.",
        "files": sorted(files),
    }
    return json.dumps(document, indent=2) + "\n"


def _read_manifest(path: str) -> frozenset[str]:
    try:
        data = json.loads(read_regular(path).decode("utf-8"))
    except UnreadableFileError as exc:
        raise OutputError(f"{path}: {exc.reason}") from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        data = None
    files = data.get("files") if isinstance(data, dict) else None
    if (not isinstance(data, dict) or data.get("generator") != "kraken-spec"
            or not isinstance(files, list) or not all(isinstance(f, str) for f in files)):
        raise OutputError(f"{path}: not a kraken-spec manifest; refusing to touch the folder "
                          "(remove the file if the folder is yours to rebuild)")
    # A hand-edited manifest must not make the build remove files outside its folder.
    return frozenset(f for f in files if _inside(f))


def _inside(rel: str) -> bool:
    norm = os.path.normpath(rel)
    return not (os.path.isabs(norm) or norm.split(os.sep)[0] in (os.pardir, os.curdir))


def _ours(name: str) -> bool:
    return name in (MANIFEST, LOCK) or name.startswith(STAGING_PREFIX)


def refuse_unsafe(out: str, root: str) -> None:
    """Raise unless ``out`` may hold generated files: never the catalogue root itself, its
    ``spec/`` (or a folder holding it), a ``.git`` folder, or something that is no folder."""
    spec = os.path.join(root, "spec")
    if is_within(out, spec) or is_within(spec, out):
        raise OutputError(f"{out}: the output folder would overlap the catalogue's spec/ "
                          f"({spec}); choose a folder of its own, such as {root}/build")
    parts = os.path.realpath(out).split(os.sep)
    if ".git" in parts:
        raise OutputError(f"{out}: refusing to write inside a .git folder")
    if os.path.lexists(out) and not os.path.isdir(out):
        raise OutputError(f"{out}: exists and is not a folder")


def inspect(out: str) -> OutputFolder:
    """What the folder holds of the tool's: raise if it holds files the tool did not write
    and no manifest (it is somebody else's folder, and a build would mix into it)."""
    if not os.path.isdir(out):
        return OutputFolder(out, frozenset(), exists=False)
    manifest = os.path.join(out, MANIFEST)
    if os.path.lexists(manifest):
        return OutputFolder(out, _read_manifest(manifest), exists=True)
    try:
        foreign = sorted(name for name in os.listdir(out) if not _ours(name))
    except OSError as exc:
        raise OutputError(f"{out}: cannot list the folder: {exc.strerror}") from None
    if foreign:
        shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        raise OutputError(f"{out}: the folder is not empty ({shown}) and holds no {MANIFEST}, "
                          "so kraken-spec did not build it; refusing to write there. Build "
                          "into an empty or new folder, or empty this one first")
    return OutputFolder(out, frozenset(), exists=True)


@contextlib.contextmanager
def locked(out: str, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the folder's lock: builds into one folder run one at a time, never mixed."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no advisory locks to take
        yield
        return
    path = os.path.join(out, LOCK)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0),
                     0o644)
    except OSError as exc:
        raise OutputError(f"{path}: cannot take the lock: {exc.strerror}") from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OutputError(f"{out}: another kraken-spec build has been writing "
                                      f"here for {timeout:.0f} s; try again later") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing releases the lock
