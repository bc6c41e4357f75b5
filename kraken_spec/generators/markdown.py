"""Markdown reference docs: an index, a page per mutation and per named type, the error codes."""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Collection, Mapping

import jinja2

from kraken_spec.exceptions import OutputError
from kraken_spec.generators.mdtext import (
    anchor,
    is_blank,
    is_json,
    md_cell,
    md_code,
    md_code_cell,
    md_fence,
    md_inline,
    md_text,
    md_url,
    plural,
    summary,
)
from kraken_spec.generators.prose import md_prose, md_prose_cell
from kraken_spec.generators.runnable import RunnableExample
from kraken_spec.generators.sourced import mutation_sources
from kraken_spec.generators.topics import sort_key, split_name, subject
from kraken_spec.generators.typefacts import (
    TypeInfo,
    TypeUses,
    all_type_infos,
    page_name,
    type_uses,
)
from kraken_spec.generators.typepages import (
    AUTHORITY_WORDS,
    TYPES_DIR,
    TYPES_INDEX,
    a_kind,
    field_notes,
    kind_sections,
    known_from,
    mutation_links,
    shape_hint,
    type_context,
    type_counts,
    type_linker,
    use_cell,
)
from kraken_spec.model import AUTHORIZATION_ERROR, Catalogue, Endpoint, ErrorEntry, Mutation

# The docs target CommonMark with the GitHub table extension (GFM). Output paths are relative
# to the build output folder; links between the pages are relative to each page.
INDEX_PATH = "docs/README.md"
ERRORS_PATH = "docs/errors.md"
MUTATIONS_DIR = "docs/mutations"

INDEX_TEMPLATE = "index.md.j2"
MUTATION_TEMPLATE = "mutation.md.j2"
ERRORS_TEMPLATE = "errors.md.j2"
TYPE_TEMPLATE = "type.md.j2"
TYPES_TEMPLATE = "types.md.j2"

_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")


def make_environment(templates_dir: str, type_pages: Collection[str] = ()) -> jinja2.Environment:
    """The one Jinja environment of the docs: strict, unescaped, with the Markdown filters;
    type references link to the pages of ``type_pages``."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        # One build renders a template up to some 1,500 times: check its file once, not
        # before every render.
        auto_reload=False,
    )
    env.filters.update(
        md_text=md_text,
        md_inline=md_inline,
        md_cell=md_cell,
        md_code=md_code,
        md_code_cell=md_code_cell,
        md_fence=md_fence,
        md_url=md_url,
        anchor=anchor,
        summary=summary,
        plural=plural,
        md_prose=md_prose,
        md_prose_cell=md_prose_cell,
        type_link=type_linker(type_pages, cell=False),
        type_cell=type_linker(type_pages, cell=True),
        field_notes=field_notes(type_linker(type_pages, cell=True)),
        use_cell=use_cell,
        mutation_links=mutation_links,
        known_from=known_from,
        a_kind=a_kind,
    )
    env.tests.update(blank=is_blank, json=is_json)
    return env


def _finish(text: str) -> str:
    """No trailing white space on any line, and exactly one newline at the end."""
    return "\n".join(line.rstrip() for line in text.splitlines()).strip("\n") + "\n"


def _render(env: jinja2.Environment, templates_dir: str, name: str,
            context: Mapping[str, object]) -> str:
    """Render one template, turning template problems into an :class:`OutputError`."""
    try:
        return _finish(env.get_template(name).render(context))
    except jinja2.TemplateNotFound as exc:
        missing = os.path.join(templates_dir, exc.name or name)
        raise OutputError(f"{missing}: template not found") from None
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or os.path.join(templates_dir, name)
        raise OutputError(f"{where}:{exc.lineno}: template syntax error: {exc.message}") from None
    except jinja2.UndefinedError as exc:
        raise OutputError(f"{os.path.join(templates_dir, name)}: template error: {exc.message}"
                          ) from None


Group = tuple[str, str, list[Mutation]]


def _by_endpoint(catalogue: Catalogue) -> list[tuple[Endpoint, list[Mutation], list[Group]]]:
    """Each endpoint with its mutations by name, and by subject (see ``topics``)."""
    out = []
    for e in catalogue.endpoints:
        mutations = sorted(catalogue.mutations_of(e.name), key=lambda m: m.name)
        subjects: dict[str, list[Mutation]] = {}
        for m in sorted(mutations, key=lambda m: sort_key(m.name)):
            subjects.setdefault(subject(m.name), []).append(m)
        # The largest subjects first: they are what most readers look for.
        groups = [(title, f"subject-{anchor(e.name)}-" + _SLUG_UNSAFE.sub(
            "-", title.lower()).strip("-"), members)
            for title, members in sorted(subjects.items(), key=lambda s: (-len(s[1]), s[0]))]
        out.append((e, mutations, groups))
    return out


def _index_context(catalogue: Catalogue, type_total: int) -> dict[str, object]:
    verbs = Counter(split_name(m.name)[0] for m in catalogue.mutations).most_common(2)
    auth = Counter(m.authorization for m in catalogue.mutations if m.payload_source is None)
    message = next((e.message for e in catalogue.errors if e.code == AUTHORIZATION_ERROR), None)
    confirmed = catalogue.confirmed_headless()
    return {
        "catalogue": catalogue,
        "sections": _by_endpoint(catalogue),
        "deprecated": sum(m.deprecation_reason is not None for m in catalogue.mutations),
        # Entries the page shows without heading: marked where a source confirms one,
        # named where none does.
        "confirmed": sorted(confirmed),
        "unconfirmed": [h for h in catalogue.headless if h.name not in confirmed],
        "type_total": type_total,
        "verbs": [verb for verb, _ in verbs],
        "verb_count": sum(count for _, count in verbs),
        "auth": {"documented": auth["documented"], "inferred": auth["inferred"],
                 "code": AUTHORIZATION_ERROR, "message": message},
    }


def _by_domain(catalogue: Catalogue) -> list[tuple[str, list[tuple[ErrorEntry, list[str]]]]]:
    raisers = catalogue.raisers()
    domains: dict[str, list[tuple[ErrorEntry, list[str]]]] = {}
    for error in sorted(catalogue.errors, key=lambda e: e.sort_key):
        domains.setdefault(error.domain, []).append((error, sorted(raisers[error.code])))
    return sorted(domains.items())


def _hints(infos: dict[str, TypeInfo], m: Mutation) -> dict[str, str]:
    """Where the shape of each return field's type is known from, by type reference."""
    return {f.type: shape_hint(infos.get(page_name(f.type) or "")) for f in m.return_fields or ()}


