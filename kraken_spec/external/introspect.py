"""Fetch a GraphQL endpoint's introspection result over HTTP: bounded, checked, no redirects."""

from __future__ import annotations

import http.client
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message
from typing import IO, Any

from graphql import get_introspection_query

from kraken_spec.diagnostics import excerpt
from kraken_spec.exceptions import KrakenSpecError
from kraken_spec.external.headers import DEFAULT_TIMEOUT, check_header
from kraken_spec.external.read import (
    MAX_SCHEMA_BYTES,
    SchemaSourceError,
    bounded,
    error_messages,
    schema_from_introspection,
)

# The answer is saved and later read back by read_schema, so it has the same bound.
MAX_RESPONSE_BYTES = MAX_SCHEMA_BYTES

# Every field graphql-core 3.2's build_client_schema reads: descriptions, specifiedByURL,
# isRepeatable, the schema's description, deprecated arguments and input fields, isOneOf.
INTROSPECTION_QUERY = get_introspection_query(
    descriptions=True, specified_by_url=True, directive_is_repeatable=True,
    schema_description=True, input_value_deprecation=True, input_object_one_of=True)
# A server that predates one of those fields rejects the whole query as invalid; this one,
# the query of the first GraphQL specifications, every server answers.
CLASSIC_QUERY = get_introspection_query(descriptions=True)

_CHUNK = 1 << 16


class IntrospectionError(KrakenSpecError):
    """The endpoint gave no usable introspection result; the message says why."""


def display_url(url: str) -> str:
    """``url`` fit to print: any user and password in it replaced by ``***``."""
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc="***@" + parts.netloc.rpartition("@")[2]))


def fetch_introspection(url: str, headers: Mapping[str, str], timeout: float = DEFAULT_TIMEOUT,
                        limit: int = MAX_RESPONSE_BYTES) -> dict[str, Any]:
    """POST the introspection query to ``url`` with ``headers``; return the answer as
    ``{"data": {"__schema": ...}}`` once it builds a valid schema.

    ``timeout`` bounds connecting, waiting and reading the whole body of each request;
    ``limit`` the size of a body. Raises :class:`IntrospectionError`; no message quotes a
    header value.
    """
    _check_url(url)
    for name, value in headers.items():
        try:
            check_header(name, value)
        except ValueError as exc:
            raise IntrospectionError(str(exc)) from None
    answer = _ask(url, headers, INTROSPECTION_QUERY, timeout, limit)
    if _schema_in(answer.document) is None and _errors_in(answer.document):
        # Refused, perhaps for a field the server predates: ask once more, the classic way.
        answer = _ask(url, headers, CLASSIC_QUERY, timeout, limit)
    document = answer.document
    if _errors_in(document):
        # Even beside a schema: a result with errors may lack parts of it.
        status = "" if answer.status == 200 else f" HTTP {answer.status} {bounded(answer.reason)}"
        raise IntrospectionError(f"the server answered{status} with errors: "
                                 f"{error_messages(document['errors'])}")
    schema = _schema_in(document)
    if schema is None:
        raise IntrospectionError("the response holds no data.__schema: it is not an "
                                 "introspection result")
    result = {"data": {"__schema": schema}}
    try:
        schema_from_introspection(result, url)
    except SchemaSourceError as exc:
        raise IntrospectionError(exc.message) from None
    return result


@dataclass(frozen=True)
class _Answer:
    """A GraphQL response: its JSON object and the HTTP status it came with."""

    document: dict[str, Any]
    status: int
    reason: str


def _schema_in(document: dict[str, Any]) -> dict[str, Any] | None:
    data = document.get("data")
    schema = data.get("__schema") if isinstance(data, dict) else None
    return schema if isinstance(schema, dict) else None


def _errors_in(document: dict[str, Any]) -> bool:
    return bool(document.get("errors"))


