"""Valid request bodies: hypothesis-graphql's selections, given variables, aliases and fragments."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from copy import copy
from dataclasses import dataclass
from enum import Enum
from typing import Any

import hypothesis_graphql
from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    InlineFragmentNode,
    NamedTypeNode,
    NameNode,
    OperationDefinitionNode,
    OperationType,
    SelectionNode,
    SelectionSetNode,
    VariableDefinitionNode,
    VariableNode,
    get_named_type,
    parse_type,
    print_ast,
)
from hypothesis import strategies as st

from kraken_spec.gql.schema import build_endpoint_schema
from kraken_spec.model import Catalogue
from kraken_spec.strategies.values import (
    BUILTIN_SCALARS,
    SCALAR_FORMATS,
    InputValues,
    literal,
    scalar_values,
)

# How often a drawn request takes each optional turn (out of 8): enough that every shape
# shows up in a few hundred examples, few enough that most requests look ordinary.
_OFTEN = 3
_SOMETIMES = 1


class Keep(Enum):
    """Says "as drawn" where None would mean "no variables"."""

    KEEP = "keep"


@dataclass(frozen=True)
class Request:
    """One drawn request, kept whole so that it can be damaged one way at a time.

    ``variables`` is None when the body has no ``"variables"`` key; ``operation_name`` is
    the executed operation's name (None when anonymous); ``send_name`` says whether the body
    names it; ``var_types`` are the declared types of the variables.
    """

    mutation: str
    endpoint: str
    schema: GraphQLSchema
    document: DocumentNode
    operation_name: str | None
    send_name: bool
    variables: dict[str, Any] | None
    var_types: Mapping[str, GraphQLInputType]

    @property
    def field(self) -> GraphQLField:
        """The mutation's field on the schema's mutation type."""
        assert self.schema.mutation_type is not None
        field: GraphQLField = self.schema.mutation_type.fields[self.mutation]
        return field

    def operation(self, document: DocumentNode | None = None) -> OperationDefinitionNode:
        """The operation the server runs."""
        for definition in (document or self.document).definitions:
            if isinstance(definition, OperationDefinitionNode) and (
                    definition.name is None or definition.name.value == self.operation_name):
                return definition
        raise AssertionError("a drawn request always holds its operation")

    def body(self, *, document: DocumentNode | None = None,
             variables: dict[str, Any] | Keep | None = Keep.KEEP) -> dict[str, Any]:
        """The request body, with the document or the variables replaced when given."""
        out: dict[str, Any] = {"query": print_ast(document or self.document)}
        values = self.variables if isinstance(variables, Keep) else variables
        if values is not None:
            out["variables"] = values
        if self.send_name:
            out["operationName"] = self.operation_name
        return out


# A schema per catalogue and endpoint; the catalogue is kept so that its id stays its own.
_SCHEMAS: dict[tuple[int, str], tuple[Catalogue, GraphQLSchema]] = {}


def endpoint_schema(catalogue: Catalogue, endpoint: str) -> GraphQLSchema:
    """The schema the catalogue's endpoint is built to, once per catalogue."""
    key = (id(catalogue), endpoint)
    if key not in _SCHEMAS:
        _SCHEMAS[key] = (catalogue, build_endpoint_schema(catalogue, endpoint))
    return _SCHEMAS[key][1]


