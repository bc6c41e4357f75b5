"""The immutable catalogue model, built once from a validated spec."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from kraken_spec.authority import Authority

Basis = Literal["fragment", "type-name", "example"]
Status = Literal["documented", "undocumented", "inferred"]
Role = Literal["input", "output"]
Kind = Literal["SCALAR", "OBJECT", "INPUT_OBJECT", "ENUM"]
SourcedKind = Literal["SCALAR", "OBJECT", "INTERFACE", "UNION", "ENUM", "INPUT_OBJECT"]

# The kinds of a source's type that may stand where the page uses a type as input or output.
FITS_ROLE: dict[str, frozenset[str]] = {
    "input": frozenset({"INPUT_OBJECT", "ENUM", "SCALAR"}),
    "output": frozenset({"OBJECT", "INTERFACE", "UNION", "ENUM", "SCALAR"}),
}

BUILTIN_SCALARS = frozenset({"String", "Int", "Float", "Boolean", "ID"})

# How the catalogue knows that a mutation needs the Authorization header: the page's note
# on the entry says so ("documented"), or the entry lists the error code the page gives for
# a missing header, so the server checks for one ("inferred"; the page does not say it).
AuthorizationBasis = Literal["documented", "inferred"]
AUTHORIZATION_ERROR = "KT-CT-1112"  # the page's message: 'Authorization' header not provided.
AUTHORIZATION_NOTE = "This field requires the Authorization header to be set."


def named_type(sdl: str) -> str:
    """The named type inside an SDL type reference: ``[Foo!]!`` gives ``Foo``."""
    return sdl.strip("[]!")


@dataclass(frozen=True)
class Endpoint:
    """A GraphQL server the page documents, named by the first label of its host."""

    name: str
    title: str
    url: str


@dataclass(frozen=True)
class ErrorEntry:
    """An error code with the one message the page gives it."""

    code: str
    message: str

    @property
    def domain(self) -> str:
        """The two-letter domain, e.g. ``CT`` for ``KT-CT-1111``."""
        return self.code.split("-")[1]

    @property
    def sort_key(self) -> tuple[str, int]:
        """Codes sort by domain, then numerically."""
        return (self.domain, int(self.code.split("-")[2]))


@dataclass(frozen=True)
class Argument:
    """A mutation argument: its type comes from the example operation's variables."""

    name: str
    type: str
    description: str | None


@dataclass(frozen=True)
class ReturnField:
    """A payload field; ``basis`` says how its type is known."""

    name: str
    type: str
    basis: Basis
    example: str | None = None

    @property
    def documented(self) -> bool:
        """True when the page names the type; False when it is inferred from an example."""
        return self.basis != "example"


@dataclass(frozen=True)
class Example:
    """The documented example: operation, variables (None when absent) and response."""

    operation: str
    variables: str | None
    response: str


@dataclass(frozen=True)
class Mutation:
    """One mutation with every fact the page states about it (for an entry the page shows
    without its heading, the payload type is a schema source's: ``payload_source``)."""

    name: str
    endpoint: str
    payload_type: str
    payload_non_null: bool
    description: str | None
    requires_authorization: bool
    deprecation_reason: str | None
    errors: tuple[str, ...]
    arguments: tuple[Argument, ...]
    # None: the example selects no field, so the payload's fields are not documented.
    return_fields: tuple[ReturnField, ...] | None
    example: Example
    # Who states the payload type: None for the page; a schema source for an entry the
    # page shows without its heading (everything else about it is the page's).
    payload_source: Provenance | None = None

    @property
    def payload_sdl(self) -> str:
        """The payload type in SDL notation."""
        return self.payload_type + ("!" if self.payload_non_null else "")

    @property
    def authorization(self) -> AuthorizationBasis | None:
        """Whether the mutation needs the Authorization header, and on what basis:
        ``"documented"`` when the page's note says so, ``"inferred"`` when only its error
        list does (it can raise ``KT-CT-1112``), None when neither (for an entry the page
        shows without its heading, the page's note and error list are unknown)."""
        if self.requires_authorization:
            return "documented"
        if AUTHORIZATION_ERROR in self.errors:
            return "inferred"
        return None

    @property
    def authorization_evidence(self) -> str | None:
        """What :attr:`authorization` rests on: the page's note, or the error code."""
        basis = self.authorization
        if basis == "documented":
            return AUTHORIZATION_NOTE
        return AUTHORIZATION_ERROR if basis == "inferred" else None


@dataclass(frozen=True)
class Headless:
    """An entry the page shows without its heading (name line, ``Type:``, ``URL:``, and so
    no description, authorization notice or errors): the facts of its body, named by the
    field its example selects, on the endpoint of the section it stands in."""

    name: str
    endpoint: str
    line: int  # the page line where its body starts
    arguments: tuple[Argument, ...]
    return_fields: tuple[ReturnField, ...] | None
    example: Example

    def confirmed(self, payload: SourcedPayload, provenance: Provenance) -> Mutation:
        """The entry as a mutation whose payload type ``provenance`` states; the page
        shows no description, authorization notice, deprecation or errors for it."""
        return Mutation(
            name=self.name, endpoint=self.endpoint, payload_type=payload.type,
            payload_non_null=payload.non_null, description=None,
            requires_authorization=False, deprecation_reason=None, errors=(),
            arguments=self.arguments, return_fields=self.return_fields,
            example=self.example, payload_source=provenance)


@dataclass(frozen=True)
class TypeField:
    """A field of a type whose shape is documented (curated facts)."""

    name: str
    type: str
    description: str | None = None


