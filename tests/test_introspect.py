"""The introspect command against a real HTTP server on 127.0.0.1, and every way it fails."""

from __future__ import annotations

import argparse
import functools
import io
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, CliRunner
from graphql import build_client_schema, build_schema, graphql_sync, print_schema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kraken_spec.cli import introspect as introspect_cmd
from kraken_spec.cli import main as main_module
from kraken_spec.external import introspect
from kraken_spec.external.introspect import (
    CLASSIC_QUERY,
    INTROSPECTION_QUERY,
    IntrospectionError,
    fetch_introspection,
)

SERVER_SCHEMA = build_schema((REPO / "build" / "schema" / "api.graphql").read_text("utf-8"))
TYPES = sum(1 for name in SERVER_SCHEMA.type_map if not name.startswith("__"))
assert SERVER_SCHEMA.mutation_type is not None
MUTATIONS = len(SERVER_SCHEMA.mutation_type.fields)
SECRET = "JWT s3cr3t-t0ken"

# (status, headers, body): what the server answers to one posted body.
Reply = tuple[int, dict[str, str], bytes]


def _json(document: object, status: int = 200) -> Reply:
    return status, {"Content-Type": "application/json"}, json.dumps(document).encode()


@functools.cache
def _executed(query: str) -> Reply:
    return _json(graphql_sync(SERVER_SCHEMA, query).formatted)


def execute(body: bytes) -> Reply:
    """Run the posted query against SERVER_SCHEMA, as a GraphQL server does (once per query:
    the answer never changes, and the schema is large)."""
    return _executed(json.loads(body)["query"])


@dataclass
class Endpoint:
    """A GraphQL server on a free port: what it answers, and what it was sent."""

    url: str
    answer: Callable[[bytes], Reply] = execute
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    # Set when the test ends, so that a handler made to stall returns at once.
    released: threading.Event = field(default_factory=threading.Event)


class _Handler(BaseHTTPRequestHandler):
    endpoint: Endpoint  # set on a subclass per server

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.endpoint.requests.append((dict(self.headers.items()), body))
        status, headers, payload = self.endpoint.answer(body)
        if status == 0:
            return  # hang up without a word
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if "Content-Length" not in headers and "X-No-Length" not in headers:
                self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            if "X-Trickle" in headers:  # a space every 50 ms, for as long as the test runs
                while not self.endpoint.released.wait(0.05):
                    self.wfile.write(b" ")
                    self.wfile.flush()
        except OSError:
            pass  # the client gave up first (a size or time limit): what those tests want

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep the test output clean


@pytest.fixture
def endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[Endpoint]:
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
                 "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)  # 127.0.0.1 is reached directly
    class Handler(_Handler):
        pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state = Endpoint(f"http://127.0.0.1:{server.server_address[1]}/graphql")
    Handler.endpoint = state
    # A short poll: shutdown() waits for the serving loop to look.
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield state
    state.released.set()
    server.shutdown()
    server.server_close()
    thread.join()


def _wired() -> bool:
    """Whether kraken_spec.cli.main has the introspect command."""
    # Imported as a module (introspect_cmd) or as its functions, as enrich is.
    wired = (introspect_cmd, introspect_cmd.run, introspect_cmd.add_parser)
    return any(value is item for value in vars(main_module).values() for item in wired)


@pytest.fixture
def run(cli: CliRunner) -> CliRunner:
    """``kraken-spec ARGS...`` in-process: through main once introspect is wired into it,
    until then through a parser holding only this command."""
    if _wired():
        return cli
    parser = argparse.ArgumentParser(prog="kraken-spec")
    introspect_cmd.add_parser(parser.add_subparsers(dest="command", required=True))

    def local(*argv: str) -> tuple[int, str, str]:
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:
            return int(exc.code or 0), "", ""
        out, err = io.StringIO(), io.StringIO()
        return introspect_cmd.run(args, out, err), out.getvalue(), err.getvalue()

    return local