class Drawer:
    """Draws requests for the mutations of one endpoint of one catalogue."""

    def __init__(self, catalogue: Catalogue, endpoint: str,
                 formats: Mapping[str, st.SearchStrategy[Any]] | None = None) -> None:
        self.endpoint = endpoint
        self.schema = endpoint_schema(catalogue, endpoint)
        self.values = InputValues({**SCALAR_FORMATS, **(formats or {})})
        # hypothesis-graphql writes nested fields' arguments as literals: a custom scalar's
        # literal is its value in the same format.
        self.literals = {
            name: scalar_values(t, self.values.formats).map(literal)
            for name, t in self.schema.type_map.items()
            if isinstance(t, GraphQLScalarType) and name not in BUILTIN_SCALARS}
        self._selections: dict[str, st.SearchStrategy[DocumentNode]] = {}

    def field(self, mutation: str) -> GraphQLField:
        """The mutation's field in the endpoint's schema."""
        assert self.schema.mutation_type is not None
        found: GraphQLField = self.schema.mutation_type.fields[mutation]
        return found

    def selections(self, mutation: str) -> st.SearchStrategy[DocumentNode]:
        """hypothesis-graphql's documents selecting random subsets of the mutation's fields
        (inline fragments on unions and interfaces included)."""
        found = self._selections.get(mutation)
        if found is None:
            found = self._selections[mutation] = hypothesis_graphql.mutations(
                self.schema, fields=[mutation], custom_scalars=self.literals,
                allow_x00=False, print_ast=_same)
        return found

    def request(self, draw: st.DrawFn, mutation: str) -> Request:
        """One valid request for ``mutation``."""
        drawn = draw(self.selections(mutation))
        root = drawn.definitions[0]
        assert isinstance(root, OperationDefinitionNode)
        (field_node,) = root.selection_set.selections
        assert isinstance(field_node, FieldNode) and self.schema.mutation_type is not None
        field = self.schema.mutation_type.fields[mutation]
        var_types, variables, arguments, definitions = self._variables(draw, field)
        counter = itertools.count(1)
        fragments: list[FragmentDefinitionNode] = []
        field_node = copy(field_node)
        field_node.arguments = tuple(arguments)
        selection = field_node.selection_set
        if selection is not None:
            field_node.selection_set = _decorate(draw, self.schema, selection,
                                                 get_named_type(field.type), fragments, counter)
        name = draw(st.none() | st.from_regex(r"[A-Z][A-Za-z0-9]{0,15}", fullmatch=True))
        operation = OperationDefinitionNode(
            operation=OperationType.MUTATION, name=NameNode(value=name) if name else None,
            variable_definitions=tuple(definitions), directives=(),
            selection_set=SelectionSetNode(selections=(field_node,)))
        operations = [operation]
        send_name = name is not None and draw(st.booleans())
        if name is not None and _turn(draw, _SOMETIMES):
            # Another operation in the same document: the body must name the one to run.
            decoy = OperationDefinitionNode(
                operation=OperationType.MUTATION, name=NameNode(value=name + "Other"),
                variable_definitions=(), directives=(),
                selection_set=SelectionSetNode(selections=(_typename(),)))
            operations.insert(draw(st.integers(0, 1)), decoy)
            send_name = True
        document = DocumentNode(definitions=(*operations, *fragments))
        if variables == {} and not _turn(draw, _OFTEN):
            sent: dict[str, Any] | None = None
        else:
            sent = variables
        return Request(mutation, self.endpoint, self.schema, document, name, send_name, sent,
                       var_types)

    def _variables(self, draw: st.DrawFn, field: GraphQLField) -> tuple[
            dict[str, GraphQLInputType], dict[str, Any], list[ArgumentNode],
            list[VariableDefinitionNode]]:
        var_types: dict[str, GraphQLInputType] = {}
        variables: dict[str, Any] = {}
        arguments: list[ArgumentNode] = []
        definitions: list[VariableDefinitionNode] = []
        for arg_name, argument in field.args.items():
            required = isinstance(argument.type, GraphQLNonNull)
            if not required and not draw(st.booleans()):
                continue
            var_type = argument.type
            if not required and _turn(draw, _SOMETIMES):
                # A nullable argument may take a non-null variable.
                var_type = GraphQLNonNull(argument.type)
            var_types[arg_name] = var_type
            definitions.append(VariableDefinitionNode(
                variable=VariableNode(name=NameNode(value=arg_name)),
                type=parse_type(str(var_type)), directives=()))
            arguments.append(ArgumentNode(name=NameNode(value=arg_name),
                                          value=VariableNode(name=NameNode(value=arg_name))))
            # A nullable variable may be left out of the JSON altogether.
            if isinstance(var_type, GraphQLNonNull) or draw(st.integers(0, 5)):
                variables[arg_name] = self.values.draw(draw, var_type)
        return var_types, variables, arguments, definitions


def _same(document: DocumentNode) -> DocumentNode:
    return document


def _turn(draw: st.DrawFn, weight: int) -> bool:
    """True ``weight`` times in 8."""
    return draw(st.integers(0, 7)) < weight


def _typename(alias: str | None = None) -> FieldNode:
    return FieldNode(name=NameNode(value="__typename"),
                     alias=NameNode(value=alias) if alias else None, arguments=(),
                     directives=())


def _decorate(draw: st.DrawFn, schema: GraphQLSchema, selection: SelectionSetNode,
              parent: GraphQLNamedType, fragments: list[FragmentDefinitionNode],
              counter: Iterator[int]) -> SelectionSetNode:
    """The selection with what clients write besides fields: aliases, ``__typename``, and
    sub-selections moved into named fragments. Aliases are numbered, so no two fields ever
    share a response name (which graphql-core would require to merge)."""
    out: list[SelectionNode] = []
    for node in selection.selections:
        if isinstance(node, InlineFragmentNode) and node.type_condition is not None:
            on = schema.type_map[node.type_condition.name.value]
            node = copy(node)
            node.selection_set = _decorate(draw, schema, node.selection_set, on, fragments,
                                           counter)
        elif isinstance(node, FieldNode):
            node = copy(node)
            if _turn(draw, _SOMETIMES):
                node.alias = NameNode(value=f"{node.name.value}_{next(counter)}")
            if node.selection_set is not None:
                child = _field_type(parent, node.name.value)
                inner = _decorate(draw, schema, node.selection_set, child, fragments, counter)
                if _turn(draw, _SOMETIMES):
                    name = f"Fragment{next(counter)}"
                    fragments.append(FragmentDefinitionNode(
                        name=NameNode(value=name),
                        type_condition=NamedTypeNode(name=NameNode(value=child.name)),
                        variable_definitions=None, directives=(), selection_set=inner))
                    inner = SelectionSetNode(selections=(FragmentSpreadNode(
                        name=NameNode(value=name), directives=()),))
                node.selection_set = inner
        out.append(node)
    if _turn(draw, _SOMETIMES):
        alias = f"typename_{next(counter)}" if draw(st.booleans()) else None
        out.insert(draw(st.integers(0, len(out))), _typename(alias))
    return SelectionSetNode(selections=tuple(out))


def _field_type(parent: GraphQLNamedType, name: str) -> GraphQLNamedType:
    assert isinstance(parent, GraphQLObjectType | GraphQLInterfaceType)
    named: GraphQLNamedType = get_named_type(parent.fields[name].type)
    return named