@dataclass(frozen=True)
class NamedType:
    """What the catalogue knows of a named type other than a payload or a built-in scalar."""

    name: str
    status: Status
    role: Role
    kind: Kind | None
    description: str | None
    fields: tuple[TypeField, ...] = ()
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Provenance:
    """Where a fact the page lacks comes from: a named schema, its authority and its date."""

    source: str
    authority: Authority
    date: str

    def label(self) -> str:
        """How outputs name the source, e.g. ``octopus-energy-it (sibling, 2026-02-10)``."""
        return f"{self.source} ({self.authority}, {self.date})"


@dataclass(frozen=True)
class SourcedField:
    """A field, input field or argument as a schema source states it.

    ``default`` is a GraphQL literal (input values only); ``arguments`` are an object
    field's own arguments.
    """

    name: str
    type: str
    description: str | None = None
    default: str | None = None
    deprecation_reason: str | None = None
    arguments: tuple[SourcedField, ...] = ()


@dataclass(frozen=True)
class SourcedValue:
    """An enum value as a schema source states it."""

    name: str
    description: str | None = None
    deprecation_reason: str | None = None


@dataclass(frozen=True)
class SourcedType:
    """A named type's shape as one schema source states it."""

    name: str
    kind: SourcedKind
    description: str | None = None
    fields: tuple[SourcedField, ...] = ()
    values: tuple[SourcedValue, ...] = ()
    members: tuple[str, ...] = ()
    interfaces: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourcedPayload:
    """The payload type a schema source gives the field of an entry the page shows without
    its heading, and the field's arguments as the source states them (names and types,
    the page's exactly when the source was read)."""

    mutation: str
    type: str
    non_null: bool
    arguments: tuple[SourcedField, ...] = ()


@dataclass(frozen=True)
class Enrichment:
    """What one schema source states about the types the catalogue's mutations reach, and
    the payload types of the entries the page shows without heading that it confirms."""

    provenance: Provenance
    origin: str | None
    types: tuple[SourcedType, ...]
    payloads: tuple[SourcedPayload, ...] = ()
    _by_name: dict[str, SourcedType] = field(init=False, repr=False, compare=False)
    _payloads: dict[str, SourcedPayload] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {t.name: t for t in self.types})
        object.__setattr__(self, "_payloads", {p.mutation: p for p in self.payloads})

    def shape(self, name: str) -> SourcedType | None:
        """The source's shape of the named type, if it states one."""
        return self._by_name.get(name)

    def payload(self, mutation: str) -> SourcedPayload | None:
        """The payload the source confirms for the headless entry ``mutation``, if any."""
        return self._payloads.get(mutation)


@dataclass(frozen=True)
class Catalogue:
    """The whole catalogue: endpoints, mutations, error codes and named types, sorted;
    ``enrichments`` hold the facts of schema sources, own ones first, then siblings, and
    ``headless`` the entries the page shows without their heading."""

    endpoints: tuple[Endpoint, ...]
    mutations: tuple[Mutation, ...]
    errors: tuple[ErrorEntry, ...]
    types: tuple[NamedType, ...]
    enrichments: tuple[Enrichment, ...] = ()
    # Every entry the page shows without its heading, by endpoint and name; those a source
    # confirms are in ``mutations`` too, with that source as their payload's.
    headless: tuple[Headless, ...] = ()
    _by_code: dict[str, ErrorEntry] = field(init=False, repr=False, compare=False)
    _by_type: dict[str, NamedType] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {e.code: e for e in self.errors})
        object.__setattr__(self, "_by_type", {t.name: t for t in self.types})

    def page_only(self) -> Catalogue:
        """The catalogue as the page states it, without any schema source's facts: the
        entries shown without heading stay headless, since a source names their payload."""
        return Catalogue(self.endpoints,
                         tuple(m for m in self.mutations if m.payload_source is None),
                         self.errors, self.types, headless=self.headless)

    def confirmed_headless(self) -> dict[str, Mutation]:
        """The headless entries a schema source confirms, as their mutations, by name."""
        return {m.name: m for m in self.mutations if m.payload_source is not None}

    def sourced_type(self, name: str) -> tuple[SourcedType, Provenance] | None:
        """The shape of ``name`` from the most authoritative source that states one."""
        for enrichment in self.enrichments:
            found = enrichment.shape(name)
            if found is not None:
                return found, enrichment.provenance
        return None

    def shape_of(self, name: str) -> tuple[SourcedType, Provenance] | None:
        """The source's shape the catalogue uses for the named type (payloads aside): none
        where the page states the shape itself, or where the most authoritative source's
        kind cannot stand where the page uses the type (an input the source calls an
        object); the page wins, and the disagreement is the drift report's."""
        declared = self._by_type.get(name)
        if declared is not None and declared.status == "documented":
            return None
        sourced = self.sourced_type(name)
        if sourced is None or (declared is not None
                               and sourced[0].kind not in FITS_ROLE[declared.role]):
            return None
        return sourced

    def error(self, code: str) -> ErrorEntry:
        """The error code entry for ``code``."""
        return self._by_code[code]

    def mutations_of(self, endpoint: str) -> tuple[Mutation, ...]:
        """The mutations served by the named endpoint, by name."""
        return tuple(m for m in self.mutations if m.endpoint == endpoint)

    def raisers(self) -> dict[str, tuple[str, ...]]:
        """Each code mapped to the names of the mutations that can raise it."""
        out: dict[str, list[str]] = {e.code: [] for e in self.errors}
        for mutation in self.mutations:
            for code in mutation.errors:
                out[code].append(mutation.name)
        return {code: tuple(names) for code, names in out.items()}
