"""Compare two catalogues: every change, classified breaking, dangerous, safe or knowledge.

Coordinates name what changed. Schema facts use GraphQL schema coordinates: ``Mutation.x``
(a mutation), ``Mutation.x(input:)`` (its argument), ``Type`` (a named type), ``Type.f``
(a field, an input field or an enum value), ``Type.f(a:)`` (a field's argument), and, as
graphql-inspector writes them, ``Union.Member`` and ``Type.Interface``. Facts outside the
schema are ``collection:key``: ``errors:KT-CT-1111`` (an error code's message),
``endpoints:api``, ``sources:octopus-energy-it``; a possible error of a mutation is
``Mutation.x@errors:KT-CT-1111``.

Each kind has a base level (:data:`KINDS`); who states the fact on each side grades it
(:func:`kraken_spec.contract.diffrules.grade`): the page and an own source state the API and
keep the base level; a sibling source or an inference from the page's example values make a
change at most dangerous; and when the new side only knows more (a stand-in gains its
shape, an inference is confirmed, a sibling's fact gives way to an own one) or less, the
change is ``knowledge``.

graphql-core's ``find_breaking_changes`` reports changes as sentences without coordinates
or provenance, and calls a stand-in scalar that gains its shape a kind change; its
compatibility rules (``is_change_safe_for_*``) are used here, on a walk that knows both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLError,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    Undefined,
    is_required_argument,
    is_required_input_field,
)
from graphql.utilities.find_breaking_changes import (
    is_change_safe_for_input_object_field_or_field_arg,
    is_change_safe_for_object_or_interface_field,
    stringify_value,
)

from kraken_spec.contract.diffrules import (
    INFERRED,
    KINDS,
    LEVELS,
    PAGE,
    STAND_IN,
    Change,
    Collector,
    Coverage,
    DiffError,
    Fact,
    Level,
    membership,
)
from kraken_spec.diagnostics import excerpt
from kraken_spec.gql.operations import EXTENSION
from kraken_spec.gql.schema import build_endpoint_schema
from kraken_spec.model import Catalogue, Mutation, Provenance

__all__ = ["KINDS", "LEVELS", "Change", "DiffError", "Level", "diff_catalogues"]

# Paragraphs of built descriptions that mark provenance rather than describe (gql.schema).
_MARKERS = ("Undocumented: ", "Inferred: ", "Own: ", "Sibling: ", "The page's example value ")


def _plain(text: str | None) -> str | None:
    kept = [p for p in (text or "").split("\n\n") if not p.startswith(_MARKERS)]
    return "\n\n".join(kept) or None


def _kind_name(t: GraphQLNamedType) -> str:
    names = ((GraphQLInputObjectType, "an input object"), (GraphQLObjectType, "an object"),
             (GraphQLInterfaceType, "an interface"), (GraphQLUnionType, "a union"),
             (GraphQLEnumType, "an enum"))
    return next((name for cls, name in names if isinstance(t, cls)), "a scalar")


def _default(value: Any, type_: Any) -> str | None:
    if value is Undefined:
        return None
    try:
        return stringify_value(value, type_)
    except (TypeError, ValueError, GraphQLError):
        return repr(value)


class _Side:
    """One catalogue with its endpoints' schemas and who states each built fact."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.mutations = {m.name: m for m in catalogue.mutations}
        self.payloads: dict[str, Mutation] = {}
        for m in catalogue.mutations:
            self.payloads.setdefault(m.payload_type, m)
        self.provenance = {e.provenance.source: e.provenance for e in catalogue.enrichments}
        self.schemas: dict[str, GraphQLSchema] = {}
        # Each named type once: a type reached from two endpoints is built alike for both.
        self.types: dict[str, tuple[GraphQLNamedType, str]] = {}
        for name in sorted({e.name for e in catalogue.endpoints}
                           | {m.endpoint for m in catalogue.mutations}):
            try:
                schema = build_endpoint_schema(catalogue, name)
            except (GraphQLError, TypeError, ValueError, KeyError, AssertionError,
                    RecursionError) as exc:
                reason = str(exc) if len(str(exc)) <= 200 else str(exc)[:200] + "…"
                raise DiffError(f"the schema of endpoint {name!r} cannot be built: "
                                f"{reason}") from None
            self.schemas[name] = schema
            for type_name, t in schema.type_map.items():
                if not type_name.startswith("__") and type_name not in ("Query", "Mutation"):
                    self.types.setdefault(type_name, (t, name))

    def root_field(self, m: Mutation) -> GraphQLField | None:
        root = self.schemas[m.endpoint].mutation_type
        return root.fields.get(m.name) if root is not None else None

    @staticmethod
    def source_fact(provenance: Provenance | None, authority: str, name: str) -> Fact:
        label = f"source {provenance.label() if provenance else name}"
        return Fact("own" if authority == "own" else "sibling", label)

    def fact(self, thing: object, default: Fact) -> Fact:
        """Who states a built type or field (gql.schema records it), else ``default``."""
        extensions: Mapping[str, Any] = getattr(thing, "extensions", None) or {}
        mine = extensions.get(EXTENSION) or {}
        basis, source = mine.get("basis"), str(mine.get("source", ""))
        provenance = self.provenance.get(source)
        if basis is None:
            return default
        if basis == "stand-in":
            return STAND_IN
        if basis in ("own", "sibling"):
            return self.source_fact(provenance, basis, source)
        if basis == "inferred":
            # With a source: a leaf type it states where the page's example only suggested.
            return (self.source_fact(provenance, provenance.authority, source)
                    if provenance is not None else INFERRED)
        return PAGE

    def field_facts(self, thing: object, container: Fact) -> tuple[Fact, Fact]:
        """Who states that a field exists, and who states its type."""
        detail = self.fact(thing, container)
        mine = (getattr(thing, "extensions", None) or {}).get(EXTENSION) or {}
        # A payload field the page's example selects exists by the page's word, whoever
        # states its type.
        return (PAGE if mine.get("basis") == "inferred" else detail), detail

    def coverage(self, name: str, t: GraphQLNamedType, fact: Fact,
                 members: Sequence[str]) -> Coverage:
        """Who lists the members of ``t``: a payload's fields come from the page's example
        (not exhaustive) and from a source's shape; any other type has one statement."""
        m = self.payloads.get(name)
        if m is None or fact != PAGE or not isinstance(t, GraphQLObjectType):
            return {fact.authority: (fact, members)}
        cover: Coverage = {}
        if m.return_fields is not None:
            cover["page"] = (PAGE, [f.name for f in m.return_fields])
        shaped = self.catalogue.sourced_type(name)
        if shaped is not None and shaped[0].kind == "OBJECT":
            source = self.source_fact(shaped[1], shaped[1].authority, shaped[1].source)
            cover.setdefault(source.authority, (source, [f.name for f in shaped[0].fields]))
        return cover


