"""Drift: every disagreement between the catalogue and a real schema of a Kraken endpoint."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from graphql import (
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
    is_enum_type,
    is_leaf_type,
    is_required_argument,
    is_scalar_type,
    parse_type,
    print_ast,
)

from kraken_spec.diagnostics import EXCERPT_LIMIT, Diagnostic, Severity, excerpt
from kraken_spec.inference import candidates
from kraken_spec.model import BUILTIN_SCALARS, Catalogue, Headless, Mutation, ReturnField

Authority = Literal["own", "sibling"]
SpecPath = tuple[str | int, ...]
# (mutation name, path inside its spec document) -> (file, line, column).
Locator = Callable[[str, SpecPath], tuple[str, int, int]]

# Every kind, in the order a mutation's findings are reported and counted.
KINDS = (
    "mutation-absent",
    "deprecation",
    "payload-type",
    "payload-nullability",
    "argument-missing",
    "argument-type",
    "argument-nullability",
    "argument-extra",
    "payload-field-missing",
    "return-type",
    "return-type-refined",
    "return-type-contradicts-inference",
    "payload-field-extra",
    "errors-missing",
    "errors-extra",
)
RULE_PREFIX = "drift-"
NOT_ON_PAGE_RULE = "drift-not-on-page"


@dataclass(frozen=True)
class Finding:
    """One disagreement about a catalogue mutation.

    ``contradiction`` is True when the schema contradicts a fact the page states, False
    when it adds to the page or corrects only an inference. ``spec_path`` is the node of
    the mutation's spec document the finding is about (``()``: the whole entry).
    """

    kind: str
    mutation: str
    coordinate: str
    message: str
    contradiction: bool
    spec_path: SpecPath = ()


@dataclass(frozen=True)
class DriftReport:
    """The findings in catalogue order, the schema's mutations the catalogue lacks (sorted)
    and how many catalogue mutations were compared."""

    findings: tuple[Finding, ...]
    extra_mutations: tuple[str, ...]
    compared: int = 0


def compare(catalogue: Catalogue, schema: GraphQLSchema, endpoint: str = "api") -> DriftReport:
    """Compare the mutations of ``endpoint`` with the schema's Mutation type: the page's
    facts, so an entry the page shows without its heading is compared on its body alone
    (arguments and return fields), whichever source names its payload type."""
    root = schema.mutation_type
    fields = root.fields if root is not None else {}
    root_name = root.name if root is not None else "Mutation"
    page = catalogue.page_only()
    # By name, as the catalogue orders an endpoint's mutations.
    mine: list[Mutation | Headless] = sorted(
        [*page.mutations_of(endpoint), *(h for h in page.headless if h.endpoint == endpoint)],
        key=lambda m: m.name)
    findings = [f for m in mine for f in _mutation(m, fields.get(m.name), root_name)]
    # Mutation names are unique across endpoints; one the page places on another endpoint
    # is still on the page, so only the names it never documents are extra.
    documented = {m.name for m in page.mutations} | {h.name for h in page.headless}
    extra = tuple(sorted(name for name in fields if name not in documented))
    return DriftReport(tuple(findings), extra, len(mine))


def counts(report: DriftReport) -> dict[str, int]:
    """How many findings of each kind, in the order of :data:`KINDS` (kinds found only)."""
    found = Counter(f.kind for f in report.findings)
    return {kind: found[kind] for kind in KINDS if found[kind]}


def to_diagnostics(report: DriftReport, *, authority: Authority, source: str,
                   locate: Locator | None = None,
                   schema_path: str | None = None) -> list[Diagnostic]:
    """The report as diagnostics of rule ``drift-<kind>``.

    A contradiction is an error when the schema is the endpoint's own (``own``) and a
    warning when it is another brand's (``sibling``: it may differ legitimately); anything
    else is a note. Each finding is placed by ``locate`` (else at ``schema_path``, line 0);
    each mutation the page lacks is a note at ``schema_path`` (default: ``source``).
    """
    where = schema_path if schema_path is not None else source
    contradiction: Severity = "error" if authority == "own" else "warning"
    out: list[Diagnostic] = []
    for f in report.findings:
        path, line, column = locate(f.mutation, f.spec_path) if locate else (where, 0, 0)
        out.append(Diagnostic(path, line, column, f"{f.coordinate}: {f.message} (in {source})",
                              severity=contradiction if f.contradiction else "info",
                              rule=RULE_PREFIX + f.kind))
    out.extend(Diagnostic(where, 0, 0, f"{source} has the mutation {name}, which the page "
                          "does not document", severity="info", rule=NOT_ON_PAGE_RULE)
               for name in report.extra_mutations)
    return out


# --- one mutation -------------------------------------------------------------------------------


def _mutation(m: Mutation | Headless, field: GraphQLField | None,
              root: str) -> Iterator[Finding]:
    at = f"{root}.{m.name}"
    if field is None:
        yield Finding("mutation-absent", m.name, at, f"the page documents {m.name}; the "
                      f"schema's {root} type has no such field", True)
        return
    if isinstance(m, Mutation):
        # The heading an entry without one lacks holds these facts.
        yield from _deprecation(m, field, at)
        yield from _payload(m, field, at)
    yield from _arguments(m, field, at)
    yield from _return_fields(m, field)
    if isinstance(m, Mutation):
        yield from _errors(m, field, at)


def _deprecation(m: Mutation, field: GraphQLField, at: str) -> Iterator[Finding]:
    # Both deprecating for different reasons is no drift: the reasons are prose.
    page, schema = m.deprecation_reason, field.deprecation_reason
    if page is None and schema is not None:
        yield Finding("deprecation", m.name, at, f"the schema deprecates {m.name} "
                      f"({_reason(schema)}); the page does not", False, ("deprecationReason",))
    elif page is not None and schema is None:
        yield Finding("deprecation", m.name, at, f"the page deprecates {m.name} "
                      f"({_reason(page)}); the schema does not", False, ("deprecationReason",))


def _reason(text: str) -> str:
    # Kraken's reasons run to several paragraphs: one line, cut to an excerpt.
    return excerpt(" ".join(text.split()))


def _payload(m: Mutation, field: GraphQLField, at: str) -> Iterator[Finding]:
    page, schema = _normal(m.payload_sdl), str(field.type)
    differs = _difference(page, schema)
    if differs is None:
        return
    text = f"the page types the payload of {m.name} as {page}; the schema as {schema}"
    if _named(page) != _named(schema):
        yield Finding("payload-type", m.name, at, text, True, ("payload", "type"))
    else:
        yield Finding("payload-nullability", m.name, at, f"{text} ({differs})", True,
                      ("payload", "nonNull"))


def _arguments(m: Mutation | Headless, field: GraphQLField, at: str) -> Iterator[Finding]:
    for i, argument in enumerate(m.arguments):
        where = f"{at}({argument.name}:)"
        page = _normal(argument.type)
        found = field.args.get(argument.name)
        if found is None:
            yield Finding("argument-missing", m.name, where, f"the page gives {m.name} the "
                          f"argument {argument.name}: {page}; the schema does not have it",
                          True, ("arguments", i))
            continue
        schema = str(found.type)
        differs = _difference(page, schema)
        if differs is None:
            continue
        text = f"the page types {argument.name} as {page}; the schema as {schema}"
        if _named(page) != _named(schema):
            yield Finding("argument-type", m.name, where, text, True, ("arguments", i, "type"))
        else:
            yield Finding("argument-nullability", m.name, where, f"{text} ({differs})", True,
                          ("arguments", i, "type"))
    shown = {a.name for a in m.arguments}
    for name, extra in field.args.items():
        if name in shown:
            continue
        # A client that leaves out an optional argument still works; a required one breaks.
        required = is_required_argument(extra)
        yield Finding("argument-extra", m.name, f"{at}({name}:)", f"the schema has the "
                      f"{'required' if required else 'optional'} argument {name}: "
                      f"{extra.type}, which the page does not show", required,
                      ("arguments",))


def _return_fields(m: Mutation | Headless, field: GraphQLField) -> Iterator[Finding]:
    # The fields are compared even when the payload's type name differs: the page's fields
    # describe what the mutation returns, whatever its type is called.
    payload = get_named_type(field.type)
    # A union or a scalar payload has no field of its own to compare.
    fields: dict[str, GraphQLField] = {}
    if isinstance(payload, GraphQLObjectType | GraphQLInterfaceType):
        fields = payload.fields
    for i, shown in enumerate(m.return_fields or ()):
        where = f"{payload.name}.{shown.name}"
        found = fields.get(shown.name)
        if found is None:
            yield Finding("payload-field-missing", m.name, where, f"the page shows the payload "
                          f"field {shown.name}: {_normal(shown.type)}; the schema's "
                          f"{payload.name} has no such field", True, ("returnFields", i))
            continue
        finding = _return_type(m, shown, found, where, ("returnFields", i, "type"))
        if finding is not None:
            yield finding
    # None: the page shows no field at all, so every field of the schema's payload is new.
    names = {f.name for f in m.return_fields or ()}
    for name, extra in fields.items():
        if name not in names:
            yield Finding("payload-field-extra", m.name, f"{payload.name}.{name}",
                          f"the schema's {payload.name} has the field {name}: {extra.type}, "
                          "which the page does not show", False, ("returnFields",))


def _return_type(m: Mutation | Headless, shown: ReturnField, found: GraphQLField, where: str,
                 path: SpecPath) -> Finding | None:
    page, schema = _normal(shown.type), str(found.type)
    differs = _difference(page, schema)
    if differs is None:
        return None
    same_shape = _named(page) == _named(schema) and _depth(page) == _depth(schema)
    if shown.documented:
        # The page states a payload field's named type and list structure (a fragment or a
        # type name in the example) but never its nullability: a schema that only adds "!"
        # refines the page rather than contradicting it.
        if same_shape:
            return Finding("return-type-refined", m.name, where, f"the page types "
                           f"{shown.name} as {page} and never shows whether a payload field "
                           f"is nullable; the schema's {schema} refines it", False, path)
        return Finding("return-type", m.name, where, f"the page types {shown.name} as {page}; "
                       f"the schema as {schema} ({differs})", True, path)
    example = _clip(shown.example or "")
    if _depth(page) == _depth(schema) and _refines(_named(page), get_named_type(found.type),
                                                   shown.example or ""):
        return Finding("return-type-refined", m.name, where, f"the page's example {example} "
                       f"gave {shown.name} the inferred type {page}; the schema's {schema} "
                       "refines the inference", False, path)
    # Not a contradiction of the page: the page never stated this type.
    return Finding("return-type-contradicts-inference", m.name, where, f"the page's example "
                   f"{example} gave {shown.name} the inferred type {page}; the schema types "
                   f"it as {schema} ({differs}), which the inference does not allow", False,
                   path)


# The rule for an inferred type (basis "example"). The schema's type refines the inference
# when the list structure is the same and its named type is
#   - the inferred one (only the nullability differs: the page never shows it);
#   - an alternative inference.candidates names for the example value: ID for a plain
#     string, an enum for an UPPERCASE one;
#   - a custom scalar where String, Int or Float was inferred (DateTime, Decimal, ... carry
#     the same JSON value, named more precisely);
#   - Float where Int was inferred (a whole number is a valid Float);
#   - any scalar or enum where GenericScalar was inferred (the example listed alternatives
#     of every kind).
# Anything else contradicts the inference: another list structure, another built-in scalar
# (inferred Boolean, schema String), an object, interface or union, or another scalar
# where the inference named one of its own (Date, DateTime, UUID, JSONString).
_REFINED_BY_CUSTOM_SCALARS = frozenset({"String", "Int", "Float"})


def _refines(inferred: str, schema: GraphQLNamedType, example: str) -> bool:
    if schema.name == inferred:
        return True
    alternatives = candidates(_element(example))
    if schema.name in alternatives:
        return True
    # candidates() describes the enum alternative in words: the enum has no name on the page.
    if is_enum_type(schema) and any(a.startswith("an enum") for a in alternatives):
        return True
    if (inferred in _REFINED_BY_CUSTOM_SCALARS and is_scalar_type(schema)
            and schema.name not in BUILTIN_SCALARS):
        return True
    if inferred == "Int" and schema.name == "Float":
        return True
    return inferred == "GenericScalar" and is_leaf_type(schema)


def _element(example: str) -> str:
    """The example value of one list element, as inference.infer_return_type reads it."""
    while example.startswith("[") and example.endswith("]") and " | " not in example:
        example = example[1:-1]
    return example


# --- possible errors ----------------------------------------------------------------------------

# Kraken's schemas end a mutation's description with this sentence and a list of
# "- KT-CT-1111: Unauthorized." lines.
ERRORS_SENTENCE = "The possible errors that can be raised are:"
_CODE = r"[A-Z]+-[A-Z]+-\d+"
_ITEM = re.compile(rf"-\s+({_CODE})\b")
# The SDL this tool generates states them on one line (generators.sdl), so a schema printed
# from the catalogue compares without a finding.
_OWN_LINE = re.compile(rf"^Possible errors: ({_CODE}(?:, {_CODE})*)\.$", re.MULTILINE)


def listed_errors(description: str | None) -> tuple[str, ...] | None:
    """The error codes a mutation's description lists, in order, or None if it lists none."""
    if not description:
        return None
    text = description.replace("\r\n", "\n").replace("\r", "\n")
    start = text.find(ERRORS_SENTENCE)
    codes: list[str] = []
    if start >= 0:
        for line in text[start + len(ERRORS_SENTENCE):].split("\n"):
            item = _ITEM.match(line.strip())
            if item is not None:
                codes.append(item[1])
            elif line.strip():
                break  # the list ends at the first line that is not an item
    else:
        own = _OWN_LINE.findall(text)
        codes = own[-1].split(", ") if own else []
    return tuple(dict.fromkeys(codes)) or None