def _check_url(url: str) -> None:
    if not url.isascii() or any(c.isspace() or not c.isprintable() for c in url):
        # http.client sends the URL as ASCII and would fail on it, quoting the character.
        raise IntrospectionError("not a URL: it holds spaces, control characters or "
                                 "characters outside ASCII (percent-encode them)")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise IntrospectionError("only http:// and https:// URLs are fetched")
    if "@" in parts.netloc:
        raise IntrospectionError("a user or password in the URL is not sent; give "
                                 "credentials as a header")
    try:
        parts.port  # noqa: B018 - urlsplit checks the port only when asked for it
    except ValueError:
        raise IntrospectionError("not a URL: its port is not a number from 0 to 65535") from None
    if not parts.hostname:
        raise IntrospectionError("not a URL: it names no host")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Refuse redirects: urllib would turn the POST into a GET and send the headers, which
    may hold a token, to whatever host the redirect names."""

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                         headers: Message, newurl: str) -> urllib.request.Request | None:
        raise urllib.error.HTTPError(req.full_url, code, msg, headers, fp)


def _ask(url: str, headers: Mapping[str, str], query: str, timeout: float,
         limit: int) -> _Answer:
    """POST ``query``; return the JSON object answered, or raise with the reason there is
    none. An error status with a GraphQL response (400 for an invalid query) is an answer."""
    request = urllib.request.Request(
        url, data=json.dumps({"query": query}).encode("utf-8"), method="POST",
        # Named headers replace these (urllib matches names without regard to case).
        headers={"Content-Type": "application/json", "Accept": "application/json",
                 "User-Agent": "kraken-spec", **headers})
    deadline = time.monotonic() + timeout
    opener = urllib.request.build_opener(_NoRedirects())
    try:
        try:
            with opener.open(request, timeout=timeout) as response:
                body = _read(response, response.headers, limit, deadline, timeout)
                status, reason = response.status, response.reason
        except urllib.error.HTTPError as exc:
            with exc:
                # urllib's HTTP errors hold the HTTPResponse itself, body unread.
                body = (_read(exc.fp, exc.headers, limit, deadline, timeout)
                        if isinstance(exc.fp, http.client.HTTPResponse) else b"")
            status, reason = exc.code, exc.reason
            document = _json_object(body)
            if not isinstance(document, dict) or "errors" not in document:
                raise IntrospectionError(_status_problem(exc, body)) from None
            return _Answer(document, status, reason)
    except urllib.error.URLError as exc:
        raise IntrospectionError(_connection_problem(exc.reason, timeout)) from None
    except (OSError, http.client.HTTPException) as exc:
        raise IntrospectionError(_connection_problem(exc, timeout)) from None
    document = _json_object(body)
    if document is None:
        raise IntrospectionError(f"the response is not JSON: {_body_excerpt(body)}")
    if not isinstance(document, dict):
        raise IntrospectionError(f"the response is not a GraphQL response (a JSON object): "
                                 f"{_body_excerpt(body)}")
    return _Answer(document, status, reason)


def _read(response: http.client.HTTPResponse, headers: Message, limit: int, deadline: float,
          timeout: float) -> bytes:
    """The body of ``response``, refused once it passes ``limit`` bytes or ``deadline``."""
    declared = headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise IntrospectionError(_too_large(limit, f"{int(declared)} bytes announced"))
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        # The socket timeout bounds each read, not their sum: a server sending a byte a
        # second would otherwise hold the command for as long as it likes.
        if time.monotonic() > deadline:
            raise IntrospectionError(_timed_out(timeout))
        # read1 returns what one read of the socket gives, so the deadline is checked often.
        chunk = response.read1(min(_CHUNK, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise IntrospectionError(_too_large(limit, "more sent"))
    return b"".join(chunks)


def _too_large(limit: int, detail: str) -> str:
    size = f"{limit // (1024 * 1024)} MB" if limit % (1024 * 1024) == 0 else f"{limit} bytes"
    return f"the response is larger than the limit of {size} ({detail}); it is not read"


def _timed_out(timeout: float) -> str:
    return f"no complete answer within {timeout:g} seconds"


def _json_object(body: bytes) -> object | None:
    """``body`` decoded as JSON, or None when it is not JSON."""
    try:
        document: object = json.loads(body)
    except (ValueError, RecursionError):  # ValueError covers bad UTF-8 and JSON syntax
        return None
    return document


def _body_excerpt(body: bytes) -> str:
    if not body.strip():
        return "an empty body"
    return excerpt(body.decode("utf-8", "replace").strip())


def _status_problem(exc: urllib.error.HTTPError, body: bytes) -> str:
    where = ""
    if 300 <= exc.code < 400:
        location = exc.headers.get("Location") if exc.headers else None
        where = (f" to {excerpt(location)}; redirects are not followed, give that URL"
                 if location else "; redirects are not followed")
    return f"HTTP {exc.code} {bounded(exc.reason)}{where}: {_body_excerpt(body)}"


def _connection_problem(reason: object, timeout: float) -> str:
    if isinstance(reason, TimeoutError):
        return _timed_out(timeout)
    if isinstance(reason, socket.gaierror):
        return f"cannot connect: the host name does not resolve ({reason.strerror})"
    if isinstance(reason, ConnectionRefusedError):
        return f"cannot connect: {reason.strerror or 'connection refused'}"
    if isinstance(reason, OSError) and reason.strerror:
        # An unreachable network, a reset after connecting, a TLS failure.
        return f"the connection failed: {reason.strerror}"
    if isinstance(reason, http.client.HTTPException):
        return f"the connection broke: {type(reason).__name__} {bounded(str(reason))}"
    return f"cannot connect: {bounded(str(reason))}"
