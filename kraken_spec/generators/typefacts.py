"""What the catalogue knows of each named type, from which source, and which mutations use it."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from kraken_spec.generators.sourced import is_leaf
from kraken_spec.model import (
    BUILTIN_SCALARS,
    Catalogue,
    Mutation,
    NamedType,
    Provenance,
    SourcedField,
    SourcedType,
    named_type,
)

# A type gets a page when its name is a GraphQL name: that name is then also a safe file
# name and link target. A canonical reference wraps one such name in list and non-null marks.
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")
_REF = re.compile(r"\[*[_A-Za-z][_0-9A-Za-z]*!?(?:\]!?)*")

# How a payload field's type is known, in the words of the docs.
PAGE = "the page"
BASIS_WORDS = {"fragment": "the page (a fragment spread names the type)",
               "type-name": "the page", "example": "inferred from the page's example value"}


def page_name(ref: str) -> str | None:
    """The named type a reference links to, if it has a page: ``[Foo!]!`` gives ``Foo``;
    None for a built-in scalar or a reference that is not canonical SDL."""
    if not _REF.fullmatch(ref):
        return None
    name = named_type(ref)
    return None if name in BUILTIN_SCALARS or not _NAME.fullmatch(name) else name


@dataclass(frozen=True)
class Field:
    """A field or input field as a type page lists it, with who states it (``source``)."""

    name: str
    type: str
    description: str | None
    source: str
    default: str | None = None
    deprecation: str | None = None
    arguments: tuple[SourcedField, ...] = ()
    # A payload field whose type the page infers: the page's example value, and the type
    # a source states for it, with that source, when the source's type is a leaf.
    example: str | None = None
    refined: tuple[str, Provenance] | None = None
    # Who states the description where that is not who states the field: a source's
    # description of a field the page's example selects.
    described_by: Provenance | None = None


@dataclass(frozen=True)
class Value:
    """An enum value as a type page lists it."""

    name: str
    description: str | None
    deprecation: str | None
    source: str


@dataclass(frozen=True)
class TypeInfo:
    """Everything the docs say about one named type.

    ``origin`` says whose shape the page shows, by the precedence the SDL follows:
    ``payload`` (the page's payload fields), ``sourced`` (a schema source's shape),
    ``declared`` (what the page or the curated files state) or ``unknown`` (nothing).
    """

    name: str
    origin: str
    kind: str | None
    declared: NamedType | None
    provenance: Provenance | None
    description: str | None
    fields: tuple[Field, ...] = ()
    values: tuple[Value, ...] = ()
    members: tuple[str, ...] = ()
    interfaces: tuple[str, ...] = ()
    # A source's shape the catalogue does not use (the page states the shape, or uses the
    # type where that kind cannot stand), so the page can say so.
    unused: tuple[SourcedType, Provenance] | None = None
    payload_of: tuple[str, ...] = ()


@dataclass(frozen=True)
class Use:
    """How a mutation or a type uses a type: ``role`` is ``payload``, ``argument``,
    ``return field``, ``field``, ``member`` or ``interface``; ``name`` the argument or field,
    ``of`` the field whose argument it is."""

    role: str
    name: str | None = None
    of: str | None = None


@dataclass(frozen=True)
class TypeUses:
    """Who uses a type: mutations directly (and how), mutations through other types, and
    the types that refer to it."""

    direct: tuple[tuple[str, tuple[Use, ...]], ...] = ()
    reachable: tuple[str, ...] = ()
    referrers: tuple[tuple[str, Use], ...] = ()
    implementations: tuple[str, ...] = ()


def _sourced_fields(fields: tuple[SourcedField, ...], label: str) -> tuple[Field, ...]:
    return tuple(Field(f.name, f.type, f.description, label, f.default, f.deprecation_reason,
                       f.arguments) for f in fields)


def _payload(catalogue: Catalogue, name: str, mutations: list[Mutation],
             sourced: tuple[SourcedType, Provenance] | None,
             declared: NamedType | None) -> TypeInfo:
    """A payload type: the fields the page's examples select, then those a source adds."""
    shape, provenance = sourced if sourced and sourced[0].kind == "OBJECT" else (None, None)
    extra = {f.name: f for f in shape.fields} if shape else {}
    fields: dict[str, Field] = {}
    for m in mutations:
        for f in m.return_fields or ():
            if f.name in fields:
                continue
            known = extra.pop(f.name, None)
            refined = None
            if (f.basis == "example" and known is not None and provenance is not None
                    and is_leaf(catalogue, known.type)):
                refined = (known.type, provenance)
            described = known is not None and known.description is not None
            fields[f.name] = Field(f.name, f.type, known.description if known else None,
                                   BASIS_WORDS[f.basis], example=f.example, refined=refined,
                                   described_by=provenance if described else None)
    if provenance is not None:
        label = provenance.label()
        fields.update((f.name, f) for f in _sourced_fields(tuple(extra.values()), label))
    return TypeInfo(
        name, "payload", "OBJECT", declared, provenance,
        shape.description if shape else None, tuple(fields.values()),
        unused=sourced if sourced is not None and shape is None else None,
        payload_of=tuple(m.name for m in mutations))


def _sourced(name: str, shape: SourcedType, provenance: Provenance,
             declared: NamedType | None, payload_of: tuple[str, ...]) -> TypeInfo:
    label = provenance.label()
    return TypeInfo(
        name, "sourced", shape.kind, declared, provenance, shape.description,
        _sourced_fields(shape.fields, label),
        tuple(Value(v.name, v.description, v.deprecation_reason, label) for v in shape.values),
        shape.members, shape.interfaces, payload_of=payload_of)


