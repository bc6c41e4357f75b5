"""The reference docs as a reader meets them: type pages, authorization, the grouped index."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from conftest import REPO
from markdown_it import MarkdownIt
from test_markdown import assert_links_resolve, outside_code, tables

from kraken_spec.generators.export import catalogue_from_export, export_document, export_json
from kraken_spec.generators.markdown import generate_docs
from kraken_spec.generators.topics import OTHER, sort_key, split_name, subject
from kraken_spec.generators.typefacts import all_type_infos, page_name
from kraken_spec.model import (
    AUTHORIZATION_ERROR,
    BUILTIN_SCALARS,
    Catalogue,
    Example,
    Mutation,
    named_type,
)

TEMPLATES = str(REPO / "templates")
COMMONMARK = MarkdownIt("commonmark").enable("table")

# Counted on the bundled catalogue: the mutations whose entry carries the page's note that
# they require the Authorization header, and those that do not but list KT-CT-1112.
DOCUMENTED_AUTH = 10
INFERRED_AUTH = 175


@pytest.fixture(scope="module")
def mini_docs(mini_catalogue: Catalogue) -> dict[str, str]:
    return generate_docs(mini_catalogue, TEMPLATES)


@pytest.fixture(scope="module")
def full_docs(full_catalogue: Catalogue) -> dict[str, str]:
    return generate_docs(full_catalogue, TEMPLATES)


def by_name(catalogue: Catalogue, name: str) -> str:
    return next(m.description or "" for m in catalogue.mutations if m.name == name)


# --- authorization: as stated, as inferred -------------------------------------------------


def test_authorization_is_documented_or_inferred_never_confused(
        full_catalogue: Catalogue) -> None:
    found = Counter(m.authorization for m in full_catalogue.mutations)
    assert found["documented"] == DOCUMENTED_AUTH
    assert found["inferred"] == INFERRED_AUTH
    for m in full_catalogue.mutations:
        raises = AUTHORIZATION_ERROR in m.errors
        # Exactly the mutations raising KT-CT-1112 without the page's note are inferred.
        assert (m.authorization == "inferred") == (raises and not m.requires_authorization)
        assert (m.authorization == "documented") == m.requires_authorization
    (headless,) = full_catalogue.confirmed_headless().values()
    assert headless.authorization is None and headless.authorization_evidence is None


def mutation(requires: bool, errors: tuple[str, ...]) -> Mutation:
    return Mutation("m", "api", "P", False, None, requires, None, errors, (), None,
                    Example("mutation { m }", None, "{}"))


def test_the_note_wins_and_no_evidence_is_no_claim() -> None:
    assert mutation(True, ()).authorization == "documented"
    assert mutation(True, (AUTHORIZATION_ERROR,)).authorization == "documented"
    assert mutation(False, ("KT-CT-1111", AUTHORIZATION_ERROR)).authorization == "inferred"
    # "Unauthorized." alone says the caller may lack a right, not that a header is needed.
    assert mutation(False, ("KT-CT-1111",)).authorization is None
    assert mutation(False, ()).authorization_evidence is None


def test_the_evidence_names_the_note_or_the_code(full_catalogue: Catalogue) -> None:
    evidence = {m.authorization: m.authorization_evidence for m in full_catalogue.mutations}
    assert evidence["documented"] == "This field requires the Authorization header to be set."
    assert evidence["inferred"] == "KT-CT-1112"
    assert full_catalogue.error(AUTHORIZATION_ERROR).message == (
        "'Authorization' header not provided.")


def test_the_export_writes_authorization_apart_and_reads_back(
        full_catalogue: Catalogue) -> None:
    document = export_document(full_catalogue)
    values = [m["authorization"] for m in document["mutations"]]
    assert Counter(v and v["basis"] for v in values) == {
        "documented": DOCUMENTED_AUTH, "inferred": INFERRED_AUTH,
        None: len(values) - DOCUMENTED_AUTH - INFERRED_AUTH}
    for entry in document["mutations"]:
        assert list(entry)[-1] == "authorization"
        if entry["authorization"] and entry["authorization"]["basis"] == "inferred":
            assert entry["requiresAuthorization"] is False
            assert entry["authorization"]["evidence"] in entry["errors"]
    # Derived, so not read back: the model round-trips as before.
    text = export_json(full_catalogue)
    assert export_json(catalogue_from_export(text)) == text


def test_the_export_schema_describes_authorization() -> None:
    schema = json.loads((REPO / "kraken_spec" / "spec" / "schemas" / "catalogue.schema.json")
                        .read_text(encoding="utf-8"))
    entry = schema["properties"]["mutations"]["items"]["properties"]["authorization"]
    assert entry["oneOf"][1]["properties"]["basis"] == {"enum": ["documented", "inferred"]}


def test_mutation_pages_show_authorization_apart(full_catalogue: Catalogue,
                                                 full_docs: dict[str, str]) -> None:
    for m in full_catalogue.mutations:
        lines = [line for line in full_docs[f"docs/mutations/{m.name}.md"].split("\n")
                 if line.startswith("- **Authorization:**")]
        if m.payload_source is not None:
            assert lines == ["- **Authorization:** unknown (the page shows no heading)"]
        elif m.authorization == "documented":
            assert lines == ["- **Authorization:** required: the page notes “This field "
                             "requires the Authorization header to be set.”"]
        elif m.authorization == "inferred":
            assert lines == ["- **Authorization:** required, inferred: the page does not say "
                             "so, but the mutation can raise [KT-CT-1112](../errors.md#KT-CT-"
                             "1112), “'Authorization' header not provided.”"]
        else:
            assert lines == []


def test_pages_state_only_what_applies(full_docs: dict[str, str]) -> None:
    for path, text in full_docs.items():
        assert "**Deprecated:** no" not in text, path
        assert "not marked as required" not in text, path


# --- descriptions as prose -------------------------------------------------------------------


def first_paragraphs(page: str) -> list[str]:
    """The rendered paragraphs between a mutation page's navigation and its fact list."""
    html = COMMONMARK.render(page)
    body = html.split("</p>\n", 1)[1].split("<ul>", 1)[0]
    return re.findall(r"<p>(.*?)</p>", body, flags=re.DOTALL)