def _failed(run: CliRunner, url: str, out: Path, message: str, *extra: str) -> None:
    """The command fails with exit 2, ``kraken-spec: URL: message``, and writes nothing."""
    code, printed, err = run("introspect", url, "--out", str(out), *extra)
    assert (code, printed, err) == (2, "", f"kraken-spec: {url}: {message}\n")
    assert not out.exists()


# --- success ---------------------------------------------------------------------------------


def test_writes_the_introspection_result(endpoint: Endpoint, run: CliRunner,
                                         tmp_path: Path) -> None:
    out = tmp_path / "api.introspection.json"
    code, printed, err = run("introspect", endpoint.url, "--out", str(out))
    assert (code, printed, err) == (0, f"wrote {out}: {TYPES} types, {MUTATIONS} mutations\n", "")
    headers, body = endpoint.requests[0]
    assert len(endpoint.requests) == 1
    assert json.loads(body) == {"query": INTROSPECTION_QUERY}
    assert (headers["Content-Type"], headers["Accept"]) == ("application/json",
                                                            "application/json")
    text = out.read_text("utf-8")
    saved = json.loads(text)
    assert list(saved) == ["data"] and list(saved["data"]) == ["__schema"]
    # The server's order, two-space indents, one final newline.
    assert text == json.dumps(saved, indent=2, ensure_ascii=False) + "\n"
    expected = graphql_sync(SERVER_SCHEMA, INTROSPECTION_QUERY).data
    assert saved["data"] == expected
    assert print_schema(build_client_schema(saved["data"])) == print_schema(SERVER_SCHEMA)


def test_replaces_an_earlier_introspection_result(endpoint: Endpoint, run: CliRunner,
                                                  tmp_path: Path) -> None:
    out = tmp_path / "api.json"
    out.write_text('{"data": {"__schema": {"types": []}}}', "utf-8")
    assert run("introspect", endpoint.url, "--out", str(out))[0] == 0
    assert print_schema(build_client_schema(json.loads(out.read_text("utf-8"))["data"])) \
        == print_schema(SERVER_SCHEMA)


def test_headers_reach_the_server_and_are_never_printed(endpoint: Endpoint, run: CliRunner,
                                                        tmp_path: Path) -> None:
    out = tmp_path / "api.json"
    code, printed, err = run("introspect", endpoint.url, "--out", str(out),
                             "--header", f"Authorization: {SECRET}",
                             "--header", "X-Trace:abc:def", "--header", "Accept: */*")
    assert code == 0 and SECRET not in printed + err
    headers = endpoint.requests[0][0]
    assert headers["Authorization"] == SECRET
    assert headers["X-Trace"] == "abc:def"  # only the first colon separates
    assert headers["Accept"] == "*/*"  # a named header replaces the tool's own
    assert SECRET not in out.read_text("utf-8")
    endpoint.answer = lambda body: (500, {}, b"boom")
    code, printed, err = run("introspect", endpoint.url, "--out", str(tmp_path / "x.json"),
                             "--header", f"Authorization: {SECRET}")
    assert code == 2 and SECRET not in printed + err


def test_an_old_server_gets_the_classic_query(endpoint: Endpoint, run: CliRunner,
                                              tmp_path: Path) -> None:
    def old(body: bytes) -> Reply:
        if "isOneOf" in json.loads(body)["query"]:
            return _json({"errors": [{"message": "Cannot query field 'isOneOf' on type "
                                                 "'__Type'."}]}, 400)
        return execute(body)

    endpoint.answer = old
    out = tmp_path / "api.json"
    assert run("introspect", endpoint.url, "--out", str(out))[:2] == (
        0, f"wrote {out}: {TYPES} types, {MUTATIONS} mutations\n")
    assert [json.loads(b)["query"] for _, b in endpoint.requests] == [INTROSPECTION_QUERY,
                                                                       CLASSIC_QUERY]
    saved = json.loads(out.read_text("utf-8"))
    assert print_schema(build_client_schema(saved["data"])) == print_schema(SERVER_SCHEMA)


