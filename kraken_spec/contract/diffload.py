"""The diff command's inputs: each side's catalogue, the allow-list, the client's operations.

How ``OLD`` and ``NEW`` are read, in this order:

1. An existing folder: a catalogue root holding ``spec/`` (or a folder named ``spec`` that
   holds ``endpoints.yaml``, read as the root's ``spec/``), loaded and validated.
2. An existing file: a JSON export (``kraken-spec export``).
3. Otherwise a git revision of the repository at ``--repo`` (default: the current folder):
   ``REV`` is the repository's top folder at commit ``REV``, and ``REV:PATH`` the file or
   folder ``PATH`` (relative to the repository's top) at that commit; a folder is read as
   in 1, a file as in 2. ``REV`` must name a commit (``git rev-parse --verify
   REV^{commit}``) and may not start with ``-``. An existing path always wins over a
   revision of the same name.
"""

from __future__ import annotations

import io
import json
import os
import posixpath
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import fastjsonschema

from kraken_spec.contract.diffrules import KINDS, Change
from kraken_spec.diagnostics import Diagnostic, excerpt
from kraken_spec.exceptions import UnreadableFileError
from kraken_spec.fs.files import MAX_FILE_BYTES, read_regular
from kraken_spec.generators.export import EXPORT_FORMAT_VERSION, catalogue_from_export
from kraken_spec.model import Catalogue
from kraken_spec.spec.files import ENDPOINTS_FILE, ERRORS_FILE, enriched_path, mutation_path
from kraken_spec.spec.loader import load_spec
from kraken_spec.spec.structure import fast_schema_check, json_path, schema_validator
from kraken_spec.spec.yamlio import JsonPath, load_located

GIT_TIMEOUT = 60  # seconds for one git command: a local repository answers in far less
# How many of an invalid side's problems the error message shows.
SHOWN_PROBLEMS = 5


class DiffInputError(Exception):
    """An input of the diff cannot be read; ``lines`` say why, one message a line."""

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = tuple(lines)


@dataclass(frozen=True)
class Side:
    """One side's catalogue; ``root`` is where its spec files are named from (None for an
    export: its changes are placed at ``argument``), ``type_files`` each curated type's
    spec file (relative to the root)."""

    argument: str
    catalogue: Catalogue
    root: str | None = None
    type_files: Mapping[str, str] = field(default_factory=dict)

    def _path(self, rel: str) -> str:
        assert self.root is not None
        return posixpath.normpath(posixpath.join(self.root.replace(os.sep, "/"), rel))

    def file_of(self, coordinate: str) -> str:
        """The spec file that states the fact at ``coordinate`` on this side, else the
        side's argument."""
        if self.root is None:
            return self.argument
        head, _, _ = coordinate.partition("@")
        collection, colon, key = head.partition(":")
        cat = self.catalogue
        if colon and collection == "errors":
            return self._path(ERRORS_FILE)
        if colon and collection == "endpoints":
            return self._path(ENDPOINTS_FILE)
        if colon and collection == "sources":
            known = any(e.provenance.source == key for e in cat.enrichments)
            return self._path(enriched_path(key)) if known else self.argument
        owner, _, rest = head.partition(".")
        name = rest.split("(")[0].split(".")[0] if owner == "Mutation" else None
        if name is not None:
            found = any(m.name == name for m in cat.mutations)
            return self._path(mutation_path(name)) if found else self.argument
        payload = next((m.name for m in cat.mutations if m.payload_type == owner), None)
        if payload is not None:
            return self._path(mutation_path(payload))
        if owner in self.type_files:
            return self._path(self.type_files[owner])
        sourced = cat.sourced_type(owner)
        return self._path(enriched_path(sourced[1].source)) if sourced else self.argument


def _folder_side(argument: str, folder: str, shown_root: str) -> Side:
    result = load_spec(folder)
    if result.catalogue is None:
        problems = result.diagnostics
        lines = [f"{argument}: the spec is invalid ({len(problems)} problem(s); "
                 f"`kraken-spec validate` lists them all)"]
        lines += [f"  {d}" for d in problems[:SHOWN_PROBLEMS]]
        if len(problems) > SHOWN_PROBLEMS:
            lines.append(f"  … and {len(problems) - SHOWN_PROBLEMS} more")
        raise DiffInputError(lines)
    files = {name: doc.path for name, (doc, _) in result.sources.types.items()}
    return Side(argument, result.catalogue, shown_root, files)


def _spec_root(folder: str) -> str | None:
    """The catalogue root of ``folder``: itself when it holds spec/, its parent when it is
    a spec/ folder, else None."""
    if os.path.isdir(os.path.join(folder, "spec")):
        return folder
    if (os.path.basename(os.path.normpath(folder)) == "spec"
            and os.path.isfile(os.path.join(folder, "endpoints.yaml"))):
        return os.path.dirname(os.path.normpath(folder)) or "."
    return None


