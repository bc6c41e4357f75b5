"""The introspect command: save a GraphQL endpoint's introspection result as a JSON file."""

from __future__ import annotations

import argparse
import json
import math
from typing import Any, TextIO

from kraken_spec.cli.status import ExitCode
from kraken_spec.external.headers import DEFAULT_TIMEOUT, parse_header

_WHAT = "an introspection result"


def _header(text: str) -> tuple[str, str]:
    try:
        return parse_header(text)
    except ValueError as exc:
        # ArgumentTypeError: argparse prints its message alone, never the value given.
        raise argparse.ArgumentTypeError(str(exc)) from None


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return seconds


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``introspect URL --out FILE [--header NAME:VALUE ...] [--timeout SECONDS]``."""
    p = sub.add_parser("introspect", help="save a GraphQL endpoint's introspection result")
    p.add_argument("url", metavar="URL", help="the GraphQL endpoint (http:// or https://)")
    p.add_argument("--out", required=True, metavar="FILE",
                   help="the JSON file to write; an existing file is replaced only if it "
                        "holds an introspection result")
    p.add_argument("--header", action="append", default=[], type=_header,
                   metavar="NAME:VALUE",
                   help="an HTTP header to send, e.g. 'Authorization: JWT ...' (repeatable; "
                        "values are never printed)")
    p.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help="how long to wait for the whole answer (default: "
                        f"{DEFAULT_TIMEOUT:g})")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Fetch the introspection result of ``args.url`` and write it to ``args.out``."""
    # Imported here: the HTTP machinery is loaded for this command only.
    from kraken_spec.exceptions import OutputError
    from kraken_spec.external import introspect as fetching
    from kraken_spec.external.introspect import (
        IntrospectionError,
        display_url,
        fetch_introspection,
    )
    from kraken_spec.external.read import is_introspection_result
    from kraken_spec.fs.files import check_replaceable, write_owned_file

    # Refuse a file we may not replace before the request, not after it.
    try:
        check_replaceable(args.out, is_introspection_result, _WHAT)
        result = fetch_introspection(args.url, dict(args.header), timeout=args.timeout,
                                     limit=fetching.MAX_RESPONSE_BYTES)
        write_owned_file(args.out, _json_text(result), is_introspection_result, _WHAT)
    except IntrospectionError as exc:
        print(f"kraken-spec: {display_url(args.url)}: {exc}", file=err)
        return ExitCode.FAILURE
    except OutputError as exc:
        print(f"kraken-spec: {exc}", file=err)
        return ExitCode.FAILURE
    types, mutations = _counts(result["data"]["__schema"])
    print(f"wrote {args.out}: {types} types, {mutations} mutations", file=out)
    return ExitCode.OK


def _json_text(result: dict[str, Any]) -> str:
    """The result as the server ordered it, non-ASCII text kept as it is."""
    text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (sent as an escape such as \ud800) is no UTF-8; kept escaped, the
        # file stays valid UTF-8 JSON and reads back the same.
        text = json.dumps(result, indent=2) + "\n"
    return text


def _counts(schema: dict[str, Any]) -> tuple[int, int]:
    """The named types of a built-and-checked ``__schema`` (introspection's own ``__``
    types left out) and the fields of its mutation type."""
    types = [t for t in schema["types"] if not t["name"].startswith("__")]
    mutation = (schema.get("mutationType") or {}).get("name")
    fields = next((t.get("fields") or [] for t in types if t["name"] == mutation), [])
    return len(types), len(fields)