def test_help(run: CliRunner, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("introspect", "--help")[0] == 0
    assert capsys.readouterr().out.startswith("usage: kraken-spec introspect [-h] --out FILE")


# --- what the server answers -----------------------------------------------------------------


@pytest.mark.parametrize(("reply", "message"), [
    ((500, {}, b"boom"), "HTTP 500 Internal Server Error: 'boom'"),
    ((503, {}, b""), "HTTP 503 Service Unavailable: an empty body"),
    ((502, {}, b"<html>" + b"x" * 5000),
     f"HTTP 502 Bad Gateway: '<html>{'x' * 71}…' (5006 characters)"),
    ((200, {}, b"<html>nope</html>"), "the response is not JSON: '<html>nope</html>'"),
    ((200, {}, b"\xff\xfe"), "the response is not JSON: '\ufffd\ufffd'"),
    ((200, {}, b"[1, 2]"), "the response is not a GraphQL response (a JSON object): '[1, 2]'"),
    (_json({"data": {"viewer": None}}),
     "the response holds no data.__schema: it is not an introspection result"),
    (_json({"data": {"__schema": {"types": []}}}),
     "an invalid schema: Query root type must be provided."),
    (_json({"data": {"__schema": {"queryType": {"name": "Query"}}}}),
     "not a valid introspection result: missing 'types'"),
    (_json({"data": {"__schema": {"queryType": {"name": "Query"}, "types": [
        {"kind": "OBJECT", "name": "Query", "interfaces": [], "fields": []}]}}}),
     "an invalid schema: Type Query must define one or more fields."),
    (_json({"data": None, "errors": [{"message": "introspection is disabled"}]}),
     "the server answered with errors: introspection is disabled"),
    (_json({"errors": [{"message": "denied\x1b[31m"}, {"message": "b"}, {"message": "c"},
                       {"message": "d"}]}, 401),
     "the server answered HTTP 401 Unauthorized with errors: denied\\x1b[31m; b; c (and 1 "
     "more)"),
    ((302, {"Location": "http://elsewhere.example/graphql"}, b""),
     "HTTP 302 Found to 'http://elsewhere.example/graphql'; redirects are not followed, give "
     "that URL: an empty body"),
])
def test_answers_that_are_no_introspection_result(endpoint: Endpoint, run: CliRunner,
                                                  tmp_path: Path, reply: Reply,
                                                  message: str) -> None:
    endpoint.answer = lambda body: reply
    _failed(run, endpoint.url, tmp_path / "api.json", message)


def test_errors_are_retried_once_with_the_classic_query(endpoint: Endpoint, run: CliRunner,
                                                        tmp_path: Path) -> None:
    endpoint.answer = lambda body: _json({"errors": [{"message": "no"}]})
    _failed(run, endpoint.url, tmp_path / "api.json", "the server answered with errors: no")
    assert [json.loads(b)["query"] for _, b in endpoint.requests] == [INTROSPECTION_QUERY,
                                                                       CLASSIC_QUERY]


def test_a_schema_beside_errors_is_refused(endpoint: Endpoint, run: CliRunner,
                                           tmp_path: Path) -> None:
    def partial(body: bytes) -> Reply:
        document = json.loads(execute(body)[2])
        return _json({**document, "errors": [{"message": "some types were hidden"}]})

    endpoint.answer = partial
    _failed(run, endpoint.url, tmp_path / "api.json",
            "the server answered with errors: some types were hidden")
    assert len(endpoint.requests) == 1  # a schema came back: no second query


@pytest.mark.parametrize("announced", [True, False])
def test_a_response_over_the_limit_is_not_read(endpoint: Endpoint, run: CliRunner,
                                               tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               announced: bool) -> None:
    monkeypatch.setattr(introspect, "MAX_RESPONSE_BYTES", 1000)
    headers = {} if announced else {"X-No-Length": "1"}  # the end is where the stream stops
    endpoint.answer = lambda body: (200, headers, b" " * 5_000_000)
    detail = "5000000 bytes announced" if announced else "more sent"
    _failed(run, endpoint.url, tmp_path / "api.json",
            f"the response is larger than the limit of 1000 bytes ({detail}); it is not read")


def test_the_limit_is_a_parameter_too(endpoint: Endpoint) -> None:
    with pytest.raises(IntrospectionError) as caught:
        fetch_introspection(endpoint.url, {}, limit=1024 * 1024)
    assert str(caught.value).startswith("the response is larger than the limit of 1 MB (")
    result = fetch_introspection(endpoint.url, {"Authorization": SECRET})
    assert print_schema(build_client_schema(result["data"])) == print_schema(SERVER_SCHEMA)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(status=st.sampled_from([200, 400, 401, 500]),
       body=st.one_of(st.binary(max_size=200),
                      st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                                   lambda inner: st.lists(inner, max_size=3)
                                   | st.dictionaries(st.sampled_from(
                                       ["data", "errors", "__schema", "message", "types"]),
                                       inner, max_size=3),
                                   max_leaves=10).map(lambda v: json.dumps(v).encode())))
