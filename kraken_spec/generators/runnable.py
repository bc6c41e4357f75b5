"""Runnable examples: each mutation's page example completed into a request and a response."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    NamedTypeNode,
    NameNode,
    OperationDefinitionNode,
    OperationType,
    SelectionNode,
    SelectionSetNode,
    Undefined,
    VariableDefinitionNode,
    VariableNode,
    get_named_type,
    is_composite_type,
    is_leaf_type,
    parse,
    parse_type,
    print_ast,
)

from kraken_spec.generators.runnable_response import TYPENAME, Responder, possible_types
from kraken_spec.generators.runnable_values import (
    Note,
    Notes,
    Values,
    is_stand_in,
    page_variables,
)
from kraken_spec.gql.operations import basis_of
from kraken_spec.gql.schema import build_endpoint_schema
from kraken_spec.model import Catalogue, Mutation, named_type

__all__ = ["Note", "RunnableExample", "runnable_example", "runnable_examples"]


@dataclass(frozen=True)
class RunnableExample:
    """A mutation's example as a client would send it, and a response that fits it.

    ``operation`` is printed by graphql-core and defines every fragment it spreads;
    ``variables`` (None when the mutation takes no arguments) hold a value for every
    argument; ``response`` is ``{"data": {mutation: ...}}``; ``notes`` say where a value
    stands in for an unknown shape, what was chosen, and which schema sources the example
    rests on.
    """

    mutation: str
    endpoint: str
    operation_name: str
    operation: str
    variables: dict[str, Any] | None
    response: dict[str, Any]
    notes: tuple[Note, ...] = ()

    @property
    def placeholders(self) -> tuple[Note, ...]:
        """The notes on values and selections that stand in where nothing is known."""
        return tuple(n for n in self.notes if n.kind == "placeholder")

    def body(self) -> dict[str, Any]:
        """The GraphQL-over-HTTP request body."""
        out: dict[str, Any] = {"query": self.operation, "operationName": self.operation_name}
        if self.variables is not None:
            out["variables"] = self.variables
        return out

    def variables_json(self) -> str | None:
        """The variables as indented JSON text (None when there are none)."""
        return None if self.variables is None else _json(self.variables)

    def response_json(self) -> str:
        """The response as indented JSON text."""
        return _json(self.response)


def _json(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def runnable_example(catalogue: Catalogue, mutation: Mutation | str,
                     schema: GraphQLSchema) -> RunnableExample:
    """The runnable example of ``mutation`` (a mutation of ``catalogue``, or its name) against
    ``schema``, its endpoint's schema as :func:`build_endpoint_schema` builds it.

    The operation keeps what the page's example selects; each fragment the page spreads
    without defining it is defined from the fields of its type that are scalars or enums
    (just ``__typename`` where none is known), and a selection under a type no source
    shapes is dropped. Every argument is a variable whose value fits its type all the way
    down (the page's own value where it shows one that fits). The response holds a value
    for every selected field: the page's example value where it fits, else one of the type.
    """
    if isinstance(mutation, str):
        found = [m for m in catalogue.mutations if m.name == mutation]
        if not found:
            raise ValueError(f"the catalogue has no mutation {mutation!r}")
        mutation = found[0]
    return _Maker(catalogue, mutation, schema).example()


def runnable_examples(catalogue: Catalogue, schemas: Mapping[str, GraphQLSchema] | None = None,
                      names: Collection[str] | None = None) -> dict[str, RunnableExample]:
    """The runnable example of every mutation of the catalogue (or of those ``names``), by
    name; ``schemas`` maps endpoints to their schemas (built from the catalogue where not
    given)."""
    built = dict(schemas or {})
    out: dict[str, RunnableExample] = {}
    wanted = None if names is None else set(names)
    for m in sorted(catalogue.mutations, key=lambda m: m.name):
        if wanted is not None and m.name not in wanted:
            continue
        if m.endpoint not in built:
            built[m.endpoint] = build_endpoint_schema(catalogue, m.endpoint)
        out[m.name] = runnable_example(catalogue, m, built[m.endpoint])
    return out


def _name(value: str) -> NameNode:
    return NameNode(value=value)


def _typename() -> FieldNode:
    return FieldNode(name=_name(TYPENAME), arguments=(), directives=())


def _required_args(field: GraphQLField) -> bool:
    return any(isinstance(a.type, GraphQLNonNull) and a.default_value is Undefined
               for a in field.args.values())


class _Maker:
    """Builds one mutation's runnable example."""

    def __init__(self, catalogue: Catalogue, mutation: Mutation, schema: GraphQLSchema) -> None:
        self.catalogue = catalogue
        self.m = mutation
        self.schema = schema
        self.notes = Notes()
        self.used: dict[str, GraphQLNamedType] = {}
        self.values = Values(self.notes, self._use)
        self.fragments: dict[str, FragmentDefinitionNode] = {}

    def _use(self, named: GraphQLNamedType) -> None:
        self.used.setdefault(named.name, named)

    def example(self) -> RunnableExample:
        m = self.m
        root_type = self.schema.mutation_type
        field = root_type.fields.get(m.name) if root_type is not None else None
        if field is None:
            raise ValueError(f"the schema has no mutation {m.name!r}")
        name, page_selection = self._page_operation()
        literals = page_variables(m.example.variables)
        definitions: list[VariableDefinitionNode] = []
        arguments: list[ArgumentNode] = []
        variables: dict[str, Any] = {}
        for arg_name, arg in field.args.items():
            variable = VariableNode(name=_name(arg_name))
            definitions.append(VariableDefinitionNode(
                variable=variable, type=parse_type(str(arg.type)), directives=()))
            arguments.append(ArgumentNode(name=_name(arg_name), value=variable))
            page = [literals[arg_name]] if arg_name in literals else []
            variables[arg_name] = self.values.argument(arg.type, f"${arg_name}", page)
        payload = get_named_type(field.type)
        self._use(payload)
        selection = self._selection(payload, page_selection, f"data.{m.name}")
        operation = OperationDefinitionNode(
            operation=OperationType.MUTATION, name=_name(name),
            variable_definitions=tuple(definitions), directives=(),
            selection_set=SelectionSetNode(selections=(FieldNode(
                name=_name(m.name), arguments=tuple(arguments), directives=(),
                selection_set=selection),)))
        page_fields = {f.name: f.example for f in m.return_fields or () if f.example}
        responder = Responder(self.schema, self.fragments, self.values, self.notes)
        response = {"data": {m.name: responder.value(field.type, selection, f"data.{m.name}",
                                                     [], page_fields)}}
        document = DocumentNode(definitions=(operation, *self.fragments.values()))
        self._source_notes()
        return RunnableExample(
            mutation=m.name, endpoint=m.endpoint, operation_name=name,
            operation=print_ast(document), variables=variables if field.args else None,
            response=response, notes=tuple(self.notes))

    # --- the operation --------------------------------------------------------------------

    def _page_operation(self) -> tuple[str, SelectionSetNode | None]:
        """The page's operation name and its selection of the mutation's payload; where the
        example cannot be read, a selection after the catalogue's return fields."""
        m = self.m
        fallback = m.name[:1].upper() + m.name[1:]
        try:
            document = parse(m.example.operation, no_location=True)
        except GraphQLError:
            document = DocumentNode(definitions=())
        ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if len(ops) == 1 and len(document.definitions) == 1:
            roots = ops[0].selection_set.selections
            if (len(roots) == 1 and isinstance(roots[0], FieldNode)
                    and roots[0].name.value == m.name):
                name = ops[0].name.value if ops[0].name is not None else fallback
                return name, roots[0].selection_set
        self.notes.add("operation", "choice", "the page's example operation cannot be read; "
                       "the selection follows the catalogue's return fields")
        return fallback, self._return_fields_selection()

    def _return_fields_selection(self) -> SelectionSetNode | None:
        """The return fields as the page's examples select them: a composite field with a
        spread of ``<Type>Fragment``."""
        if self.m.return_fields is None:
            return None
        selections: list[SelectionNode] = []
        for f in self.m.return_fields:
            inner = None
            named = self.schema.get_type(named_type(f.type))
            if named is not None and is_composite_type(named):
                inner = SelectionSetNode(selections=(FragmentSpreadNode(
                    name=_name(f"{named.name}Fragment"), directives=()),))
            selections.append(FieldNode(name=_name(f.name), arguments=(), directives=(),
                                        selection_set=inner))
        return SelectionSetNode(selections=tuple(selections))

    def _selection(self, parent: GraphQLNamedType, selection: SelectionSetNode | None,
                   where: str) -> SelectionSetNode | None:
        if not is_composite_type(parent):
            if selection is not None and is_stand_in(parent):
                self.notes.add(where, "placeholder", f"no source states the shape of "
                               f"{parent.name}, so it is selected without fields and {{}} "
                               "stands in for its value; against the live endpoint it needs "
                               "a selection")
            elif selection is not None:
                self.notes.add(where, "choice", f"{parent.name} is a leaf; the page's "
                               "selection under it is left out")
            return None
        if selection is None:
            self.notes.add(where, "choice", f"the page's example selects no field of "
                           f"{parent.name}; {TYPENAME} keeps the selection valid")
        items = self._items(parent, selection.selections if selection else (), where)
        return self._complete(parent, items)

    def _items(self, parent: GraphQLNamedType, nodes: Sequence[SelectionNode],
               where: str) -> list[SelectionNode]:
        out: list[SelectionNode] = []
        for node in nodes:
            if isinstance(node, FieldNode):
                found = self._field(parent, node, where)
                if found is not None:
                    out.append(found)
            elif isinstance(node, FragmentSpreadNode):
                name = self._fragment(node.name.value, parent)
                out.append(FragmentSpreadNode(name=_name(name), directives=()))
            elif isinstance(node, InlineFragmentNode):
                condition = (self.schema.get_type(node.type_condition.name.value)
                             if node.type_condition is not None else parent)
                if condition is None or not is_composite_type(condition) \
                        or not self._overlap(parent, condition):
                    self.notes.add(where, "choice", "an inline fragment on a type that "
                                   f"{parent.name} cannot be is left out")
                    continue
                inner = self._items(condition, node.selection_set.selections, where)
                out.append(InlineFragmentNode(
                    type_condition=NamedTypeNode(name=_name(condition.name)), directives=(),
                    selection_set=self._complete(condition, inner)))
        return out

    def _field(self, parent: GraphQLNamedType, node: FieldNode,
               where: str) -> FieldNode | None:
        name = node.name.value
        if name == TYPENAME:
            return FieldNode(alias=node.alias, name=_name(TYPENAME), arguments=(),
                             directives=())
        fields = (parent.fields if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType)
                  else {})
        field = fields.get(name)
        key = node.alias.value if node.alias is not None else name
        if field is None or _required_args(field):
            why = "is not a field of" if field is None else "needs arguments on"
            self.notes.add(f"{where}.{key}", "choice", f"{name} {why} {parent.name} in the "
                           "schema; left out")
            return None
        child = get_named_type(field.type)
        self._use(child)
        return FieldNode(alias=node.alias, name=_name(name), arguments=(), directives=(),
                         selection_set=self._selection(child, node.selection_set,
                                                       f"{where}.{key}"))

    def _complete(self, parent: GraphQLNamedType,
                  items: list[SelectionNode]) -> SelectionSetNode:
        """The selection with ``__typename`` where it is empty, and first on a union or
        interface, whose response must say which type answers."""
        abstract = not isinstance(parent, GraphQLObjectType)
        if not items or (abstract and not self._has_typename(items)):
            items = [_typename(), *items]
        return SelectionSetNode(selections=tuple(items))

    def _has_typename(self, items: Sequence[SelectionNode]) -> bool:
        for item in items:
            if isinstance(item, FieldNode) and item.alias is None \
                    and item.name.value == TYPENAME:
                return True
            if isinstance(item, FragmentSpreadNode) and self._has_typename(
                    self.fragments[item.name.value].selection_set.selections):
                return True
        return False

    def _overlap(self, parent: GraphQLNamedType, other: GraphQLNamedType) -> bool:
        mine = set(possible_types(self.schema, parent))
        return bool(mine & set(possible_types(self.schema, other)))

    def _fragment(self, name: str, on: GraphQLNamedType) -> str:
        """Define the fragment ``name`` on ``on`` (a name the page gave another type is
        suffixed with this one); return the name it has."""
        key = name
        while key in self.fragments and \
                self.fragments[key].type_condition.name.value != on.name:
            key = f"{key}On{on.name}"
        if key in self.fragments:
            return key
        self._use(on)
        leaves = self._leaf_fields(on)
        items: list[SelectionNode] = [FieldNode(name=_name(f), arguments=(), directives=())
                                      for f in leaves]
        total = len(on.fields) if isinstance(on, GraphQLObjectType | GraphQLInterfaceType) \
            else 0
        if leaves:
            self.notes.add(f"fragment {key}", "choice", f"the page spreads it without "
                           f"defining it; defined from the fields of {on.name} that are "
                           f"scalars or enums ({len(leaves)} of its {total} fields)")
        else:
            what = (f"{on.name} is a union, whose members the page does not select"
                    if isinstance(on, GraphQLUnionType)
                    else f"no field of {on.name} is known to be a scalar or an enum")
            self.notes.add(f"fragment {key}", "choice", f"the page spreads it without "
                           f"defining it; {what}, so it selects {TYPENAME}")
        self.fragments[key] = FragmentDefinitionNode(
            name=_name(key), type_condition=NamedTypeNode(name=_name(on.name)),
            variable_definitions=None, directives=(),
            selection_set=self._complete(on, items))
        return key

    def _leaf_fields(self, on: GraphQLNamedType) -> list[str]:
        """The fields of ``on`` a fragment selects: those typed by an enum or a known
        scalar, not deprecated, needing no argument."""
        if not isinstance(on, GraphQLObjectType | GraphQLInterfaceType):
            return []
        out = []
        for name, field in on.fields.items():
            named = get_named_type(field.type)
            if (is_leaf_type(named) and not is_stand_in(named)
                    and field.deprecation_reason is None and not _required_args(field)):
                self._use(named)
                out.append(name)
        return out

    # --- where the facts come from --------------------------------------------------------

    def _source_notes(self) -> None:
        """One note per schema source naming the types whose shape the example takes from
        it, in the order the example uses them."""
        labels = {e.provenance.source: e.provenance.label() for e in self.catalogue.enrichments}
        by_source: dict[str, list[str]] = {}
        for name, named in self.used.items():
            basis, source = basis_of(named, "page")
            if basis in ("own", "sibling") and source:
                by_source.setdefault(source, []).append(name)
        for source, names in by_source.items():
            self.notes.add("types", "source", f"{', '.join(names)}: as "
                           f"{labels.get(source, source)} states them, not the page")
