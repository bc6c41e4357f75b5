"""Type pages for the docs: one per named type, a types index, and links to them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import lru_cache

from kraken_spec.generators.mdtext import md_code, md_code_cell, md_inline, md_url
from kraken_spec.generators.prose import md_prose_cell
from kraken_spec.generators.typefacts import (
    BASIS_WORDS,
    Field,
    TypeInfo,
    TypeUses,
    Use,
    page_name,
)

TYPES_DIR = "docs/types"
TYPES_INDEX = "docs/types.md"

KIND_WORDS = {"OBJECT": "object", "INTERFACE": "interface", "UNION": "union", "ENUM": "enum",
              "INPUT_OBJECT": "input object", "SCALAR": "scalar"}
# A type page lists the mutations that reach the type through other types up to this many,
# and counts them beyond: a type such as DateTime is reached by most mutations, and the
# lists would grow with the catalogue times the types (the types referring to it lead on).
REACHING_LISTED = 50
# How a type page names a schema source's authority, after its label.
AUTHORITY_WORDS = {
    "own": "an own schema (an introspection of this endpoint)",
    "sibling": "a sibling schema (another Kraken brand on the same platform, whose schema "
               "may differ from this endpoint's)",
}
# The order of the types index's sections.
KIND_ORDER = ("OBJECT", "INTERFACE", "UNION", "INPUT_OBJECT", "ENUM", "SCALAR", None)
_KIND_TITLES = {"OBJECT": "Objects", "INTERFACE": "Interfaces", "UNION": "Unions",
                "INPUT_OBJECT": "Input objects", "ENUM": "Enums", "SCALAR": "Scalars",
                None: "Types of unknown kind"}


def type_linker(pages: Collection[str], *, cell: bool) -> Callable[[str, str], str]:
    """A filter writing a type reference as code, linked to its type page when it has one:
    ``[`[Foo!]`](../types/Foo.md)``. ``base`` is the path from the page to the types."""
    code = md_code_cell if cell else md_code
    # Written once per reference and folder: a build links a few thousand references
    # some 25,000 times.
    done: dict[tuple[str, str], str] = {}

    def link(ref: str, base: str = "") -> str:
        found = done.get((ref, base))
        if found is None:
            name = page_name(ref)
            # A page's name is a GraphQL name: safe as it stands in a path and a URL.
            found = done[ref, base] = (code(ref) if name is None or name not in pages
                                       else f"[{code(ref)}]({base}{name}.md)")
        return found

    return link


@lru_cache(maxsize=4096)
def _mutation_link(name: str, base: str) -> str:
    return f"[{md_inline(name)}]({base}{md_url(name)}.md)"


def a_kind(kind: str) -> str:
    """A kind with its article: ``an input object``."""
    words = KIND_WORDS.get(kind, "unknown kind")
    return ("an " if words[0] in "aeiou" else "a ") + words


def mutation_links(names: Collection[str], base: str = "../mutations/") -> str:
    """Links to the pages of the named mutations, comma-separated."""
    # The type pages link the same few hundred mutations some 13,000 times.
    return ", ".join(_mutation_link(name, base) for name in names)


def use_cell(uses: Use | tuple[Use, ...]) -> str:
    """How a mutation or type uses a type, for a table cell: ``argument `input```."""
    out = []
    for use in uses if isinstance(uses, tuple) else (uses,):
        words = use.role
        if use.name is not None:
            words += " " + md_code_cell(use.name)
        if use.of is not None:
            words += " of " + md_code_cell(use.of)
        out.append(words)
    return "; ".join(out)


def field_notes(link: Callable[[str, str], str]) -> Callable[[Field], str]:
    """A filter writing a field's description cell: deprecation, description, default and
    the field's own arguments (types linked by ``link``); ``—`` when there is none."""

    def notes(f: Field) -> str:
        parts = []
        if f.deprecation is not None:
            parts.append("**Deprecated:** " + (md_prose_cell(f.deprecation) or "no reason given"))
        if f.description is not None and f.description.strip():
            parts.append(md_prose_cell(f.description))
        if f.default is not None:
            parts.append("Default: " + md_code_cell(f.default))
        if f.arguments:
            parts.append("Arguments: " + ", ".join(
                f"{md_code_cell(a.name)} {link(a.type, '')}" for a in f.arguments))
        return "<br>".join(parts) or "—"

    return notes