class _Differ(Collector):
    """Walks two sides: catalogue-wide facts, mutations, then every named type both have."""

    def __init__(self, old: _Side, new: _Side) -> None:
        super().__init__(old.catalogue, new.catalogue)
        self.old, self.new = old, new

    def mutations(self) -> None:
        old, new = self.old.mutations, self.new.mutations
        for name in sorted(old.keys() | new.keys()):
            o, n, coord = old.get(name), new.get(name), f"Mutation.{name}"
            if o is None and n is not None:
                if n.payload_source is not None and self._headless(self.old, name):
                    # The page showed this entry all along, without its heading; a source
                    # now names its payload: the catalogue learned, the API is the same.
                    self.add("fact-learned", coord, f"the entry {name}, shown on the page "
                             f"without its heading, is confirmed by source "
                             f"{n.payload_source.label()}", n.endpoint)
                else:
                    self.add("mutation-added", coord, f"new mutation {name} on endpoint "
                             f"{n.endpoint}", n.endpoint)
            elif n is None and o is not None:
                if o.payload_source is not None and self._headless(self.new, name):
                    self.add("fact-unlearned", coord, f"the entry {name}, shown on the page "
                             "without its heading, is no longer confirmed by a schema source",
                             o.endpoint)
                else:
                    self.add("mutation-removed", coord, f"mutation {name} was removed from "
                             f"endpoint {o.endpoint}", o.endpoint)
            elif o is not None and n is not None:
                self.mutation(o, n)

    @staticmethod
    def _headless(side: _Side, name: str) -> bool:
        """Whether the page shows ``name`` on that side as an entry without heading."""
        return any(h.name == name for h in side.catalogue.headless)

    def mutation(self, o: Mutation, n: Mutation) -> None:
        coord, ep, name = f"Mutation.{n.name}", n.endpoint, n.name
        if o.endpoint != n.endpoint:
            self.add("mutation-moved", coord, f"mutation {name} moved from endpoint "
                     f"{o.endpoint} to endpoint {n.endpoint}", ep)
        if n.requires_authorization and not o.requires_authorization:
            self.add("authorization-required", coord, f"{name} now requires the "
                     "Authorization header (it did not)", ep)
        elif o.requires_authorization and not n.requires_authorization:
            self.add("authorization-dropped", coord, f"{name} no longer requires the "
                     "Authorization header", ep)
        if o.description != n.description:
            self.add("description-changed", coord, f"the description of {name} changed "
                     f"from {excerpt(o.description)} to {excerpt(n.description)}", ep)
        messages = {e.code: e.message for e in self.new.catalogue.errors}
        for code in n.errors:
            if code not in o.errors:
                self.add("error-code-added", f"{coord}@errors:{code}", f"{name} may now "
                         f"raise {code} ({excerpt(messages.get(code, ''))}), which clients "
                         "may not handle", ep)
        for code in o.errors:
            if code not in n.errors:
                self.add("error-code-removed", f"{coord}@errors:{code}",
                         f"{name} no longer lists the possible error {code}", ep)
        fo, fn = self.old.root_field(o), self.new.root_field(n)
        if fo is not None and fn is not None:
            self.field("Mutation", name, fo, fn, (PAGE, PAGE), (PAGE, PAGE), ep)

    # --- what both sides' schemas state ---------------------------------------------------

    def texts(self, coord: str, what: str, old: Any, new: Any, ep: str | None,
              describe: bool = True) -> None:
        """Description and deprecation changes of one element (the caller checks that the
        same kind of statement gives them on both sides)."""
        if describe and _plain(old.description) != _plain(new.description):
            self.add("description-changed", coord, f"the description of {what} changed from "
                     f"{excerpt(_plain(old.description))} to "
                     f"{excerpt(_plain(new.description))}", ep)
        was = getattr(old, "deprecation_reason", None)
        now = getattr(new, "deprecation_reason", None)
        if was is None and now is not None:
            self.add("deprecation-added", coord, f"{what} is deprecated: {excerpt(now)}", ep)
        elif was is not None and now is None:
            self.add("deprecation-removed", coord, f"{what} is no longer deprecated (was: "
                     f"{excerpt(was)})", ep)
        elif was != now:
            self.add("deprecation-changed", coord, f"the deprecation reason of {what} "
                     f"changed from {excerpt(was)} to {excerpt(now)}", ep)

    def field(self, owner: str, name: str, fo: GraphQLField, fn: GraphQLField,
              old: tuple[Fact, Fact], new: tuple[Fact, Fact], ep: str | None) -> None:
        """One output field both sides have: its type, arguments and texts."""
        coord, (eo, do), (en, dn) = f"{owner}.{name}", old, new
        what = f"the payload of {name}" if owner == "Mutation" else f"field {name}"
        ot, nt = str(fo.type), str(fn.type)
        if ot != nt:
            safe = is_change_safe_for_object_or_interface_field(fo.type, fn.type)
            self.graded("field-type-changed-safely" if safe else "field-type-changed", coord,
                        f"{what} changed type from {ot} to {nt}"
                        + (" (an output may become non-null)" if safe else ""), ep, do, dn,
                        "inference-refined" if do.authority == "inferred" else
                        "provenance-changed")
        elif do != dn and (fo.extensions or fn.extensions):
            # A payload field's own basis (a type's fields share their type's, reported once).
            kind = "inference-confirmed" if do.authority == "inferred" else "provenance-changed"
            self.add(kind, coord, f"the type {nt} of {what} is now stated by {dn.label} (was "
                     f"{do.label})", ep)
        self.arguments(coord, fo.args, fn.args, eo, en, ep)
        if do.authority == dn.authority:
            # A mutation's description is compared from the model: the built one adds the
            # listed facts (authorization, errors), each reported on its own.
            self.texts(coord, f"mutation {name}" if owner == "Mutation" else what, fo, fn, ep,
                       describe=owner != "Mutation")

    def arguments(self, coord: str, old: Mapping[str, GraphQLArgument],
                  new: Mapping[str, GraphQLArgument], eo: Fact, en: Fact,
                  ep: str | None) -> None:
        found = membership({eo.authority: (eo, list(old))}, {en.authority: (en, list(new))})

        def removed(a: str) -> tuple[str, str, str]:
            return ("argument-removed", f"{coord}({a}:)",
                    f"argument {a} ({old[a].type}) was removed")

        def added(a: str) -> tuple[str, str, str]:
            required = is_required_argument(new[a])
            return ("argument-added-required" if required else "argument-added",
                    f"{coord}({a}:)", f"new {'required' if required else 'optional'} "
                    f"argument {a}: {new[a].type}")

        self.members(coord, found, "argument", ep, removed, added)
        for a in found.persisted:
            self.input_value(f"{coord}({a}:)", f"argument {a}", old[a], new[a], eo, en, ep,
                             "argument-type-changed")

    def input_value(self, coord: str, what: str, old: GraphQLArgument | GraphQLInputField,
                    new: GraphQLArgument | GraphQLInputField, fo: Fact, fn: Fact,
                    ep: str | None, kind: str) -> None:
        """An argument or input field both sides have: type, default and texts."""
        ot, nt = str(old.type), str(new.type)
        if ot != nt:
            safe = is_change_safe_for_input_object_field_or_field_arg(old.type, new.type)
            self.graded(kind + "-safely" if safe else kind, coord, f"{what} changed type "
                        f"from {ot} to {nt}" + (" (an input may become nullable)" if safe
                                                else ""), ep, fo, fn)
        was, now = _default(old.default_value, old.type), _default(new.default_value, new.type)
        if was != now:
            self.graded("default-changed", coord, f"the default of {what} changed from "
                        f"{was or 'none'} to {now or 'none'}", ep, fo, fn)
        if fo.authority == fn.authority:
            self.texts(coord, what, old, new, ep)

    def types(self) -> None:
        for name in sorted(self.old.types.keys() & self.new.types.keys()):
            (to, _), (tn, ep) = self.old.types[name], self.new.types[name]
            fo, fn = self.old.fact(to, PAGE), self.new.fact(tn, PAGE)
            if STAND_IN in (fo, fn):
                if fo == STAND_IN and fn != STAND_IN:
                    self.add("type-shape-known", name, f"{name} stood in as a scalar, its "
                             f"shape unknown; {fn.label} states it as {_kind_name(tn)}", ep)
                elif fn == STAND_IN and fo != STAND_IN:
                    self.add("type-shape-lost", name, f"{name} was {_kind_name(to)} as "
                             f"{fo.label} stated; no source states its shape now, so it "
                             "stands in as a scalar", ep)
                continue
            if type(to) is not type(tn):
                self.graded("type-kind-changed", name, f"{name} changed from "
                            f"{_kind_name(to)} to {_kind_name(tn)}", ep, fo, fn)
                continue
            if fo != fn:
                self.add("provenance-changed", name, f"{name} is now stated by {fn.label} "
                         f"(was {fo.label})", ep)
            if fo.authority == fn.authority:
                self.texts(name, name, to, tn, ep)
            self.shape(name, to, tn, fo, fn, ep)

    def shape(self, name: str, to: GraphQLNamedType, tn: GraphQLNamedType, fo: Fact,
              fn: Fact, ep: str | None) -> None:
        """The members of a type both sides state, by its kind."""
        def simple(kind: str, what: str, old: Sequence[str], new: Sequence[str],
                   owner: str) -> None:
            def describe(verb: str) -> Any:
                return lambda m: (f"{kind}-{verb}", f"{name}.{m}",
                                  f"{what} {m} was {verb} to {owner}" if verb == "added" else
                                  f"{what} {m} was {verb} from {owner}")
            found = membership({fo.authority: (fo, old)}, {fn.authority: (fn, new)})
            self.members(name, found, what, ep, describe("removed"), describe("added"))

        if isinstance(to, GraphQLObjectType | GraphQLInterfaceType):
            assert isinstance(tn, GraphQLObjectType | GraphQLInterfaceType)
            self.fields(name, to, tn, fo, fn, ep)
            simple("interface", "interface", [i.name for i in to.interfaces],
                   [i.name for i in tn.interfaces], f"the interfaces {name} implements")
        elif isinstance(to, GraphQLInputObjectType):
            assert isinstance(tn, GraphQLInputObjectType)
            self.input_fields(name, to, tn, fo, fn, ep)
        elif isinstance(to, GraphQLEnumType):
            assert isinstance(tn, GraphQLEnumType)
            simple("enum-value", "value", list(to.values), list(tn.values), f"enum {name}")
            for v in sorted(to.values.keys() & tn.values.keys()):
                if fo.authority == fn.authority:
                    self.texts(f"{name}.{v}", f"value {v}", to.values[v], tn.values[v], ep)
        elif isinstance(to, GraphQLUnionType):
            assert isinstance(tn, GraphQLUnionType)
            simple("union-member", "member", [t.name for t in to.types],
                   [t.name for t in tn.types], f"union {name}")

    def fields(self, name: str, to: GraphQLObjectType | GraphQLInterfaceType,
               tn: GraphQLObjectType | GraphQLInterfaceType, fo: Fact, fn: Fact,
               ep: str | None) -> None:
        found = membership(self.old.coverage(name, to, fo, list(to.fields)),
                           self.new.coverage(name, tn, fn, list(tn.fields)))
        self.members(name, found, "field", ep,
                     lambda f: ("field-removed", f"{name}.{f}", f"field {f} "
                                f"({to.fields[f].type}) was removed from {name}"),
                     lambda f: ("field-added", f"{name}.{f}", f"new field {f}: "
                                f"{tn.fields[f].type} on {name}"))
        for f in found.persisted:
            self.field(name, f, to.fields[f], tn.fields[f],
                       self.old.field_facts(to.fields[f], fo),
                       self.new.field_facts(tn.fields[f], fn), ep)

    def input_fields(self, name: str, to: GraphQLInputObjectType, tn: GraphQLInputObjectType,
                     fo: Fact, fn: Fact, ep: str | None) -> None:
        found = membership({fo.authority: (fo, list(to.fields))},
                           {fn.authority: (fn, list(tn.fields))})

        def added(f: str) -> tuple[str, str, str]:
            required = is_required_input_field(tn.fields[f])
            return ("input-field-added-required" if required else "input-field-added",
                    f"{name}.{f}", f"new {'required' if required else 'optional'} input "
                    f"field {f}: {tn.fields[f].type} on {name}")

        self.members(name, found, "input field", ep,
                     lambda f: ("input-field-removed", f"{name}.{f}", f"input field {f} "
                                f"({to.fields[f].type}) was removed from {name}"), added)
        for f in found.persisted:
            self.input_value(f"{name}.{f}", f"input field {f}", to.fields[f], tn.fields[f],
                             fo, fn, ep, "input-field-type-changed")


def diff_catalogues(old: Catalogue, new: Catalogue) -> list[Change]:
    """Every change from ``old`` to ``new``, each once, breaking first (see the module's
    docstring for coordinates and levels). Raises :class:`DiffError` when a catalogue's
    schema cannot be built."""
    differ = _Differ(_Side(old), _Side(new))
    differ.endpoints()
    differ.errors()
    differ.sources()
    differ.mutations()
    differ.types()
    return differ.changes()
