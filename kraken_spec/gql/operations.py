"""Operation validation with verdicts by provenance: graphql-core's rules, graded per fact."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from copy import copy
from dataclasses import dataclass
from typing import Any, Literal

from graphql import (
    SKIP,
    ArgumentNode,
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLField,
    GraphQLNamedType,
    GraphQLSchema,
    NullValueNode,
    ObjectFieldNode,
    OperationDefinitionNode,
    OperationType,
    ParallelVisitor,
    TypeInfo,
    TypeInfoVisitor,
    ValidationContext,
    ValidationRule,
    ValueNode,
    VariableNode,
    Visitor,
    VisitorAction,
    get_named_type,
    specified_rules,
    visit,
)
from graphql.validation.rules.custom.no_deprecated import NoDeprecatedCustomRule

# Where a fact of the built schema comes from (set by gql.schema as each type's and
# field's ``extensions["kraken_spec"]["basis"]``): the page, an own or sibling source, an
# inference from the page's examples, a stand-in for an unknown shape, or the placeholder
# query root that keeps the schema valid.
Basis = Literal["page", "own", "sibling", "inferred", "stand-in", "placeholder"]
Verdict = Literal["error", "warning", "unverified"]

EXTENSION = "kraken_spec"

# Rules whose finding rests on what a type or a field is: graded by that fact's basis.
# Every other rule checks the document itself (names, variables, fragments), an error.
_TYPE_RULES = frozenset({
    "StandInValuesRule",
    "FieldsOnCorrectTypeRule", "ScalarLeafsRule", "KnownArgumentNamesRule",
    "ProvidedRequiredArgumentsRule", "ValuesOfCorrectTypeRule", "PossibleFragmentSpreadsRule",
    "FragmentsOnCompositeTypesRule", "OverlappingFieldsCanBeMergedRule",
})

# How firmly a basis holds a fact: a finding takes the verdict of the weakest fact it
# rests on.
_STRENGTH: dict[str, int] = {"page": 0, "own": 0, "inferred": 0, "sibling": 1,
                             "stand-in": 2, "placeholder": 2}


@dataclass(frozen=True)
class OperationFinding:
    """One finding in a document: position inside the document text (1-based; 0 when the
    document as a whole is meant), verdict, message and a stable rule id."""

    line: int
    column: int
    severity: Verdict
    message: str
    rule: str
    # The character offset in the document (None when the document as a whole is meant):
    # exact on every graphql-core 3.2 release, whose line counting changed.
    offset: int | None = None
    # The name of the Source the offset is in: a document may join several sources.
    source: str | None = None


def basis_of(thing: GraphQLNamedType | GraphQLField | None, default: Basis) -> tuple[Basis, str]:
    """The basis and source name recorded on a built type or field, else ``default``."""
    extensions = getattr(thing, "extensions", None) or {}
    mine = extensions.get(EXTENSION) or {}
    return mine.get("basis", default), mine.get("source", "")


def weakest(things: Sequence[GraphQLNamedType | GraphQLField | None],
            default: Basis) -> tuple[Basis, str]:
    """The weakest basis (and its source) among the facts ``things`` record."""
    bases = [basis_of(t, default) for t in things]
    return max(bases, key=lambda b: _STRENGTH[b[0]], default=(default, ""))


def sibling_note(source: str) -> str:
    """What a warning on a sibling's fact adds to its message."""
    return f" (a fact of {source}, another Kraken brand: the Maingau endpoint may differ)"


def _rule_id(name: str) -> str:
    """``FieldsOnCorrectTypeRule`` -> ``fields-on-correct-type``."""
    words = re.findall(r"[A-Z][a-z]*", name.removesuffix("Rule").removesuffix("Custom"))
    return "-".join(w.lower() for w in words)


class _Tracker(Visitor):
    """Keeps the operation kind and the response path at hand while the rules report."""

    def __init__(self) -> None:
        super().__init__()
        self.operation: OperationType | None = None
        self.path: list[str] = []

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: object) -> None:
        self.operation = node.operation

    def leave_operation_definition(self, *_: object) -> None:
        self.operation = None

    def enter_field(self, node: FieldNode, *_: object) -> None:
        self.path.append(node.alias.value if node.alias else node.name.value)

    def leave_field(self, *_: object) -> None:
        self.path.pop()


