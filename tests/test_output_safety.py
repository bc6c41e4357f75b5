"""Commands that write: they touch only files they own, and fail without half-writing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import MINI, REPO, TOOL_COMMAND, CliRunner, file_tree, run_tool

from kraken_spec.exceptions import OutputError
from kraken_spec.fs import files as fsutil
from kraken_spec.fs import outdir
from kraken_spec.generators import sdl


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A catalogue root: the mini spec and the repository's templates."""
    shutil.copytree(MINI / "spec", tmp_path / "spec")
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    return tmp_path


def _change_a_message(root: Path) -> None:
    errors = root / "spec" / "errors.yaml"
    errors.write_text(errors.read_text(encoding="utf-8").replace(
        "message: Unauthorized.", "message: Not authorised.", 1), encoding="utf-8")


# --- the output folder is the tool's own --------------------------------------------------


def test_a_folder_of_someone_elses_is_refused_and_left_alone(root: Path,
                                                             cli: CliRunner) -> None:
    out = root / "o"
    (out / "n").mkdir(parents=True)
    (out / "keep.txt").write_text("keep\n", encoding="utf-8")
    (out / "n" / "k").write_text("k\n", encoding="utf-8")
    before = file_tree(root, links=False)
    code, stdout, err = cli("build", "--root", str(root), "--out", str(out))
    assert (code, stdout) == (2, "")
    assert f"{out}: the folder is not empty (keep.txt, n) and holds no {outdir.MANIFEST}" in err
    assert "Build into an empty or new folder" in err
    assert file_tree(root, links=False) == before
    assert sorted(os.listdir(out)) == ["keep.txt", "n"]  # not even a lock file is left


@pytest.mark.parametrize("where", [".", "spec", "spec/mutations", ".git/objects"])
def test_the_root_its_spec_and_git_are_never_outputs(root: Path, cli: CliRunner,
                                                     where: str) -> None:
    (root / ".git" / "objects").mkdir(parents=True)
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    before = file_tree(root, links=False)
    code, _, err = cli("build", "--root", str(root), "--out", str(root / where))
    assert code == 2 and "Traceback" not in err
    assert "spec/" in err or ".git" in err
    assert file_tree(root, links=False) == before


def test_unrelated_files_in_the_output_folder_stay_byte_identical(root: Path,
                                                                 cli: CliRunner) -> None:
    assert cli("build", "--root", str(root))[0] == 0
    build = root / "build"
    mine = {"NOTES.txt": b"keep\r\n", "docs/mine.md": b"# mine\n",
            "lib/kraken_spec/runtime/errors.py": b"# what `pip install .` leaves in build/lib\n",
            "docs/mutations/acceptGoodsQuote.md.orig": b"\x00\xff"}
    for rel, data in mine.items():
        (build / rel).parent.mkdir(parents=True, exist_ok=True)
        (build / rel).write_bytes(data)
    _change_a_message(root)
    for argv, status in ((["build", "--check"], 1), (["build"], 0), (["build", "--check"], 0),
                         (["export"], 0)):
        code, _, err = cli(*argv, "--root", str(root))
        assert code == status and "Traceback" not in err, (argv, err)
        assert {rel: (build / rel).read_bytes() for rel in mine} == mine, argv


def test_a_hand_edited_manifest_cannot_remove_files_outside(root: Path, cli: CliRunner) -> None:
    assert cli("build", "--root", str(root))[0] == 0
    manifest = root / "build" / outdir.MANIFEST
    listed = json.loads(manifest.read_text(encoding="utf-8"))
    listed["files"] += ["../spec/errors.yaml", str(root / "spec" / "endpoints.yaml")]
    manifest.write_text(json.dumps(listed), encoding="utf-8")
    before = file_tree(root / "spec", links=False)
    assert cli("build", "--root", str(root))[0] == 0
    assert file_tree(root / "spec", links=False) == before


def test_a_foreign_manifest_is_refused(root: Path, cli: CliRunner) -> None:
    (root / "build").mkdir()
    (root / "build" / outdir.MANIFEST).write_text('{"files": ["x"]}', encoding="utf-8")
    (root / "build" / "x").write_text("x\n", encoding="utf-8")
    code, _, err = cli("build", "--root", str(root))
    assert code == 2 and "not a kraken-spec manifest" in err
    assert (root / "build" / "x").read_text(encoding="utf-8") == "x\n"


def test_a_link_inside_the_output_folder_is_not_written_through(root: Path,
                                                                cli: CliRunner,
                                                                tmp_path_factory:
                                                                pytest.TempPathFactory) -> None:
    assert cli("build", "--root", str(root))[0] == 0
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "precious.md").write_text("mine\n", encoding="utf-8")
    shutil.rmtree(root / "build" / "docs")
    (root / "build" / "docs").symlink_to(elsewhere, target_is_directory=True)
    code, _, err = cli("build", "--root", str(root))
    assert code == 2 and "refusing to write through it" in err
    assert file_tree(elsewhere, links=False) == {"precious.md": b"mine\n"}


def test_an_output_that_is_a_special_file_is_not_replaced(root: Path, cli: CliRunner) -> None:
    assert cli("build", "--root", str(root))[0] == 0
    target = root / "build" / "catalogue.json"
    target.unlink()
    os.mkfifo(target)
    _change_a_message(root)
    code, _, err = cli("build", "--root", str(root))
    assert code == 2 and "is a FIFO; refusing to replace it" in err
    assert (root / "build" / "catalogue.json").is_fifo()


# --- atomic: a failure leaves the previous output --------------------------------------------


