"""Validate rules whose broken specs cannot be data folders: special files, huge values."""

from __future__ import annotations

import errno
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import MINI, CliRunner

MUTATIONS = Path("spec") / "mutations"


def _validate(cli: CliRunner, root: Path, seconds: float = 20.0) -> tuple[int, str, str]:
    """``kraken-spec validate --root ROOT``, failed rather than waited for when it hangs (a
    FIFO opened for reading waits for a writer forever)."""
    result: list[tuple[int, str, str]] = []
    raised: list[BaseException] = []

    def run() -> None:
        try:
            result.append(cli("validate", "--root", str(root)))
        except BaseException as exc:  # handed to the test's thread, which reports it
            raised.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if raised:
        raise raised[0]
    assert result, f"validate did not finish within {seconds} s"
    return result[0]


def _assert_reported(cli: CliRunner, root: Path, *lines: str, status: int = 1) -> None:
    """validate prints exactly ``lines`` and exits with ``status``: 1 for findings, 2 when
    an input could not be read."""
    code, out, err = _validate(cli, root)
    assert "Traceback" not in out + err
    assert (code, out) == (status, "")
    assert err == "".join(f"{line}\n" for line in lines) + f"{len(lines)} problem(s) found\n"


# --- files that are not regular, or not inside the root ---------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_is_not_read(mini_root: Path, cli: CliRunner) -> None:
    os.mkfifo(mini_root / MUTATIONS / "x.yaml")
    _assert_reported(cli, mini_root, "spec/mutations/x.yaml: not a regular file (a FIFO); only "
                     "regular files are read", status=2)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero on this platform")
def test_link_to_an_endless_device_is_not_read(mini_root: Path, cli: CliRunner) -> None:
    (mini_root / MUTATIONS / "zero.yaml").symlink_to("/dev/zero")
    _assert_reported(cli, mini_root, "spec/mutations/zero.yaml: a symbolic link leads outside "
                     "the catalogue root; only files inside it are read", status=2)


def test_link_outside_the_root_is_not_read(tmp_path: Path, cli: CliRunner) -> None:
    root = tmp_path / "root"
    shutil.copytree(MINI / "spec", root / "spec")
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: hunter2\n", encoding="utf-8")
    (root / "spec" / "errors.yaml").unlink()
    (root / "spec" / "errors.yaml").symlink_to(secret)
    _assert_reported(cli, root, "spec/errors.yaml: a symbolic link leads outside the catalogue "
                     "root; only files inside it are read", status=2)


def test_link_inside_the_root_is_read(mini_root: Path, cli: CliRunner) -> None:
    # Only links that leave the root are refused: a spec may share a file with itself.
    moved = mini_root / "shared.yaml"
    (mini_root / "spec" / "errors.yaml").rename(moved)
    (mini_root / "spec" / "errors.yaml").symlink_to(moved)
    code, out, err = _validate(cli, mini_root)
    assert (code, err) == (0, "")
    assert out.startswith("ok: 9 mutations")


# --- folders that cannot be listed, or are missing --------------------------------------------


@pytest.fixture
def unlistable(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], None]]:
    """Make a folder unlistable, as ``chmod 000`` does for anyone but root."""
    refused: set[str] = set()
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if os.fspath(path) in refused:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    yield lambda folder: refused.add(str(folder))


def test_unlistable_mutations_folder_is_one_diagnostic(
        mini_root: Path, cli: CliRunner, unlistable: Callable[[Path], None]) -> None:
    # Not "no mutation files found", nor every code "raised by no mutation".
    unlistable(mini_root / MUTATIONS)
    _assert_reported(cli, mini_root,
                     f"spec/mutations: cannot list the folder: {os.strerror(errno.EACCES)}",
                     status=2)


def test_unlistable_subfolder_holds_back_the_checks_that_need_every_file(
        mini_root: Path, cli: CliRunner, unlistable: Callable[[Path], None]) -> None:
    # Its files may raise every code the listed ones do not: "raised by no mutation" waits.
    (mini_root / MUTATIONS / "more").mkdir()
    (mini_root / MUTATIONS / "acceptGoodsQuote.yaml").rename(
        mini_root / MUTATIONS / "more" / "acceptGoodsQuote.yaml")
    unlistable(mini_root / MUTATIONS / "more")
    _assert_reported(cli, mini_root,
                     f"spec/mutations/more: cannot list the folder: {os.strerror(errno.EACCES)}",
                     status=2)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root lists a chmod 000 folder anyway; the test above simulates it")
def test_chmod_000_mutations_folder_is_one_diagnostic(mini_root: Path, cli: CliRunner) -> None:
    folder = mini_root / MUTATIONS
    folder.chmod(0)
    try:
        _assert_reported(cli, mini_root, "spec/mutations: cannot list the folder: "
                         f"{os.strerror(errno.EACCES)}")
    finally:
        folder.chmod(0o755)