def test_obtain_kraken_token_reads_as_one_paragraph(full_catalogue: Catalogue,
                                                    full_docs: dict[str, str]) -> None:
    assert "Authorization\nheader" in by_name(full_catalogue, "obtainKrakenToken")
    assert first_paragraphs(full_docs["docs/mutations/obtainKrakenToken.md"]) == [
        "Create a Kraken Token (JWT) for authentication. Provide the required input fields to "
        "obtain the token. The token should be used as the Authorization header for any "
        "authenticated requests."]


def test_embedded_json_and_codes_read_as_code(full_docs: dict[str, str]) -> None:
    reset = COMMONMARK.parse(full_docs["docs/mutations/resetUserPassword.md"])
    fences = [t for t in reset if t.type == "fence"]
    assert fences[0].info == "json"
    assert json.loads(fences[0].content)["errors"][0]["extensions"]["errorCode"] == "KT-CT-5450"
    boost = full_docs["docs/mutations/updateBoostCharge.md"]
    assert "(device is not yet live)BC_DEVICE_RETIRED" not in boost
    assert "- `BC_DEVICE_NOT_YET_LIVE` (device is not yet live)\n" in boost


def test_every_fence_has_a_language(mini_docs: dict[str, str],
                                    full_docs: dict[str, str]) -> None:
    for docs in (mini_docs, full_docs):
        for path, text in docs.items():
            if path.startswith("docs/mutations/"):
                infos = [t.info for t in COMMONMARK.parse(text) if t.type == "fence"]
                assert infos and all(infos), path
                assert set(infos) <= {"graphql", "json", "text"}, path


def test_pages_render_without_a_line_break_outside_table_cells(
        full_docs: dict[str, str]) -> None:
    # In running text a scraped line break is a space; a table cell, which cannot hold a
    # paragraph, breaks its line only between paragraphs, list items and notes.
    breaks = 0
    for path, text in full_docs.items():
        html = COMMONMARK.render(text)
        outside = re.sub(r"<td>.*?</td>", "", html, flags=re.DOTALL)
        assert "<br" not in outside, path
        breaks += html.count("<br>")
    assert breaks < 1000


def test_line_breaks_in_cells_fall_between_the_source_paragraphs(
        full_catalogue: Catalogue, full_docs: dict[str, str]) -> None:
    page = full_docs["docs/types/ObtainJSONWebTokenInput.md"]
    assert "Email address of the account user. Use with 'password' field. |" in page
    # A source's field description, wrapped mid-sentence, is one line in its cell.
    for enrichment in full_catalogue.enrichments:
        t = enrichment.shape("PossibleErrorType")
        assert t is not None and t.description is not None and "about\nGraphQL" in t.description
    assert ("The GraphQL error type for displaying information about GraphQL errors that "
            "might be raised from the API.") in full_docs["docs/types/PossibleErrorType.md"]


