"""The whole flow in one place: read → parse → include → choose the form → check (→ render).

Front stages raise DiagnosticError for their first error; the checker collects. Everything returns plain data.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import nodes
from .check import CheckResult, check
from .check.lookalikes import radicals
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


def load_and_check(path: Path, files: Files | None = None, warnings: bool = True) -> Loaded:
    """Check one spec file (from the working tree, or as committed at a revision with GitFiles); never
    raises for problems in the user's files."""
    loaded = Loaded(path, CheckResult(None, ()))
    try:
        spec = load_expanded(path, loaded.sources, files)
        top = next(iter(loaded.sources.values()))
        form, form_span = find_form(spec, top)
    except DiagnosticError as err:
        if err.source is not None:
            loaded.sources.setdefault(err.source.path, err.source)
        loaded.result = CheckResult(None, (err.diagnostic,))
        return loaded
    loaded.form, loaded.spec = form, spec
    loaded.result = check(spec, form, form_span, project_root(path), files, warnings)
    if warnings:  # what the source text itself shows, whatever it means: radicals copied from a PDF
        found = [d for source in loaded.sources.values() for d in radicals(source.path, source.text)]
        if found:
            diags = sorted(loaded.result.diagnostics + tuple(found), key=sort_key)
            loaded.result = replace(loaded.result, diagnostics=tuple(diags))
    return loaded


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
