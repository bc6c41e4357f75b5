"""The catalogue diff: classification of every kind, the three input forms, the allow-list,
affected operations, report formats and exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI, REPO, run_cli
from hypothesis import given
from hypothesis import strategies as st

from kraken_spec.contract.diff import KINDS, LEVELS, Change, DiffError, diff_catalogues
from kraken_spec.contract.diffload import DiffInputError, load_side, read_allow_list
from kraken_spec.generators.export import export_json
from kraken_spec.gql.schema import build_endpoint_schema
from kraken_spec.model import (
    Argument,
    Catalogue,
    Endpoint,
    Enrichment,
    ErrorEntry,
    NamedType,
    Provenance,
    ReturnField,
    SourcedField,
    SourcedType,
    SourcedValue,
    TypeField,
)
from kraken_spec.spec.loader import load_spec

FIXTURES = REPO / "tests" / "fixtures" / "diff"
BASE = load_spec(str(MINI)).assert_valid()
SIBLING = Provenance("octopus-energy-it", "sibling", "2026-02-10")
OWN = Provenance("maingau", "own", "2026-03-01")


# --- building catalogues -------------------------------------------------------------------


def edit(c: Catalogue, name: str, **fields: Any) -> Catalogue:
    """``c`` with the named mutation's fields replaced."""
    return replace(c, mutations=tuple(replace(m, **fields) if m.name == name else m
                                      for m in c.mutations))


def mutation(c: Catalogue, name: str) -> Any:
    return next(m for m in c.mutations if m.name == name)


def with_type(c: Catalogue, t: NamedType) -> Catalogue:
    return replace(c, types=tuple(t if x.name == t.name else x for x in c.types))


def sourced(c: Catalogue, provenance: Provenance, *types: SourcedType) -> Catalogue:
    return replace(c, enrichments=(Enrichment(provenance, None, types),))


def one(changes: list[Change]) -> Change:
    assert len(changes) == 1, changes
    return changes[0]


def found(changes: list[Change]) -> set[tuple[str, str, str]]:
    return {(c.kind, c.level, c.coordinate) for c in changes}


AGQ = "acceptGoodsQuote"
TOKEN = "obtainKrakenToken"
ARG = Argument("input", "AcceptGoodsQuoteInput!", "Input fields for accepting a quote.")


def returns(c: Catalogue, name: str, *fields: ReturnField) -> Catalogue:
    return edit(c, name, return_fields=tuple(fields))


def token_field(type_: str, basis: Any) -> Catalogue:
    m = mutation(BASE, TOKEN)
    fields = tuple(replace(f, type=type_, basis=basis) if f.name == "token" else f
                   for f in m.return_fields)
    return edit(BASE, TOKEN, return_fields=fields)


def documented(name: str, role: Any, kind: Any, *, fields: tuple[TypeField, ...] = (),
               values: tuple[str, ...] = ()) -> Catalogue:
    return with_type(BASE, NamedType(name, "documented", role, kind, None, fields, values))


SCOPE = "PreSignedTokenScope"  # an argument type of generatePreSignedToken
INPUT = "AcceptGoodsQuoteInput"


def scope_enum(*values: str) -> Catalogue:
    return documented(SCOPE, "input", "ENUM", values=values)


def agq_input(*fields: tuple[str, str]) -> Catalogue:
    return documented(INPUT, "input", "INPUT_OBJECT",
                      fields=tuple(TypeField(n, t) for n, t in fields))


def purchase(provenance: Provenance, t: SourcedType, *more: SourcedType) -> Catalogue:
    return sourced(BASE, provenance, t, *more)


def obj(name: str, *fields: SourcedField, interfaces: tuple[str, ...] = ()) -> SourcedType:
    return SourcedType(name, "OBJECT", fields=fields, interfaces=interfaces)


F_ID, F_TOTAL = SourcedField("id", "ID!"), SourcedField("total", "Int")
NODE = SourcedType("Node", "INTERFACE", fields=(F_ID,))
A_ITEM, B_ITEM = obj("AItem", F_ID), obj("BItem", F_ID)


def union(*members: str) -> SourcedType:
    return SourcedType("GoodsPurchase", "UNION", members=members)


def limit_arg(default: str | None) -> SourcedType:
    return obj("GoodsPurchase", SourcedField("items", "[String]", arguments=(
        SourcedField("first", "Int", default=default),)))


# --- one case per kind ----------------------------------------------------------------------

