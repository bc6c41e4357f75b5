"""Transcribe the reference page into spec files: page -> model -> YAML."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from urllib.parse import urlparse

import yaml

from kraken_spec.exceptions import KrakenSpecError, PageError, UnreadableFileError
from kraken_spec.fs.files import read_regular, write_files
from kraken_spec.inference import INFERRED_SCALARS, infer_return_type
from kraken_spec.model import (
    BUILTIN_SCALARS,
    Argument,
    Catalogue,
    Endpoint,
    ErrorEntry,
    Example,
    Headless,
    Mutation,
    NamedType,
    ReturnField,
    Role,
    named_type,
)
from kraken_spec.page.entries import Orphan, Page, PageMutation, PageReturnField
from kraken_spec.page.parse import parse_page
from kraken_spec.spec.files import (
    ENDPOINTS_FILE,
    HEADLESS_DIR,
    MUTATIONS_DIR,
    headless_path,
    mutation_path,
    spec_files,
)

MUTATION_SUFFIX = ".yaml"


@dataclass(frozen=True)
class ExistingSpec:
    """The importer-owned part of a spec already on disk: what an import may change."""

    # Mutation name -> the bytes of spec/mutations/<name>.yaml (None: it could not be read).
    mutations: Mapping[str, bytes | None]
    endpoints: tuple[str, ...]
    # Name -> the bytes of spec/headless/<name>.yaml, read as the mutation files are.
    headless: Mapping[str, bytes | None] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class ImportPlan:
    """What importing a page would do to an existing spec; computed before anything is
    written, so the removals can be shown and refused."""

    catalogue: Catalogue
    orphans: tuple[Orphan, ...]
    files: Mapping[str, str]  # every importer-owned file: relative path -> text
    added: tuple[str, ...]  # mutation names, sorted
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    removed_endpoints: tuple[str, ...]  # in the order of the existing endpoints file
    # The entries shown without heading (spec/headless/), by name, sorted.
    headless_added: tuple[str, ...] = ()
    headless_changed: tuple[str, ...] = ()
    headless_removed: tuple[str, ...] = ()

    @property
    def removes(self) -> bool:
        """True when the import would take a mutation, an entry shown without heading or an
        endpoint out of the spec."""
        return bool(self.removed or self.removed_endpoints or self.headless_removed)

    @property
    def removal_paths(self) -> tuple[str, ...]:
        """The mutation and headless-entry files the import would remove, relative to the
        root."""
        return (tuple(mutation_path(name) for name in self.removed)
                + tuple(headless_path(name) for name in self.headless_removed))


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote or removed, and what it had to leave out."""

    catalogue: Catalogue
    changed: tuple[str, ...]  # relative paths written or removed
    orphans: tuple[Orphan, ...]
    plan: ImportPlan


class RemovalsNotAllowedError(KrakenSpecError):
    """The page lacks mutations, entries shown without heading or endpoints the spec has,
    and removals were not allowed."""

    def __init__(self, plan: ImportPlan) -> None:
        headless = (f", {len(plan.headless_removed)} entry(ies) shown without heading"
                    if plan.headless_removed else "")
        super().__init__(f"the import would remove {len(plan.removed)} mutation(s){headless} "
                         f"and {len(plan.removed_endpoints)} endpoint(s); nothing was written")
        self.plan = plan


def headless_warning(orphan: Orphan) -> str:
    """What import-docs says of an entry the page shows without its heading."""
    return (f"an entry without its heading (name, Type, URL) (it selects {orphan.field!r}) is "
            f"kept in {headless_path(orphan.field)} and enters the catalogue only when a "
            "schema source confirms its payload type")


def endpoint_name(url: str) -> str:
    """Short endpoint name: the first label of the host (``api``, ``auth``)."""
    host = urlparse(url).hostname or ""
    return host.split(".")[0] or "api"


