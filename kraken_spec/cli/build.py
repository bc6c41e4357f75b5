"""Run every generator in memory, then write the outputs atomically or check them."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from graphql import GraphQLSchema

from kraken_spec import resources
from kraken_spec.contract.runnable import check_runnable_examples
from kraken_spec.diagnostics import Diagnostic
from kraken_spec.exceptions import OutputError, UnreadableFileError
from kraken_spec.fs import outdir
from kraken_spec.fs.files import (
    check_replaceable,
    is_within,
    read_regular,
    write_files,
    write_owned_file,
)
from kraken_spec.generators.error_codes import GENERATED_MARK, error_outputs
from kraken_spec.generators.export import export_json
from kraken_spec.generators.markdown import DocsRenderer
from kraken_spec.generators.runnable import runnable_examples
from kraken_spec.generators.sdl import endpoint_sdl, sdl_files
from kraken_spec.gql.schema import build_endpoint_schema
from kraken_spec.model import Catalogue
from kraken_spec.parallel import chunked, map_chunks, workers

# In the project's own checkout the generated Python module lives in the package, so that
# clients can import it; elsewhere it is one more file of the output folder.
PYTHON_MODULE = os.path.join("kraken_spec", "runtime", "errors.py")
PYTHON_MODULE_OUTPUT = "errors/errors.py"


@dataclass(frozen=True)
class BuildOutcome:
    """What a build or a check found; ``messages`` are for the user, one per line."""

    failed: bool
    messages: tuple[str, ...]
    # What --check found, one diagnostic per missing, stale or extra file.
    findings: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class Rendered:
    """Every generated file of the output folder (path relative to it -> text), the text
    of the Python error-code module, and the problems of the generated examples."""

    files: dict[str, str]
    python_module: str
    problems: tuple[Diagnostic, ...] = ()


# From this many mutations the outputs are rendered on several cores: below it, starting
# the workers costs more than it saves.
PARALLEL_FROM = 200

Task = Callable[[], "tuple[dict[str, str], str | None, tuple[Diagnostic, ...]]"]


def render_outputs(catalogue: Catalogue, templates_dir: str) -> Rendered:
    """Run every generator; each runnable example of the docs is checked too."""
    try:
        schemas = {e.name: build_endpoint_schema(catalogue, e.name)
                   for e in catalogue.endpoints}
        docs = DocsRenderer(catalogue, templates_dir)
        parallel = len(catalogue.mutations) >= PARALLEL_FROM
        tasks = _tasks(catalogue, schemas, docs, slices=2 * workers() if parallel else 1)
        if parallel:
            done = [r for chunk in map_chunks(_run_tasks, chunked(tasks, 1)) for r in chunk]
        else:
            done = [task() for task in tasks]
    except ValueError as exc:
        # A generator refuses a catalogue it cannot write faithfully; validate should have
        # said so first, so this is a last line of defence, not a diagnostic path.
        raise OutputError(f"cannot generate the outputs: {exc}") from None
    files: dict[str, str] = {}
    module = ""
    problems: list[Diagnostic] = []
    for part, python_module, found in done:
        files.update(part)
        module = python_module if python_module is not None else module
        problems.extend(found)
    return Rendered(dict(sorted(files.items())), module, tuple(sorted(problems)))


def _run_tasks(chunk: Sequence[Task]) -> list[tuple[dict[str, str], str | None,
                                                    tuple[Diagnostic, ...]]]:
    return [task() for task in chunk]


def _tasks(catalogue: Catalogue, schemas: dict[str, GraphQLSchema], docs: DocsRenderer,
           slices: int) -> list[Task]:
    """The generators' work as independent tasks, the heaviest first so that, spread over
    workers, the long ones start early; the mutation and type pages in ``slices``."""

    def sdl(path: str, endpoint: str, page_only: bool) -> Task:
        return lambda: ({path: endpoint_sdl(catalogue, endpoint, page_only=page_only,
                                            schema=None if page_only else schemas[endpoint])},
                        None, ())

    def mutation_pages(names: Sequence[str]) -> Task:
        # Each mutation's runnable example is made, checked and shown in one task.
        def run() -> tuple[dict[str, str], str | None, tuple[Diagnostic, ...]]:
            examples = runnable_examples(catalogue, schemas, names)
            problems = check_runnable_examples(catalogue, examples, schemas, names)
            return docs.mutation_pages(names, examples), None, tuple(problems)
        return run

    def type_pages(names: Sequence[str]) -> Task:
        return lambda: (docs.type_pages(names), None, ())

    def errors() -> tuple[dict[str, str], str | None, tuple[Diagnostic, ...]]:
        # The error lists are the page's facts: an entry it shows without its heading has
        # no list there (unknown, not empty), so it is not one of their mutations.
        outputs = error_outputs(catalogue.page_only())
        return outputs.files, outputs.python_module, ()

    def sliced(names: list[str]) -> list[Sequence[str]]:
        return chunked(names, max(1, -(-len(names) // slices)))

    tasks: list[Task] = [sdl(path, *job) for path, job in sdl_files(catalogue).items()]
    tasks.extend(mutation_pages(names) for names in sliced(docs.mutation_names))
    tasks.extend(type_pages(names) for names in sliced(docs.type_names))
    tasks.append(lambda: ({"catalogue.json": export_json(catalogue)}, None, ()))
    tasks.append(lambda: (docs.overview(), None, ()))
    tasks.append(errors)
    return tasks


def default_python_module(root: str) -> str | None:
    """Where the Python module goes when not told: into the package of a kraken-spec
    checkout, else (None) into the output folder."""
    package = os.path.join(root, "kraken_spec")
    return os.path.join(root, PYTHON_MODULE) if os.path.isfile(
        os.path.join(package, "__init__.py")) else None


def _is_generated_module(data: bytes) -> bool:
    return GENERATED_MARK.encode() in data[:2000]


def _current(path: str) -> bytes | None:
    """The bytes at ``path``; None when absent; b"" (stale) when unreadable or special."""
    if not os.path.lexists(path):
        return None
    try:
        return read_regular(path)
    except UnreadableFileError:
        return b""


def run_build(catalogue: Catalogue, root: str, out: str | None = None, *,
              check: bool = False, templates_dir: str | None = None,
              python_module: str | None = None) -> BuildOutcome:
    """Generate everything; write it (only changed files) or, with ``check``, compare it.

    The output folder is the tool's own: it must be new, empty, or hold the manifest of an
    earlier build; only files that manifest names are ever replaced or removed.
    """
    out_dir = out if out is not None else os.path.join(root, "build")
    templates = templates_dir if templates_dir is not None else str(resources.templates_dir())
    module_path = python_module if python_module is not None else default_python_module(root)
    outdir.refuse_unsafe(out_dir, root)
    if module_path is not None and is_within(module_path, out_dir):
        raise OutputError(f"{module_path}: the Python module must lie outside the output "
                          f"folder; leave --python-module out to put it at "
                          f"{os.path.join(out_dir, PYTHON_MODULE_OUTPUT)}")
    rendered = render_outputs(catalogue, templates)
    if rendered.problems:
        messages = [str(d) for d in rendered.problems]
        messages.append(f"{len(rendered.problems)} problem(s) in the generated examples; "
                        "nothing was written")
        return BuildOutcome(True, tuple(messages), rendered.problems)
    files, module_text = dict(rendered.files), rendered.python_module
    if module_path is None:
        files[PYTHON_MODULE_OUTPUT] = module_text
    if check:
        files[outdir.MANIFEST] = outdir.manifest_text(list(files))
        return _check(files, outdir.inspect(out_dir), module_path, module_text)
    what = "a module generated by kraken-spec"
    if module_path is not None:
        # Refuse before writing anything, so a refusal leaves no half-done build behind.
        check_replaceable(module_path, _is_generated_module, what)
    changed = write_output_folder(out_dir, files, replace=True)
    if module_path is not None and write_owned_file(module_path, module_text,
                                                    _is_generated_module, what):
        changed.append(module_path)
    extra = f" and {module_path}" if module_path is not None else ""
    total = len(files) + 1 + (module_path is not None)
    return BuildOutcome(False, (f"built {total} files into {out_dir}{extra}; "
                                f"{len(changed)} changed",))


def write_output_folder(out_dir: str, files: dict[str, str], *, replace: bool) -> list[str]:
    """Write ``files`` into the tool's output folder and record them in its manifest.

    With ``replace`` the files are the folder's whole content: files an earlier build wrote
    and this one does not are removed. Without it (an export into the folder) they are added
    to what the manifest already lists. Nothing the manifest does not name is ever touched.
    """
    outdir.inspect(out_dir)  # refuse somebody else's folder before creating anything in it
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot create the folder: {exc.strerror}") from None
    with outdir.locked(out_dir):
        # Another build may have finished while this one waited: judge the folder again.
        folder = outdir.inspect(out_dir)
        owned = set(files) if replace else folder.owned | set(files)
        everything = dict(files)
        everything[outdir.MANIFEST] = outdir.manifest_text(sorted(owned))
        return write_files(out_dir, everything, remove=folder.owned - owned)


def _check(files: dict[str, str], folder: outdir.OutputFolder, module_path: str | None,
           module_text: str) -> BuildOutcome:
    """Compare, byte for byte, without writing; name every missing, stale or extra file."""
    found: list[tuple[str, str]] = []
    wanted = {os.path.join(folder.path, rel): text for rel, text in sorted(files.items())}
    if module_path is not None:
        wanted[module_path] = module_text
    for path, text in wanted.items():
        current = _current(path)
        if current is None:
            found.append(("missing", path))
        elif current != text.encode("utf-8", "surrogatepass"):
            found.append(("stale", path))
    # Only files an earlier build wrote can be extra: the rest of the folder is not ours.
    for rel in sorted(folder.owned - set(files)):
        path = os.path.join(folder.path, rel)
        if os.path.lexists(path):
            found.append(("extra", path))
    if found:
        messages = [f"{kind}: {path}" for kind, path in found]
        messages.append(f"{len(found)} output file(s) out of date; run 'kraken-spec build'")
        findings = tuple(Diagnostic(path, 0, 0, f"{kind} output file; run 'kraken-spec build'",
                                    rule=f"{kind}-output") for kind, path in found)
        return BuildOutcome(True, tuple(messages), findings)
    return BuildOutcome(False, (f"up to date: {len(wanted)} files",))