# (id, old, new, kind, level, coordinate): the diff is exactly that one change.
CASES: list[tuple[str, Catalogue, Catalogue, str, str, str]] = [
    ("mutation removed", BASE, replace(BASE, mutations=tuple(
        m for m in BASE.mutations if m.name != AGQ)),
     "mutation-removed", "breaking", f"Mutation.{AGQ}"),
    ("mutation added", replace(BASE, mutations=tuple(
        m for m in BASE.mutations if m.name != AGQ)), BASE,
     "mutation-added", "safe", f"Mutation.{AGQ}"),
    ("mutation moved", BASE, edit(BASE, AGQ, endpoint="auth"),
     "mutation-moved", "breaking", f"Mutation.{AGQ}"),
    ("authorization required", BASE, edit(BASE, AGQ, requires_authorization=True),
     "authorization-required", "breaking", f"Mutation.{AGQ}"),
    ("authorization dropped", edit(BASE, AGQ, requires_authorization=True), BASE,
     "authorization-dropped", "safe", f"Mutation.{AGQ}"),
    ("argument removed", BASE, edit(BASE, AGQ, arguments=()),
     "argument-removed", "breaking", f"Mutation.{AGQ}(input:)"),
    ("required argument added", BASE,
     edit(BASE, AGQ, arguments=(ARG, Argument("force", "Boolean!", None))),
     "argument-added-required", "breaking", f"Mutation.{AGQ}(force:)"),
    ("optional argument added", BASE,
     edit(BASE, AGQ, arguments=(ARG, Argument("force", "Boolean", None))),
     "argument-added", "safe", f"Mutation.{AGQ}(force:)"),
    ("argument type changed", BASE, edit(BASE, AGQ, arguments=(replace(ARG, type="String!"),)),
     "argument-type-changed", "breaking", f"Mutation.{AGQ}(input:)"),
    ("argument made nullable", BASE,
     edit(BASE, AGQ, arguments=(replace(ARG, type="AcceptGoodsQuoteInput"),)),
     "argument-type-changed-safely", "safe", f"Mutation.{AGQ}(input:)"),
    ("argument made non-null", edit(BASE, AGQ, arguments=(
        replace(ARG, type="AcceptGoodsQuoteInput"),)), BASE,
     "argument-type-changed", "breaking", f"Mutation.{AGQ}(input:)"),
    ("payload made non-null", BASE, edit(BASE, AGQ, payload_non_null=True),
     "field-type-changed-safely", "safe", f"Mutation.{AGQ}"),
    ("payload made nullable", edit(BASE, AGQ, payload_non_null=True), BASE,
     "field-type-changed", "breaking", f"Mutation.{AGQ}"),
    ("payload field removed", BASE, returns(BASE, AGQ, mutation(BASE, AGQ).return_fields[0]),
     "field-removed", "breaking", "AcceptGoodsQuote.goodsPurchase"),
    ("payload field added", BASE, returns(BASE, AGQ, *mutation(BASE, AGQ).return_fields,
                                          ReturnField("note", "String", "type-name")),
     "field-added", "safe", "AcceptGoodsQuote.note"),
    ("stated field type changed", BASE, returns(BASE, AGQ, mutation(BASE, AGQ).return_fields[0],
                                                ReturnField("goodsPurchase", "String",
                                                            "type-name")),
     "field-type-changed", "breaking", "AcceptGoodsQuote.goodsPurchase"),
    ("inferred field type changed", BASE, token_field("Int", "example"),
     "field-type-changed", "dangerous", "ObtainKrakenJSONWebToken.token"),
    ("inference confirmed", BASE, token_field("String", "type-name"),
     "inference-confirmed", "knowledge", "ObtainKrakenJSONWebToken.token"),
    ("inference refined", BASE, token_field("ID", "type-name"),
     "inference-refined", "knowledge", "ObtainKrakenJSONWebToken.token"),
    ("error code added", BASE, edit(BASE, AGQ, errors=(*mutation(BASE, AGQ).errors,
                                                       "KT-CT-9010")),
     "error-code-added", "dangerous", f"Mutation.{AGQ}@errors:KT-CT-9010"),
    ("error code removed", BASE, edit(BASE, AGQ, errors=mutation(BASE, AGQ).errors[1:]),
     "error-code-removed", "safe", f"Mutation.{AGQ}@errors:KT-CT-8223"),
    ("error message changed", BASE, replace(BASE, errors=tuple(
        ErrorEntry(e.code, "Not allowed.") if e.code == "KT-CT-1111" else e
        for e in BASE.errors)), "error-message-changed", "safe", "errors:KT-CT-1111"),
    ("mutation description changed", BASE, edit(BASE, AGQ, description="Accept a quote."),
     "description-changed", "safe", f"Mutation.{AGQ}"),
    ("argument description changed", BASE,
     edit(BASE, AGQ, arguments=(replace(ARG, description="The quote."),)),
     "description-changed", "safe", f"Mutation.{AGQ}(input:)"),
    ("deprecation added", BASE, edit(BASE, AGQ, deprecation_reason="Use acceptQuote."),
     "deprecation-added", "safe", f"Mutation.{AGQ}"),
    ("deprecation removed", BASE, edit(BASE, "updateUserDetails", deprecation_reason=None),
     "deprecation-removed", "safe", "Mutation.updateUserDetails"),
    ("deprecation changed", BASE, edit(BASE, "updateUserDetails", deprecation_reason="Gone."),
     "deprecation-changed", "safe", "Mutation.updateUserDetails"),
    ("endpoint URL changed", BASE, replace(BASE, endpoints=tuple(
        replace(e, url="https://api.example.invalid/") if e.name == "api" else e
        for e in BASE.endpoints)), "endpoint-url-changed", "breaking", "endpoints:api"),
    ("endpoint title changed", BASE, replace(BASE, endpoints=tuple(
        replace(e, title="API") if e.name == "api" else e for e in BASE.endpoints)),
     "endpoint-title-changed", "safe", "endpoints:api"),
    ("endpoint added", BASE, replace(BASE, endpoints=(
        *BASE.endpoints, Endpoint("extra", "Extra", "https://extra.example.invalid/"))),
     "endpoint-added", "safe", "endpoints:extra"),
    ("enum value removed", scope_enum("READ", "WRITE"), scope_enum("READ"),
     "enum-value-removed", "breaking", f"{SCOPE}.WRITE"),
    ("enum value added", scope_enum("READ"), scope_enum("READ", "WRITE"),
     "enum-value-added", "dangerous", f"{SCOPE}.WRITE"),
    ("type kind changed", scope_enum("READ"), documented(
        SCOPE, "input", "INPUT_OBJECT", fields=(TypeField("read", "Boolean"),)),
     "type-kind-changed", "breaking", SCOPE),
    ("input field removed", agq_input(("quoteId", "ID!"), ("note", "String")),
     agq_input(("quoteId", "ID!")), "input-field-removed", "breaking", f"{INPUT}.note"),
    ("required input field added", agq_input(("quoteId", "ID!")),
     agq_input(("quoteId", "ID!"), ("note", "String!")),
     "input-field-added-required", "breaking", f"{INPUT}.note"),
    ("optional input field added", agq_input(("quoteId", "ID!")),
     agq_input(("quoteId", "ID!"), ("note", "String")),
     "input-field-added", "safe", f"{INPUT}.note"),
    ("input field type changed", agq_input(("quoteId", "ID!")), agq_input(("quoteId", "Int!")),
     "input-field-type-changed", "breaking", f"{INPUT}.quoteId"),
    ("input field made nullable", agq_input(("quoteId", "ID!")), agq_input(("quoteId", "ID")),
     "input-field-type-changed-safely", "safe", f"{INPUT}.quoteId"),
    ("own field removed", purchase(OWN, obj("GoodsPurchase", F_ID, F_TOTAL)),
     purchase(OWN, obj("GoodsPurchase", F_ID)), "field-removed", "breaking",
     "GoodsPurchase.total"),
    ("own union member removed", purchase(OWN, union("AItem", "BItem"), A_ITEM, B_ITEM),
     purchase(OWN, union("AItem"), A_ITEM, B_ITEM), "union-member-removed", "breaking",
     "GoodsPurchase.BItem"),
    ("own union member added", purchase(OWN, union("AItem"), A_ITEM, B_ITEM),
     purchase(OWN, union("AItem", "BItem"), A_ITEM, B_ITEM), "union-member-added",
     "dangerous", "GoodsPurchase.BItem"),
    ("own interface removed", purchase(OWN, obj("GoodsPurchase", F_ID, interfaces=("Node",)),
                                       NODE),
     purchase(OWN, obj("GoodsPurchase", F_ID), NODE), "interface-removed", "breaking",
     "GoodsPurchase.Node"),
    ("own interface added", purchase(OWN, obj("GoodsPurchase", F_ID), NODE),
     purchase(OWN, obj("GoodsPurchase", F_ID, interfaces=("Node",)), NODE),
     "interface-added", "dangerous", "GoodsPurchase.Node"),
    ("own default changed", purchase(OWN, limit_arg("10")), purchase(OWN, limit_arg("20")),
     "default-changed", "dangerous", "GoodsPurchase.items(first:)"),
    ("own deprecation added", purchase(OWN, obj("GoodsPurchase", F_ID, F_TOTAL)),
     purchase(OWN, obj("GoodsPurchase", F_ID, replace(F_TOTAL, deprecation_reason="Old."))),
     "deprecation-added", "safe", "GoodsPurchase.total"),
    # Knowledge: what is known of the API changed, not the API.
    ("stand-in gains its shape", BASE,
     sourced(BASE, SIBLING, SourcedType(INPUT, "INPUT_OBJECT",
                                        fields=(SourcedField("quoteId", "ID!"),))),
     "type-shape-known", "knowledge", INPUT),
    ("shape lost", purchase(OWN, obj("GoodsPurchase", F_ID)), BASE,
     "type-shape-lost", "knowledge", "GoodsPurchase"),
    ("sibling replaced by own", purchase(SIBLING, obj("GoodsPurchase", F_ID)),
     purchase(OWN, obj("GoodsPurchase", F_ID)), "provenance-changed", "knowledge",
     "GoodsPurchase"),
    ("inferred scalar stated by a source", BASE,
     sourced(BASE, SIBLING, SourcedType("Date", "SCALAR")), "provenance-changed", "knowledge",
     "Date"),
]


