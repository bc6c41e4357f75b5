"""The GraphQL documents found in client source (kraken_spec.contract.documents): which, with
what text, and at which place of the original file each of their characters is."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import REPO
from graphql import GraphQLSyntaxError, Source, parse
from hypothesis import given
from hypothesis import strategies as st

from kraken_spec.contract.documents import (
    FoundDocument,
    find_documents,
    iter_source_files,
    locate,
    normalise_newlines,
    position,
    read_source,
)
from kraken_spec.diagnostics import FALLBACK_RULE, Diagnostic, line_column

FIXTURES = REPO / "tests" / "fixtures" / "documents"


def found_in(name: str) -> tuple[str, list[FoundDocument], list[Diagnostic]]:
    """The text of a fixture, and the documents and diagnostics found in it."""
    path = str(FIXTURES / name)
    text, problems = read_source(path)
    assert text is not None and problems == []
    docs, diagnostics = find_documents(path, text)
    return text, docs, diagnostics


def summary(docs: list[FoundDocument]) -> list[tuple[str, int, int, str | None]]:
    return [(d.text, d.line, d.column, d.endpoint) for d in docs]


def file_text_at(original: str, line: int, column: int) -> str:
    """The rest of the original file's line from ``line``/``column`` on."""
    return original.split("\n")[line - 1][column - 1:]


def assert_maps(doc: FoundDocument, original: str, token: str) -> None:
    """``token``, found in the document, is found at the file place :func:`position` gives
    for its location as graphql-core reports it."""
    location = Source(doc.text).get_location(doc.text.index(token))
    line, column = position(doc, location.line, location.column)
    assert file_text_at(original, line, column).startswith(token), (token, line, column)


# --- the fixtures ----------------------------------------------------------------------------


OBTAIN = ("mutation ObtainKrakenToken($input: ObtainJSONWebTokenInput!) {\n"
          "  # kraken-spec: endpoint=auth\n"
          "  obtainKrakenToken(input: $input) { token refreshToken }\n}")


def test_a_python_client() -> None:
    original, docs, diagnostics = found_in("python_client.py")
    assert summary(docs) == [
        (OBTAIN, 7, 23, "auth"),
        ("\n    # The accounts of the signed-in user.\n    query Viewer {\n"
         "      viewer { accounts { number } }\n    }\n", 12, 13, None),
        ('query Note { note(text: "line\\nbreak") { id } }', 20, 12, None),
        ("mutation RefreshToken($token: String!) { "
         "obtainKrakenToken(input: {refreshToken: $token}) { token } }", 23, 6, None),
        ('query Escaped {\n  viewer { givenName(style: "short") }\n}', 27, 16, None),
    ]
    assert [d.verbatim for d in docs] == [True, True, True, False, False]
    assert [(str(d), d.severity, d.rule) for d in diagnostics] == [
        (f"{FIXTURES / 'python_client.py'}:36:12: an f-string is not checked", "info",
         "interpolated-document")]
    for doc, token in zip(docs, ["refreshToken", "accounts", "line", "refreshToken",
                                 "givenName"], strict=True):
        parse(doc.text)
        assert_maps(doc, original, token)
    # The second piece of the concatenation starts a new anchor on the next file line.
    assert_maps(docs[3], original, "{refreshToken")


def test_a_typescript_client() -> None:
    original, docs, diagnostics = found_in("client.ts")
    assert summary(docs) == [
        ("\n  fragment AccountFields on AccountType {\n    number\n    balance\n  }\n",
         14, 35, "api"),
        ("\n  query Viewer {\n    viewer {\n      accounts {\n        number\n      }\n    }\n"
         "  }\n", 21, 62, "api"),
        ("\n  # kraken-spec: endpoint=auth\n"
         "  mutation ObtainKrakenToken($input: ObtainJSONWebTokenInput!) {\n"
         "    obtainKrakenToken(input: $input) {\n      token\n      refreshToken\n    }\n"
         "  }\n", 40, 44, "auth"),
    ]
    assert [(d.line, d.column, d.severity, d.rule) for d in diagnostics] == [
        (31, 27, "unverified", "interpolated-document")]
    assert file_text_at(original, 31, 27) == "`"  # the template of `query Account`
    for doc, token in zip(docs, ["balance", "accounts", "refreshToken"], strict=True):
        parse(doc.text)
        assert_maps(doc, original, token)


