"""The client operations a catalogue change affects: what each one uses, as coordinates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from graphql import (
    ArgumentNode,
    DocumentNode,
    EnumValueNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLSchema,
    GraphQLSyntaxError,
    GraphQLType,
    InlineFragmentNode,
    ObjectFieldNode,
    OperationDefinitionNode,
    TypeInfo,
    TypeInfoVisitor,
    VariableDefinitionNode,
    Visitor,
    get_named_type,
    parse,
    type_from_ast,
    visit,
)

from kraken_spec.contract.diffrules import Change
from kraken_spec.contract.documents import (
    FoundDocument,
    find_documents,
    iter_source_files,
    locate,
    read_source,
)
from kraken_spec.diagnostics import Diagnostic, excerpt

# Changes to a member that an operation can reach through a variable's value, which a
# document does not show: the operation is affected when it uses the member's type.
_THROUGH_TYPE = frozenset({"input-field-removed", "input-field-type-changed",
                           "input-field-added-required", "enum-value-removed",
                           "union-member-removed", "interface-removed"})


@dataclass(frozen=True)
class Operation:
    """One operation of a client's documents: where it is, its name, its endpoint and the
    coordinates it uses (fields, arguments, types, input fields, enum values)."""

    path: str
    line: int
    name: str
    endpoint: str
    uses: frozenset[str]

    @property
    def label(self) -> str:
        return f"{self.path}:{self.line} ({self.name})"


def subject(change: Change) -> str:
    """The coordinate whose use makes an operation affected by ``change``."""
    coordinate = change.coordinate.partition("@")[0]
    if change.kind == "argument-added-required":
        return coordinate.partition("(")[0]  # every call of the field lacks the argument
    if change.kind in _THROUGH_TYPE:
        return coordinate.partition(".")[0]
    return coordinate


def affected(change: Change, operations: Sequence[Operation]) -> list[Operation]:
    """The operations that use what ``change`` changed."""
    wanted = subject(change)
    return [op for op in operations if wanted in op.uses]


class _Uses(Visitor):
    """Collects the coordinates a definition uses, against one schema."""

    def __init__(self, schema: GraphQLSchema, info: TypeInfo, uses: set[str],
                 spreads: set[str]) -> None:
        super().__init__()
        self.schema, self.info, self.uses, self.spreads = schema, info, uses, spreads
        self.fields: list[str] = []

    def input_type(self, t: GraphQLType | None, seen: set[str] | None = None) -> None:
        """A type whose values the operation sends: its named type and every input type
        inside it (a variable's value may use any of them)."""
        named = get_named_type(t) if t is not None else None
        seen = set() if seen is None else seen
        if named is None or named.name in seen:
            return
        seen.add(named.name)
        self.uses.add(named.name)
        if isinstance(named, GraphQLInputObjectType):
            for f in named.fields.values():
                self.input_type(f.type, seen)

    def enter_field(self, node: FieldNode, *_: object) -> None:
        parent = self.info.get_parent_type()
        coordinate = f"{parent.name}.{node.name.value}" if parent is not None else ""
        self.fields.append(coordinate)
        self.uses.add(coordinate)
        field_def = self.info.get_field_def()
        if field_def is not None:
            self.uses.add(get_named_type(field_def.type).name)

    def leave_field(self, *_: object) -> None:
        self.fields.pop()

    def enter_argument(self, node: ArgumentNode, *_: object) -> None:
        if self.info.get_directive() is None and self.fields and self.fields[-1]:
            self.uses.add(f"{self.fields[-1]}({node.name.value}:)")
        argument = self.info.get_argument()
        self.input_type(argument.type if argument is not None else None)

    def enter_variable_definition(self, node: VariableDefinitionNode, *_: object) -> None:
        self.input_type(type_from_ast(self.schema, node.type))

    def enter_object_field(self, node: ObjectFieldNode, *_: object) -> None:
        parent = self.info.get_parent_input_type()
        if parent is not None:
            self.uses.add(f"{get_named_type(parent).name}.{node.name.value}")

    def enter_enum_value(self, node: EnumValueNode, *_: object) -> None:
        t = self.info.get_input_type()
        named = get_named_type(t) if t is not None else None
        if isinstance(named, GraphQLEnumType):
            self.uses.add(f"{named.name}.{node.value}")

    def enter_inline_fragment(self, node: InlineFragmentNode, *_: object) -> None:
        if node.type_condition is not None:
            self.uses.add(node.type_condition.name.value)

    def enter_fragment_definition(self, node: FragmentDefinitionNode, *_: object) -> None:
        self.uses.add(node.type_condition.name.value)

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: object) -> None:
        self.spreads.add(node.name.value)