def _without_source_notes(changes: list[Change]) -> list[Change]:
    return [c for c in changes if not c.kind.startswith("source-")]


@pytest.mark.parametrize(("old", "new", "kind", "level", "coordinate"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_kind_is_classified(old: Catalogue, new: Catalogue, kind: str, level: str,
                                 coordinate: str) -> None:
    change = one(_without_source_notes(diff_catalogues(old, new)))
    assert (change.kind, change.level, change.coordinate) == (kind, level, coordinate)
    assert KINDS[kind] == level or level == "dangerous"  # graded down only for inferences


def test_every_kind_has_a_case_or_a_test_of_its_own() -> None:
    tested = {c[3] for c in CASES} | {
        "endpoint-removed", "fact-learned", "fact-unlearned", "source-added",
        "source-removed", "source-updated"}
    assert tested == set(KINDS)


def test_messages_name_the_old_and_the_new() -> None:
    change = one(diff_catalogues(BASE, edit(BASE, AGQ, arguments=(
        replace(ARG, type="String!"),))))
    assert change.message == "argument input changed type from AcceptGoodsQuoteInput! to String!"
    assert change.endpoint == "api"


def test_an_endpoint_removed_with_its_mutations() -> None:
    new = replace(BASE, endpoints=BASE.endpoints[:1], mutations=tuple(
        m for m in BASE.mutations if m.endpoint == "api"))
    assert found(diff_catalogues(BASE, new)) == {
        ("endpoint-removed", "breaking", "endpoints:auth"),
        ("mutation-removed", "breaking", "Mutation.createMfaDevice")}


# --- knowledge and sources ------------------------------------------------------------------


def test_a_stand_in_becoming_an_input_object_is_knowledge_not_a_kind_change() -> None:
    from graphql import BreakingChangeType, find_breaking_changes

    new = sourced(BASE, SIBLING, SourcedType(INPUT, "INPUT_OBJECT",
                                             fields=(SourcedField("quoteId", "ID!"),)))
    # graphql-core alone would call it breaking: a scalar became an input object.
    core = find_breaking_changes(build_endpoint_schema(BASE, "api"),
                                 build_endpoint_schema(new, "api"))
    assert [c.type for c in core] == [BreakingChangeType.TYPE_CHANGED_KIND]
    assert {c.level for c in diff_catalogues(BASE, new)} == {"knowledge"}
    assert {c.level for c in diff_catalogues(new, BASE)} == {"knowledge"}


def test_a_page_stated_type_change_is_breaking() -> None:
    new = edit(BASE, AGQ, arguments=(replace(ARG, type="String!"),))
    assert one(diff_catalogues(BASE, new)).level == "breaking"


def test_source_added_removed_and_updated_are_knowledge() -> None:
    shaped = sourced(BASE, SIBLING, obj("GoodsPurchase", F_ID))
    assert found(diff_catalogues(BASE, shaped)) == {
        ("source-added", "knowledge", "sources:octopus-energy-it"),
        ("type-shape-known", "knowledge", "GoodsPurchase")}
    assert ("source-removed", "knowledge", "sources:octopus-energy-it") in found(
        diff_catalogues(shaped, BASE))
    later = sourced(BASE, replace(SIBLING, date="2026-04-01"), obj("GoodsPurchase", F_ID))
    assert found(diff_catalogues(shaped, later)) == {
        ("source-updated", "knowledge", "sources:octopus-energy-it"),
        ("provenance-changed", "knowledge", "GoodsPurchase")}


def test_payload_fields_a_source_adds_are_learned_not_new() -> None:
    payload = obj("AcceptGoodsQuote", SourcedField("goodsPurchase", "GoodsPurchase"),
                  SourcedField("receipt", "String"))
    new = sourced(BASE, SIBLING, payload)
    assert ("fact-learned", "knowledge", "AcceptGoodsQuote") in found(diff_catalogues(BASE, new))
    assert ("fact-unlearned", "knowledge", "AcceptGoodsQuote") in found(
        diff_catalogues(new, BASE))
    # The same sibling dropping the field: a sibling's removal, at most dangerous.
    smaller = sourced(BASE, SIBLING, replace(payload, fields=payload.fields[:1]))
    assert ("field-removed", "dangerous", "AcceptGoodsQuote.receipt") in found(
        diff_catalogues(new, smaller))


def test_a_sibling_fact_the_page_now_states_is_knowledge() -> None:
    payload = obj("AcceptGoodsQuote", SourcedField("receipt", "String"))
    old = sourced(BASE, SIBLING, payload)
    for type_ in ("String", "ID"):
        new = returns(old, AGQ, *mutation(BASE, AGQ).return_fields,
                      ReturnField("receipt", type_, "type-name"))
        assert found(diff_catalogues(old, new)) == {
            ("provenance-changed", "knowledge", "AcceptGoodsQuote.receipt")}


def test_a_sibling_replaced_by_an_own_source_with_another_shape_is_knowledge() -> None:
    old = purchase(SIBLING, obj("GoodsPurchase", F_ID, F_TOTAL))
    new = purchase(OWN, obj("GoodsPurchase", replace(F_ID, type="String")))
    assert {c.level for c in diff_catalogues(old, new)} == {"knowledge"}


# Every change a sibling source can make to a type's shape; none may fail a check.
SIBLING_PAIRS = [(c[1], c[2]) for c in CASES if c[0].startswith("own ")]


@pytest.mark.parametrize(("old", "new"), SIBLING_PAIRS)
def test_sibling_only_changes_are_never_breaking(old: Catalogue, new: Catalogue) -> None:
    def as_sibling(c: Catalogue) -> Catalogue:
        return replace(c, enrichments=tuple(replace(e, provenance=SIBLING)
                                            for e in c.enrichments))

    changes = diff_catalogues(as_sibling(old), as_sibling(new))
    assert changes and all(c.level != "breaking" for c in changes)
    assert all("octopus-energy-it" in c.message for c in changes if c.level == "dangerous")


sibling_fields = st.lists(st.tuples(st.sampled_from(["a", "b", "c", "d"]),
                                    st.sampled_from(["Int", "Int!", "String", "[ID!]"])),
                          unique_by=lambda f: f[0], max_size=4)


@given(kind=st.sampled_from(["OBJECT", "INPUT_OBJECT", "ENUM"]), old=sibling_fields,
       new=sibling_fields)
def test_random_sibling_shapes_never_break(kind: Any, old: list[tuple[str, str]],
                                            new: list[tuple[str, str]]) -> None:
    name = "GoodsPurchase" if kind != "INPUT_OBJECT" else INPUT

    def shape(fields: list[tuple[str, str]]) -> Catalogue:
        if kind == "ENUM":
            t = SourcedType(name, "ENUM", values=tuple(SourcedValue(n.upper()) for n, _ in
                                                       fields))
        else:
            t = SourcedType(name, kind, fields=tuple(SourcedField(n, ty) for n, ty in fields))
        return sourced(BASE, SIBLING, t)

    assert all(c.level != "breaking" for c in diff_catalogues(shape(old), shape(new)))


# --- properties ------------------------------------------------------------------------------

INPUT_TYPES = ["String", "String!", "Int", "[ID!]!", "Boolean!", f"{INPUT}!", SCOPE, "NewIn"]
OUTPUT_TYPES = ["String", "Int!", "[String]", "GoodsPurchase", "PossibleErrorType", "NewOut"]
names = st.from_regex(r"[a-z][A-Za-z0-9]{0,8}", fullmatch=True)


@st.composite
def single_changes(draw: st.DrawFn) -> Catalogue:
    """The mini catalogue with one random change to one mutation or catalogue fact."""
    m = draw(st.sampled_from(BASE.mutations))
    fields = list(m.return_fields or ())
    edits: dict[str, Callable[[], Catalogue]] = {
        "auth": lambda: edit(BASE, m.name, requires_authorization=not m.requires_authorization),
        "endpoint": lambda: edit(BASE, m.name, endpoint=draw(st.sampled_from(["api", "auth"]))),
        "payload": lambda: edit(BASE, m.name, payload_non_null=not m.payload_non_null),
        "text": lambda: edit(BASE, m.name, description=draw(st.none() | st.text(max_size=20)),
                             deprecation_reason=draw(st.none() | st.text(max_size=20))),
        "errors": lambda: edit(BASE, m.name, errors=tuple(draw(st.lists(
            st.sampled_from([e.code for e in BASE.errors]), unique=True, max_size=5)))),
        "arguments": lambda: edit(BASE, m.name, arguments=tuple(
            Argument(n, t, None) for n, t in draw(st.lists(
                st.tuples(names, st.sampled_from(INPUT_TYPES)), unique_by=lambda a: a[0],
                max_size=3)))),
        "fields": lambda: edit(BASE, m.name, return_fields=draw(st.none() | st.lists(
            st.builds(ReturnField, names, st.sampled_from(OUTPUT_TYPES),
                      st.sampled_from(["fragment", "type-name", "example"]), st.just("1")),
            unique_by=lambda f: f.name, max_size=4).map(tuple))),
        "field-type": lambda: edit(BASE, m.name, return_fields=tuple(
            replace(f, type=draw(st.sampled_from(OUTPUT_TYPES))) for f in fields)),
        "enum": lambda: scope_enum(*draw(st.lists(st.sampled_from(["A", "B", "C"]),
                                                  unique=True, min_size=1))),
        "input": lambda: agq_input(*draw(st.lists(st.tuples(
            names, st.sampled_from(INPUT_TYPES[:5])), unique_by=lambda f: f[0], min_size=1))),
        "message": lambda: replace(BASE, errors=tuple(
            replace(e, message=draw(st.text(max_size=10))) for e in BASE.errors)),
        "source": lambda: sourced(BASE, draw(st.sampled_from([OWN, SIBLING])), draw(
            st.sampled_from([obj("GoodsPurchase", F_ID), union("AItem"),
                             SourcedType(SCOPE, "ENUM", values=(SourcedValue("READ"),)),
                             SourcedType(INPUT, "INPUT_OBJECT", fields=(F_ID,))])), A_ITEM),
    }
    return edits[draw(st.sampled_from(sorted(edits)))]()


def test_a_catalogue_has_no_changes_to_itself(full_catalogue: Catalogue) -> None:
    assert diff_catalogues(BASE, BASE) == []
    assert diff_catalogues(full_catalogue, full_catalogue) == []


@given(single_changes())
def test_random_single_changes_are_classified(new: Catalogue) -> None:
    assert diff_catalogues(new, new) == []
    for old, changed in ((BASE, new), (new, BASE)):
        changes = diff_catalogues(old, changed)
        assert all(c.kind in KINDS and c.level in LEVELS for c in changes)
        assert len({(c.kind, c.coordinate, c.message) for c in changes}) == len(changes)
        assert changes == sorted(changes, key=lambda c: c.sort_key)


def test_a_schema_that_cannot_be_built_is_a_diff_error() -> None:
    # An output type used as an argument: only a hand-edited export can hold that.
    broken = edit(BASE, AGQ, arguments=(replace(ARG, type="AcceptGoodsQuote!"),))
    with pytest.raises(DiffError, match="endpoint 'api' cannot be built"):
        diff_catalogues(BASE, broken)


# --- the bundled catalogue --------------------------------------------------------------------


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@needs_git
@pytest.mark.skipif(not (REPO / ".git").exists(), reason="not a git checkout")
def test_enriching_the_bundled_catalogue_never_looks_breaking(tmp_path: Path) -> None:
    from kraken_spec.resources import bundled_catalogue

    head = load_side("HEAD", str(REPO), str(tmp_path)).catalogue
    bundled = bundled_catalogue()
    seen = 0
    for old, new in ((head, bundled), (head.page_only(), bundled), (bundled, head.page_only()),
                     (head.page_only(), head), (head, head.page_only())):
        changes = diff_catalogues(old, new)
        seen += len(changes)
        assert {c.level for c in changes} <= {"knowledge"}
        assert len({(c.kind, c.coordinate) for c in changes}) == len(changes)
    assert seen > 0


# --- the command ---------------------------------------------------------------------------


def run_diff(*argv: str) -> tuple[int, str, str]:
    """``kraken-spec diff ARGS...`` through the whole command line, in-process."""
    return run_cli("diff", *argv)


def spec_copy(root: Path) -> Path:
    shutil.copytree(MINI / "spec", root / "spec")
    return root


def set_in(root: Path, rel: str, old: str, new: str) -> None:
    path = root / "spec" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def breaking_copy(tmp_path: Path) -> tuple[Path, Path]:
    """Two spec folders; the new one's acceptGoodsQuote takes a String! input."""
    old, new = spec_copy(tmp_path / "old"), spec_copy(tmp_path / "new")
    for before, after in (("type: AcceptGoodsQuoteInput!", "type: String!"),
                          ("$input: AcceptGoodsQuoteInput!", "$input: String!"),
                          ('"input": AcceptGoodsQuoteInput', '"input": "abc"')):
        set_in(new, "mutations/acceptGoodsQuote.yaml", before, after)
    return old, new


def test_two_spec_folders(tmp_path: Path) -> None:
    old, new = breaking_copy(tmp_path)
    code, out, err = run_diff(str(old), str(new))
    assert code == 1 and out == ""
    where = f"{new.as_posix()}/spec/mutations/acceptGoodsQuote.yaml"
    assert (f"{where}: breaking: Mutation.acceptGoodsQuote(input:): argument input changed "
            "type from AcceptGoodsQuoteInput! to String!") in err.splitlines()
    assert err.splitlines()[-1].startswith("1 breaking (0 allowed), 0 dangerous, 0 safe")
    assert run_diff(str(old), str(old / "spec"))[0] == 0  # a spec/ folder names its root


def test_two_exports(tmp_path: Path) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(export_json(BASE), encoding="utf-8")
    new.write_text(export_json(edit(BASE, AGQ, requires_authorization=True)), encoding="utf-8")
    code, _, err = run_diff(str(old), str(new))
    assert code == 1
    assert err.splitlines()[0] == (f"{new}: breaking: Mutation.acceptGoodsQuote: "
                                   "acceptGoodsQuote now requires the Authorization header "
                                   "(it did not)")
    assert run_diff(str(new), str(old))[0] == 0


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), "-c", "user.name=Test",
                           "-c", "user.email=test@example.invalid", *args],
                          capture_output=True, text=True, check=True, timeout=60)
    return done.stdout


