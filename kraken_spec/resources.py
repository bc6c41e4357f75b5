"""Data shipped with the tool: the docs templates and the bundled catalogue's export and SDL."""

from __future__ import annotations

from pathlib import Path

from kraken_spec.generators.export import catalogue_from_export
from kraken_spec.model import Catalogue

# In a wheel these are package data, installed as folders beside this module (see
# pyproject.toml); in a source checkout, including an editable install, they are the
# repository's templates/ and build/. (importlib.resources would hand back a MultiplexedPath
# for these data-only packages, which jinja2 and open() cannot use.)
_PACKAGE = Path(__file__).resolve().parent
_SOURCE_TREE = _PACKAGE.parent


def _folder(package: str, source_folder: str) -> Path:
    installed = _PACKAGE / package.rpartition(".")[2]
    return installed if installed.is_dir() else _SOURCE_TREE / source_folder


def templates_dir() -> Path:
    """The folder of the jinja2 templates the docs are rendered from."""
    return _folder("kraken_spec.templates", "templates")


def bundled_export() -> str:
    """The bundled catalogue as the JSON export (``kraken-spec export``) of its spec."""
    return (_folder("kraken_spec.bundled", "build") / "catalogue.json").read_text(
        encoding="utf-8")


def bundled_sdl(endpoint: str = "api", *, page_only: bool = False) -> str:
    """The GraphQL SDL of one endpoint of the bundled catalogue (``api`` or ``auth``):
    shaped by the page and its schema sources, or with ``page_only`` by the page alone."""
    folder = _folder("kraken_spec.bundled", "build") / "schema"
    if page_only:
        folder = folder / "page-only"
    path = folder / f"{endpoint}.graphql"
    if "/" in endpoint or not path.is_file():
        known = sorted(p.stem for p in folder.glob("*.graphql"))
        raise KeyError(f"no endpoint {endpoint!r} in the bundled catalogue (known: "
                       f"{', '.join(known)})")
    return path.read_text(encoding="utf-8")


def bundled_catalogue() -> Catalogue:
    """The bundled catalogue as the model, read from its export."""
    return catalogue_from_export(bundled_export())