def catalogue_from_page(page: Page) -> Catalogue:
    """Build the catalogue model from a parsed page; raise PageError on contradictions."""
    endpoints: dict[str, Endpoint] = {}
    section_endpoints: dict[str, str] = {}
    messages: dict[str, str] = {}
    mutations: list[Mutation] = []
    section, section_line = "", 0
    for pm in page.mutations:
        if pm.section != section:
            # The reader takes the line just before an entry as its section's heading.
            section, section_line = pm.section, pm.line - 1
        name = endpoint_name(pm.url)
        known = endpoints.setdefault(name, Endpoint(name, pm.section, pm.url))
        if known.url != pm.url:
            raise PageError(pm.line, f"{pm.name!r}: endpoint name {name!r} stands for both "
                            f"{known.url} and {pm.url}")
        if known.title != pm.section:
            # Each endpoint has one section (its title); a second heading over its entries
            # is most likely a line of a shape the reader does not know.
            raise PageError(section_line, f"{pm.section!r} reads as a section heading, but "
                            f"its entry {pm.name!r} is on endpoint {name!r}, whose section "
                            f"is {known.title!r}")
        owner = section_endpoints.setdefault(pm.section, name)
        if owner != name:
            # Otherwise a lost heading files a whole endpoint under its neighbour's title.
            raise PageError(pm.line, f"{pm.name!r} is on endpoint {name!r}, but its section "
                            f"{pm.section!r} holds the entries of endpoint {owner!r}: a "
                            "section heading above it seems missing or malformed")
        for code, message, line in pm.errors:
            first = messages.setdefault(code, message)
            if first != message:
                raise PageError(line, f"{code} has the message {message!r} here but "
                                f"{first!r} earlier")
        mutations.append(_mutation(pm, name))
    headless = [_headless(orphan, section_endpoints) for orphan in page.orphans]
    errors = sorted((ErrorEntry(c, m) for c, m in messages.items()), key=lambda e: e.sort_key)
    return Catalogue(
        endpoints=tuple(endpoints.values()),
        mutations=tuple(sorted(mutations, key=lambda m: (m.endpoint, m.name))),
        errors=tuple(errors),
        types=_types(page, mutations, headless),
        headless=tuple(sorted(headless, key=lambda h: (h.endpoint, h.name))),
    )


def _return_fields(name: str, line: int, page_fields: tuple[PageReturnField, ...] | None
                   ) -> tuple[ReturnField, ...] | None:
    """The return fields of an entry, each typed by its fragment, type name or example."""
    if page_fields is None:
        return None
    fields = []
    for f in page_fields:
        try:
            inferred = infer_return_type(f.example, f.fragment_type)
        except ValueError as exc:
            raise PageError(line, f"{name!r}.{f.name}: {exc}") from None
        example = f.example if inferred.basis == "example" else None
        fields.append(ReturnField(f.name, inferred.type, inferred.basis, example))
    return tuple(fields)


def _mutation(pm: PageMutation, endpoint: str) -> Mutation:
    return Mutation(
        name=pm.name,
        endpoint=endpoint,
        payload_type=pm.payload_type,
        payload_non_null=pm.payload_non_null,
        description=pm.description,
        requires_authorization=pm.requires_authorization,
        deprecation_reason=pm.deprecation_reason,
        # The page repeats some codes within one list (KT-CT-1111 often twice): keep the first.
        errors=tuple(dict.fromkeys(code for code, _, _ in pm.errors)),
        arguments=tuple(Argument(a.name, a.type, a.description) for a in pm.arguments),
        return_fields=_return_fields(pm.name, pm.line, pm.return_fields),
        example=Example(pm.operation, pm.variables, pm.response),
    )


def _headless(orphan: Orphan, section_endpoints: dict[str, str]) -> Headless:
    """An entry shown without its heading, on the endpoint of the section it stands in."""
    body = orphan.body
    endpoint = section_endpoints.get(orphan.section)
    if endpoint is None:
        raise PageError(orphan.line, f"the entry without heading at line {orphan.line} stands "
                        f"in section {orphan.section!r}, where no entry with a heading names "
                        "the endpoint")
    return Headless(
        name=body.field,
        endpoint=endpoint,
        line=orphan.line,
        arguments=tuple(Argument(a.name, a.type, a.description) for a in body.arguments),
        return_fields=_return_fields(body.field, orphan.line, body.return_fields),
        example=Example(body.operation, body.variables, body.response),
    )


