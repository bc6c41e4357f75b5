"""The response of a runnable example: a value for every field its operation selects."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    NamedTypeNode,
    SelectionNode,
    SelectionSetNode,
    get_named_type,
    is_composite_type,
)

from kraken_spec.generators.runnable_values import (
    Notes,
    Values,
    as_wire,
    fits_output,
    page_values,
)

TYPENAME = "__typename"


def possible_types(schema: GraphQLSchema, named: GraphQLNamedType) -> list[str]:
    """The object types a value of ``named`` may be, in the schema's order: a union's
    members as the source lists them (Kraken lists a result type before its error types),
    an interface's implementations by name."""
    if isinstance(named, GraphQLObjectType):
        return [named.name]
    assert isinstance(named, GraphQLInterfaceType | GraphQLUnionType)
    return [t.name for t in schema.get_possible_types(named)]


class Responder:
    """Builds the response data of one operation: the page's example value where it fits a
    field's type, else a value of the type; a union or interface answered by the first
    object type it may be."""

    def __init__(self, schema: GraphQLSchema, fragments: Mapping[str, FragmentDefinitionNode],
                 values: Values, notes: Notes) -> None:
        self.schema = schema
        self.fragments = fragments
        self.values = values
        self.notes = notes

    def value(self, type_: GraphQLOutputType, selection: SelectionSetNode | None, where: str,
              page: list[Any], page_fields: Mapping[str, str] | None = None) -> Any:
        """A value of ``type_`` with ``selection``; ``page`` are the page's values for it,
        ``page_fields`` the page's example values of the object's fields, by name."""
        named = get_named_type(type_)
        for candidate in page:
            value = as_wire(named, candidate)
            if fits_output(type_, value):
                return value
        if page:
            self.notes.add(where, "choice", f"the page's example value does not fit "
                           f"{type_}; a value of the type instead")
        inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
        if isinstance(inner, GraphQLList):
            return [self.value(inner.of_type, selection, f"{where}[0]", [])]
        if is_composite_type(named) and selection is not None:
            return self._object(named, selection.selections, where, page_fields or {})
        return self.values.leaf(named, where)

    def _object(self, parent: GraphQLNamedType, selections: Sequence[SelectionNode],
                where: str, page_fields: Mapping[str, str]) -> dict[str, Any]:
        possible = possible_types(self.schema, parent)
        concrete = self.schema.get_type(possible[0]) if possible else None
        if not isinstance(concrete, GraphQLObjectType):
            raise ValueError(f"{where}: no object type can stand for {parent.name}")
        if len(possible) > 1:
            self.notes.add(where, "choice", f"answered as {concrete.name}, the first of the "
                           f"{len(possible)} object types {parent.name} may be")
        out: dict[str, Any] = {}
        self._collect(concrete, selections, out, where, page_fields)
        return out

    def _collect(self, concrete: GraphQLObjectType, selections: Sequence[SelectionNode],
                 out: dict[str, Any], where: str, page_fields: Mapping[str, str]) -> None:
        for node in selections:
            if isinstance(node, FieldNode):
                key = node.alias.value if node.alias is not None else node.name.value
                if key in out:
                    continue
                if node.name.value == TYPENAME:
                    out[key] = concrete.name
                    continue
                field = concrete.fields[node.name.value]
                out[key] = self.value(field.type, node.selection_set, f"{where}.{key}",
                                      page_values(page_fields.get(node.name.value)))
            elif isinstance(node, FragmentSpreadNode):
                fragment = self.fragments[node.name.value]
                if concrete.name in self._condition(fragment.type_condition):
                    self._collect(concrete, fragment.selection_set.selections, out, where,
                                  page_fields)
            elif isinstance(node, InlineFragmentNode) and (
                    node.type_condition is None
                    or concrete.name in self._condition(node.type_condition)):
                self._collect(concrete, node.selection_set.selections, out, where, page_fields)

    def _condition(self, condition: NamedTypeNode) -> list[str]:
        named = self.schema.get_type(condition.name.value)
        return possible_types(self.schema, named) if named is not None else []