def _declared(t: NamedType, unused: tuple[SourcedType, Provenance] | None,
              payload_of: tuple[str, ...]) -> TypeInfo:
    # A curated type's fields and values are the catalogue's own facts.
    source = PAGE if t.status != "inferred" else "inferred from the page's example values"
    return TypeInfo(
        t.name, "declared", t.kind, t, None, t.description,
        tuple(Field(f.name, f.type, f.description, source) for f in t.fields),
        tuple(Value(v, None, None, source) for v in t.values), unused=unused,
        payload_of=payload_of)


def type_info(catalogue: Catalogue, name: str, payloads: dict[str, list[Mutation]],
              declared: dict[str, NamedType]) -> TypeInfo:
    """What the docs say about ``name``, shaped by the same precedence as the SDL."""
    sourced = catalogue.sourced_type(name)
    shape = catalogue.shape_of(name)
    mine = declared.get(name)
    users = payloads.get(name, [])
    payload_of = tuple(m.name for m in users)
    if users and (any(m.return_fields is not None for m in users)
                  or (sourced is not None and sourced[0].kind == "OBJECT")):
        return _payload(catalogue, name, users, sourced, mine)
    if shape is not None:
        return _sourced(name, shape[0], shape[1], mine, payload_of)
    if mine is not None:
        return _declared(mine, sourced, payload_of)
    return TypeInfo(name, "unknown", None, None, None, None, unused=sourced,
                    payload_of=payload_of)


def references(info: TypeInfo) -> list[tuple[str, Use]]:
    """The types ``info`` refers to, each with how; only those that have pages."""
    out: list[tuple[str, Use]] = []
    for f in info.fields:
        out.append((f.type, Use("field", f.name)))
        if f.refined is not None:
            out.append((f.refined[0], Use("field", f.name)))
        out.extend((a.type, Use("argument", a.name, f.name)) for a in f.arguments)
    out.extend((m, Use("member")) for m in info.members)
    out.extend((i, Use("interface")) for i in info.interfaces)
    return [(n, how) for ref, how in out if (n := page_name(ref)) is not None]


def _mutation_refs(m: Mutation) -> list[tuple[str, Use]]:
    refs = [(m.payload_type, Use("payload"))]
    refs += [(a.type, Use("argument", a.name)) for a in m.arguments]
    refs += [(f.type, Use("return field", f.name)) for f in m.return_fields or ()]
    return [(n, how) for ref, how in refs if (n := page_name(ref)) is not None]


def all_type_infos(catalogue: Catalogue) -> dict[str, TypeInfo]:
    """A :class:`TypeInfo` for every named type the catalogue knows anything about: the
    page's types, the payloads, every type a schema source states, and every type these
    refer to; built-in scalars have none. Sorted by name."""
    declared = {t.name: t for t in catalogue.types}
    payloads: dict[str, list[Mutation]] = defaultdict(list)
    for m in sorted(catalogue.mutations, key=lambda m: m.name):
        payloads[m.payload_type].append(m)
    todo = [*declared, *payloads]
    todo += [t.name for e in catalogue.enrichments for t in e.types]
    todo += [n for m in catalogue.mutations for n, _ in _mutation_refs(m)]
    infos: dict[str, TypeInfo] = {}
    while todo:
        name = todo.pop()
        if name in infos or page_name(name) != name:
            continue
        info = infos[name] = type_info(catalogue, name, payloads, declared)
        todo.extend(n for n, _ in references(info) if n not in infos)
    return dict(sorted(infos.items()))


def type_uses(catalogue: Catalogue, infos: dict[str, TypeInfo]) -> dict[str, TypeUses]:
    """Who uses each type. A mutation reaches a type through the fields, field arguments
    and union members of the types it uses directly, and through an interface's
    implementations, as far as the type pages show them."""
    implementations: dict[str, list[str]] = defaultdict(list)
    for info in infos.values():
        for interface in info.interfaces:
            # Only an interface has implementations: the page may use a source's interface
            # as an object (a payload type), and the schema keeps the page's view.
            if interface in infos and infos[interface].kind == "INTERFACE":
                implementations[interface].append(info.name)
    edges: dict[str, set[str]] = {}
    referrers: dict[str, list[tuple[str, Use]]] = defaultdict(list)
    for info in infos.values():
        # An object names the interfaces it implements; that is listed on both pages, but
        # a mutation reaches an interface's implementations, not the other way round.
        refs = [(n, how) for n, how in references(info) if how.role != "interface"]
        # A payload field the page's example selects is its mutation's return field, which
        # the target's page lists as a direct use already.
        selected = {f.name for f in info.fields if f.source in BASIS_WORDS.values()}
        for target, how in refs:
            if not (info.origin == "payload" and how.role == "field" and how.name in selected):
                referrers[target].append((info.name, how))
        edges[info.name] = {n for n, _ in refs}
        edges[info.name].update(implementations.get(info.name, ()))
    direct: dict[str, dict[str, list[Use]]] = defaultdict(dict)
    reached: dict[str, list[str]] = defaultdict(list)
    for m in sorted(catalogue.mutations, key=lambda m: m.name):
        starts = _mutation_refs(m)
        for name, how in starts:
            direct[name].setdefault(m.name, []).append(how)
        seen = {n for n, _ in starts}
        stack = list(seen)
        while stack:
            for target in edges.get(stack.pop(), ()):
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
                    reached[target].append(m.name)
    return {name: TypeUses(
        tuple((m, tuple(hows)) for m, hows in direct[name].items()),
        tuple(reached[name]), tuple(referrers[name]), tuple(implementations[name]))
        for name in infos}