@needs_git
def test_two_git_revisions(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    spec_copy(repo / "client")
    (repo / "catalogue.json").write_text(export_json(BASE), encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "first")
    breaking_copy(tmp_path / "edit")
    shutil.copyfile(tmp_path / "edit/new/spec/mutations/acceptGoodsQuote.yaml",
                    repo / "client/spec/mutations/acceptGoodsQuote.yaml")
    git(repo, "commit", "-qam", "second")
    code, _, err = run_diff("HEAD~1:client", "HEAD:client", "--repo", str(repo))
    assert code == 1, err
    assert err.startswith("client/spec/mutations/acceptGoodsQuote.yaml: breaking: ")
    # REV:PATH of an export file; a spec/ folder; the same commit twice.
    assert run_diff("HEAD:catalogue.json", "HEAD:client/spec", "--repo", str(repo))[0] == 1
    assert run_diff("HEAD~1:client/spec", "HEAD~1:catalogue.json", "--repo",
                    str(repo))[0] == 0
    # Two folders of one commit are two sides.
    shutil.copytree(MINI / "spec", repo / "other" / "spec")
    set_in(repo / "other", "mutations/acceptGoodsQuote.yaml", "requiresAuthorization: false",
           "requiresAuthorization: true")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "third")
    code, _, err = run_diff("HEAD:client", "HEAD:other", "--repo", str(repo))
    assert code == 1 and "other/spec/mutations/acceptGoodsQuote.yaml: breaking: " in err
    assert "Mutation.acceptGoodsQuote: acceptGoodsQuote now requires" in err
    code, _, err = run_diff("HEAD", "HEAD:client", "--repo", str(repo))
    assert code == 2 and "HEAD: no spec/ folder there" in err


