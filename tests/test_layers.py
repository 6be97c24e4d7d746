"""The stages depend one way: source → syntax → includes → check → model → render | diff.

Reads every import of the package (module level, inside functions, under TYPE_CHECKING: all of them) with
`ast` and fails on an import against the direction, or on an import cycle between modules. The picture is the
one in docs/architecture.md; change both together.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "piadoc"

#: Layer of each module, by the longest matching prefix. Lower layers are listed first.
LAYER_OF: dict[str, str] = {
    "piadoc": "vocabulary",  # __init__: the version
    "piadoc.codes": "vocabulary",
    "piadoc.wareki": "vocabulary",
    "piadoc.resources": "vocabulary",
    "piadoc.span": "vocabulary",
    "piadoc.threshold": "vocabulary",
    "piadoc.files": "files",
    "piadoc.diagnostics": "diagnostics",
    "piadoc.reporting": "reporting",
    "piadoc.source": "source",
    "piadoc.nodes": "ast",
    "piadoc.syntax": "syntax",
    "piadoc.includes": "includes",
    "piadoc.schema": "schema",
    "piadoc.model": "model",
    "piadoc.printed": "printed",
    "piadoc.language": "language",
    "piadoc.check": "check",
    "piadoc.pipeline": "pipeline",
    "piadoc.render": "render",
    "piadoc.diff": "diff",
    "piadoc.skeleton": "skeleton",
    "piadoc.output": "output",
    "piadoc.fixes": "cli",  # `check --fix`: checks, then writes the spec files
    "piadoc.encodings": "vocabulary",  # how undecodable bytes were saved: pure functions of the bytes
    "piadoc.ignore": "pipeline",
    "piadoc.inputs": "cli",
    "piadoc.console": "cli",
    "piadoc.usage": "cli",
    "piadoc.pdf": "delivery",
    "piadoc.build": "delivery",
    "piadoc.provenance": "delivery",
    "piadoc.project": "delivery",
    "piadoc.redline": "delivery",
    "piadoc.importer": "importer",
    "piadoc.fmt": "fmt",
    "piadoc.lsp": "lsp",
    "piadoc.cli": "cli",
    "piadoc.__main__": "cli",
}

_BASE = {"vocabulary"}
#: What each layer may import (besides itself). Anything else is a sideways or backwards import.
ALLOWED: dict[str, set[str]] = {
    "vocabulary": set(),
    "files": _BASE,
    "diagnostics": _BASE,
    "source": _BASE | {"files", "diagnostics"},
    # Diagnostics for machines (JSON, SARIF, GitHub): the check's findings as data, never the checker.
    "reporting": _BASE | {"diagnostics", "source"},
    "ast": _BASE,
    "syntax": _BASE | {"diagnostics", "source", "ast"},
    "includes": _BASE | {"files", "diagnostics", "source", "ast", "syntax"},
    "schema": _BASE,
    "model": _BASE,
    "printed": _BASE | {"schema", "model"},
    "language": _BASE | {"schema"},
    # The checker reads the AST, never the parser: it is handed a parsed, expanded spec.
    "check": _BASE | {"files", "diagnostics", "source", "ast", "schema", "model", "printed", "language"},
    "pipeline": _BASE | {"files", "diagnostics", "source", "ast", "syntax", "includes", "schema", "model",
                         "language", "check"},
    # Renderers and the differ read the checked report and the form: no AST, no checker, no each other.
    "render": _BASE | {"schema", "model", "printed"},
    "diff": _BASE | {"schema", "model", "printed", "language"},
    "skeleton": _BASE | {"schema", "language"},
    "output": _BASE,
    # PDF, one spec's build, a project's builds: above the pipeline and the renderers, below the CLI.
    "delivery": _BASE | {"files", "diagnostics", "source", "includes", "schema", "model", "pipeline", "render",
                         "diff", "check", "output"},
    # Import reads documents and the form, and checks its draft through the pipeline; never render nor diff.
    "importer": _BASE | {"files", "diagnostics", "source", "ast", "syntax", "includes", "schema", "model",
                         "language", "check", "pipeline", "output"},
    # The formatter reads the source and asks the parser what each line is; it never checks.
    "fmt": _BASE | {"files", "diagnostics", "source", "ast", "syntax"},
    # The language server runs the pipeline on open buffers and formats with fmt; it never renders.
    "lsp": _BASE | {"files", "diagnostics", "source", "ast", "syntax", "includes", "schema", "model", "printed",
                    "language", "check", "pipeline", "fmt"},
    "cli": set(LAYER_OF.values()),
}


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer(module: str) -> str:
    best = max((p for p in LAYER_OF if module == p or module.startswith(p + ".")), key=len, default=None)
    if best is None:
        raise AssertionError(f"{module} has no layer: add it to LAYER_OF in tests/test_layers.py "
                             "and to docs/architecture.md")
    return LAYER_OF[best]


def allowed(importer: str, imported: str) -> bool:
    a, b = layer(importer), layer(imported)
    return a == b or b in ALLOWED[a]


def _type_only(tree: ast.AST) -> set[int]:
    """Line numbers of imports under `if TYPE_CHECKING:` (annotations only: never run)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            lines.update(n.lineno for stmt in node.body for n in ast.walk(stmt) if isinstance(n, (ast.Import, ast.ImportFrom)))
    return lines