def _clip(text: str) -> str:
    return text if len(text) <= 200 else text[:200] + "…"


def _export_side(argument: str, data: bytes) -> Side:
    try:
        text = data.decode("utf-8")
        document = json.loads(text)
    except UnicodeDecodeError:
        raise DiffInputError([f"{argument}: not a catalogue export (not UTF-8)"]) from None
    except (ValueError, RecursionError) as exc:
        raise DiffInputError([f"{argument}: not a catalogue export (not JSON: "
                              f"{_clip(str(exc))})"]) from None
    version = document.get("formatVersion") if isinstance(document, dict) else None
    if version != EXPORT_FORMAT_VERSION:
        raise DiffInputError([f"{argument}: not a catalogue export (formatVersion "
                              f"{EXPORT_FORMAT_VERSION} expected, found {_clip(repr(version))})"])
    try:
        # An export is the tool's output, but a side may be any file: its shape is checked
        # first, so that no value of a wrong type reaches the model.
        fast_schema_check("catalogue")(document)
    except fastjsonschema.JsonSchemaException:
        error = min(schema_validator("catalogue").iter_errors(document),
                    key=lambda e: [str(p) for p in e.absolute_path])
        where = json_path(tuple(error.absolute_path))
        raise DiffInputError([f"{argument}: not a catalogue export ({where}: "
                              f"{_clip(error.message)})"]) from None
    try:
        return Side(argument, catalogue_from_export(text))
    except ValueError as exc:
        raise DiffInputError([f"{argument}: not a catalogue export ("
                              f"{_clip(str(exc))})"]) from None