@needs_git
@pytest.mark.parametrize(("argument", "expected"), [
    ("no-such-thing", "no-such-thing: no such file or folder, and not a revision"),
    ("-HEAD", "not a revision"),
    ("HEAD:no/such/path", "HEAD has no file or folder 'no/such/path'"),
    ("HEAD:../outside", "the path leaves the repository"),
])
def test_arguments_that_name_nothing(argument: str, expected: str) -> None:
    # After "--" an argument that starts with "-" reaches the command, not argparse.
    code, _, err = run_diff("--repo", str(REPO), "--", argument, str(MINI))
    assert code == 2 and expected in err and "Traceback" not in err


def test_unreadable_sides_exit_2(tmp_path: Path) -> None:
    invalid = spec_copy(tmp_path / "invalid")
    set_in(invalid, "errors.yaml", "code: KT-CT-1111", "code: KT-CT-1111x")
    code, _, err = run_diff(str(invalid), str(MINI))
    assert code == 2 and "the spec is invalid" in err and "  spec/" in err
    not_export = tmp_path / "page.json"
    not_export.write_text('{"formatVersion": 99}', encoding="utf-8")
    code, _, err = run_diff(str(not_export), str(MINI))
    assert code == 2 and "not a catalogue export (formatVersion 1 expected, found 99)" in err
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe")
    assert run_diff(str(binary), str(MINI))[0] == 2
    assert run_diff(str(tmp_path), str(MINI))[0] == 2  # a folder without spec/
    broken = tmp_path / "broken.json"
    broken.write_text(export_json(edit(BASE, AGQ, arguments=(
        replace(ARG, type="AcceptGoodsQuote!"),))), encoding="utf-8")
    code, _, err = run_diff(str(MINI), str(broken))
    assert code == 2 and "cannot be built" in err


