"""The package's import graph: no cycles, and the layers import only what they may."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "kraken_spec"
# The stages and what each may import, so data flows one way: page -> spec -> model -> gql ->
# generators, with the CLI on top. The core is the model and what every stage shares.
CORE = ("kraken_spec.model", "kraken_spec.diagnostics", "kraken_spec.exceptions",
        "kraken_spec.codec", "kraken_spec.inference", "kraken_spec.parallel",
        "kraken_spec.authority", "kraken_spec.jsonscan")
MAY_IMPORT: dict[str, tuple[str, ...]] = {
    # The client runtime imports nothing of the package: client code adopts it alone.
    "kraken_spec.runtime": ("kraken_spec.runtime",),
    **{name: CORE for name in CORE},
    "kraken_spec.fs": ("kraken_spec.fs", "kraken_spec.exceptions"),
    "kraken_spec.gql": ("kraken_spec.gql", *CORE),
    "kraken_spec.generators": ("kraken_spec.generators", "kraken_spec.gql",
                               "kraken_spec.runtime", *CORE),
    "kraken_spec.spec": ("kraken_spec.spec", "kraken_spec.fs", "kraken_spec.gql", *CORE),
    "kraken_spec.page": ("kraken_spec.page", "kraken_spec.spec", "kraken_spec.fs", *CORE),
    # Schemas from outside the page: read, introspected, compared (drift) and recorded
    # (enrich) beside the page's spec.
    "kraken_spec.external": ("kraken_spec.external", "kraken_spec.fs", "kraken_spec.gql",
                             "kraken_spec.spec", *CORE),
    # Contract checks for client CI: client documents, request bodies, catalogue diffs.
    "kraken_spec.contract": ("kraken_spec.contract", "kraken_spec.fs", "kraken_spec.gql",
                             "kraken_spec.spec", "kraken_spec.external",
                             "kraken_spec.generators.export", "kraken_spec.resources", *CORE),
    "kraken_spec.resources": ("kraken_spec.generators.export", *CORE),
    # Public Hypothesis strategies (the strategies extra): requests drawn from the schema
    # each endpoint is built to, and the bundled catalogue by default.
    "kraken_spec.strategies": ("kraken_spec.strategies", "kraken_spec.gql",
                               "kraken_spec.resources", *CORE),
    "kraken_spec.cli": ("kraken_spec",),
    "kraken_spec.__main__": ("kraken_spec.cli",),
    # The package root is the declared API: it may name anything it exports.
    "kraken_spec": ("kraken_spec",),
}
YAML_LAYER = ("kraken_spec.spec",)


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Each module of the package and the package modules it imports (at any depth of its
    code, type-checking imports included: a cycle there is a cycle of design)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            found.update(t for t in targets if t in modules and t != name)
        graph[name] = found
    return graph


def test_the_package_has_no_import_cycle() -> None:
    graph = import_graph()
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        assert name not in trail, "import cycle: " + " -> ".join((*trail, name))
        if name in done:
            return
        for target in sorted(graph[name]):
            visit(target, (*trail, name))
        done.add(name)

    for name in sorted(graph):
        visit(name, ())
    assert len(graph) > 20  # the walk saw the package


def _stage(name: str) -> str:
    """The longest key of MAY_IMPORT that names the module or a package holding it."""
    keys = [k for k in MAY_IMPORT if name == k or name.startswith(k + ".")]
    assert keys, f"{name} belongs to no stage: add it to MAY_IMPORT"
    return max(keys, key=len)


def _allowed(target: str, prefixes: tuple[str, ...]) -> bool:
    return any(target == p or target.startswith(p + ".") for p in prefixes)


def test_every_stage_imports_only_what_it_may() -> None:
    graph = import_graph()
    for name, targets in sorted(graph.items()):
        allowed = MAY_IMPORT[_stage(name)]
        # Importing a package's __init__ for a submodule is the submodule's import.
        wrong = sorted(t for t in targets if not _allowed(t, allowed)
                       and not any(o.startswith(t + ".") for o in targets))
        assert not wrong, f"{name} ({_stage(name)}) may not import {wrong}"


def test_the_model_layers_never_import_the_yaml_layer() -> None:
    for name, targets in import_graph().items():
        if _stage(name) in ("kraken_spec.gql", "kraken_spec.generators", "kraken_spec.runtime",
                            *CORE):
            assert not any(_allowed(t, YAML_LAYER) for t in targets), name


def test_modules_stay_small() -> None:
    # A module past this size holds more than one idea; the generated runtime and the
    # compiled schema checks are data.
    for path in sorted(PACKAGE.rglob("*.py")):
        if ((path.name == "errors.py" and path.parent.name == "runtime")
                or path.parent.name == "compiled"):
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= 450, f"{path.relative_to(REPO)} has {lines} lines"


def test_the_declared_api_resolves() -> None:
    import kraken_spec

    for name in kraken_spec.__all__:
        assert getattr(kraken_spec, name) is not None, name
    assert sorted(set(kraken_spec.__all__) - {"__version__"}) == sorted(kraken_spec._EXPORTS)