def _git(repo: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", repo, *args], capture_output=True, check=False,
                              stdin=subprocess.DEVNULL, timeout=GIT_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise DiffInputError([f"git {args[0]} took longer than {GIT_TIMEOUT} s"]) from None
    except OSError as exc:
        raise DiffInputError([f"git cannot be run: {exc.strerror or exc}"]) from None


def _git_message(done: subprocess.CompletedProcess[bytes]) -> str:
    text = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return _clip(text[0]) if text else f"git exited with {done.returncode}"


def _git_side(argument: str, repo: str, workdir: str) -> Side:
    rev, _, path = argument.partition(":")
    where = f"the git repository at {repo}"
    if not rev or rev.startswith("-"):
        raise DiffInputError([f"{argument}: no such file or folder, and not a revision"])
    found = _git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if found.returncode != 0:
        raise DiffInputError([f"{argument}: no such file or folder, and not a revision of "
                              f"{where}"])
    commit = found.stdout.decode("ascii", "replace").strip()
    path = posixpath.normpath(path.strip("/")) if path.strip("/") else ""
    if path == ".." or path.startswith("../"):
        raise DiffInputError([f"{argument}: the path leaves the repository"])
    path = "" if path == "." else path

    def kind(rel: str) -> str:
        done = _git(repo, "cat-file", "-t", f"{commit}:{rel}")
        return done.stdout.decode("ascii", "replace").strip() if done.returncode == 0 else ""

    what = kind(path)
    if what == "blob":
        size = _git(repo, "cat-file", "-s", f"{commit}:{path}").stdout.strip()
        if not size.isdigit() or int(size) > MAX_FILE_BYTES:
            raise DiffInputError([f"{argument}: the file is too large to be an export"])
        return _export_side(argument, _git(repo, "cat-file", "blob", f"{commit}:{path}").stdout)
    if what != "tree":
        raise DiffInputError([f"{argument}: {rev} has no file or folder {path!r}"])
    spec = posixpath.join(path, "spec") if path else "spec"
    if kind(spec) == "tree":
        shown = path or "."
    elif posixpath.basename(path) == "spec" and kind(posixpath.join(path, "endpoints.yaml")):
        spec, shown = path, posixpath.dirname(path) or "."
    else:
        raise DiffInputError([f"{argument}: no spec/ folder there (at commit {commit[:12]})"])
    archive = _git(repo, "archive", "--format=tar", "--prefix=spec/", f"{commit}:{spec}")
    if archive.returncode != 0:
        raise DiffInputError([f"{argument}: git archive failed: {_git_message(archive)}"])
    # A folder of its own: both sides may be folders of one commit.
    target = tempfile.mkdtemp(prefix="side-", dir=workdir)
    try:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            # The "data" filter refuses links and paths that would leave the target.
            tar.extractall(target, filter="data")
    except (tarfile.TarError, OSError) as exc:
        raise DiffInputError([f"{argument}: the archive of {spec} cannot be unpacked: "
                              f"{_clip(str(exc))}"]) from None
    return _folder_side(argument, target, shown)


def load_side(argument: str, repo: str, workdir: str) -> Side:
    """One side of the diff, read by the rules of the module docstring; a git revision is
    unpacked into ``workdir``. Raises :class:`DiffInputError` naming ``argument``."""
    if os.path.isdir(argument):
        root = _spec_root(argument)
        if root is None:
            raise DiffInputError([f"{argument}: no spec/ folder here (give the folder that "
                                  "holds spec/)"])
        return _folder_side(argument, root, root)
    if os.path.lexists(argument):
        try:
            data = read_regular(argument)
        except UnreadableFileError as exc:
            raise DiffInputError([f"{argument}: {exc.reason}"]) from None
        return _export_side(argument, data)
    return _git_side(argument, repo, workdir)


# --- the allow-list ------------------------------------------------------------------------


@dataclass(frozen=True)
class AllowEntry:
    """One accepted change: its coordinate, optionally its kind, and why; ``line`` and
    ``column`` place it in the allow-list."""

    coordinate: str
    kind: str | None
    reason: str
    line: int = 0
    column: int = 0

    def matches(self, change: Change) -> bool:
        """Whether the entry accepts ``change``: same coordinate, and same kind if given."""
        return change.coordinate == self.coordinate and self.kind in (None, change.kind)


_ENTRY_KEYS = ("coordinate", "kind", "reason")


def read_allow_list(path: str) -> tuple[AllowEntry, ...]:
    """The entries of the allow-list at ``path`` (YAML or JSON): a list of entries, or a
    mapping whose one key ``allow`` holds it. Raises :class:`DiffInputError` with a
    located message per problem."""
    try:
        text = read_regular(path).decode("utf-8")
    except UnreadableFileError as exc:
        raise DiffInputError([f"{path}: {exc.reason}"]) from None
    except UnicodeDecodeError:
        raise DiffInputError([f"{path}: the allow-list is not UTF-8"]) from None
    if all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return ()  # nothing accepted yet: an empty list, not an error
    doc, problems = load_located(text.replace("\r\n", "\n"), path)
    if doc is None:
        raise DiffInputError([str(d) for d in problems] or [f"{path}: not YAML or JSON"])
    data: Any = doc.data
    base: JsonPath = ()
    errors: list[str] = []

    def problem(json_path: JsonPath, message: str) -> None:
        line, column = doc.mark(json_path)
        errors.append(f"{path}:{line}:{column}: {message}")

    if isinstance(data, dict) and list(data) == ["allow"]:
        data, base = data["allow"], ("allow",)
    if data is None:
        return ()
    if not isinstance(data, list):
        problem(base, "an allow-list is a list of entries (coordinate, reason, optionally "
                "kind), or a mapping whose one key allow holds that list")
        raise DiffInputError(errors)
    entries = []
    for i, item in enumerate(data):
        at: JsonPath = (*base, i)
        if not isinstance(item, dict):
            problem(at, f"entry {i + 1}: give a mapping with coordinate, reason and "
                    "optionally kind")
            continue
        for key in sorted(set(item) - set(_ENTRY_KEYS), key=str):
            problem((*at, key), f"entry {i + 1}: unknown key {excerpt(key)} (known: "
                    f"{', '.join(_ENTRY_KEYS)})")
        coordinate, kind, reason = (item.get(k) for k in _ENTRY_KEYS)
        if not isinstance(coordinate, str) or not coordinate.strip():
            problem((*at, "coordinate"), f"entry {i + 1}: coordinate must be a schema "
                    "coordinate such as Mutation.acceptGoodsQuote(input:)")
        if kind is not None and (not isinstance(kind, str) or kind not in KINDS):
            problem((*at, "kind"), f"entry {i + 1}: unknown kind {excerpt(kind)} (see the "
                    "rule of a reported change: diff-KIND)")
        if not isinstance(reason, str) or not reason.strip():
            problem((*at, "reason"), f"entry {i + 1}: a reason is required (why the change "
                    "is accepted)")
        if not errors:
            line, column = doc.mark(at)
            entries.append(AllowEntry(str(coordinate), kind, str(reason).strip(), line, column))
    if errors:
        raise DiffInputError(errors)
    return tuple(entries)


def unused_entries(entries: Sequence[AllowEntry], changes: Sequence[Change]) -> list[AllowEntry]:
    """The entries that accept none of ``changes`` (breaking and dangerous ones only: the
    others need no acceptance)."""
    wanted = [c for c in changes if c.level in ("breaking", "dangerous")]
    return [e for e in entries if not any(e.matches(c) for c in wanted)]


def unused_note(path: str, entry: AllowEntry) -> Diagnostic:
    """The note that an allow-list entry matched nothing."""
    kind = f" (kind {entry.kind})" if entry.kind else ""
    return Diagnostic(path, entry.line, entry.column, f"unused allow-list entry: "
                      f"{entry.coordinate}{kind} matches no breaking or dangerous change",
                      severity="info", rule="diff-unused-allow")