class _Grader:
    """Turns each reported GraphQLError into a finding with the verdict its facts allow."""

    def __init__(self, type_info: TypeInfo, tracker: _Tracker, default: Basis) -> None:
        self.type_info = type_info
        self.tracker = tracker
        self.default = default
        self.findings: list[OperationFinding] = []

    def subject(self, rule: str) -> list[GraphQLNamedType | GraphQLField | None]:
        """The facts the rule's finding rests on, at the current position: an argument's
        existence rests on its field and that field's type, not on what the field returns;
        a value on its input types; a selection on the field and its type."""
        info = self.type_info
        field: list[Any] = [info.get_field_def()]
        parent: list[Any] = [info.get_parent_type()]
        own: list[Any] = [info.get_type()]
        inputs: list[Any] = [info.get_input_type(), info.get_parent_input_type()]
        by_rule: dict[str, list[Any]] = {
            "FieldsOnCorrectTypeRule": parent,
            "KnownArgumentNamesRule": field + parent,
            "ProvidedRequiredArgumentsRule": field + parent,
            "ValuesOfCorrectTypeRule": inputs,
            "StandInValuesRule": inputs,
        }
        wanted = by_rule.get(rule, field + parent + own + inputs)
        return [t if isinstance(t, GraphQLField) else get_named_type(t)
                for t in wanted if t is not None]

    def grade(self, rule: str, error: GraphQLError) -> None:
        verdict: Verdict = "error"
        note = ""
        if self.tracker.operation not in (None, OperationType.MUTATION):
            return  # the whole operation is reported unverified once, by _unchecked
        if rule == "NoDeprecatedCustomRule":
            verdict = "warning"
        elif rule in _TYPE_RULES:
            basis, source = weakest(self.subject(rule), self.default)
            if basis in ("stand-in", "placeholder"):
                verdict = "unverified"
                where = ".".join(self.tracker.path) or "the document"
                note = (f" (at {where}: no source states this type's shape, so this part of "
                        "the operation is not checked)")
            elif basis == "sibling":
                verdict = "warning"
                note = sibling_note(source)
        line, column = (0, 0)
        if error.locations:
            line, column = error.locations[0].line, error.locations[0].column
        offset = next(iter(error.positions), None) if error.positions else None
        node = error.nodes[0] if error.nodes else None
        origin = node.loc.source.name if node is not None and node.loc is not None else None
        self.findings.append(OperationFinding(line, column, verdict, error.message + note,
                                              _rule_id(rule), offset, origin))


def _unchecked(document: DocumentNode) -> list[OperationFinding]:
    """A note for each operation the catalogue cannot check: queries and subscriptions."""
    out = []
    for definition in document.definitions:
        if (isinstance(definition, OperationDefinitionNode)
                and definition.operation is not OperationType.MUTATION):
            loc = definition.loc.source.get_location(definition.loc.start) if (
                definition.loc and definition.loc.source) else None
            name = definition.name.value if definition.name else "(anonymous)"
            out.append(OperationFinding(
                loc.line if loc else 0, loc.column if loc else 0, "unverified",
                f"{definition.operation.value} {name} is not checked: the catalogue "
                "documents mutations only", "outside-catalogue",
                definition.loc.start if definition.loc else None))
    return out


def _reporter(grader: _Grader,
              rule: type[ASTValidationRule]) -> Callable[[GraphQLError], None]:
    name = rule.__name__

    def report(error: GraphQLError) -> None:
        grader.grade(name, error)

    return report


class StandInValuesRule(ValidationRule):
    """A literal value given where the type stands in as a scalar is not checked: report it
    unverified, never silently passed (a stand-in scalar accepts any literal)."""

    def enter_argument(self, node: ArgumentNode, *_: object) -> VisitorAction:
        return self._check(node.value, f"argument {node.name.value}")

    def enter_object_field(self, node: ObjectFieldNode, *_: object) -> VisitorAction:
        return self._check(node.value, f"input field {node.name.value}")

    def _check(self, value: ValueNode, what: str) -> VisitorAction:
        input_type = self.context.get_input_type()
        if input_type is None or isinstance(value, VariableNode | NullValueNode):
            return None
        named = get_named_type(input_type)
        if basis_of(named, "own")[0] != "stand-in":
            return None
        # The grade adds where, and why: no source states this type's shape.
        self.report_error(GraphQLError(f"the value of {what} ({named.name}) is not checked",
                                       value))
        return SKIP


RULES: tuple[type[ASTValidationRule], ...] = (*specified_rules, NoDeprecatedCustomRule,
                                              StandInValuesRule)


def check_document(schema: GraphQLSchema, document: DocumentNode, *, default: Basis = "own",
                   rules: Sequence[type[ASTValidationRule]] = RULES) -> list[OperationFinding]:
    """Validate ``document`` against ``schema`` with graphql-core's rules, each finding
    graded by the basis of the facts it rests on.

    A contradiction of the page, an own source or an inference from the page is an error;
    of a sibling source, a warning; a selection under a type no source shapes, and every
    query or subscription, is unverified. Facts without a recorded basis (a schema read
    from a file) count as ``default``.
    """
    type_info = TypeInfo(schema)
    tracker = _Tracker()
    grader = _Grader(type_info, tracker, default)

    visitors: list[Visitor] = [tracker]
    shared = ValidationContext(schema, document, type_info, _reporter(grader, ASTValidationRule))
    for rule in rules:
        # A context per rule: graphql-core's rules report through their context, so its
        # callback is what knows which rule spoke. Shallow copies share the TypeInfo and
        # the caches of variable usages and fragment spreads, filled once for all rules.
        context = copy(shared)
        context.on_error = _reporter(grader, rule)  # type: ignore[method-assign,assignment]
        visitors.append(rule(context))
    visit(document, TypeInfoVisitor(type_info, ParallelVisitor(visitors)))
    return _unchecked(document) + sorted(grader.findings, key=lambda f: (f.line, f.column))
