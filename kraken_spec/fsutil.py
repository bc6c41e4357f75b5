"""Atomic file output: stage everything, then rename into place."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping

from kraken_spec.exceptions import OutputError


def write_files(root: str, files: Mapping[str, str], prune: Iterable[str] = ()) -> list[str]:
    """Write ``files`` (relative path -> text) under ``root`` and return what changed.

    Every file is first written in full to a staging folder on the same file system, so a
    failure (disk full, permissions) leaves the old files untouched; only then is each
    renamed over its target, which is atomic per file. Files below the ``prune`` folders
    that are not in ``files`` are removed afterwards: those folders are owned by the writer.
    Unchanged files are not rewritten, so their timestamps stay put.
    """
    changed: list[str] = []
    pending: dict[str, bytes] = {}
    for rel, text in sorted(files.items()):
        data = text.encode("utf-8")
        target = os.path.join(root, rel)
        try:
            with open(target, "rb") as handle:
                if handle.read() == data:
                    continue
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise OutputError(f"{target}: cannot read: {exc.strerror}") from None
        pending[rel] = data
    try:
        os.makedirs(root, exist_ok=True)
        staging = tempfile.mkdtemp(prefix=".kraken-spec-", dir=root)
    except OSError as exc:
        raise OutputError(f"{root}: cannot write: {exc.strerror}") from None
    try:
        staged: list[tuple[str, str]] = []
        for index, (rel, data) in enumerate(pending.items()):
            tmp = os.path.join(staging, str(index))
            with open(tmp, "wb") as handle:
                handle.write(data)
            staged.append((tmp, rel))
        for tmp, rel in staged:
            target = os.path.join(root, rel)
            os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
            os.replace(tmp, target)
            changed.append(rel)
        keep = {os.path.normpath(rel) for rel in files}
        for folder in prune:
            base = os.path.join(root, folder)
            for dirpath, _dirs, names in os.walk(base):
                for name in names:
                    rel = os.path.normpath(os.path.relpath(os.path.join(dirpath, name), root))
                    if rel not in keep:
                        os.remove(os.path.join(dirpath, name))
                        changed.append(rel)
    except OSError as exc:
        raise OutputError(f"{exc.filename or root}: cannot write: {exc.strerror}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sorted(changed)