# --- type pages ------------------------------------------------------------------------------


def type_columns(page: str) -> list[str]:
    """The cells of every table column that names types (Type, Interface)."""
    cells: list[str] = []
    for table in tables(page):
        header = [c.strip() for c in table[0].strip("|").split(" | ")]
        for column, title in enumerate(header):
            if title in ("Type", "Interface"):
                cells += [re.split(r"(?<!\\) \| ", row.strip("|").strip())[column].strip()
                          for row in table[2:]]
    return cells


_CODE_LINK = re.compile(r"\[`([^`]+)`\]\((?:\.\./types/|types/)?([_A-Za-z][_0-9A-Za-z]*)\.md\)")


@pytest.mark.parametrize("which", ["mini_docs", "full_docs"])
def test_every_type_in_every_table_links_to_its_page(which: str,
                                                     request: pytest.FixtureRequest) -> None:
    docs: dict[str, str] = request.getfixturevalue(which)
    checked = 0
    for path, text in docs.items():
        for cell in type_columns(text):
            linked = _CODE_LINK.fullmatch(cell)
            if linked is None:
                # Only a built-in scalar goes unlinked.
                assert named_type(cell.strip("`")) in BUILTIN_SCALARS, (path, cell)
                continue
            ref, name = linked[1], linked[2]
            assert page_name(ref) == name and f"docs/types/{name}.md" in docs, (path, cell)
            checked += 1
    assert checked > 20


def test_every_known_type_has_a_page(full_catalogue: Catalogue,
                                     full_docs: dict[str, str]) -> None:
    pages = {p.removeprefix("docs/types/").removesuffix(".md") for p in full_docs
             if p.startswith("docs/types/")}
    known = {t.name for t in full_catalogue.types} | {
        t.name for e in full_catalogue.enrichments for t in e.types}
    known |= {m.payload_type for m in full_catalogue.mutations}
    assert known - BUILTIN_SCALARS <= pages
    assert not pages & BUILTIN_SCALARS
    assert pages == set(all_type_infos(full_catalogue))
    assert len(pages) == 1297


def test_an_unknown_shape_says_so_and_is_no_dead_end(mini_docs: dict[str, str]) -> None:
    page = mini_docs["docs/mutations/obtainKrakenToken.md"]
    row = next(line for line in page.split("\n") if line.startswith("| `possibleErrors` |"))
    assert row == ("| `possibleErrors` | [`[PossibleErrorType]`](../types/PossibleErrorType.md)"
                   " | named by the page (fragment spread); fields not documented | — |")
    target = mini_docs["docs/types/PossibleErrorType.md"]
    assert "without its shape, and no schema source states it: **fields not documented**" in (
        target)
    assert "| [obtainKrakenToken](../mutations/obtainKrakenToken.md) | return field " \
           "`possibleErrors` |" in target


def test_a_sourced_shape_names_its_source_on_every_row(full_docs: dict[str, str]) -> None:
    page = full_docs["docs/types/PossibleErrorType.md"]
    assert "The shape below is from octopus-energy-it (sibling, 2026-02-10)" in page
    rows = [line for line in outside_code(page) if line.startswith("| `")]
    fields = [row for row in rows if row.endswith("| octopus-energy-it (sibling, 2026-02-10) |")]
    assert [row.split(" | ")[0] for row in fields] == [
        "| `message`", "| `code`", "| `type`", "| `description`"]
    payload = full_docs["docs/types/ObtainKrakenJSONWebToken.md"]
    assert ("| `token` | `String` | The Kraken Token.  Can be used in the \\`Authorization\\` "
            "header for subsequent calls to the API to access protected resources. | inferred "
            "from the page's example value `\"abc123\"`; `String!` in octopus-energy-it "
            "(sibling, 2026-02-10); description from octopus-energy-it (sibling, 2026-02-10) |"
            ) in payload


def test_type_pages_list_direct_and_reaching_mutations(full_docs: dict[str, str]) -> None:
    page = full_docs["docs/types/ObtainJSONWebTokenInput.md"]
    assert ("Directly, by 1 mutation:\n\n| Mutation | As |\n| --- | --- |\n"
            "| [obtainKrakenToken](../mutations/obtainKrakenToken.md) | argument `input` |"
            ) in page
    enum = full_docs["docs/types/AccountTypeChoices.md"]
    reached = "Through other types (fields, their arguments, union members and an interface's " \
              "implementations), by "
    assert f"{reached}44 mutations:\n[" in enum
    # Most mutations reach DateTime: counted, and the types referring to it lead on.
    date_time = full_docs["docs/types/DateTime.md"]
    assert f"{reached}94 mutations: too many to list here" in date_time
    assert "| [`APICallType`](APICallType.md) | field `createdAt` |" in date_time
    # A payload's selected field is its mutation's return field, listed as a direct use.
    assert "| [`ObtainKrakenJSONWebToken`]" not in full_docs["docs/types/PossibleErrorType.md"]


