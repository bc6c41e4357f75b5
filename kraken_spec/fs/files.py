"""Bounded reads of regular files, and atomic writes that replace only what the tool owns."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Mapping

from kraken_spec.exceptions import OutputError, UnreadableFileError

# Every file the tool reads is text a person could review; anything larger is a mistake or an
# attack (a symlink to a log, a generated blob), and reading it whole would exhaust memory.
MAX_FILE_BYTES = 10 * 1024 * 1024

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISLNK, "a symbolic link"),
)


def file_kind(mode: int) -> str:
    """A plain name for the kind of file ``mode`` describes: ``a FIFO``, ``a directory``."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "a regular file" if stat.S_ISREG(mode) else "a special file"


def is_within(path: str, folder: str) -> bool:
    """True when ``path`` is ``folder`` or below it, once both are fully resolved."""
    real, base = os.path.realpath(path), os.path.realpath(folder)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def read_regular(path: str, *, root: str | None = None, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at ``path``, read with bounds.

    Raises :class:`UnreadableFileError` with a plain reason when ``path`` is missing, is not
    a regular file (a FIFO would block forever, a device never ends), is larger than
    ``limit`` bytes, or, with ``root``, resolves to a place outside ``root`` through a
    symbolic link (so that a spec cannot make the tool read, and echo, arbitrary files).
    """
    if root is not None and not is_within(path, root):
        raise UnreadableFileError(path, "a symbolic link leads outside the catalogue root; "
                                  "only files inside it are read")
    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer. The
        # kind is checked on the open descriptor, so a swap after a check cannot fool it.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise UnreadableFileError(path, "file not found", missing=True) from None
    except OSError as exc:
        raise UnreadableFileError(path, f"cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFileError(path, f"not a regular file ({file_kind(info.st_mode)}); "
                                      "only regular files are read")
        if info.st_size > limit:
            raise UnreadableFileError(path, _too_large(info.st_size, limit))
        chunks: list[bytes] = []
        size = 0
        # Read up to one byte past the limit: a file that grew after fstat is still caught.
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise UnreadableFileError(path, _too_large(size, limit))
        return b"".join(chunks)
    except OSError as exc:
        raise UnreadableFileError(path, f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def _too_large(size: int, limit: int) -> str:
    return (f"the file is larger than the limit of {limit // (1024 * 1024)} MB "
            f"({size if size <= limit else 'over ' + str(limit)} bytes); it is not read")


def regular_files(folder: str, suffix: str = "") -> tuple[list[str], list[UnreadableFileError]]:
    """Paths below ``folder`` ending in ``suffix``, sorted, and the folders that could not be
    listed. Symbolic links to folders are not followed, so a walk cannot loop or leave."""
    found: list[str] = []
    problems: list[UnreadableFileError] = []

    def failed(exc: OSError) -> None:
        where = exc.filename if isinstance(exc.filename, str) else folder
        if exc.errno != errno.ENOENT or where != folder:
            problems.append(UnreadableFileError(where, f"cannot list the folder: "
                                                f"{exc.strerror or exc}"))

    for dirpath, dirnames, filenames in os.walk(folder, onerror=failed):
        dirnames.sort()
        found.extend(os.path.join(dirpath, n) for n in filenames if n.endswith(suffix))
    return sorted(found), problems


# --- writing ---------------------------------------------------------------------------------


def _kind_before_write(path: str) -> int | None:
    """The mode of whatever is at ``path`` (links not followed), None when nothing is."""
    try:
        return os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from None


def _refuse_non_regular(target: str) -> None:
    """Raise unless ``target`` is absent or a regular file (never follow or replace a link)."""
    mode = _kind_before_write(target)
    if mode is not None and not stat.S_ISREG(mode):
        raise OutputError(f"{target}: is {file_kind(mode)}; refusing to replace it "
                          "with a regular file")


def _check_folders(root: str, rel: str) -> None:
    """Every folder between ``root`` and ``rel`` is a real folder or absent, never a link:
    a link there would send the write somewhere the caller never named."""
    current = root
    for part in os.path.normpath(rel).split(os.sep)[:-1]:
        current = os.path.join(current, part)
        mode = _kind_before_write(current)
        if mode is None:
            return
        if not stat.S_ISDIR(mode):
            raise OutputError(f"{current}: is {file_kind(mode)}, not a folder; "
                              "refusing to write through it")


def _safe_rel(rel: str) -> str:
    norm = os.path.normpath(rel)
    if os.path.isabs(norm) or norm == os.curdir or norm.split(os.sep)[0] == os.pardir:
        raise OutputError(f"{rel}: an output path must stay inside its folder")
    return norm


def _same_content(target: str, data: bytes) -> bool:
    if not os.path.lexists(target):
        return False
    try:
        return read_regular(target, limit=max(len(data), 1)) == data
    except UnreadableFileError:
        return False  # too large, or unreadable: rewrite it (kinds were checked before)


def write_files(root: str, files: Mapping[str, str], remove: Iterable[str] = ()) -> list[str]:
    """Write ``files`` (relative path -> text) under ``root``; remove ``remove``; return what
    changed.

    Nothing is replaced that is not a regular file, and no write goes through a link. Every
    file is first written in full to a staging folder on the same file system, so a failure
    (disk full, permissions) leaves the old files untouched; only then is each renamed over
    its target, which is atomic per file. ``remove`` names files the caller owns and no longer
    produces; they go last. Unchanged files are not rewritten, so their timestamps stay put.
    """
    pending: dict[str, bytes] = {}
    for rel, text in sorted(files.items()):
        norm = _safe_rel(rel)
        target = os.path.join(root, norm)
        _check_folders(root, norm)
        _refuse_non_regular(target)
        data = text.encode("utf-8", "surrogatepass")
        if not _same_content(target, data):
            pending[norm] = data
    doomed = []
    for rel in sorted(set(map(_safe_rel, remove)) - set(map(os.path.normpath, files))):
        target = os.path.join(root, rel)
        _check_folders(root, rel)
        _refuse_non_regular(target)
        if os.path.lexists(target):
            doomed.append(rel)
    if not pending and not doomed:
        return []
    try:
        os.makedirs(root, exist_ok=True)
        staging = tempfile.mkdtemp(prefix=".kraken-spec-", dir=root)
    except OSError as exc:
        raise OutputError(f"{root}: cannot write: {exc.strerror}") from None
    changed: list[str] = []
    try:
        staged: list[tuple[str, str]] = []
        for index, (rel, data) in enumerate(pending.items()):
            tmp = os.path.join(staging, str(index))
            write_new_file(tmp, data)
            staged.append((tmp, rel))
        for tmp, rel in staged:
            target = os.path.join(root, rel)
            os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
            os.replace(tmp, target)
            changed.append(rel.replace(os.sep, "/"))
        for rel in doomed:
            os.remove(os.path.join(root, rel))
            changed.append(rel.replace(os.sep, "/"))
            _remove_empty_parents(root, rel)
    except OSError as exc:
        raise OutputError(f"{exc.filename or root}: cannot write: {exc.strerror}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sorted(changed)


def write_new_file(path: str, data: bytes) -> None:
    """Create ``path`` (which must not exist) holding ``data``."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _remove_empty_parents(root: str, rel: str) -> None:
    """Remove folders left empty by a removal, up to (not including) ``root``."""
    parent = os.path.dirname(rel)
    while parent:
        try:
            os.rmdir(os.path.join(root, parent))
        except OSError:
            return  # not empty, or not ours to judge
        parent = os.path.dirname(parent)


def write_owned_file(path: str, text: str, is_ours: Callable[[bytes], bool],
                     what: str) -> bool:
    """Write one file atomically, replacing an existing one only if ``is_ours`` accepts its
    bytes (so a mistyped path never destroys somebody's file). Return whether it changed."""
    check_replaceable(path, is_ours, what)
    folder, name = os.path.split(os.path.abspath(path))
    return bool(write_files(folder, {name: text}))


def check_replaceable(path: str, is_ours: Callable[[bytes], bool], what: str) -> None:
    """Raise unless ``path`` may be written: its folder exists, and it is absent, empty, or
    a regular file whose bytes ``is_ours`` accepts."""
    target = os.path.abspath(path)
    _refuse_non_regular(target)
    if os.path.lexists(target):
        try:
            current = read_regular(target)
        except UnreadableFileError as exc:
            raise OutputError(f"{target}: {exc.reason}; refusing to replace it") from None
        if current and not is_ours(current):
            raise OutputError(f"{target}: exists and is not {what}; refusing to replace it "
                              "(remove it or choose another path)")
    if not os.path.isdir(os.path.dirname(target)):
        raise OutputError(f"{os.path.dirname(target)}: no such folder")
