"""The spec's rules across files: references, uniqueness, names; one function per rule."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from kraken_spec.diagnostics import Diagnostic, excerpt
from kraken_spec.model import (
    BUILTIN_SCALARS,
    ErrorEntry,
    Headless,
    Mutation,
    NamedType,
    named_type,
)
from kraken_spec.spec.files import (
    ERRORS_FILE,
    MUTATIONS_DIR,
    TYPES_DIR,
)
from kraken_spec.spec.sources import SourceMap, diagnostic_at
from kraken_spec.spec.yamlio import JsonPath, Located


def check_error_references(mutations: Iterable[Mutation], errors: dict[str, ErrorEntry],
                            sources: SourceMap,
                            every_mutation: list[Located] | None) -> Iterator[Diagnostic]:
    """Every code a mutation raises is listed, and every listed code is raised by some
    mutation; the second check needs ``every_mutation`` file, None when some did not read."""
    for m in mutations:
        doc = sources.mutations[(m.endpoint, m.name)]
        for i, code in enumerate(m.errors):
            if code not in errors:
                yield diagnostic_at(doc, ("errors", i), f"unknown error code {code} (not in "
                          f"{ERRORS_FILE})", rule="unknown-error-code")
    if sources.errors is not None and every_mutation is not None:
        # From the files rather than the model: a mutation left out of the model for
        # another problem still raises its codes.
        used = {code for doc in every_mutation for code in doc.data["errors"]}
        for i, entry in enumerate(sources.errors.data["errors"]):
            if entry["code"] not in used:
                yield diagnostic_at(sources.errors, ("errors", i, "code"),
                          f"{entry['code']} is raised by no mutation", rule="unused-error-code")


def check_type_references(mutations: Iterable[Mutation], types: dict[str, NamedType],
                           sources: SourceMap,
                           headless: Iterable[Headless] = ()) -> Iterator[Diagnostic]:
    """Every type a mutation or an entry shown without heading references is declared, in
    the role it is used in."""
    mutations = list(mutations)
    payloads = {m.payload_type for m in mutations if m.return_fields is not None}
    # A confirmed headless entry is checked as the entry: its payload type is a source's.
    users: list[tuple[Located, Mutation | Headless]] = [
        (sources.mutations[(m.endpoint, m.name)], m) for m in mutations
        if m.payload_source is None]
    users += [(sources.headless[h.name], h) for h in headless]
    for doc, m in users:
        uses: list[tuple[JsonPath, str, str]] = [
            (("arguments", i, "type"), named_type(a.type), "input")
            for i, a in enumerate(m.arguments)
        ]
        uses += [(("returnFields", i, "type"), named_type(f.type), "output")
                 for i, f in enumerate(m.return_fields or ())]
        if isinstance(m, Mutation) and m.return_fields is None:
            uses.append((("payload", "type"), m.payload_type, "output"))
        for path, type_name, role in uses:
            if type_name in BUILTIN_SCALARS:
                continue
            if role == "output" and type_name in payloads:
                continue
            declared = types.get(type_name)
            if declared is None:
                yield diagnostic_at(doc, path, f"unknown type {excerpt(type_name)} (declared in "
                          f"no file under {TYPES_DIR}/)", rule="unknown-type")
            elif declared.role != role:
                yield diagnostic_at(doc, path, f"{excerpt(type_name)} is declared as an "
                          f"{declared.role} type but used as an {role} type", rule="type-role")
    for type_name, named in types.items():
        tdoc, tpath = sources.types[type_name]
        if type_name in payloads:
            yield diagnostic_at(tdoc, (*tpath, "name"), f"{excerpt(type_name)} is a payload type, "
                      "defined by its mutations' return fields", rule="payload-type")
        for j, f in enumerate(named.fields):
            inner = named_type(f.type)
            if inner not in BUILTIN_SCALARS and inner not in types and inner not in payloads:
                yield diagnostic_at(tdoc, (*tpath, "fields", j, "type"),
                          f"unknown type {excerpt(inner)}", rule="unknown-type")


def check_shared_payloads(mutations: Iterable[Mutation],
                           sources: SourceMap) -> Iterator[Diagnostic]:
    """Mutations that share a payload type must agree on its fields."""
    first: dict[str, Mutation] = {}
    for m in mutations:
        seen = first.setdefault(m.payload_type, m)
        if seen is not m and seen.return_fields != m.return_fields:
            doc = sources.mutations[(m.endpoint, m.name)]
            yield diagnostic_at(doc, ("returnFields",), f"payload type {excerpt(m.payload_type)} "
                      f"has other return fields in {excerpt(seen.name)}", rule="shared-payload")


def check_some_mutation_file(files: list[str], listed: bool) -> Iterator[Diagnostic]:
    """The spec holds a mutation file (a folder that cannot be listed is reported as such)."""
    if not files and listed:
        yield Diagnostic(MUTATIONS_DIR, 0, 0, "no mutation files found", rule="no-mutations")


def check_unique_members(mutation_docs: Iterable[Located],
                          type_docs: Iterable[Located]) -> Iterator[Diagnostic]:
    """Argument and return-field names are unique within a mutation (or an entry shown
    without heading), field names and enum values within a type: of two, the SDL would
    keep the last and the docs both."""
    for doc in mutation_docs:
        yield from _repeats(doc, ("arguments",), doc.data["arguments"], "argument")
        yield from _repeats(doc, ("returnFields",), doc.data["returnFields"] or (),
                            "return field")
    for doc in type_docs:
        for i, entry in enumerate(doc.data["types"]):
            yield from _repeats(doc, ("types", i, "fields"), entry.get("fields", ()), "field")
            yield from _repeats(doc, ("types", i, "values"), entry.get("values", ()),
                                "enum value")


def _repeats(doc: Located, path: JsonPath, items: Iterable[Any],
             what: str) -> Iterator[Diagnostic]:
    """A diagnostic at each repeated name in ``items`` (entries with a name, or names)."""
    first: dict[str, JsonPath] = {}
    for i, item in enumerate(items):
        name, node = (item["name"], (*path, i, "name")) if isinstance(item, dict) else (
            item, (*path, i))
        if name in first:
            # Positions are looked up only here: a file's are found when first asked for.
            line, column = doc.mark(node)
            yield Diagnostic(doc.path, line, column, f"{what} {excerpt(name)} is declared "
                             f"twice (first at line {doc.mark(first[name])[0]})",
                             rule="duplicate-member")
        else:
            first[name] = node


def check_mutation_names_across_endpoints(docs: Iterable[Located]) -> Iterator[Diagnostic]:
    """A mutation name is unique across endpoints: the generated outputs are keyed by it.
    (Twice on one endpoint is reported where the mutations are read.)"""
    first: dict[str, Located] = {}
    # The files come in sorted path order, so the later one is reported, naming the first.
    for doc in docs:
        other = first.setdefault(doc.data["name"], doc)
        if other is not doc and other.data["endpoint"] != doc.data["endpoint"]:
            yield diagnostic_at(
                doc, ("name",), f"mutation {excerpt(doc.data['name'])} is also defined in "
                f"{other.path} (endpoint {excerpt(other.data['endpoint'])}); a mutation "
                "name is unique across endpoints", rule="duplicate-name")


# The schema builder creates Query and Mutation; Subscription is the third root GraphQL knows.
_ROOT_TYPES = frozenset({"Query", "Mutation", "Subscription"})
# GraphQL reads these as literals, so no enum value may be spelled like them.
_LITERALS = frozenset({"true", "false", "null"})


def check_graphql_names(mutation_docs: Iterable[Located],
                         type_docs: Iterable[Located]) -> Iterator[Diagnostic]:
    """Every declared name obeys GraphQL's rules beyond the spec's name pattern; otherwise
    graphql-core would refuse the schema, one name per run, without a place."""
    for doc, path, what, name in _declared_names(mutation_docs, type_docs):
        if name.startswith("__"):
            problem = "a name may not begin with '__' (reserved for introspection)"
        elif what.endswith("type") and name in _ROOT_TYPES:
            problem = ("Query, Mutation and Subscription are reserved for the root types of "
                       "the schema")
        elif what == "enum value" and name in _LITERALS:
            problem = "GraphQL does not allow true, false or null as an enum value"
        else:
            continue
        yield diagnostic_at(doc, path, f"{what} {excerpt(name)}: {problem}", rule="graphql-name")


def _declared_names(mutation_docs: Iterable[Located], type_docs: Iterable[Located]
                    ) -> Iterator[tuple[Located, JsonPath, str, str]]:
    """Each name the spec declares: (file, node, what it names, the name)."""
    for doc in mutation_docs:
        data = doc.data
        yield doc, ("name",), "mutation", data["name"]
        # Its return fields declare the payload type; an entry shown without its heading
        # (a spec/headless/ file) has no payload type.
        if data["returnFields"] is not None and "payload" in data:
            yield doc, ("payload", "type"), "payload type", data["payload"]["type"]
        for i, argument in enumerate(data["arguments"]):
            yield doc, ("arguments", i, "name"), "argument", argument["name"]
        for i, returned in enumerate(data["returnFields"] or ()):
            yield doc, ("returnFields", i, "name"), "return field", returned["name"]
    for doc in type_docs:
        for i, entry in enumerate(doc.data["types"]):
            yield doc, ("types", i, "name"), "type", entry["name"]
            for j, f in enumerate(entry.get("fields", ())):
                yield doc, ("types", i, "fields", j, "name"), "field", f["name"]
            for j, value in enumerate(entry.get("values", ())):
                yield doc, ("types", i, "values", j), "enum value", value