EXPORT = json.loads(export_json(BASE))


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [path] + [p for k, v in node.items() for p in _leaves(v, (*path, k))]
    if isinstance(node, list):
        return [path] + [p for i, v in enumerate(node) for p in _leaves(v, (*path, i))]
    return [path]


@given(path=st.sampled_from(_leaves(EXPORT)[1:]), value=st.sampled_from(
    [None, 5, True, "", "x", "[[", "Int!!", "__x", "Query", "api", [], ["x"], {}, {"a": 1}]))
def test_a_damaged_export_never_raises(tmp_path_factory: pytest.TempPathFactory,
                                       path: tuple[Any, ...], value: Any) -> None:
    damaged = json.loads(json.dumps(EXPORT))
    node = damaged
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    folder = tmp_path_factory.mktemp("damaged")
    good, bad = folder / "good.json", folder / "bad.json"
    good.write_text(json.dumps(EXPORT), encoding="utf-8")
    bad.write_text(json.dumps(damaged), encoding="utf-8")
    for old, new in ((good, bad), (bad, good)):
        code, _, err = run_diff(str(old), str(new), "--format", "json")
        assert code in (0, 1, 2) and "Traceback" not in err


def test_load_side_names_the_spec_file_of_each_coordinate() -> None:
    side = load_side(str(MINI), ".", "/nonexistent")
    root = MINI.as_posix()
    assert side.file_of("Mutation.acceptGoodsQuote(input:)") == (
        f"{root}/spec/mutations/acceptGoodsQuote.yaml")
    assert side.file_of("AcceptGoodsQuote.goodsPurchase") == (
        f"{root}/spec/mutations/acceptGoodsQuote.yaml")
    assert side.file_of("GoodsPurchase") == f"{root}/spec/types/imported.yaml"
    assert side.file_of("errors:KT-CT-1111") == f"{root}/spec/errors.yaml"
    assert side.file_of("Mutation.gone") == str(MINI)
    with pytest.raises(DiffInputError):
        load_side(str(REPO / "tests"), ".", "/nonexistent")


