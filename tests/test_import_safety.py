"""import-docs never loses spec files silently: whole-page checks, reviewed removals, a
--root that must exist, and pages read with bounds."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import BUNDLED_PAGE, MINI, REPO, CliRunner, file_tree, run_tool

from kraken_spec.exceptions import PageError
from kraken_spec.page.importer import (
    ImportPlan,
    RemovalsNotAllowedError,
    apply_import,
    plan_import,
    read_existing_spec,
)
from kraken_spec.page.parse import parse_page
from kraken_spec.spec.files import mutation_path

PAGE_LINES = BUNDLED_PAGE.read_text(encoding="utf-8").split("\n")
ORPHAN_WARNING = ("warning: an entry without its heading (name, Type, URL) (it selects "
                  "'nextOperationsTeamRoundRobin') is kept in "
                  "spec/headless/nextOperationsTeamRoundRobin.yaml and enters the catalogue only "
                  "when a schema source confirms its payload type")
CURATED = "types:\n- name: GoodsPurchase\n  status: undocumented\n  role: output\n"
IMPORTED_FILES = ("spec/endpoints.yaml", "spec/errors.yaml", "spec/types/imported.yaml")
AUTH_HEADING = PAGE_LINES.index("Authentication Server") + 1  # 1-based page line


def _repo_copy(tmp_path: Path) -> Path:
    """A root holding a copy of the committed spec (235 mutations, endpoints api and auth,
    one entry shown without heading)."""
    root = tmp_path / "root"
    shutil.copytree(REPO / "spec", root / "spec")
    return root


def _page(tmp_path: Path, lines: list[str], name: str = "page.txt") -> Path:
    page = tmp_path / name
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return page


def _mutation_names(root: Path) -> set[str]:
    return {p.stem for p in (root / "spec" / "mutations").glob("*.yaml")}


# --- defect 1: pages that would delete most of the catalogue ---------------------------------


def test_page_cut_at_an_entry_boundary_is_refused_then_allowed(tmp_path: Path,
                                                               cli: CliRunner) -> None:
    root = _repo_copy(tmp_path)
    # Files the importer does not own, next to and below the ones it does.
    (root / "spec" / "mutations" / "README.md").write_text("notes\n", encoding="utf-8")
    (root / "spec" / "mutations" / "old").mkdir()
    (root / "spec" / "mutations" / "old" / "nested.yaml").write_text("x\n", encoding="utf-8")
    (root / "spec" / "types" / "curated.yaml").write_text(CURATED, encoding="utf-8")
    assert PAGE_LINES[3023 - 1] == "}" and PAGE_LINES[3024 - 1] == "createPortfolioUserRole"
    page = _page(tmp_path, PAGE_LINES[:3023])  # what `head -3023` gives
    kept = {m.name for m in parse_page(page.read_text(encoding="utf-8")).mutations}
    gone = sorted(_mutation_names(root) - kept)
    assert len(gone) == 160 and len(kept) == 75
    before = file_tree(root)

    code, out, err = cli("import-docs", str(page), "--root", str(root))
    assert (code, out) == (1, "")
    assert err.split("\n") == [
        *(f"would remove mutation {name!r} (spec/mutations/{name}.yaml)" for name in gone),
        # The cut page also lacks the entry it shows without heading (line 4920).
        "would remove the entry without heading 'nextOperationsTeamRoundRobin' "
        "(spec/headless/nextOperationsTeamRoundRobin.yaml)",
        "would remove endpoint 'auth'",
        f"{page}: the page lacks 160 mutation(s), 1 entry(ies) without heading and 1 "
        "endpoint(s) that the spec has",
        "nothing was written; if the page is right, re-run with --allow-removals to remove "
        "them",
        "",
    ]
    assert file_tree(root) == before

    code, out, err = cli("import-docs", str(page), "--root", str(root), "--allow-removals")
    assert (code, err) == (0, "")
    assert out.startswith("imported 75 mutations, ")
    assert out.endswith(": 0 added, 0 changed, 160 removed, 1 endpoint(s) removed; 3 file(s) "
                        "written\n")
    after = file_tree(root)
    # The entry shown without heading (line 4920) is past the cut too.
    assert set(before) - set(after) == {f"spec/mutations/{name}.yaml" for name in gone} | {
        "spec/headless/nextOperationsTeamRoundRobin.yaml"}
    assert set(after) <= set(before)
    for rel, data in after.items():
        if rel not in IMPORTED_FILES:
            assert data == before[rel], rel
    assert after["spec/mutations/README.md"] == b"notes\n"
    assert after["spec/mutations/old/nested.yaml"] == b"x\n"
    assert after["spec/types/curated.yaml"] == CURATED.encode()
    assert b"name: auth" not in after["spec/endpoints.yaml"]


def test_malformed_first_entry_name_is_refused_at_the_first_entry_content(
        tmp_path: Path, cli: CliRunner) -> None:
    assert PAGE_LINES[12 - 1] == "acceptGoodsQuote"
    lines = [*PAGE_LINES[:11], "AcceptGoodsQuote", *PAGE_LINES[12:]]
    page = _page(tmp_path, lines)
    message = ("'Type: AcceptGoodsQuote' belongs in a mutation entry but stands in the "
               "introduction, before the first section heading: an entry heading (section "
               "title, mutation name, 'Type: ...') above it seems malformed")
    with pytest.raises(PageError) as info:
        parse_page("\n".join(lines))
    assert (info.value.line, info.value.message) == (13, message)

    root = _repo_copy(tmp_path)
    before = file_tree(root)
    code, out, err = cli("import-docs", str(page), "--root", str(root))
    assert (code, out) == (1, "")
    assert err == f"{page}:13: {message}\nnothing was written\n"
    assert file_tree(root) == before


@pytest.mark.parametrize("marker", ["URL: https://api.maingau-kraken.energy/v1/graphql/",
                                    "Mutation", "Variables", "Response", "Arguments",
                                    "Return fields", "Name | Description |"])
def test_entry_content_in_the_introduction_is_refused(marker: str) -> None:
    lines = [*PAGE_LINES[:3], marker, *PAGE_LINES[3:]]
    with pytest.raises(PageError) as info:
        parse_page("\n".join(lines))
    assert info.value.line == 4
    assert info.value.message.startswith(f"{marker!r} belongs in a mutation entry")


def _section_twice() -> tuple[list[str], int, str]:
    # The whole auth section pasted again at the end of the page.
    lines = PAGE_LINES + PAGE_LINES[AUTH_HEADING - 1:]
    return (lines, len(PAGE_LINES) + 1,
            f"section 'Authentication Server' appears twice: at line {AUTH_HEADING} and at "
            f"line {len(PAGE_LINES) + 1}")


def _section_twice_in_a_row() -> tuple[list[str], int, str]:
    lines = [*PAGE_LINES[:AUTH_HEADING], *PAGE_LINES[AUTH_HEADING - 1:]]
    return (lines, AUTH_HEADING + 1,
            f"section 'Authentication Server' appears twice: at line {AUTH_HEADING} and at "
            f"line {AUTH_HEADING + 1}")


def _mutation_twice() -> tuple[list[str], int, str]:
    start = PAGE_LINES.index("acceptGoodsQuote")
    end = PAGE_LINES.index("acceptOfferForQuoting")
    lines = [*PAGE_LINES[:end], *PAGE_LINES[start:end], *PAGE_LINES[end:]]
    return (lines, end + 1,
            f"mutation 'acceptGoodsQuote' appears twice: at line {start + 1} and at line "
            f"{end + 1}")


def _section_without_entries_at_the_end() -> tuple[list[str], int, str]:
    return (PAGE_LINES[:AUTH_HEADING], AUTH_HEADING,
            "section 'Authentication Server' has no entries: the page ends after its heading")


def _section_without_entries_between() -> tuple[list[str], int, str]:
    lines = [*PAGE_LINES[:AUTH_HEADING - 1], "Billing Server", *PAGE_LINES[AUTH_HEADING - 1:]]
    return (lines, AUTH_HEADING,
            "section 'Billing Server' has no entries: the next line starts the section "
            "'Authentication Server'")


def _section_lost_its_heading() -> tuple[list[str], int, str]:
    lines = [*PAGE_LINES[:AUTH_HEADING - 1], *PAGE_LINES[AUTH_HEADING:]]
    return (lines, AUTH_HEADING,
            "'createMfaDevice' is on endpoint 'auth', but its section 'API Site' holds the "
            "entries of endpoint 'api': a section heading above it seems missing or malformed")


WHOLE_PAGE_DEFECTS = {
    "section_twice": _section_twice,
    "section_twice_in_a_row": _section_twice_in_a_row,
    "mutation_twice": _mutation_twice,
    "empty_section_at_the_end": _section_without_entries_at_the_end,
    "empty_section_between": _section_without_entries_between,
    "section_heading_lost": _section_lost_its_heading,
}


@pytest.mark.parametrize("name", sorted(WHOLE_PAGE_DEFECTS))
def test_whole_page_defect_is_refused(name: str, tmp_path: Path, cli: CliRunner) -> None:
    lines, line, message = WHOLE_PAGE_DEFECTS[name]()
    page = _page(tmp_path, lines)
    root = _repo_copy(tmp_path)
    before = file_tree(root)
    code, out, err = cli("import-docs", str(page), "--root", str(root), "--allow-removals")
    assert (code, out) == (1, "")
    # The orphan warning comes only once the page has been read in full.
    assert err == f"{page}:{line}: {message}\nnothing was written\n"
    assert file_tree(root) == before


# --- defect 2: --root must exist ---------------------------------------------------------------


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_root_that_is_not_a_folder_is_refused_and_not_created(kind: str, tmp_path: Path,
                                                              cli: CliRunner) -> None:
    root = tmp_path / "nonexistent" / "deeper"
    if kind == "file":
        root = tmp_path / "a-file"
        root.write_text("x\n", encoding="utf-8")
    code, out, err = cli("import-docs", str(BUNDLED_PAGE), "--root", str(root))
    assert (code, out, err) == (2, "", f"kraken-spec: {root}: no such folder\n")
    if kind == "missing":
        assert not (tmp_path / "nonexistent").exists()
    else:
        assert root.read_text(encoding="utf-8") == "x\n"


def test_existing_root_without_spec_gets_one(tmp_path: Path, cli: CliRunner) -> None:
    code, out, err = cli("import-docs", str(MINI / "page.txt"), "--root", str(tmp_path))
    assert (code, err) == (0, "")
    assert out.endswith(": 9 added, 0 changed, 0 removed; 12 file(s) written\n")
    assert file_tree(tmp_path / "spec") == file_tree(MINI / "spec")


# --- defect 3: the page is read with bounds ---------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_device_page_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(MINI / "spec", root / "spec")
    before = file_tree(root)
    done = run_tool("import-docs", "/dev/zero", "--root", str(root))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ("/dev/zero: cannot read the page: not a regular file (a character "
                           "device); only regular files are read\nnothing was written\n")
    assert file_tree(root) == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_fifo_page_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(MINI / "spec", root / "spec")
    fifo = tmp_path / "page.fifo"
    os.mkfifo(fifo)
    before = file_tree(root)
    done = run_tool("import-docs", str(fifo), "--root", str(root))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (f"{fifo}: cannot read the page: not a regular file (a FIFO); only "
                           "regular files are read\nnothing was written\n")
    assert file_tree(root) == before


def test_oversized_page_is_refused(tmp_path: Path, cli: CliRunner) -> None:
    page = tmp_path / "huge.txt"
    with page.open("wb") as handle:
        handle.truncate(11 * 1024 * 1024)  # sparse: no 11 MB written to disk
    code, out, err = cli("import-docs", str(page), "--root", str(tmp_path))
    assert (code, out) == (2, "")
    assert err.startswith(f"{page}: cannot read the page: the file is larger than the limit "
                          "of 10 MB")
    assert err.endswith("\nnothing was written\n")
    assert sorted(tmp_path.iterdir()) == [page]


def test_page_with_bytes_that_are_not_utf8_is_refused_at_their_line(tmp_path: Path,
                                                                    cli: CliRunner) -> None:
    data = (MINI / "page.txt").read_bytes().split(b"\n")
    data[2] = b"muta\xfftions. The mutation"
    page = tmp_path / "page.txt"
    page.write_bytes(b"\n".join(data))
    code, out, err = cli("import-docs", str(page), "--root", str(tmp_path))
    assert (code, out) == (1, "")
    assert err == (f"{page}:3: the page is not UTF-8 text: byte 0xff at byte column 5 cannot be "
                   "decoded (invalid start byte)\nnothing was written\n")
    assert sorted(tmp_path.iterdir()) == [page]


# --- the plan ---------------------------------------------------------------------------------


def test_reimport_of_the_bundled_page_changes_nothing(tmp_path: Path, cli: CliRunner) -> None:
    root = _repo_copy(tmp_path)
    before = file_tree(root)
    code, out, err = cli("import-docs", str(BUNDLED_PAGE), "--root", str(root))
    assert code == 0
    assert out == ("imported 235 mutations, 450 error codes, 326 named types: 0 added, "
                   "0 changed, 0 removed; 0 file(s) written\n")
    assert err == f"{BUNDLED_PAGE}:4920: {ORPHAN_WARNING}\n"
    assert file_tree(root) == before


def _mini_plan(root: Path) -> ImportPlan:
    page = parse_page((MINI / "page.txt").read_text(encoding="utf-8"))
    return plan_import(page, read_existing_spec(str(root)))


def test_plan_names_added_changed_and_removed(mini_root: Path, cli: CliRunner) -> None:
    mutations = mini_root / "spec" / "mutations"
    (mutations / "acceptGoodsQuote.yaml").unlink()
    edited = mutations / "linkUserToLine.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    (mutations / "retiredMutation.yaml").write_text("stale\n", encoding="utf-8")
    plan = _mini_plan(mini_root)
    assert (plan.added, plan.changed, plan.removed, plan.removed_endpoints) == (
        ("acceptGoodsQuote",), ("linkUserToLine",), ("retiredMutation",), ())
    assert plan.removal_paths == ("spec/mutations/retiredMutation.yaml",)
    before = file_tree(mini_root)
    with pytest.raises(RemovalsNotAllowedError):
        apply_import(plan, str(mini_root))
    assert file_tree(mini_root) == before

    page = str(MINI / "page.txt")
    code, out, err = cli("import-docs", page, "--root", str(mini_root))
    assert (code, out) == (1, "")
    assert err == ("would remove mutation 'retiredMutation' "
                   "(spec/mutations/retiredMutation.yaml)\n"
                   f"{page}: the page lacks 1 mutation(s) and 0 endpoint(s) that the spec has\n"
                   "nothing was written; if the page is right, re-run with --allow-removals to "
                   "remove them\n")
    assert file_tree(mini_root) == before
    code, out, err = cli("import-docs", page, "--root", str(mini_root), "--allow-removals")
    assert (code, err) == (0, "")
    assert out.endswith(": 1 added, 1 changed, 1 removed; 2 file(s) written\n")
    assert file_tree(mini_root / "spec") == file_tree(MINI / "spec")


def test_removed_endpoint_alone_is_refused(mini_root: Path, cli: CliRunner) -> None:
    endpoints = mini_root / "spec" / "endpoints.yaml"
    endpoints.write_text(endpoints.read_text(encoding="utf-8")
                         + "- name: legacy\n  title: Legacy\n  url: https://legacy.example/\n",
                         encoding="utf-8")
    assert _mini_plan(mini_root).removed_endpoints == ("legacy",)
    before = file_tree(mini_root)
    page = str(MINI / "page.txt")
    code, out, err = cli("import-docs", page, "--root", str(mini_root))
    assert (code, out) == (1, "")
    assert err.startswith("would remove endpoint 'legacy'\n"
                          f"{page}: the page lacks 0 mutation(s) and 1 endpoint(s) ")
    assert file_tree(mini_root) == before
    code, out, err = cli("import-docs", page, "--root", str(mini_root), "--allow-removals")
    assert (code, err) == (0, "")
    assert out.endswith(": 0 added, 0 changed, 0 removed, 1 endpoint(s) removed; 1 file(s) "
                        "written\n")
    assert file_tree(mini_root / "spec") == file_tree(MINI / "spec")


@pytest.mark.parametrize("content", [
    "endpoints: [\n",  # not YAML
    "endpoints: 5\n",
    "- just a list\n",
    "endpoints:\n- name: api\n  since: 2020-13-45\n",  # a timestamp PyYAML cannot build
    "endpoints:\n- 7\n- name: [api]\n",
    "\xff",
])
def test_unreadable_endpoints_file_means_no_endpoints(content: str, mini_root: Path) -> None:
    (mini_root / "spec" / "endpoints.yaml").write_bytes(content.encode("latin-1"))
    assert read_existing_spec(str(mini_root)).endpoints == ()


def test_endpoints_file_that_is_a_folder_means_no_endpoints(mini_root: Path) -> None:
    (mini_root / "spec" / "endpoints.yaml").unlink()
    (mini_root / "spec" / "endpoints.yaml").mkdir()
    assert read_existing_spec(str(mini_root)).endpoints == ()


def test_only_top_level_regular_yaml_files_are_mutations(mini_root: Path) -> None:
    mutations = mini_root / "spec" / "mutations"
    (mutations / "notes.md").write_text("x\n", encoding="utf-8")
    (mutations / "old.yml").write_text("x\n", encoding="utf-8")
    (mutations / "sub.yaml").mkdir()
    (mutations / "sub.yaml" / "inner.yaml").write_text("x\n", encoding="utf-8")
    (mutations / "linked.yaml").symlink_to(mutations / "acceptGoodsQuote.yaml")
    plan = _mini_plan(mini_root)
    assert (plan.added, plan.changed, plan.removed) == ((), (), ())
    assert mutation_path("linked") not in plan.removal_paths


def test_missing_spec_means_everything_is_added(tmp_path: Path) -> None:
    existing = read_existing_spec(str(tmp_path / "nowhere"))
    assert (dict(existing.mutations), existing.endpoints) == ({}, ())
    plan = plan_import(parse_page((MINI / "page.txt").read_text(encoding="utf-8")), existing)
    assert len(plan.added) == 9 and not plan.removes