def _types(page: Page, mutations: list[Mutation],
           headless: list[Headless]) -> tuple[NamedType, ...]:
    """Every named type the mutations and the entries without heading reference, with what
    the page tells of it."""
    inferred = {s.name: s for s in INFERRED_SCALARS}
    roles: dict[str, tuple[Role, int]] = {}

    def use(type_name: str, role: Role, line: int) -> None:
        if type_name in BUILTIN_SCALARS:
            return
        first = roles.setdefault(type_name, (role, line))
        if first[0] != role:
            raise PageError(line, f"{type_name!r} is used as an {role} type here and as an "
                            f"{first[0]} type at line {first[1]}")

    payloads = {m.payload_type for m in mutations if m.return_fields is not None}
    for pm, m in zip(page.mutations, mutations, strict=True):
        for a in m.arguments:
            use(named_type(a.type), "input", pm.line)
        if m.return_fields is None:
            use(m.payload_type, "output", pm.line)
        for f in m.return_fields or ():
            use(named_type(f.type), "output", pm.line)
    # A body without heading names types too; its payload type is not on the page.
    for h in headless:
        for a in h.arguments:
            use(named_type(a.type), "input", h.line)
        for f in h.return_fields or ():
            use(named_type(f.type), "output", h.line)
    out: list[NamedType] = []
    for type_name, (role, line) in sorted(roles.items()):
        if type_name in payloads:
            if role == "input":
                raise PageError(line, f"payload type {type_name!r} is also used as an input")
            continue
        if type_name in inferred:
            out.append(NamedType(type_name, "inferred", role, "SCALAR",
                                 f"Scalar shown only by {inferred[type_name].evidence}; the "
                                 "page does not name it."))
        else:
            out.append(NamedType(type_name, "undocumented", role, None, None))
    return tuple(out)


def read_page(page_path: str) -> Page:
    """Read and parse the page file: UnreadableFileError when it cannot be read, PageError
    (line 0: no line) when it is not a page this reader understands."""
    # No root confinement: the user names the page on the command line.
    try:
        data = read_regular(page_path)
    except UnreadableFileError as exc:
        raise UnreadableFileError(page_path, f"cannot read the page: {exc.reason}",
                                  missing=exc.missing) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PageError(line, f"the page is not UTF-8 text: byte 0x{data[exc.start]:02x} at "
                        f"byte column {column} cannot be decoded ({exc.reason})") from None
    return parse_page(text)


def read_existing_spec(root: str) -> ExistingSpec:
    """The mutation files and headless-entry files (top level of spec/mutations/ and
    spec/headless/ only) and endpoint names under ``root``. Raise UnreadableFileError when
    one of the folders exists but cannot be listed, since then the removals an import
    implies are unknown."""
    return ExistingSpec(_owned_files(root, MUTATIONS_DIR), _endpoint_names(root),
                        _owned_files(root, HEADLESS_DIR))


def _owned_files(root: str, rel: str) -> Mapping[str, bytes | None]:
    """Name -> bytes of each ``*.yaml`` regular file at the top of the folder ``rel``."""
    folder = os.path.join(root, rel)
    files: dict[str, bytes | None] = {}
    try:
        with os.scandir(folder) as entries:
            # Regular files only: a link or folder named *.yaml is not the importer's.
            found = sorted(e.name for e in entries
                           if e.name.endswith(MUTATION_SUFFIX) and e.is_file(follow_symlinks=False))
    except (FileNotFoundError, NotADirectoryError):
        found = []
    except OSError as exc:
        raise UnreadableFileError(folder, f"cannot list the folder: "
                                  f"{exc.strerror or exc}") from None
    for file_name in found:
        try:
            files[file_name[: -len(MUTATION_SUFFIX)]] = read_regular(
                os.path.join(folder, file_name), root=root)
        except UnreadableFileError:
            # Unreadable (swapped, too large): it cannot equal the new text, so it counts
            # as changed and write_files decides whether it may be replaced.
            files[file_name[: -len(MUTATION_SUFFIX)]] = None
    return MappingProxyType(files)