def imports_of(path: Path, runtime_only: bool = False) -> list[tuple[str, int]]:
    """Every piadoc module ``path`` imports, with the line, wherever the import statement stands (with
    ``runtime_only``, leaving out imports for annotations under `if TYPE_CHECKING:`)."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_only(tree) if runtime_only else set()
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names if a.name.split(".")[0] == "piadoc"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.split(".")[0] == "piadoc":
                target = node.module
            else:
                continue
            # `from . import nodes` imports the module piadoc.nodes, not the package.
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                sub = PACKAGE.parent / Path(*candidate.split("."))
                found.append((candidate if sub.with_suffix(".py").exists() or sub.is_dir() else target,
                              node.lineno))
    return found


def import_graph(runtime_only: bool = False) -> dict[str, list[tuple[str, int]]]:
    return {module_name(p): imports_of(p, runtime_only) for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_import_goes_down_the_stages() -> None:
    wrong = [f"{m}:{line} imports {target} ({layer(m)} → {layer(target)})"
             for m, targets in import_graph().items() for target, line in targets
             if not allowed(m, target)]
    assert not wrong, "imports against the direction of the stages:\n" + "\n".join(wrong)


def test_no_import_cycles() -> None:
    """No cycle among the imports that run (an annotation under TYPE_CHECKING may name a module that imports
    this one: the form's index type in schema/model.py)."""
    graph = {m: {t for t, _ in ts if t != m} for m, ts in import_graph(runtime_only=True).items()}
    graph = {m: {t for t in ts if t in graph and not m.startswith(t + ".")} for m, ts in graph.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in sorted(graph[m]):
            if state.get(t) == 1:
                cycle = stack[stack.index(t):] + [t]
                pytest.fail("import cycle: " + " → ".join(cycle))
            if t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)


@pytest.mark.parametrize("importer, imported", [
    # The sideways imports the foundations review found: each must stay refused.
    ("piadoc.diff.compare", "piadoc.render.printed"),
    ("piadoc.diff.writeback", "piadoc.check.resolve"),
    ("piadoc.diff.writeback", "piadoc.syntax"),
    ("piadoc.diff.formats", "piadoc.skeleton"),
    ("piadoc.pipeline", "piadoc.render"),
    ("piadoc.files", "piadoc.source"),
    ("piadoc.nodes", "piadoc.diagnostics"),
    ("piadoc.diagnostics", "piadoc.source"),
    ("piadoc.check.walk", "piadoc.syntax"),
    ("piadoc.render.layout", "piadoc.check.rules"),
    ("piadoc.schema.loader", "piadoc.check"),
    ("piadoc.reporting", "piadoc.check.threshold"),
    ("piadoc.importer.mapper", "piadoc.render"),
    ("piadoc.importer.emit", "piadoc.diff"),
])
def test_the_rules_refuse_sideways_imports(importer: str, imported: str) -> None:
    assert not allowed(importer, imported)


def test_function_level_imports_are_seen(tmp_path: Path) -> None:
    """An import hidden inside a function counts like any other."""
    src = "def f():\n    from ..render.printed import short_value\n"
    (tmp_path / "piadoc" / "diff").mkdir(parents=True)
    path = tmp_path / "piadoc" / "diff" / "x.py"
    path.write_text(src, encoding="utf-8")
    global PACKAGE
    saved, PACKAGE = PACKAGE, tmp_path / "piadoc"
    try:
        assert ("piadoc.render.printed.short_value", 2) in imports_of(path) or \
               ("piadoc.render.printed", 2) in imports_of(path)
    finally:
        PACKAGE = saved