def test_a_javascript_client() -> None:
    original, docs, diagnostics = found_in("client.js")
    assert summary(docs) == [(
        "\n  mutation SubmitReading($input: ElectricityMeterReadingsInput!) {\n"
        "    createElectricityMeterReadings(input: $input) {\n      readings { id }\n    }\n"
        "  }\n", 6, 40, None)]
    assert diagnostics == []
    assert_maps(docs[0], original, "readings")


def test_a_graphql_file_with_an_endpoint_directive() -> None:
    original, docs, diagnostics = found_in("token.graphql")
    assert summary(docs) == [(original, 1, 1, "auth")]
    assert diagnostics == []
    assert_maps(docs[0], original, "refreshToken")
    assert find_documents("schema.GQL", "{ a }")[0][0].text == "{ a }"


def test_syntax_errors_map_back_to_the_file() -> None:
    # A real graphql-core error, in a document whose escapes were decoded.
    original = 'Q = gql("query Q {\\n  viewer(id: ) { id }\\n}")\n'
    (doc,), _ = find_documents("q.py", original)
    with pytest.raises(GraphQLSyntaxError) as caught:
        parse(doc.text)
    (location,) = caught.value.locations or []
    place = position(doc, location.line, location.column)
    assert file_text_at(original, *place) == ") { id }\\n}\")"
    # The first character of a line; an error's positions (offsets) map with locate().
    (doc,), _ = find_documents("q.ts", "const q = gql`{\n)`;\n")
    with pytest.raises(GraphQLSyntaxError) as caught:
        parse(doc.text)
    assert position(doc, 2, 1) == locate(doc, (caught.value.positions or [0])[0]) == (2, 1)
    assert position(doc, 1, 9) == (1, 23)  # past the end of a line: further along it


# --- forms and escapes -----------------------------------------------------------------------


@pytest.mark.parametrize(("source", "text", "line", "column"), [
    ("graphql`{ a }`", "{ a }", 1, 9),
    ("Apollo.gql`{ a }`", "{ a }", 1, 12),
    ("gql <Q<R>, (v: V) => W> `{ a }`", "{ a }", 1, 26),
    ("gql(\n  `{ a }`,\n)", "{ a }", 2, 4),
    ("graphql<Q>(`{ a }`, [F])", "{ a }", 1, 13),
    ("/*  graphql  */\n`{ a }`", "{ a }", 2, 2),
    ("`${ gql`{ a }` }`", "{ a }", 1, 9),
    ("<p>Don't</p>\nconst q = gql`{ a }`", "{ a }", 2, 15),
    ("x = y / 2; gql`{ a }` / 3", "{ a }", 1, 16),
])
def test_script_forms(source: str, text: str, line: int, column: int) -> None:
    docs, diagnostics = find_documents("a.tsx", source)
    assert summary(docs) == [(text, line, column, None)] and diagnostics == []


@pytest.mark.parametrize("source", [
    "gql(`{ a }` + more)", "notgql`{ a }`", "gql2`{ a }`", "/* not GraphQL */ `{ a }`",
    "const s = 'gql`{ a }`'", "return /gql`/.test(s)", "const gql = { key: `{ a }` }",
])
def test_script_text_that_is_no_document(source: str) -> None:
    assert find_documents("a.jsx", source) == ([], [])


def test_script_escapes_are_cooked_and_still_map() -> None:
    original = 'q = gql`{ a(s: "x\\`y") b }`;'
    (doc,), _ = find_documents("a.js", original)
    assert doc.text == '{ a(s: "x`y") b }' and not doc.verbatim
    assert_maps(doc, original, "b }")


