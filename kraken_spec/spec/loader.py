"""Load a spec folder: safe YAML, JSON Schema structure, cross-references, then the model."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, replace
from typing import Any

import fastjsonschema
from graphql import GraphQLSyntaxError, parse_type

from kraken_spec.codec import mutation_from_document
from kraken_spec.diagnostics import Diagnostic, excerpt
from kraken_spec.exceptions import SpecInvalidError, UnreadableFileError
from kraken_spec.fs.files import read_regular, regular_files
from kraken_spec.model import (
    BUILTIN_SCALARS,
    Catalogue,
    Endpoint,
    ErrorEntry,
    Mutation,
    NamedType,
    TypeField,
)
from kraken_spec.spec.enriched import read_enrichments
from kraken_spec.spec.examples import check_catalogue
from kraken_spec.spec.files import (
    ENDPOINTS_FILE,
    ENRICHED_DIR,
    ERRORS_FILE,
    HEADLESS_DIR,
    IMPORTED_TYPES_FILE,
    MUTATIONS_DIR,
    TYPES_DIR,
)
from kraken_spec.spec.headless import confirm_headless, headless_notes, read_headless
from kraken_spec.spec.rules import (
    check_error_references,
    check_graphql_names,
    check_mutation_names_across_endpoints,
    check_shared_payloads,
    check_some_mutation_file,
    check_type_references,
    check_unique_members,
)
from kraken_spec.spec.sources import SourceMap, diagnostic_at
from kraken_spec.spec.structure import bounded, fast_schema_check, schema_problems
from kraken_spec.spec.yamlio import (
    DeferredLocated,
    JsonPath,
    Located,
    load_located,
)


@dataclass(frozen=True)
class LoadResult:
    """The catalogue (None when the spec has problems), its source map and the problems;
    with a catalogue, the diagnostics are notes only."""

    catalogue: Catalogue | None
    sources: SourceMap
    diagnostics: tuple[Diagnostic, ...]

    def assert_valid(self) -> Catalogue:
        """Return the catalogue or raise :class:`SpecInvalidError` with every diagnostic."""
        # Notes (on the entries the page shows without heading) describe a valid spec.
        if self.catalogue is None or any(d.is_error for d in self.diagnostics):
            raise SpecInvalidError(self.diagnostics)
        return self.catalogue


def _rel(root: str, path: str) -> str:
    return os.path.relpath(path, root).replace(os.sep, "/")




def _list(root: str, folder: str, problems: list[Diagnostic],
          suffix: str = ".yaml") -> tuple[list[str], bool]:
    """The spec files below ``folder`` (relative to ``root``), and whether every folder
    below it could be listed; each folder that could not is a diagnostic."""
    paths, unlisted = regular_files(os.path.join(root, folder), suffix)
    problems.extend(Diagnostic(_rel(root, exc.path), 0, 0, exc.reason, rule="unreadable-file")
                    for exc in unlisted)
    return [_rel(root, path) for path in paths], not unlisted


def _read(root: str, rel: str, schema: str, problems: list[Diagnostic]) -> Located | None:
    """Read one spec file and check it against its JSON Schema."""
    text = _read_text(root, rel, problems)
    if text is None:
        return None
    doc, found = load_located(text, rel)
    problems.extend(found)
    if doc is None:
        return None
    structural = list(schema_problems(doc, schema))
    problems.extend(structural)
    return None if structural else doc


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise ValueError("a key is repeated")
    return out


def _read_json(root: str, rel: str, schema: str, problems: list[Diagnostic]) -> Located | None:
    """Read one machine-written JSON spec file and check it against its JSON Schema.

    Such files are large (an enrichment states a thousand types) and the JSON parser reads
    them several times faster than the YAML reader; JSON is YAML, so whenever something is
    wrong the file is read again as YAML, which places every diagnostic.
    """
    text = _read_text(root, rel, problems)
    if text is None:
        return None
    try:
        data = json.loads(text, object_pairs_hook=_reject_duplicate_keys)
    except json.JSONDecodeError as exc:
        problems.append(Diagnostic(rel, exc.lineno, exc.colno, f"not JSON: {exc.msg}",
                                   rule="json-syntax"))
        return None
    except (ValueError, RecursionError):
        data = None  # a repeated key, or nesting too deep: the YAML reader says which
    else:
        try:
            fast_schema_check(schema)(data)
            return DeferredLocated(rel, data, text)
        except fastjsonschema.JsonSchemaException:
            pass
    return _read(root, rel, schema, problems)


def _read_text(root: str, rel: str, problems: list[Diagnostic]) -> str | None:
    """The text of one spec file, or None after adding why it cannot be read."""
    try:
        # Bounded and regular only: a FIFO would block, /dev/zero never ends, and a link
        # out of the root would echo another file's content into the diagnostics.
        data = read_regular(os.path.join(root, rel), root=root)
    except UnreadableFileError as exc:
        problems.append(Diagnostic(rel, 0, 0, exc.reason,
                                   rule="missing-file" if exc.missing else "unreadable-file"))
        return None
    try:
        # Decoded whole, so a bad byte is placed by line and column rather than by an
        # offset into whatever chunk a text-mode read was decoding.
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(_not_utf8(rel, data, exc))
        return None
    # As a text-mode read would: one line-break convention for positions and block text.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _not_utf8(rel: str, data: bytes, exc: UnicodeDecodeError) -> Diagnostic:
    line_start = data.rfind(b"\n", 0, exc.start) + 1
    line = data.count(b"\n", 0, exc.start) + 1
    column = len(data[line_start:exc.start].decode("utf-8")) + 1
    return Diagnostic(rel, line, column, f"the file is not UTF-8: byte "
                      f"0x{data[exc.start]:02x} cannot be decoded ({exc.reason})",
                      rule="file-encoding")


# A type reference as the spec writes it: opening brackets, a name, closing brackets each
# maybe non-null. With as many closing brackets as opening ones it is valid, and the
# parser is needed only to word what is wrong with any other.
_CANONICAL_REF = re.compile(r"(\[*)[_A-Za-z][_0-9A-Za-z]*!?((?:\]!?)*)")


def _type_ref_problem(doc: Located, path: JsonPath, ref: str) -> Diagnostic | None:
    canonical = _CANONICAL_REF.fullmatch(ref)
    if canonical is not None and len(canonical[1]) == canonical[2].count("]"):
        return None
    try:
        parse_type(ref)
    except GraphQLSyntaxError as exc:
        line, column = doc.mark(path)
        return Diagnostic(doc.path, line, column, f"invalid type reference {excerpt(ref)}: "
                          f"{bounded(exc.message)}", rule="type-reference")
    return None


def load_spec(root: str) -> LoadResult:
    """Load and check the spec under ``root``: every problem is collected, none raised."""
    problems: list[Diagnostic] = []
    sources = SourceMap()
    sources.endpoints = _read(root, ENDPOINTS_FILE, "endpoints", problems)
    sources.errors = _read(root, ERRORS_FILE, "errors", problems)
    type_files, types_listed = _list(root, TYPES_DIR, problems)
    type_docs = [
        doc for rel in type_files if (doc := _read(root, rel, "types", problems)) is not None
    ]
    enriched_files, _ = _list(root, ENRICHED_DIR, problems, ".json")
    enrichments = read_enrichments(
        [doc for rel in enriched_files
         if (doc := _read_json(root, rel, "enriched", problems)) is not None], problems)
    mutation_files, mutations_listed = _list(root, MUTATIONS_DIR, problems)
    mutation_docs = [
        doc for rel in mutation_files
        if (doc := _read(root, rel, "mutation", problems)) is not None
    ]
    headless_files, _ = _list(root, HEADLESS_DIR, problems)
    headless_docs = [
        doc for rel in headless_files
        if (doc := _read(root, rel, "headless", problems)) is not None
    ]
    # A file that cannot be read (or a folder that cannot be listed) hides what it declares
    # and uses; the checks that need every file ("raised by no mutation", "unknown type")
    # would then report problems that are not there, so they wait until every file reads.
    # With no mutation file at all, every code would be "raised by no mutation": the one
    # diagnostic that says the files are missing is the useful one.
    all_types_read = types_listed and len(type_docs) == len(type_files)
    all_mutations_read = (mutations_listed and bool(mutation_files)
                          and len(mutation_docs) == len(mutation_files))
    problems.extend(check_some_mutation_file(mutation_files, mutations_listed))
    problems.extend(check_graphql_names([*mutation_docs, *headless_docs], type_docs))
    problems.extend(check_unique_members([*mutation_docs, *headless_docs], type_docs))
    problems.extend(check_mutation_names_across_endpoints(mutation_docs))

    endpoints = _endpoints(sources.endpoints, problems)
    errors = _errors(sources.errors, problems)
    types = _types(type_docs, sources, problems)
    mutations = _mutations(mutation_docs, endpoints, sources, problems)
    headless = [h for h in read_headless(headless_docs, endpoints, mutation_docs, sources,
                                         problems)
                if not _type_refs_problems(sources.headless[h.name], problems)]
    # An entry a source confirms becomes a mutation; the rules over mutations then find
    # its file through the source map.
    confirmation = confirm_headless(headless, enrichments, types or {}, mutations)
    for m in confirmation.mutations:
        sources.mutations[(m.endpoint, m.name)] = sources.headless[m.name]
    mutations += confirmation.mutations

    if errors is not None:
        problems.extend(check_error_references(
            mutations, errors, sources, mutation_docs if all_mutations_read else None))
    if types is not None and all_types_read:
        problems.extend(check_type_references(mutations, types, sources, headless))
    problems.extend(check_shared_payloads(mutations, sources))

    catalogue: Catalogue | None = None
    notes: list[Diagnostic] = []
    if not problems and endpoints is not None and errors is not None and types is not None:
        catalogue = Catalogue(
            endpoints=tuple(endpoints.values()),
            mutations=tuple(sorted(mutations, key=lambda m: (m.endpoint, m.name))),
            errors=tuple(sorted(errors.values(), key=lambda e: e.sort_key)),
            types=tuple(sorted(types.values(), key=lambda t: t.name)),
            enrichments=enrichments,
            headless=tuple(sorted(headless, key=lambda h: (h.endpoint, h.name))),
        )
        # graphql-core quotes names and tokens whole, however long (a huge example).
        problems.extend(replace(d, message=bounded(d.message))
                        for d in check_catalogue(catalogue, sources))
        if problems:
            catalogue = None
        else:
            notes = headless_notes(catalogue, sources, confirmation.unconfirmed)
    return LoadResult(catalogue, sources, tuple(sorted({*problems, *notes})))


def _endpoints(doc: Located | None, problems: list[Diagnostic]) -> dict[str, Endpoint] | None:
    if doc is None:
        return None
    out: dict[str, Endpoint] = {}
    for i, entry in enumerate(doc.data["endpoints"]):
        if entry["name"] in out:
            line, column = doc.mark(("endpoints", i, "name"))
            problems.append(Diagnostic(doc.path, line, column,
                                       f"duplicate endpoint name {excerpt(entry['name'])}",
                                       rule="duplicate-name"))
            continue
        out[entry["name"]] = Endpoint(entry["name"], entry["title"], entry["url"])
    return out


def _errors(doc: Located | None, problems: list[Diagnostic]) -> dict[str, ErrorEntry] | None:
    if doc is None:
        return None
    out: dict[str, ErrorEntry] = {}
    first_index: dict[str, int] = {}
    for i, entry in enumerate(doc.data["errors"]):
        code, message = entry["code"], entry["message"]
        if code in out:
            first_line = doc.mark(("errors", first_index[code]))[0]
            line, column = doc.mark(("errors", i, "code"))
            if out[code].message != message:
                problems.append(Diagnostic(
                    doc.path, line, column,
                    f"{code} is listed again with the message {excerpt(message)}; line "
                    f"{first_line} gives {excerpt(out[code].message)} (a code has one message)",
                    rule="duplicate-error-code"))
            else:
                problems.append(Diagnostic(doc.path, line, column,
                                           f"{code} is listed twice (first at line {first_line})",
                                           rule="duplicate-error-code"))
            continue
        out[code] = ErrorEntry(code, message)
        first_index[code] = i
    return out


def _types(docs: list[Located], sources: SourceMap,
           problems: list[Diagnostic]) -> dict[str, NamedType] | None:
    imported: dict[str, tuple[NamedType, Located, JsonPath]] = {}
    curated: dict[str, tuple[NamedType, Located, JsonPath]] = {}
    for doc in docs:
        into = imported if doc.path == IMPORTED_TYPES_FILE else curated
        for i, entry in enumerate(doc.data["types"]):
            path: JsonPath = ("types", i)
            named = NamedType(
                name=entry["name"],
                status=entry["status"],
                role=entry["role"],
                kind=entry.get("kind"),
                description=entry.get("description"),
                fields=tuple(TypeField(f["name"], f["type"], f.get("description"))
                             for f in entry.get("fields", ())),
                values=tuple(entry.get("values", ())),
            )
            for j, f in enumerate(named.fields):
                found = _type_ref_problem(doc, (*path, "fields", j, "type"), f.type)
                if found:
                    problems.append(found)
            if named.name in BUILTIN_SCALARS:
                problems.append(diagnostic_at(doc, (*path, "name"),
                                    f"{excerpt(named.name)} is a built-in scalar",
                                    rule="builtin-scalar"))
                continue
            if named.name in into:
                other = into[named.name][1]
                line = other.mark(into[named.name][2])[0]
                problems.append(diagnostic_at(doc, (*path, "name"),
                                    f"type {excerpt(named.name)} is declared twice "
                                    f"(first in {other.path}:{line})", rule="duplicate-name"))
                continue
            into[named.name] = (named, doc, path)
    # Curated facts (for instance fields learned later) replace what the import knew.
    merged = imported | curated
    for name, (_named, doc, path) in merged.items():
        sources.types[name] = (doc, path)
    return {name: entry[0] for name, entry in merged.items()}


def _mutations(docs: list[Located], endpoints: dict[str, Endpoint] | None,
               sources: SourceMap, problems: list[Diagnostic]) -> list[Mutation]:
    out: list[Mutation] = []
    for doc in docs:
        data = doc.data
        name = data["name"]
        stem = os.path.splitext(os.path.basename(doc.path))[0]
        if name != stem:
            problems.append(diagnostic_at(
                doc, ("name",), f"mutation {excerpt(name)} is in the file {stem}.yaml; its "
                f"file must be named {excerpt(name + '.yaml')}", rule="file-name"))
        if endpoints is not None and data["endpoint"] not in endpoints:
            known = ", ".join(sorted(endpoints))
            problems.append(diagnostic_at(doc, ("endpoint",), f"unknown endpoint "
                                f"{excerpt(data['endpoint'])} (known: {known})",
                                rule="unknown-endpoint"))
        key = (data["endpoint"], name)
        if key in sources.mutations:
            other = sources.mutations[key]
            problems.append(diagnostic_at(doc, ("name",), f"mutation {excerpt(name)} is defined "
                                f"twice for endpoint {excerpt(key[0])} (also in "
                                f"{other.path})", rule="duplicate-name"))
            continue
        if _type_refs_problems(doc, problems):
            continue
        sources.mutations[key] = doc
        out.append(mutation_from_document(data))
    return out


def _type_refs_problems(doc: Located, problems: list[Diagnostic]) -> bool:
    """Add a diagnostic for each argument and return-field type reference of a mutation or
    headless file that is no GraphQL type reference; True when there is one."""
    data = doc.data
    refs: list[tuple[JsonPath, str]] = [
        (("arguments", i, "type"), a["type"]) for i, a in enumerate(data["arguments"])
    ] + [(("returnFields", i, "type"), f["type"])
         for i, f in enumerate(data["returnFields"] or ())]
    bad = [p for path, ref in refs if (p := _type_ref_problem(doc, path, ref))]
    problems.extend(bad)
    return bool(bad)