# --- the index -------------------------------------------------------------------------------


def index_rows(index: str) -> dict[str, str]:
    rows = {}
    for line in index.split("\n"):
        found = re.match(r"\| \[([^\]]+)\]\(mutations/", line)
        if found:
            assert found[1] not in rows, f"{found[1]} is listed twice"
            rows[found[1]] = line
    return rows


def test_the_index_groups_every_mutation_once_with_its_markers(
        full_catalogue: Catalogue, full_docs: dict[str, str]) -> None:
    index = full_docs["docs/README.md"]
    rows = index_rows(index)
    assert set(rows) == {m.name.replace("_", "\\_") for m in full_catalogue.mutations}
    marks = Counter(row.split(" | ")[1] for row in rows.values())
    assert marks == {"required": DOCUMENTED_AUTH, "required (inferred)": INFERRED_AUTH,
                     "unknown": 1, "": len(rows) - DOCUMENTED_AUTH - INFERRED_AUTH - 1}
    assert sum("**Deprecated.**" in row for row in rows.values()) == 1
    # Every bundled mutation has a subject; the group counts add up.
    assert OTHER not in {subject(m.name) for m in full_catalogue.mutations}
    counts = [int(n) for n in re.findall(r"^\| \[[^\]]+\]\(#subject-[^)]+\) \| (\d+) \|$",
                                         index, flags=re.MULTILINE)]
    assert sum(counts) == len(full_catalogue.mutations)
    assert "## How to read these docs" in index
    assert "(10 mutations)" in index and "(175 mutations)" in index


def test_names_split_into_verb_and_object() -> None:
    assert split_name("createAccountCharge") == ("create", "AccountCharge")
    assert split_name("enrollment") == ("enrollment", "")
    assert sort_key("deleteAccountReference") < sort_key("updateAccountReference") < sort_key(
        "createAccountReminder")
    assert subject("obtainKrakenToken") == "Sign-in, tokens and passwords"
    assert subject("triggerBoostCharge") == "Smart devices and EV charging"
    # A name no subject matches is still listed.
    assert subject("alpha") == OTHER


def test_links_resolve_in_the_full_docs(full_docs: dict[str, str]) -> None:
    assert assert_links_resolve(full_docs) > 20_000


def _fences(page: str) -> list[tuple[str, str]]:
    """The fenced blocks of a page, each with its info string."""
    found = []
    for token in COMMONMARK.parse(page):
        if token.type == "fence":
            found.append((token.info, token.content))
    return found


def test_every_built_mutation_page_has_a_runnable_example() -> None:
    # The acceptance: the published pages, read as a client would copy them, hold an
    # operation that graphql-core validates against the published SDL and variables that
    # pass check-request.
    from graphql import build_schema, parse, validate

    from kraken_spec.contract.request import check_request

    schemas = {path.stem: build_schema(path.read_text(encoding="utf-8"))
               for path in (REPO / "build" / "schema").glob("*.graphql")}
    export = json.loads((REPO / "build" / "catalogue.json").read_text(encoding="utf-8"))
    by_url = {e["url"]: e["name"] for e in export["endpoints"]}
    endpoint_of = {m["name"]: by_url[m["endpoint"]] for m in export["mutations"]}
    pages = sorted((REPO / "build" / "docs" / "mutations").glob("*.md"))
    assert len(pages) == len(endpoint_of) == 236
    for path in pages:
        page = path.read_text(encoding="utf-8")
        runnable = page.split("### The page's example", 1)[0]
        assert "### The page's example" in page, path.name
        fences = _fences(runnable)
        operation = next(text for info, text in fences if info == "graphql")
        schema = schemas[endpoint_of[path.stem]]
        assert validate(schema, parse(operation)) == [], path.name
        body: dict[str, object] = {"query": operation}
        if "\nVariables:\n" in runnable:
            variables = _fences(runnable.split("\nVariables:\n", 1)[1])[0]
            assert variables[0] == "json", path.name
            body["variables"] = json.loads(variables[1])
        assert not [f for f in check_request(body, schema) if f.severity == "error"], path.name