def test_python_escapes_and_continued_lines() -> None:
    original = 'Q = gql("""query Q { \\\nviewer { \\x69d } }""")\n'
    (doc,), _ = find_documents("q.py", original)
    assert doc.text == "query Q { viewer { id } }"
    assert position(doc, 1, 11) == (2, 1)
    assert position(doc, 1, 20) == (2, 10)  # "id" written as "\x69d"
    assert position(doc, 1, 21) == (2, 14)


@pytest.mark.parametrize("source", [
    'X = """query the accounts"""', 'X = "query Q { a }"', 'X = """{json: 1}"""',
    'X = rb"""query Q { a }"""', 'gql = """"""', "X = other('{ a }')",
    'X = """{ a: 1, b: 2 }"""', 'X = """\n  { HAS EQ NE } match\n"""',
])
def test_python_text_that_is_no_document(source: str) -> None:
    assert find_documents("a.py", source) == ([], [])


def test_python_forms() -> None:
    source = ('a = client.gql(R"{ a }", variables)\n'
              "b = '''\n# a comment\n\nfragment F on T { a }'''\n"
              'c = U"""subscription @live { a }"""\n'
              'd = f"{x}"\ne = gql(f"{ {x} }")\nf = """\n  { viewer { id } }"""\n')
    docs, diagnostics = find_documents("a.py", source)
    assert [(d.text, d.line, d.column) for d in docs] == [
        ("{ a }", 1, 18), ("\n# a comment\n\nfragment F on T { a }", 2, 8),
        ("subscription @live { a }", 6, 9), ("\n  { viewer { id } }", 9, 8)]
    assert [(d.line, d.column, d.severity) for d in diagnostics] == [(8, 9, "info")]


# --- directives ------------------------------------------------------------------------------


def test_endpoint_directives() -> None:
    source = ("# kraken-spec: endpoint=api\n# kraken-spec: endpoint=auth\n"
              "# kraken-spec: endpoint=api\n"
              'A = gql("{ a }")\nB = gql("""\n  # kraken-spec: endpoint = auth\n{ b }""")\n'
              'C = gql("""# kraken-spec: endpoint=auth\n{ "unlexed }""")\n'
              'D = gql("""{ d } # kraken-spec: endpoints=auth""")\n')
    docs, diagnostics = find_documents("a.py", source)
    assert [d.endpoint for d in docs] == ["api", "auth", "auth", "api"]
    assert [(d.line, d.column, d.severity, d.rule) for d in diagnostics] == [
        (2, 1, "warning", "directive"), (10, 18, "warning", "directive")]
    assert "'endpoints=auth'" in diagnostics[1].message
    docs, diagnostics = find_documents("a.ts", "// kraken-spec: endpoint=auth\ngql`{ a }`")
    assert [d.endpoint for d in docs] == ["auth"] and diagnostics == []
    docs, diagnostics = find_documents("a.ts", "// kraken-spec:\ngql`{ a }`")
    assert [d.endpoint for d in docs] == [None] and len(diagnostics) == 1


# --- broken source ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "source", "line", "column"), [
    ("a.py", 'Q = gql("""query {\n', 1, 9),
    ("a.py", "x = 'query\ny = gql('{ a }')\n", 1, 5),
    ("a.py", "x = (1,\n", None, None),  # places differ between Python releases
    ("a.py", "if x:\n    y\n  z\n", 3, None),
    ("a.ts", "const Q = gql`\n  query {", 1, 14),
    ("a.ts", "a = `${ b", 1, 5),
    ("a.js", "x = 1; /* open `", 1, 8),
])
def test_unterminated_source_is_one_located_error(name: str, source: str, line: int | None,
                                                  column: int | None) -> None:
    docs, diagnostics = find_documents(name, source)
    assert docs == []
    assert [(d.severity, d.rule) for d in diagnostics] == [("error", "source-syntax")]
    assert (line or diagnostics[0].line, column or diagnostics[0].column) == (
        diagnostics[0].line, diagnostics[0].column) and diagnostics[0].column >= 1


