"""Transcribe the reference page into spec files: page -> model -> YAML."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

from kraken_spec.exceptions import PageError
from kraken_spec.fsutil import write_files
from kraken_spec.inference import INFERRED_SCALARS, infer_return_type
from kraken_spec.model import (
    BUILTIN_SCALARS,
    Argument,
    Catalogue,
    Endpoint,
    ErrorCode,
    Example,
    Mutation,
    NamedType,
    ReturnField,
    Role,
    named_type,
)
from kraken_spec.page import Orphan, Page, PageMutation, parse_page
from kraken_spec.specfiles import MUTATIONS_DIR, spec_files


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote and what it had to leave out."""

    catalogue: Catalogue
    changed: tuple[str, ...]
    orphans: tuple[Orphan, ...]


def endpoint_name(url: str) -> str:
    """Short endpoint name: the first label of the host (``api``, ``auth``)."""
    host = urlparse(url).hostname or ""
    return host.split(".")[0] or "api"


def catalogue_from_page(page: Page) -> Catalogue:
    """Build the catalogue model from a parsed page; raise PageError on contradictions."""
    endpoints: dict[str, Endpoint] = {}
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
        for code, message, line in pm.errors:
            first = messages.setdefault(code, message)
            if first != message:
                raise PageError(line, f"{code} has the message {message!r} here but "
                                f"{first!r} earlier")
        mutations.append(_mutation(pm, name))
    errors = sorted((ErrorCode(c, m) for c, m in messages.items()), key=lambda e: e.sort_key)
    return Catalogue(
        endpoints=tuple(endpoints.values()),
        mutations=tuple(sorted(mutations, key=lambda m: (m.endpoint, m.name))),
        errors=tuple(errors),
        types=_types(page, mutations),
    )


def _mutation(pm: PageMutation, endpoint: str) -> Mutation:
    return_fields: tuple[ReturnField, ...] | None = None
    if pm.return_fields is not None:
        fields = []
        for f in pm.return_fields:
            try:
                inferred = infer_return_type(f.example, f.fragment_type)
            except ValueError as exc:
                raise PageError(pm.line, f"{pm.name!r}.{f.name}: {exc}") from None
            example = f.example if inferred.basis == "example" else None
            fields.append(ReturnField(f.name, inferred.type, inferred.basis, example))
        return_fields = tuple(fields)
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
        return_fields=return_fields,
        example=Example(pm.operation, pm.variables, pm.response),
    )


def _types(page: Page, mutations: list[Mutation]) -> tuple[NamedType, ...]:
    """Every named type the mutations reference, with what the page tells of it."""
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


def import_page(page_path: str, root: str) -> ImportResult:
    """Read the page at ``page_path`` and write its spec under ``root``.

    The whole page is read and checked before anything is written; the importer owns
    ``spec/mutations/`` (stale files there are removed) and the files it writes, and
    leaves every other file, such as curated types, alone.
    """
    try:
        with open(page_path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise PageError(0, f"cannot read the page: {exc}") from None
    page = parse_page(text)
    catalogue = catalogue_from_page(page)
    files = spec_files(catalogue)
    changed = write_files(root, files, prune=[MUTATIONS_DIR])
    return ImportResult(catalogue, tuple(changed), page.orphans)


__all__ = ["ImportResult", "catalogue_from_page", "endpoint_name", "import_page"]