def _uses(schema: GraphQLSchema, operation: OperationDefinitionNode,
          fragments: Mapping[str, FragmentDefinitionNode]) -> frozenset[str]:
    """What ``operation`` uses, with every fragment it spreads, at any depth."""
    uses: set[str] = set()
    spreads: set[str] = set()
    done: set[str] = set()
    pending: list[OperationDefinitionNode | FragmentDefinitionNode] = [operation]
    while pending:
        node = pending.pop()
        info = TypeInfo(schema)
        visit(node, TypeInfoVisitor(info, _Uses(schema, info, uses, spreads)))
        for name in sorted(spreads - done):
            done.add(name)
            if name in fragments:
                pending.append(fragments[name])
    uses.discard("")
    return frozenset(uses)


def _endpoint(found: FoundDocument, operation: OperationDefinitionNode,
              schemas: Mapping[str, GraphQLSchema]) -> str:
    """The endpoint a document names, else the one serving the operation's first field."""
    if found.endpoint is not None and found.endpoint in schemas:
        return found.endpoint
    first = next((s.name.value for s in operation.selection_set.selections
                  if isinstance(s, FieldNode)), None)
    for name, schema in sorted(schemas.items()):
        root = schema.mutation_type
        if root is not None and first in root.fields:
            return name
    return "api" if "api" in schemas else min(schemas)


def _operations(found: FoundDocument, document: DocumentNode,
                schemas: Mapping[str, GraphQLSchema]) -> list[Operation]:
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, FragmentDefinitionNode)}
    out = []
    for d in document.definitions:
        if not isinstance(d, OperationDefinitionNode):
            continue
        endpoint = _endpoint(found, d, schemas)
        line = locate(found, d.loc.start)[0] if d.loc is not None else found.line
        name = d.name.value if d.name else f"anonymous {d.operation.value}"
        uses = _uses(schemas[endpoint], d, fragments) | {f"endpoints:{endpoint}"}
        out.append(Operation(found.path.replace("\\", "/"), line, name, endpoint, uses))
    return out


def read_operations(paths: Sequence[str], schemas: Mapping[str, GraphQLSchema],
                    ) -> tuple[list[Operation], list[Diagnostic]]:
    """The operations in the documents of ``paths`` (files, or folders walked), each with
    what it uses in ``schemas`` (the old side's, by endpoint), and the problems met: an
    unreadable file is an error, a document that cannot be parsed a warning."""
    files, diagnostics = iter_source_files(paths)
    operations: list[Operation] = []
    for path in files:
        text, problems = read_source(path)
        diagnostics.extend(problems)
        if text is None:
            continue
        documents, problems = find_documents(path, text)
        diagnostics.extend(problems)
        for found in documents:
            try:
                document = parse(found.text)
            except (GraphQLSyntaxError, RecursionError) as exc:
                message = exc.message if isinstance(exc, GraphQLSyntaxError) else "too deep"
                diagnostics.append(Diagnostic(
                    found.path, found.line, found.column, f"the document cannot be parsed "
                    f"({excerpt(message, 200)}); its operations are not matched",
                    severity="warning", rule="diff-operations"))
                continue
            operations.extend(_operations(found, document, schemas))
    return operations, diagnostics
