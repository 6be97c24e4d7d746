"""The whole flow in one place: read → parse → include → choose the form → check (→ render).

Front stages raise DiagnosticError for their first error; the checker collects. Everything returns plain data.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

from . import nodes
from .check import CheckResult, check
from .check.lookalikes import source_text
from .check.resolve import resolve
from .diagnostics import Diagnostic, DiagnosticError, Span, sort_key
from .files import Files
from .includes import load_expanded, project_root
from .language import FORM_KEY, Insertion
from .schema import Form, form_names, load_form, norm
from .source import SourceFile


@dataclass
class Loaded:
    """A checked spec and everything needed to show its diagnostics."""

    path: Path
    result: CheckResult
    sources: dict[str, SourceFile] = field(default_factory=dict)
    form: Form | None = None
    spec: nodes.Spec | None = None
    """The parsed spec, includes expanded (None when a front stage failed)."""


def find_form(spec: nodes.Spec, source: SourceFile) -> tuple[Form, Span]:
    """The `評価書: …` line picks the form; its absence or an unknown name stops here."""
    for stmt in spec.statements:
        if isinstance(stmt, nodes.Entry) and norm(stmt.ref) == FORM_KEY:
            name = stmt.value.text if isinstance(stmt.value, nodes.Text) else ""
            form = load_form(name.strip())
            if form is None:
                known = list(form_names())
                span = stmt.value.span if stmt.value is not None else stmt.ref_span
                close = difflib.get_close_matches(name, known, n=1, cutoff=0.3)
                notes = [f"書ける評価書: {'、'.join(known)}"] + ([f"もしかして: {close[0]}"] if close else [])
                raise DiagnosticError(Diagnostic.error("E302", span, notes, name=name))
            return form, stmt.ref_span
    first = Span(source.path, 1, 1, 1, 2)
    if not source.text.strip():
        raise DiagnosticError(Diagnostic.error("E104", first))
    raise DiagnosticError(Diagnostic.error("E301", first, [f"1行目に「評価書: {next(iter(form_names()))}」などと書いてください"]))


def load_and_check(path: Path, files: Files | None = None, warnings: bool = True,
                   preset: Mapping[str, str] | None = None) -> Loaded:
    """Check one spec file (from the working tree, or as committed at a revision with GitFiles); never
    raises for problems in the user's files. ``preset``: a project's shared variables; by default those of the
    piadoc.toml at the spec's project root, so every command (check, build, diff, changes, redline) sees them."""
    loaded = Loaded(path, CheckResult(None, ()))
    try:
        spec = load_expanded(path, loaded.sources, files)
        top = next(iter(loaded.sources.values()))
        form, form_span = find_form(spec, top)
    except DiagnosticError as err:
        if err.source is not None:
            loaded.sources.setdefault(err.source.path, err.source)
        loaded.result = CheckResult(None, (with_width_hints(err.diagnostic, loaded.sources),))
        return loaded
    loaded.form, loaded.spec = form, spec
    if preset is None:
        preset = project_variables(path)
    loaded.result = check(spec, form, form_span, project_root(path), files, warnings, preset)
    if warnings:  # what the source text itself shows, whatever it means: radicals and line separators from a PDF
        found = [d for source in loaded.sources.values() for d in source_text(source.path, source.text)]
        if found:
            diags = sorted(loaded.result.diagnostics + tuple(found), key=sort_key)
            loaded.result = replace(loaded.result, diagnostics=tuple(diags))
    loaded.result = replace(loaded.result, diagnostics=tuple(with_width_hints(d, loaded.sources)
                                                             for d in loaded.result.diagnostics))
    return loaded


def project_variables(path: Path) -> dict[str, str]:
    """[variables] of the piadoc.toml at the project root of ``path`` ({} without one). A piadoc.toml that cannot
    be read gives {} here: `piadoc build` and `piadoc check` report it (E819/E820, project.py)."""
    import tomllib

    file = project_root(path) / "piadoc.toml"
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8")) if file.is_file() else {}
    except (OSError, ValueError):
        return {}
    found = data.get("variables")
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


#: Full-width characters the IME slips in where the language wants half-width ones, and what to say.
WIDTH_HINTS: tuple[tuple[str, str], ...] = (
    ("：", "項目名のあとの「：」が全角です。半角の「:」にしてください"),
    ("［", "「［ ］」が全角です。選択肢とチェックは半角の「[ ]」で囲んでください（例: [○]、[2]）"),
    ("］", "「［ ］」が全角です。選択肢とチェックは半角の「[ ]」で囲んでください（例: [○]、[2]）"),
)


def with_width_hints(diag: Diagnostic, sources: dict[str, SourceFile]) -> Diagnostic:
    """An error on a line holding a full-width ：, ［ or ］ before any half-width colon gets a note saying so:
    the line looks right on screen and the message alone ("no such item") does not say why."""
    source = sources.get(diag.span.path)
    if not diag.is_error or source is None or diag.span.line < 1:
        return diag
    text = source.line(diag.span.line)
    head = text.split(":", 1)[0]  # a ： inside a value after the colon is the writer's own text
    notes = []
    for char, note in WIDTH_HINTS:
        if char in (head if char == "：" else text) and note not in notes:
            notes.append(note)
    return replace(diag, notes=diag.notes + tuple(notes)) if notes else diag


def _last_line(entry: nodes.Entry, path: str) -> int:
    """The last line of ``entry``'s block in file ``path`` (statements spliced in from includes are not)."""
    last = entry.ref_span.end_line
    if entry.value is not None:
        last = max(last, entry.value.span.end_line)
    for child in entry.children:
        if isinstance(child, nodes.Entry):
            if child.ref_span.path == path:
                last = max(last, _last_line(child, path))
        elif child.span.path == path:
            last = max(last, child.span.end_line)
    return last


def changes_insertion(loaded: Loaded) -> Insertion:
    """Where new 変更箇所 rows go in the spec's own file: after the last line of its top-level 変更箇所
    block, or a new block at the end of the file. Blocks that came from an included file are not this
    file's lines."""
    form, spec = loaded.form, loaded.spec
    assert form is not None and spec is not None, "changes_insertion needs a loaded spec"
    top = next(iter(loaded.sources.values()))
    part = form.part("changes")
    for stmt in spec.statements:
        if isinstance(stmt, nodes.Entry) and stmt.ref_span.path == top.path and part is not None:
            found = resolve(form, form.items, stmt.ref).match
            if found is not None and found.item.id == part.id:
                children = [c for c in stmt.children if isinstance(c, nodes.Entry)]
                column = children[0].ref_span.column if children else stmt.ref_span.column + 2
                return Insertion(_last_line(stmt, top.path), " " * (column - 1), None)
    lines = top.text.rstrip("\n").split("\n")
    return Insertion(len(lines), "  ", part.printed if part is not None else None)
