"""The reporters (text, json, github, markdown) and the rule id of every diagnostic."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from conftest import CASES, CliRunner, case_root

from kraken_spec.cli.report import (
    FORMATS,
    REPORTERS,
    Summary,
    escape_github_data,
    escape_github_property,
    github_line,
    report,
)
from kraken_spec.diagnostics import FALLBACK_RULE, Diagnostic
from kraken_spec.spec.loader import load_spec

TRICKY = "100% sure,\r\nsee a:b | c \\| d"
DIAGNOSTICS = (
    Diagnostic("spec/errors.yaml", 0, 0, "file not found", rule="unreadable-file"),
    Diagnostic("spec/mutations/a,b:c.yaml", 3, 7, TRICKY, rule="json-schema"),
    Diagnostic("page.txt", 12, 0, "an entry without its heading", severity="warning",
               rule="headless-entry"),
    Diagnostic("spec/types/x.yaml", 2, 1, "a note", severity="info", rule="some-note"),
    Diagnostic("spec/types/y.yaml", 4, 2, "not checked", severity="unverified",
               rule="not-checked"),
)


def _report(fmt: str, diagnostics: tuple[Diagnostic, ...] = DIAGNOSTICS,
            footer: str | None = None) -> tuple[Summary, str]:
    """Report ``diagnostics`` in ``fmt`` to a string: (the summary, what was written)."""
    stream = io.StringIO()
    summary = report(fmt, diagnostics, stream, footer)
    return summary, stream.getvalue()


# --- the diagnostic ---------------------------------------------------------------------------


def test_diagnostic_defaults_and_positional_construction() -> None:
    d = Diagnostic("f.yaml", 1, 2, "message")
    assert (d.severity, d.rule) == ("error", FALLBACK_RULE)
    assert str(d) == "f.yaml:1:2: message"
    assert str(Diagnostic("f.yaml", 0, 0, "m", rule="r")) == "f.yaml: m"


def test_severity_and_rule_take_no_part_in_order_or_identity() -> None:
    a = Diagnostic("f.yaml", 1, 1, "same", rule="one")
    b = Diagnostic("f.yaml", 1, 1, "same", severity="warning", rule="two")
    assert a == b and len({a, b}) == 1
    found = [Diagnostic("b", 1, 1, "x", rule="z"), Diagnostic("a", 2, 1, "x", rule="a"),
             Diagnostic("a", 1, 1, "y", rule="m")]
    assert [(d.path, d.line) for d in sorted(found)] == [("a", 1), ("a", 2), ("b", 1)]


def test_summary_counts() -> None:
    summary = Summary.of(DIAGNOSTICS)
    assert (summary.errors, summary.warnings, summary.infos, summary.unverified) == (2, 1, 1, 1)
    assert summary.total == 5 and not summary.ok
    assert Summary.of(DIAGNOSTICS[2:]).ok


def test_every_format_has_a_reporter() -> None:
    assert set(FORMATS) == set(REPORTERS) == {"text", "json", "github", "markdown"}


# --- text ---------------------------------------------------------------------------------


def test_text_reads_as_today() -> None:
    summary, text = _report("text", DIAGNOSTICS[:1] + DIAGNOSTICS[2:3])
    assert summary.total == 2
    assert text == ("spec/errors.yaml: file not found\n"
                    "page.txt:12: warning: an entry without its heading\n"
                    "2 problem(s) found\n")


def test_text_errors_print_as_str() -> None:
    d = Diagnostic("f.yaml", 3, 4, "broken", rule="yaml-syntax")
    assert _report("text", (d,))[1] == f"{d}\n1 problem(s) found\n"


def test_text_footer() -> None:
    assert _report("text", DIAGNOSTICS[:1], footer="nothing was written")[1] == (
        "spec/errors.yaml: file not found\nnothing was written\n")
    assert _report("text", DIAGNOSTICS[:1], footer="")[1] == "spec/errors.yaml: file not found\n"


# --- json ---------------------------------------------------------------------------------


def test_json_parses_and_has_the_keys() -> None:
    document = json.loads(_report("json")[1])
    assert document["ok"] is False
    assert len(document["problems"]) == len(DIAGNOSTICS)
    for problem in document["problems"]:
        assert set(problem) == {"path", "line", "column", "severity", "rule", "message"}
    assert document["problems"][1] == {
        "path": "spec/mutations/a,b:c.yaml", "line": 3, "column": 7, "severity": "error",
        "rule": "json-schema", "message": TRICKY,
    }


def test_json_of_warnings_only_is_ok() -> None:
    assert json.loads(_report("json", DIAGNOSTICS[2:])[1])["ok"] is True
    assert json.loads(_report("json", ())[1]) == {"ok": True, "problems": []}


# --- github -------------------------------------------------------------------------------


def test_github_escaping_is_exact() -> None:
    assert escape_github_data("a%b\rc\nd,e:f") == "a%25b%0Dc%0Ad,e:f"
    assert escape_github_property("a%b\rc\nd,e:f") == "a%25b%0Dc%0Ad%2Ce%3Af"
    assert github_line(DIAGNOSTICS[1]) == (
        "::error file=spec/mutations/a%2Cb%3Ac.yaml,line=3,col=7,title=json-schema::"
        "100%25 sure,%0D%0Asee a:b | c \\| d")


def test_github_lines() -> None:
    summary, text = _report("github")
    assert text.splitlines() == [
        "::error file=spec/errors.yaml,title=unreadable-file::file not found",
        github_line(DIAGNOSTICS[1]),
        "::warning file=page.txt,line=12,title=headless-entry::an entry without its heading",
        "::notice file=spec/types/x.yaml,line=2,col=1,title=some-note::a note",
        "::warning file=spec/types/y.yaml,line=4,col=2,title=not-checked::not checked",
    ]
    assert summary.errors == 2


# --- markdown -----------------------------------------------------------------------------


def _unescaped_pipes(row: str) -> int:
    """The pipes of a table row that separate cells (not preceded by an odd run of '\\')."""
    return sum(1 for m in re.finditer(r"(\\*)\|", row) if len(m[1]) % 2 == 0)


def test_markdown_table_keeps_its_columns() -> None:
    _summary, text = _report("markdown")
    lines = text.splitlines()
    assert lines[0] == "**5 problem(s) found** (2 error(s), 1 warning(s))"
    table = lines[2:]
    assert len(table) == 2 + len(DIAGNOSTICS)
    assert table[0] == "| where | severity | rule | message |"
    assert {_unescaped_pipes(row) for row in table} == {5}
    assert "\n" not in "".join(table) and "\r" not in "".join(table)
    assert table[3] == ("| spec/mutations/a,b:c.yaml:3:7 | error | json-schema | "
                        "100% sure,<br>see a:b \\| c \\\\\\| d |")


def test_markdown_without_problems_has_no_table() -> None:
    assert _report("markdown", ())[1] == "**0 problem(s) found** (0 error(s), 0 warning(s))\n"


# --- the command line ---------------------------------------------------------------------


def _break_mini(root: Path) -> None:
    path = root / "spec" / "mutations" / "acceptGoodsQuote.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "description: Accept a goods quote.\n", "description: no\n"), encoding="utf-8")
    (root / "spec" / "mutations" / "linkUserToLine.yaml").write_text("", encoding="utf-8")


def test_validate_format_github(mini_root: Path, cli: CliRunner) -> None:
    _break_mini(mini_root)
    expected = load_spec(str(mini_root)).diagnostics
    code, out, err = cli("validate", "--root", str(mini_root), "--format", "github")
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert len(lines) == len(expected) == 2
    assert all(line.startswith("::error file=spec/mutations/") for line in lines)
    assert lines == [github_line(d) for d in expected]
    assert "title=json-schema::" in lines[0] and "title=empty-file::" in lines[1]


def test_validate_format_markdown(mini_root: Path, cli: CliRunner) -> None:
    _break_mini(mini_root)
    code, out, err = cli("validate", "--root", str(mini_root), "--format", "markdown")
    assert (code, err) == (1, "")
    assert out.startswith("**2 problem(s) found**")


@pytest.mark.parametrize("fmt", ["json", "github", "markdown"])
def test_validate_clean_spec_in_other_formats(fmt: str, mini_root: Path, cli: CliRunner) -> None:
    code, out, err = cli("validate", "--root", str(mini_root), "--format", fmt)
    assert (code, err) == (0, "")
    assert "::error" not in out


def test_build_check_format_json(mini_root: Path, cli: CliRunner) -> None:
    out_dir = mini_root / "out"
    args = ("--root", str(mini_root), "--out", str(out_dir), "--python-module",
            str(mini_root / "errors.py"))
    assert cli("build", *args)[0] == 0
    stale = out_dir / "catalogue.json"
    stale.write_text("{}\n", encoding="utf-8")
    code, out, err = cli("build", *args, "--check", "--format", "json")
    assert (code, err) == (1, "")
    document = json.loads(out)
    assert document["ok"] is False
    assert [(p["path"], p["line"], p["rule"]) for p in document["problems"]] == [
        (str(stale), 0, "stale-output")]
    code, out, err = cli("build", *args, "--check")
    assert (code, out) == (1, "")
    assert err == f"stale: {stale}\n1 output file(s) out of date; run 'kraken-spec build'\n"


def test_build_of_an_invalid_spec_format_github(mini_root: Path, cli: CliRunner) -> None:
    _break_mini(mini_root)
    code, out, err = cli("build", "--root", str(mini_root), "--format", "github")
    assert (code, err) == (1, "")
    assert len(out.splitlines()) == 2
    assert not (mini_root / "build").exists()


# --- every rule is named ------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(p for p in CASES.iterdir() if p.is_dir()),
                         ids=lambda p: p.name)
def test_every_case_diagnostic_names_its_rule(case: Path, tmp_path: Path) -> None:
    diagnostics = load_spec(str(case_root(case, tmp_path))).diagnostics
    for d in diagnostics:
        assert d.rule != FALLBACK_RULE, d
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", d.rule), d.rule
        assert d.severity == "error", d


def test_import_docs_page_error_format_github(mini_root: Path, cli: CliRunner) -> None:
    page_lines = (CASES.parent.parent / "spec" / "source" / "maingau-mutations.txt").read_text(
        encoding="utf-8").split("\n")
    assert page_lines[12 - 1] == "acceptGoodsQuote"
    page = mini_root / "page.txt"
    page.write_text("\n".join([*page_lines[:11], "AcceptGoodsQuote", *page_lines[12:]]),
                    encoding="utf-8")
    code, out, err = cli("import-docs", str(page), "--root", str(mini_root), "--format",
                         "github")
    assert (code, err) == (1, "")
    assert out.startswith(f"::error file={escape_github_property(str(page))},line=13,"
                          "title=page-syntax::'Type: AcceptGoodsQuote' belongs in")
    assert len(out.splitlines()) == 1
