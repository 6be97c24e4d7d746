"""Include stage: splices `@include "file.pia"` fragments into the including spec.

Paths are relative to the including file and must stay inside the project root (the nearest folder
above the spec holding .git, piadoc.toml or pyproject.toml). Cycles are reported with their chain.
"""
from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from . import nodes
from .diagnostics import Diagnostic, DiagnosticError
from .files import DiskFiles, Files, display_path
from .source import SourceFile, read_source
from .syntax import parse

ROOT_MARKERS = (".git", "piadoc.toml", "pyproject.toml")
#: Includes nest a few levels in real projects (a report, its 別紙, a shared passage); a chain hundreds
#: deep is a mistake and would exhaust Python's stack.
MAX_INCLUDE_DEPTH = 32


def project_root(spec_path: Path) -> Path:
    """The folder includes may not leave."""
    start = spec_path.resolve().parent
    for folder in (start, *start.parents):
        if any((folder / m).exists() for m in ROOT_MARKERS):
            return folder
    return start


class Expander:
    def __init__(self, root: Path, sources: dict[str, SourceFile], files: Files) -> None:
        self.root = root
        self.files = files
        self.sources = sources
        """Every file read, by the path shown in messages: the renderer of diagnostics needs them."""

    def expand(self, spec: nodes.Spec, file: Path, chain: tuple[Path, ...]) -> nodes.Spec:
        return replace(spec, statements=self.statements(spec.statements, file, chain))

    def statements(self, stmts: tuple[nodes.Statement, ...], file: Path,
                   chain: tuple[Path, ...]) -> tuple[nodes.Statement, ...]:
        """The statements with includes spliced in; the same tuple back when there is nothing to splice
        (most subtrees: rebuilding every node would cost a tenth of a parse)."""
        out: list[nodes.Statement] = []
        changed = False
        for stmt in stmts:
            if isinstance(stmt, nodes.Include):
                out.extend(self.include(stmt, file, chain))
                changed = True
            elif isinstance(stmt, nodes.Under) and len(chain) > 1:
                changed = True  # an included fragment goes where it is included
            elif isinstance(stmt, nodes.Entry) and stmt.children:
                children = self.statements(stmt.children, file, chain)
                if children is not stmt.children:
                    stmt = replace(stmt, children=children)
                    changed = True
                out.append(stmt)
            else:
                out.append(stmt)
        return tuple(out) if changed else stmts

    def include(self, stmt: nodes.Include, file: Path, chain: tuple[Path, ...]) -> tuple[nodes.Statement, ...]:
        target = (file.parent / stmt.path).resolve()
        if not target.is_relative_to(self.root):
            shown = os.path.relpath(self.root)  # relative: messages must not depend on where the clone lives
            raise DiagnosticError(Diagnostic.error("E602", stmt.span, [f"プロジェクトの範囲: {shown}"],
                                                   path=stmt.path))
        if len(chain) > MAX_INCLUDE_DEPTH:
            raise DiagnosticError(Diagnostic.error("E611", stmt.span, max=MAX_INCLUDE_DEPTH))
        if target in chain:
            names = " → ".join(display_path(p) for p in (*chain, target))
            raise DiagnosticError(Diagnostic.error("E601", stmt.span, chain=names))
        if not self.files.is_file(target):
            raise DiagnosticError(Diagnostic.error("E603", stmt.span, path=stmt.path))
        source = read_source(target, self.files)
        self.sources[source.path] = source
        fragment = parse(source)
        return self.statements(fragment.statements, target, (*chain, target))


def nest_under(spec: nodes.Spec) -> nodes.Spec:
    """A fragment checked alone: the statements after `@under A > B` become children of headings A, B."""
    out: list[nodes.Statement] = []
    stmts = list(spec.statements)
    for i, stmt in enumerate(stmts):
        if isinstance(stmt, nodes.Under):
            body: tuple[nodes.Statement, ...] = tuple(stmts[i + 1:])
            for ref in reversed(stmt.path):
                body = (nodes.Entry(ref, stmt.span, None, body, heading=True),)
            out.extend(body)
            return replace(spec, statements=tuple(out), fragment=True)
        out.append(stmt)
    return spec


def load_expanded(path: Path, sources: dict[str, SourceFile], files: Files | None = None) -> nodes.Spec:
    """Read, parse and expand one spec; every file read is added to ``sources``."""
    files = files or DiskFiles()
    source = read_source(path, files)
    sources[source.path] = source
    spec = nest_under(parse(source))
    return Expander(project_root(path), sources, files).expand(spec, path.resolve(), (path.resolve(),))