def test_a_write_failure_midway_leaves_the_previous_output(root: Path, cli: CliRunner,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    assert cli("build", "--root", str(root))[0] == 0
    before = file_tree(root / "build", links=False)
    _change_a_message(root)  # makes many files stale, so the second write is a real one
    calls: list[str] = []
    real = fsutil.write_new_file

    def failing(path: str, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", path)
        real(path, data)

    monkeypatch.setattr(fsutil, "write_new_file", failing)
    code, out, err = cli("build", "--root", str(root))
    assert (code, out) == (2, "")
    assert "No space left on device" in err and "Traceback" not in err
    assert len(calls) == 2
    assert file_tree(root / "build", links=False) == before
    assert not [p for p in os.listdir(root / "build") if p.startswith(outdir.STAGING_PREFIX)
                and p not in (outdir.MANIFEST, outdir.LOCK)]


def test_the_sdl_round_trip_guard_stops_the_build(root: Path, cli: CliRunner,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli("build", "--root", str(root))[0] == 0
    before = file_tree(root / "build", links=False)
    _change_a_message(root)
    real = sdl.build_schema

    def lossy(source: str, **kwargs: object) -> object:
        # Stands for a printer bug: the SDL read back loses the deprecation of a field.
        return real(source.replace('@deprecated(reason: "', '@deprecated(reason: "X'))

    monkeypatch.setattr(sdl, "build_schema", lossy)
    code, _, err = cli("build", "--root", str(root))
    assert code == 2
    assert "the SDL of endpoint 'api' does not round-trip" in err
    assert file_tree(root / "build", links=False) == before


def test_check_compares_bytes_not_lengths(root: Path, cli: CliRunner) -> None:
    assert cli("build", "--root", str(root))[0] == 0
    target = root / "build" / "schema" / "api.graphql"
    data = target.read_bytes()
    index = data.index(b"type Mutation")
    target.write_bytes(data[:index] + b"TYPE" + data[index + 4:])
    assert len(target.read_bytes()) == len(data)
    code, _, err = cli("build", "--check", "--root", str(root))
    assert code == 1 and f"stale: {target}" in err.splitlines()


def test_check_notices_a_line_ending_change(root: Path, cli: CliRunner) -> None:
    assert cli("build", "--root", str(root))[0] == 0
    target = root / "build" / "docs" / "README.md"
    target.write_bytes(target.read_bytes().replace(b"\n", b"\r\n"))
    code, _, err = cli("build", "--check", "--root", str(root))
    assert code == 1 and f"stale: {target}" in err.splitlines()


# --- concurrent builds ---------------------------------------------------------------------


def test_concurrent_builds_into_one_folder_are_serialized(root: Path) -> None:
    _change_a_message(root)
    # Three processes at once: the in-process runner cannot race with itself.
    command = [*TOOL_COMMAND, "build", "--root", str(root)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(3)]
    results = [(run.wait(timeout=120), run.stderr.read() if run.stderr else "") for run in runs]
    for run in runs:
        for stream in (run.stdout, run.stderr):
            if stream:
                stream.close()
    assert results == [(0, "")] * 3
    done = run_tool("build", "--root", str(root), "--check", timeout=120)
    assert done.returncode == 0, done.stderr
    assert not [p for p in os.listdir(root / "build") if p.startswith(outdir.STAGING_PREFIX)
                and p not in (outdir.MANIFEST, outdir.LOCK)]


def test_a_held_lock_makes_a_build_fail_cleanly(tmp_path: Path) -> None:
    with outdir.locked(str(tmp_path)), pytest.raises(OutputError, match="another kraken-spec"), \
            outdir.locked(str(tmp_path), timeout=0.2):
        pass  # pragma: no cover - the lock is never granted


# --- export ---------------------------------------------------------------------------------


def test_export_replaces_only_an_earlier_export(root: Path, cli: CliRunner) -> None:
    target = root / "catalogue.json"
    assert cli("export", "--root", str(root), "--out", str(target))[0] == 0
    first = target.read_bytes()
    _change_a_message(root)
    assert cli("export", "--root", str(root), "--out", str(target))[0] == 0
    assert target.read_bytes() != first
    notes = root / "notes.json"
    notes.write_text('{"mine": true}\n', encoding="utf-8")
    code, _, err = cli("export", "--root", str(root), "--out", str(notes))
    assert code == 2 and "exists and is not a catalogue export" in err
    assert notes.read_text(encoding="utf-8") == '{"mine": true}\n'


def test_export_never_replaces_a_link_or_a_device(root: Path, cli: CliRunner) -> None:
    link = root / "link.json"
    link.symlink_to(root / "spec" / "errors.yaml")
    before = (root / "spec" / "errors.yaml").read_bytes()
    code, _, err = cli("export", "--root", str(root), "--out", str(link))
    assert code == 2 and "is a symbolic link; refusing to replace it" in err
    assert link.is_symlink() and (root / "spec" / "errors.yaml").read_bytes() == before
    code, _, err = cli("export", "--root", str(root), "--out", "/dev/null")
    assert code == 2 and "is a character device; refusing to replace it" in err
    assert Path("/dev/null").is_char_device()


def test_the_python_module_replaces_only_a_generated_module(root: Path,
                                                            cli: CliRunner) -> None:
    mine = root / "errors.py"
    mine.write_text("SECRET = 1\n", encoding="utf-8")
    code, _, err = cli("build", "--root", str(root), "--python-module", str(mine))
    assert code == 2 and "is not a module generated by kraken-spec" in err
    assert mine.read_text(encoding="utf-8") == "SECRET = 1\n"
    mine.unlink()
    assert cli("build", "--root", str(root), "--python-module", str(mine))[0] == 0
    assert "Generated by ``kraken-spec build``" in mine.read_text(encoding="utf-8")
    assert not (root / "build" / "errors" / "errors.py").exists()
    code, _, _ = cli("build", "--root", str(root), "--python-module", str(mine), "--check")
    assert code == 0
