"""What the schema sources add to one mutation, beside the page's facts, for the docs."""

from __future__ import annotations

from dataclasses import dataclass

from kraken_spec.model import (
    BUILTIN_SCALARS,
    Catalogue,
    Mutation,
    Provenance,
    SourcedField,
    SourcedType,
    named_type,
)

_KIND_WORDS = {"OBJECT": "object", "INTERFACE": "interface", "UNION": "union",
               "ENUM": "enum", "INPUT_OBJECT": "input object", "SCALAR": "scalar"}


def shape_summary(t: SourcedType) -> str:
    """A few words on a source's shape of a type: ``input object, 3 fields``."""
    kind = _KIND_WORDS[t.kind]
    if t.fields:
        return f"{kind}, {len(t.fields)} field{'s' if len(t.fields) != 1 else ''}"
    if t.values:
        return f"{kind}, {len(t.values)} value{'s' if len(t.values) != 1 else ''}"
    if t.members:
        return f"{kind} of {len(t.members)} type{'s' if len(t.members) != 1 else ''}"
    return kind


@dataclass(frozen=True)
class TypeFact:
    """How a type a mutation uses is known: by the page, by a source, or not at all."""

    name: str
    used_by: str
    known: str
    provenance: Provenance | None


@dataclass(frozen=True)
class MutationSources:
    """The facts beyond the page for one mutation."""

    types: tuple[TypeFact, ...]
    # Return fields whose type the page only inferred and a source states.
    refined: dict[str, tuple[str, Provenance]]
    # Payload fields a source states that the page's example does not select.
    extra_fields: tuple[tuple[SourcedField, Provenance], ...]


def is_leaf(catalogue: Catalogue, ref: str) -> bool:
    """True when ``ref`` names a built-in scalar, or a scalar or enum as the catalogue
    shapes it: only such a type refines a type the page infers from an example value."""
    shape = catalogue.shape_of(named_type(ref))
    return named_type(ref) in BUILTIN_SCALARS or (
        shape is not None and shape[0].kind in ("SCALAR", "ENUM"))


def mutation_sources(catalogue: Catalogue, m: Mutation) -> MutationSources:
    """The facts schema sources add to ``m``; the same precedence as the SDL applies."""
    declared = {t.name: t for t in catalogue.types}
    uses = [(named_type(a.type), f"argument {a.name}") for a in m.arguments] + [
        (named_type(f.type), f"return field {f.name}") for f in m.return_fields or ()]
    facts: list[TypeFact] = []
    seen: set[str] = set()
    for name, used_by in uses:
        if name in seen or name in BUILTIN_SCALARS:
            continue
        seen.add(name)
        page = declared.get(name)
        shape = catalogue.shape_of(name)
        if page is not None and page.status == "documented":
            facts.append(TypeFact(name, used_by, "stated by the page", None))
        elif shape is not None:
            facts.append(TypeFact(name, used_by, shape_summary(shape[0]), shape[1]))
        else:
            facts.append(TypeFact(name, used_by, "no source states its shape", None))
    payload = catalogue.sourced_type(m.payload_type)
    refined: dict[str, tuple[str, Provenance]] = {}
    extra: list[tuple[SourcedField, Provenance]] = []
    if payload is not None and payload[0].kind == "OBJECT":
        payload_shape, provenance = payload
        page_fields = {f.name: f for f in m.return_fields or ()}
        for field in payload_shape.fields:
            mine = page_fields.get(field.name)
            if mine is None:
                extra.append((field, provenance))
            elif mine.basis == "example" and is_leaf(catalogue, field.type):
                refined[field.name] = (field.type, provenance)
    return MutationSources(tuple(facts), refined, tuple(extra))