def test_any_answer_is_a_clear_refusal(endpoint: Endpoint, status: int, body: bytes) -> None:
    endpoint.answer = lambda posted: (status, {}, body)
    with pytest.raises(IntrospectionError) as caught:
        fetch_introspection(endpoint.url, {"Authorization": SECRET}, timeout=5)
    assert str(caught.value) and SECRET not in str(caught.value)


# --- time and connection ---------------------------------------------------------------------


def test_a_server_that_does_not_answer_in_time(endpoint: Endpoint, run: CliRunner,
                                               tmp_path: Path) -> None:
    def stall(body: bytes) -> Reply:
        endpoint.released.wait(30)
        return execute(body)

    endpoint.answer = stall
    started = time.monotonic()
    _failed(run, endpoint.url, tmp_path / "api.json",
            "no complete answer within 0.5 seconds", "--timeout", "0.5")
    assert time.monotonic() - started < 5


def test_a_server_that_trickles_its_answer(endpoint: Endpoint, run: CliRunner,
                                           tmp_path: Path) -> None:
    """Each byte comes before the socket timeout; the whole answer never does."""
    endpoint.answer = lambda body: (200, {"Content-Length": "100000", "X-Trickle": "1"}, b"")
    started = time.monotonic()
    _failed(run, endpoint.url, tmp_path / "api.json",
            "no complete answer within 0.5 seconds", "--timeout", "0.5")
    assert time.monotonic() - started < 5


def test_a_server_that_hangs_up(endpoint: Endpoint, run: CliRunner, tmp_path: Path) -> None:
    endpoint.answer = lambda body: (0, {}, b"")
    _failed(run, endpoint.url, tmp_path / "api.json", "the connection broke: RemoteDisconnected "
            "Remote end closed connection without response")