# --- the allow-list -----------------------------------------------------------------------


def test_an_allowed_breaking_change_passes_with_its_reason(tmp_path: Path) -> None:
    old, new = breaking_copy(tmp_path)
    code, _, err = run_diff(str(old), str(new), "--allow", str(FIXTURES / "allow.yaml"))
    assert code == 0
    line = next(x for x in err.splitlines() if "allowed:" in x)
    assert line.endswith("warning: allowed: breaking: Mutation.acceptGoodsQuote(input:): "
                         "argument input changed type from AcceptGoodsQuoteInput! to String! "
                         "(reason: the client sends a plain string since release 4.2)")
    assert "1 breaking (1 allowed)" in err


def test_allow_list_entries_match_by_coordinate_and_kind(tmp_path: Path) -> None:
    old, new = breaking_copy(tmp_path)
    allow = tmp_path / "allow.json"
    allow.write_text(json.dumps([
        {"coordinate": "Mutation.acceptGoodsQuote(input:)", "kind": "argument-removed",
         "reason": "another kind"},
        {"coordinate": "Mutation.gone", "reason": "nothing there"}]), encoding="utf-8")
    code, _, err = run_diff(str(old), str(new), "--allow", str(allow))
    assert code == 1
    unused = [x for x in err.splitlines() if "unused allow-list entry" in x]
    assert unused == [
        f"{allow}:1:2: info: unused allow-list entry: Mutation.acceptGoodsQuote(input:) "
        "(kind argument-removed) matches no breaking or dangerous change",
        f"{allow}:1:109: info: unused allow-list entry: Mutation.gone matches no breaking or "
        "dangerous change"]


def test_an_allowed_dangerous_change_is_a_note(tmp_path: Path) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(export_json(BASE), encoding="utf-8")
    new.write_text(export_json(edit(BASE, AGQ, errors=("KT-CT-9010",))), encoding="utf-8")
    allow = tmp_path / "allow.yaml"
    allow.write_text("- coordinate: Mutation.acceptGoodsQuote@errors:KT-CT-9010\n"
                     "  reason: handled as a generic error\n", encoding="utf-8")
    code, out, _ = run_diff(str(old), str(new), "--allow", str(allow), "--format", "json")
    problems = json.loads(out)["problems"]
    assert code == 0
    [added] = [p for p in problems if p["rule"] == "diff-error-code-added"]
    assert added["severity"] == "info"
    assert added["message"].startswith("allowed: dangerous: Mutation.acceptGoodsQuote@errors:")
    assert added["message"].endswith("(reason: handled as a generic error)")


@pytest.mark.parametrize(("text", "expected"), [
    ("allow:\n  - coordinate: Mutation.x\n", ":2:5: entry 1: a reason is required"),
    ("- coordinate: Mutation.x\n  reason: '  '\n", ":2:11: entry 1: a reason is required"),
    ("- {coordinate: Mutation.x, reason: r, kind: nope}\n", "unknown kind 'nope'"),
    ("- {coordinate: Mutation.x, reason: r, why: w}\n", "unknown key 'why'"),
    ("- {coordinate: '', reason: r}\n", "coordinate must be a schema coordinate"),
    ("- just text\n", "entry 1: give a mapping"),
    ("coordinate: Mutation.x\n", ":1:1: an allow-list is a list of entries"),
    ("- [unclosed\n", ":2:1:"),
])
def test_malformed_allow_lists_exit_2_with_a_place(tmp_path: Path, text: str,
                                                   expected: str) -> None:
    allow = tmp_path / "allow.yaml"
    allow.write_text(text, encoding="utf-8")
    with pytest.raises(DiffInputError) as caught:
        read_allow_list(str(allow))
    assert expected in str(caught.value)
    code, _, err = run_diff(str(MINI), str(MINI), "--allow", str(allow))
    assert code == 2 and expected in err