def _endpoint_names(root: str) -> tuple[str, ...]:
    """Names in the existing endpoints file; none when it is absent or not readable as one
    (the file is rewritten anyway, and a broken file cannot say what it held)."""
    try:
        data = yaml.safe_load(read_regular(os.path.join(root, ENDPOINTS_FILE), root=root)
                              .decode("utf-8"))
    # ValueError covers bad UTF-8 and out-of-range timestamps; RecursionError deep nesting.
    except (UnreadableFileError, ValueError, yaml.YAMLError, RecursionError):
        return ()
    entries = data.get("endpoints") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return ()
    names = (e.get("name") for e in entries if isinstance(e, dict))
    return tuple(dict.fromkeys(n for n in names if isinstance(n, str)))


def plan_import(page: Page, existing: ExistingSpec) -> ImportPlan:
    """Compare what ``page`` yields with ``existing``; pure, so it can be shown first."""
    catalogue = catalogue_from_page(page)
    files = spec_files(catalogue)
    added, changed, removed = _compare(files, existing.mutations, mutation_path,
                                       [m.name for m in catalogue.mutations])
    headless = _compare(files, existing.headless, headless_path,
                        [h.name for h in catalogue.headless])
    endpoints = {e.name for e in catalogue.endpoints}
    return ImportPlan(
        catalogue=catalogue,
        orphans=page.orphans,
        files=MappingProxyType(files),
        added=added,
        changed=changed,
        removed=removed,
        removed_endpoints=tuple(e for e in existing.endpoints if e not in endpoints),
        headless_added=headless[0],
        headless_changed=headless[1],
        headless_removed=headless[2],
    )


def _compare(files: Mapping[str, str], existing: Mapping[str, bytes | None],
             path: Callable[[str], str], names: list[str]
             ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The names added, changed and removed (each sorted) when the files of ``names``
    replace ``existing``."""
    new = sorted(names)
    added = tuple(name for name in new if name not in existing)
    # Encoded as write_files encodes, so "changed" means "would be rewritten".
    changed = tuple(name for name in new if name in existing
                    and existing[name] != files[path(name)].encode("utf-8", "surrogatepass"))
    kept = set(new)
    return added, changed, tuple(sorted(name for name in existing if name not in kept))


def prepare_import(page_path: str, root: str) -> ImportPlan:
    """Read and check the whole page and the existing spec; write nothing."""
    page = read_page(page_path)
    return plan_import(page, read_existing_spec(root))


def apply_import(plan: ImportPlan, root: str, *, allow_removals: bool = False) -> tuple[str, ...]:
    """Write ``plan`` under ``root``; return the paths written or removed.

    Removes only the mutation and headless-entry files the plan lists, and only with
    ``allow_removals``: never a subfolder, another file in spec/mutations/ or
    spec/headless/, or a curated types file.
    """
    if plan.removes and not allow_removals:
        raise RemovalsNotAllowedError(plan)
    return tuple(write_files(root, plan.files, remove=plan.removal_paths))


def import_page(page_path: str, root: str, *, allow_removals: bool = False) -> ImportResult:
    """Read the page at ``page_path`` and write its spec under ``root``.

    The whole page is read and checked before anything is written. An import that would
    remove mutations, entries shown without heading or endpoints raises
    RemovalsNotAllowedError unless ``allow_removals``.
    """
    plan = prepare_import(page_path, root)
    changed = apply_import(plan, root, allow_removals=allow_removals)
    return ImportResult(plan.catalogue, changed, plan.orphans, plan)


__all__ = ["ExistingSpec", "ImportPlan", "ImportResult", "RemovalsNotAllowedError",
           "apply_import", "catalogue_from_page", "endpoint_name", "headless_warning",
           "import_page", "plan_import", "prepare_import", "read_existing_spec", "read_page"]