def test_missing_mutations_folder_is_one_diagnostic(mini_root: Path, cli: CliRunner) -> None:
    shutil.rmtree(mini_root / MUTATIONS)
    _assert_reported(cli, mini_root, "spec/mutations: no mutation files found")


# --- huge values are quoted as excerpts -------------------------------------------------------

HUGE = 100_000


def _edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / MUTATIONS / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_huge_token_in_an_example_is_quoted_as_an_excerpt(mini_root: Path,
                                                          cli: CliRunner) -> None:
    # One line after the operation's closing brace: an unexpected name, 100 000 letters long.
    _edit(mini_root, "linkUserToLine.yaml", "    linkUserToLine(input: $input)\n    }\n",
          "    linkUserToLine(input: $input)\n    }\n    " + "a" * HUGE + "\n")
    head = "'" + "a" * 77 + "…'"
    _assert_reported(cli, mini_root, "spec/mutations/linkUserToLine.yaml:21:5: example "
                     f"operation: Syntax Error: Unexpected Name {head} ({HUGE} characters).")


def test_huge_type_reference_is_quoted_as_an_excerpt(mini_root: Path, cli: CliRunner) -> None:
    _edit(mini_root, "linkUserToLine.yaml", "  type: LinkUserToLineInput!\n",
          "  type: '[" + "A" * HUGE + "'\n")
    head = "'[" + "A" * 76 + "…'"
    _assert_reported(cli, mini_root, "spec/mutations/linkUserToLine.yaml:13:9: invalid type "
                     f"reference {head} ({HUGE + 1} characters): Syntax Error: Expected ']', "
                     "found <EOF>.")


def test_huge_unknown_key_is_quoted_as_an_excerpt(mini_root: Path, cli: CliRunner) -> None:
    # An explicit key ("? "): YAML allows a simple key only 1024 characters.
    _edit(mini_root, "linkUserToLine.yaml", "errors: []\n",
          "errors: []\n? " + "k" * HUGE + "\n: 1\n")
    code, _out, err = _validate(cli, mini_root)
    assert code == 1
    assert err.startswith(f"spec/mutations/linkUserToLine.yaml:11:3: $: unknown key "
                          f"'{'k' * 77}…' ({HUGE} characters) (allowed: ")
    assert len(err) < 1000


# --- leaves: a selection under a real leaf is reported, not dropped ---------------------------


def test_selection_under_an_inferred_scalar_is_reported(mini_root: Path,
                                                        cli: CliRunner) -> None:
    # Date stands for a scalar the catalogue inferred, not for an undocumented shape.
    _edit(mini_root, "updateUserDetails.yaml", "    dateOfBirth\n", "    dateOfBirth { year }\n")
    _assert_reported(cli, mini_root, "spec/mutations/updateUserDetails.yaml:60:17: example "
                     "operation: Field 'dateOfBirth' must not have a selection since type "
                     "'Date' has no subfields.")


def test_selection_under_an_undocumented_type_is_dropped(mini_root: Path,
                                                         cli: CliRunner) -> None:
    # PrintBatchType's shape is unknown: it stands in as a scalar, so what the page selects
    # under it cannot be checked and is not held against it.
    _edit(mini_root, "closeOpenPrintBatch.yaml", "    ...PrintBatchTypeFragment\n",
          "    id\n    ...PrintBatchTypeFragment\n")
    code, out, err = _validate(cli, mini_root)
    assert (code, err) == (0, "")
    assert out.startswith("ok: 9 mutations")


def test_error_code_of_thousands_of_digits_is_refused(mini_root: Path, cli: CliRunner) -> None:
    # Codes sort by their number, and Python refuses to read a number of over 4300 digits:
    # validate says so at the code instead of crashing where the catalogue is sorted.
    code = "KT-CT-8201" + "0" * 5000
    for rel in ("errors.yaml", "mutations/acceptGoodsQuote.yaml"):
        path = mini_root / "spec" / rel
        path.write_text(path.read_text(encoding="utf-8").replace("KT-CT-8201", code),
                        encoding="utf-8")
    head = "'KT-CT-8201" + "0" * 67 + "…'"
    _assert_reported(
        cli, mini_root,
        f"spec/errors.yaml:27:9: $.errors[12].code: {head} (5010 characters) does not match "
        "'^KT-[A-Z]{2}-[0-9]{1,9}$'",
        f"spec/mutations/acceptGoodsQuote.yaml:12:3: $.errors[1]: {head} (5010 characters) does "
        "not match '^KT-[A-Z]{2}-[0-9]{1,9}$'")