def test_an_empty_or_missing_allow_list(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing accepted yet\n", encoding="utf-8")
    assert read_allow_list(str(empty)) == ()
    code, _, err = run_diff(str(MINI), str(MINI), "--allow", str(tmp_path / "missing.yaml"))
    assert code == 2 and "missing.yaml: file not found" in err


# --- affected operations ---------------------------------------------------------------------


def affected_by(tmp_path: Path, new_catalogue: Catalogue) -> tuple[int, str]:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(export_json(BASE), encoding="utf-8")
    new.write_text(export_json(new_catalogue), encoding="utf-8")
    code, _, err = run_diff(str(old), str(new), "--operations", str(FIXTURES / "operations"))
    return code, err


OPS = (FIXTURES / "operations").as_posix()


def test_breaking_changes_name_the_operations_that_use_them(tmp_path: Path) -> None:
    code, err = affected_by(tmp_path, edit(BASE, AGQ, arguments=(
        replace(ARG, type="String!"),)))
    assert code == 1
    assert f"; used by {OPS}/accept.graphql:2 (AcceptGoodsQuote)" in err
    assert "token.gql" not in err
    assert "3 operation(s) read, 1 use what a breaking change changes" in err


def test_a_field_selected_in_a_fragment_names_its_operation(tmp_path: Path) -> None:
    _, err = affected_by(tmp_path, returns(BASE, AGQ, mutation(BASE, AGQ).return_fields[0]))
    assert (f"AcceptGoodsQuote.goodsPurchase: field goodsPurchase (GoodsPurchase) was removed "
            f"from AcceptGoodsQuote; used by {OPS}/accept.graphql:2 (AcceptGoodsQuote)") in err


def test_a_new_required_argument_affects_every_call(tmp_path: Path) -> None:
    _, err = affected_by(tmp_path, edit(BASE, "closeOpenPrintBatch", arguments=(
        Argument("id", "ID!", None),)))
    assert f"used by {OPS}/token.gql:8 (anonymous mutation)" in err
    _, err = affected_by(tmp_path, replace(BASE, mutations=tuple(
        m for m in BASE.mutations if m.name != TOKEN)))
    assert f"used by {OPS}/token.gql:1 (ObtainKrakenToken)" in err


def test_operation_files_that_cannot_be_read(tmp_path: Path) -> None:
    bad = tmp_path / "bad.graphql"
    bad.write_text("mutation { oops(", encoding="utf-8")
    code, _, err = run_diff(str(MINI), str(MINI), "--operations", str(bad))
    assert code == 0 and "warning: the document cannot be parsed" in err
    code, _, err = run_diff(str(MINI), str(MINI), "--operations", str(tmp_path / "no.graphql"))
    assert code == 2 and "file not found" in err


# --- formats and exit codes ------------------------------------------------------------------


def test_json_report(tmp_path: Path) -> None:
    old, new = breaking_copy(tmp_path)
    code, out, err = run_diff(str(old), str(new), "--format", "json")
    assert code == 1 and err == ""
    document = json.loads(out)
    assert document["ok"] is False
    [problem] = document["problems"]
    assert problem["rule"] == "diff-argument-type-changed"
    assert problem["severity"] == "error"
    assert problem["message"].startswith("breaking: Mutation.acceptGoodsQuote(input:): ")
    assert problem["path"].endswith("new/spec/mutations/acceptGoodsQuote.yaml")


def test_markdown_report_for_a_pull_request(tmp_path: Path) -> None:
    old, new = breaking_copy(tmp_path)
    code, out, _ = run_diff(str(old), str(new), "--format", "markdown")
    lines = out.splitlines()
    assert code == 1
    assert lines[0] == "### Catalogue diff: breaking changes"
    assert lines[2].startswith("1 breaking (0 allowed), 0 dangerous, 0 safe, 0 knowledge")
    assert "| where | severity | rule | message |" in lines
    assert any("| error | diff-argument-type-changed | breaking: " in x for x in lines)
    code, out, _ = run_diff(str(old), str(old), "--format", "markdown")
    assert code == 0 and out.startswith("### Catalogue diff: no unaccepted breaking changes")


def test_github_annotations(tmp_path: Path) -> None:
    old, new = breaking_copy(tmp_path)
    _, out, _ = run_diff(str(old), str(new), "--format", "github")
    assert out.startswith("::error file=")
    assert "title=diff-argument-type-changed::breaking%3A" not in out  # data is not escaped
    assert "::breaking: Mutation.acceptGoodsQuote(input:)" in out


def test_exit_codes(tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    old.write_text(export_json(BASE), encoding="utf-8")
    for catalogue, status in ((BASE, 0), (edit(BASE, AGQ, description="x"), 0),
                              (edit(BASE, AGQ, errors=("KT-CT-9010",)), 0),
                              (edit(BASE, AGQ, arguments=()), 1)):
        new = tmp_path / "new.json"
        new.write_text(export_json(catalogue), encoding="utf-8")
        assert run_diff(str(old), str(new))[0] == status