def _errors(m: Mutation, field: GraphQLField, at: str) -> Iterator[Finding]:
    listed = listed_errors(field.description)
    if listed is None:
        return
    missing = [c for c in dict.fromkeys(m.errors) if c not in listed]
    extra = [c for c in listed if c not in m.errors]
    if missing:
        yield Finding("errors-missing", m.name, at, f"the page lists {', '.join(missing)} among "
                      f"the possible errors of {m.name}; the schema's description does not",
                      False, ("errors",))
    if extra:
        yield Finding("errors-extra", m.name, at, f"the schema's description lists "
                      f"{', '.join(extra)} among the possible errors of {m.name}; the page "
                      "does not", False, ("errors",))


# --- type references ----------------------------------------------------------------------------


def _normal(sdl: str) -> str:
    """A type reference as graphql-core prints it, so "[ Foo ]" and "[Foo]" compare equal."""
    try:
        return print_ast(parse_type(sdl))
    except (GraphQLError, RecursionError):
        return sdl  # a catalogue built by hand may hold anything: compare it as written


def _named(sdl: str) -> str:
    return sdl.strip("[]! ")


def _depth(sdl: str) -> int:
    return sdl.count("[")


def _difference(page: str, schema: str) -> str | None:
    """None when two printed references agree, else the largest part that differs."""
    if page == schema:
        return None
    if _named(page) != _named(schema):
        return "the named type differs"
    if _depth(page) != _depth(schema):
        return "the list structure differs"
    return "only the nullability differs"


def _clip(text: str) -> str:
    return text if len(text) <= EXCERPT_LIMIT else text[:EXCERPT_LIMIT - 1] + "…"