def documented(info: TypeInfo) -> bool:
    """True when the catalogue states the type's shape itself (curated facts)."""
    return info.declared is not None and info.declared.status == "documented"


def shape_hint(info: TypeInfo | None) -> str:
    """A few words on where a type's shape is known from, for a table that names the type:
    ``fields from octopus-energy-it (sibling, 2026-02-10)``, ``fields not documented``;
    "" for a scalar, whose name says all there is."""
    if info is None or info.kind == "SCALAR":
        return ""
    what = {"ENUM": "values", "UNION": "members"}.get(info.kind or "", "fields")
    if info.origin == "payload":
        return "fields selected by the page's example"
    if info.origin == "sourced" and info.provenance is not None:
        return f"{what} from {info.provenance.label()}"
    if info.origin == "declared" and (info.fields or info.values or documented(info)):
        return f"{what} stated by the page"
    return f"{what} not documented"


@dataclass(frozen=True)
class KindSection:
    """One section of the types index: the types of one kind."""

    kind: str | None
    title: str
    anchor: str
    types: tuple[TypeInfo, ...]


def kind_sections(infos: dict[str, TypeInfo]) -> list[KindSection]:
    """The types by kind, in :data:`KIND_ORDER`, each kind's by name; empty kinds left out."""
    by_kind: dict[str | None, list[TypeInfo]] = {}
    for info in infos.values():
        by_kind.setdefault(info.kind if info.kind in KIND_WORDS else None, []).append(info)
    return [KindSection(kind, _KIND_TITLES[kind], "kind-" + (kind or "unknown").lower(),
                        tuple(by_kind[kind])) for kind in KIND_ORDER if kind in by_kind]


def shape_basis(info: TypeInfo) -> str:
    """On what a type page's shape rests: ``page``, ``inferred`` (from the page's examples),
    ``own``, ``sibling`` or ``undocumented`` (no one states it)."""
    if info.origin == "payload":
        return "page"
    if info.origin == "sourced" and info.provenance is not None:
        return info.provenance.authority
    if info.declared is not None and info.declared.status == "inferred":
        return "inferred"
    if info.origin == "declared" and (info.fields or info.values or documented(info)):
        return "page"
    return "undocumented"


def known_from(info: TypeInfo) -> str:
    """Who states a type's shape, for the types index."""
    basis = shape_basis(info)
    if basis in ("own", "sibling") and info.provenance is not None:
        return info.provenance.label()
    if basis == "page" and info.provenance is not None:
        # A payload: the page's fields, and a source's beside them.
        return f"the page and {info.provenance.label()}"
    return {"page": "the page", "inferred": "inferred from the page's examples"}.get(
        basis, "not documented")


def type_counts(infos: dict[str, TypeInfo]) -> dict[str, int]:
    """How many type pages rest on each basis (see :func:`shape_basis`)."""
    counts = Counter(shape_basis(info) for info in infos.values())
    return {key: counts[key] for key in ("page", "inferred", "own", "sibling", "undocumented")}


def type_context(info: TypeInfo, uses: TypeUses,
                 infos: dict[str, TypeInfo]) -> dict[str, object]:
    """What the type page template needs beside the facts themselves."""
    return {
        "t": info,
        "uses": uses,
        "kind": KIND_WORDS.get(info.kind or "", "unknown"),
        "reaching_listed": REACHING_LISTED,
        # Whether a payload's page lists fields the page's example selects.
        "selected": any(f.source in BASIS_WORDS.values() for f in info.fields),
        # Where the shape of each type the page's tables list beside it is known from.
        "hints": {name: shape_hint(infos.get(name)) for name in
                  {*info.members, *info.interfaces, *uses.implementations}},
    }