def test_unknown_suffixes_hold_no_documents() -> None:
    assert find_documents("notes.txt", "gql`{ a }`") == ([], [])


# --- files -----------------------------------------------------------------------------------


def test_iter_source_files(tmp_path: Path) -> None:
    for rel in ["src/app.ts", "src/api/client.py", "src/queries/token.graphql",
                "src/queries/other.gql", "src/notes.txt", "src/node_modules/pkg/index.js",
                "src/.cache/x.graphql", "src/build/out.js", "src/dist/x.js",
                "src/__pycache__/x.py", "src/venv/lib/y.py", "src/.venv/z.py"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("{ a }\n", encoding="utf-8")
    src, notes = str(tmp_path / "src"), str(tmp_path / "src" / "notes.txt")
    app, missing = os.path.join(src, "app.ts"), str(tmp_path / "missing.ts")
    again = os.path.join(src, ".", "app.ts")
    files, diagnostics = iter_source_files([app, src, notes, missing, again])
    assert files == [app] + [os.path.join(src, rel) for rel in [
        "api/client.py", "queries/other.gql", "queries/token.graphql"]]
    assert [(d.path, d.severity, d.rule) for d in diagnostics] == [
        (notes, "warning", "source-kind"), (missing, "error", "unreadable-file")]


def test_read_source(tmp_path: Path) -> None:
    good = tmp_path / "a.ts"
    good.write_bytes(b"\xef\xbb\xbfa\r\nb\rc\n")
    assert read_source(str(good)) == ("a\nb\nc\n", [])
    bad = tmp_path / "b.py"
    bad.write_bytes(b"x = 1\n\xc3\xa9\xff\n")
    text, (problem,) = read_source(str(bad))
    assert text is None
    assert (problem.line, problem.column, problem.rule) == (2, 2, "file-encoding")
    for path in [tmp_path / "missing.py", tmp_path]:
        text, (problem,) = read_source(str(path))
        assert text is None and problem.rule == "unreadable-file"


# --- any text --------------------------------------------------------------------------------


PIECES = ["gql", "graphql", "`", "${", "}", "{", "'", '"', '"""', "'''", "/*", "*/", "//", "/",
          "\n", "\r\n", "\\", "\\n", "\\\n", "r", "f", "b", "(", ")", "<", ">", ",", " ", "#",
          "=", " kraken-spec: endpoint=api", "kraken-spec: x", "query Q { a }", "/* GraphQL */",
          "\x0b", "\u2028", "é", "\t", "[", "]"]
SUFFIXES = [".graphql", ".gql", ".py", ".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".txt"]
sources = st.one_of(st.text(), st.lists(st.sampled_from(PIECES) | st.text(max_size=3),
                                        max_size=40).map("".join))


@given(source=sources, suffix=st.sampled_from(SUFFIXES))
def test_found_documents_point_at_their_text(source: str, suffix: str) -> None:
    docs, diagnostics = find_documents("client" + suffix, source)
    text = normalise_newlines(source)
    starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
    for doc in docs:
        assert doc.line >= 1 and doc.column >= 1
        offset = starts[doc.line - 1] + doc.column - 1
        if not doc.verbatim:
            places = [locate(doc, k) for k in range(len(doc.text) + 1)]
            assert all(1 <= line <= len(starts) and column >= 1 for line, column in places)
            continue
        assert text[offset:offset + len(doc.text)] == doc.text
        for k in range(len(doc.text) + 1):
            # A verbatim text holds no "\r": its lines are the ones line_column() counts.
            assert position(doc, *line_column(doc.text, k)) == locate(doc, k)
            assert locate(doc, k) == line_column(text, offset + k)
    for diagnostic in diagnostics:
        assert diagnostic.rule != FALLBACK_RULE and 1 <= diagnostic.line <= len(starts) + 1