def test_connection_refused(run: CliRunner, tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago, closed again
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _failed(run, f"http://127.0.0.1:{port}/graphql", tmp_path / "api.json",
            "cannot connect: Connection refused")


def test_a_host_name_that_does_not_resolve(run: CliRunner, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_host(*args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    _failed(run, "https://api.no-such-host.invalid/v1/graphql/", tmp_path / "api.json",
            "cannot connect: the host name does not resolve (Name or service not known)")


# --- the command line ------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "shown", "message"), [
    ("ftp://example.com/graphql", None, "only http:// and https:// URLs are fetched"),
    ("file:///etc/passwd", None, "only http:// and https:// URLs are fetched"),
    ("example.com/graphql", None, "only http:// and https:// URLs are fetched"),
    ("http:///graphql", None, "not a URL: it names no host"),
    ("http://example.com:99999/", None, "not a URL: its port is not a number from 0 to 65535"),
    ("http://example.com/a b", None, "not a URL: it holds spaces, control characters or "
     "characters outside ASCII (percent-encode them)"),
    ("http://example.com/é", None, "not a URL: it holds spaces, control characters or "
     "characters outside ASCII (percent-encode them)"),
    ("http://user:hunter2@example.com/graphql", "http://***@example.com/graphql",
     "a user or password in the URL is not sent; give credentials as a header"),
])
def test_urls_that_are_not_fetched(run: CliRunner, tmp_path: Path, url: str,
                                   shown: str | None, message: str) -> None:
    out = tmp_path / "api.json"
    code, printed, err = run("introspect", url, "--out", str(out))
    assert (code, printed, err) == (2, "", f"kraken-spec: {shown or url}: {message}\n")
    assert not out.exists()


@pytest.mark.parametrize(("header", "message"), [
    (SECRET, "expected NAME:VALUE, as in 'Authorization: Bearer ...' (no colon found)"),
    (f": {SECRET}", "expected NAME:VALUE, as in 'Authorization: Bearer ...' (the name is "
     "empty)"),
    (f"Bad Name: {SECRET}", "the header name 'Bad Name' holds a character that header names "
     "may not hold"),
    (f"Authorization: {SECRET}\r\nX-Injected: 1", "the value of the header 'Authorization' "
     "holds a line break or another control character"),
    (f"Authorization: {SECRET}€", "the value of the header 'Authorization' holds a character "
     "outside ASCII"),
])
def test_a_malformed_header_is_a_usage_error(endpoint: Endpoint, run: CliRunner,
                                             tmp_path: Path, header: str, message: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, printed, err = run("introspect", endpoint.url, "--out", str(tmp_path / "a.json"),
                             "--header", header)
    usage = capsys.readouterr().err  # argparse writes to the process's stderr
    assert code == 2 and endpoint.requests == []
    assert usage.endswith(f"kraken-spec introspect: error: argument --header: {message}\n")
    assert "s3cr3t" not in printed + err + usage


def test_fetch_checks_headers_too() -> None:
    with pytest.raises(IntrospectionError) as caught:
        fetch_introspection("http://127.0.0.1:1/", {"X-Token": "a\nb"})
    assert str(caught.value) == ("the value of the header 'X-Token' holds a line break or "
                                 "another control character")


@pytest.mark.parametrize("timeout", ["0", "-1", "nan", "inf", "soon"])
def test_a_bad_timeout_is_a_usage_error(run: CliRunner, tmp_path: Path, timeout: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run("introspect", "http://127.0.0.1:1/", "--out", str(tmp_path / "a.json"),
                     "--timeout", timeout)
    assert code == 2
    assert capsys.readouterr().err.endswith(
        f"argument --timeout: expected a positive number of seconds, got {timeout!r}\n")


def test_out_never_replaces_a_file_that_is_no_introspection_result(
        endpoint: Endpoint, run: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "notes.json"
    out.write_text('{"notes": "precious"}\n', "utf-8")
    code, printed, err = run("introspect", endpoint.url, "--out", str(out))
    assert (code, printed) == (2, "")
    assert err == (f"kraken-spec: {out}: exists and is not an introspection result; refusing "
                   "to replace it (remove it or choose another path)\n")
    assert out.read_text("utf-8") == '{"notes": "precious"}\n'
    assert endpoint.requests == []  # refused before asking the server


def test_out_in_a_missing_folder(endpoint: Endpoint, run: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "missing" / "api.json"
    assert run("introspect", endpoint.url, "--out", str(out)) == (
        2, "", f"kraken-spec: {tmp_path / 'missing'}: no such folder\n")
    assert endpoint.requests == []


def test_a_lone_surrogate_is_kept_escaped(endpoint: Endpoint, run: CliRunner,
                                          tmp_path: Path) -> None:
    def odd(body: bytes) -> Reply:
        text = execute(body)[2].replace(b'"description": null', b'"description": "\\ud800"', 1)
        return 200, {}, text

    endpoint.answer = odd
    out = tmp_path / "api.json"
    assert run("introspect", endpoint.url, "--out", str(out))[0] == 0
    assert "\\ud800" in out.read_text("utf-8")
    assert run("introspect", endpoint.url, "--out", str(out))[0] == 0  # still ours