class DocsRenderer:
    """What every page shares, computed once; then the pages, in any slices.

    A large catalogue's pages are rendered in slices on several cores (the build splits
    them): each slice needs only this object, which the workers inherit.
    """

    def __init__(self, catalogue: Catalogue, templates_dir: str,
                 examples: Mapping[str, RunnableExample] | None = None) -> None:
        self.catalogue = catalogue
        self.templates_dir = templates_dir
        self.infos = all_type_infos(catalogue)
        self.env = make_environment(templates_dir, self.infos)
        self.endpoints = {e.name: e for e in catalogue.endpoints}
        self.examples = examples if examples is not None else {}
        self.auth_message = next((e.message for e in catalogue.errors
                                  if e.code == AUTHORIZATION_ERROR), None)
        self._uses: dict[str, TypeUses] | None = None

    @property
    def mutation_names(self) -> list[str]:
        return sorted(m.name for m in self.catalogue.mutations)

    @property
    def type_names(self) -> list[str]:
        return sorted(self.infos)

    def overview(self) -> dict[str, str]:
        """``docs/README.md`` (the index), ``docs/errors.md`` and ``docs/types.md``."""
        return {
            INDEX_PATH: self._render(INDEX_TEMPLATE,
                                     _index_context(self.catalogue, len(self.infos))),
            ERRORS_PATH: self._render(ERRORS_TEMPLATE, {
                "catalogue": self.catalogue, "domains": _by_domain(self.catalogue)}),
            TYPES_INDEX: self._render(TYPES_TEMPLATE, {
                "types": self.infos, "sections": kind_sections(self.infos),
                "counts": type_counts(self.infos)}),
        }

    def mutation_pages(self, names: Collection[str],
                       examples: Mapping[str, RunnableExample] | None = None,
                       ) -> dict[str, str]:
        """``docs/mutations/<name>.md`` of the mutations named, with these runnable
        examples (else those given to the renderer)."""
        wanted = set(names)
        shown = self.examples if examples is None else examples
        files: dict[str, str] = {}
        for mutation in self.catalogue.mutations:
            if mutation.name not in wanted:
                continue
            context = {
                "m": mutation,
                "endpoint": self.endpoints[mutation.endpoint],
                # The page's order is a documented fact; keep it.
                "errors": [self.catalogue.error(c) for c in mutation.errors],
                "enriched": bool(self.catalogue.enrichments),
                "sources": mutation_sources(self.catalogue, mutation),
                "hints": _hints(self.infos, mutation),
                "auth_message": self.auth_message,
                "runnable": shown.get(mutation.name),
            }
            files[f"{MUTATIONS_DIR}/{mutation.name}.md"] = self._render(MUTATION_TEMPLATE,
                                                                        context)
        return files

    def type_pages(self, names: Collection[str]) -> dict[str, str]:
        """``docs/types/<Name>.md`` of the types named."""
        if self._uses is None:
            self._uses = type_uses(self.catalogue, self.infos)
        # One compiled template for every type page: a page costs a render, nothing more.
        return {f"{TYPES_DIR}/{name}.md": self._render(TYPE_TEMPLATE, type_context(
            self.infos[name], self._uses[name], self.infos) | {"authority": AUTHORITY_WORDS})
            for name in names}

    def _render(self, name: str, context: Mapping[str, object]) -> str:
        return _render(self.env, self.templates_dir, name, context)


def generate_docs(catalogue: Catalogue, templates_dir: str,
                  examples: Mapping[str, RunnableExample] | None = None) -> dict[str, str]:
    """``docs/README.md`` (the index), ``docs/errors.md``, ``docs/mutations/<name>.md`` per
    mutation, ``docs/types.md`` and ``docs/types/<Name>.md`` per named type. ``examples``
    are the mutations' runnable examples (``generators.runnable``; the build makes and
    checks them); without them a page shows the reference page's example alone."""
    docs = DocsRenderer(catalogue, templates_dir, examples)
    files = docs.overview()
    files.update(docs.mutation_pages(docs.mutation_names))
    files.update(docs.type_pages(docs.type_names))
    return dict(sorted(files.items()))
