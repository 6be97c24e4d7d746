"""Diagnostics for machines: JSON (editors, scripts), SARIF 2.1.0 (code scanning) and GitHub Actions annotations.

The text format for people stays in diagnostics.py. Every format here carries the same facts; docs/json.md
describes them. Columns are counted twice: in code points (what piadoc's spans count) and in UTF-16 code units
(what editors, the Language Server Protocol, SARIF and GitHub count): a character outside the BMP (𠮷) is one
code point but two UTF-16 units, so the two differ after it on the same line.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Iterator, Mapping, Protocol, Sequence, TextIO
from urllib.parse import quote

from . import __version__
from .codes import CODES
from .diagnostics import Diagnostic, Lines
from .threshold import LEVELS, describe, level

#: The shape of `check --format json`. Raise it when a field changes meaning or goes away (adding one does
#: not): scripts compare it before reading the rest.
JSON_VERSION = 1
FORMATS = ("json", "sarif", "github")
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

#: The sections of docs/errors.md (tools/gen_errors_doc.py writes them): a rule's help links to its section.
_ERROR_SECTIONS = {"E1": "入力（ファイル）", "E2": "構文", "E3": "項目と構造", "E4": "値", "E5": "項目間の規則",
                   "E6": "include と変数", "W7": "警告", "E8": "出力ファイル", "E9": "内部エラー"}


class Stated(Protocol):
    label: str
    mode: str
    outcome: frozenset[str]
    text: str


class Reasoning(Protocol):
    outcomes: tuple[frozenset[str], ...]
    why: str


class Facts(Protocol):
    """What `check --explain` explains (check.threshold.ThresholdFacts): read, never built, here."""

    form: str
    band: int
    band_text: str
    many_staff: bool | None
    accident: bool | None
    reasoning: Reasoning
    stated: tuple[Stated, ...]


@dataclass(frozen=True)
class Checked:
    """One spec as `piadoc check` checked it: what the formats need, and nothing of the checker."""

    path: str
    """As named on the command line."""
    diagnostics: Sequence[Diagnostic]
    sources: Mapping[str, Lines]
    threshold: Facts | None = None
    """Given with --explain only."""
    explain: Sequence[str] = ()
    """The --explain lines as the text format prints them."""


def emit_diagnostics(fmt: str, checked: Sequence[Checked], out: TextIO) -> None:
    """Write ``checked`` to ``out`` in ``fmt`` (one of FORMATS)."""
    if fmt == "github":
        out.write("".join(github_annotation(d, lines) + "\n" for d, lines in _each(checked)))
        return
    data = as_sarif(checked) if fmt == "sarif" else as_json(checked)
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


# --- columns ---------------------------------------------------------------------------------------------------

def utf16_column(text: str, column: int) -> int:
    """The 1-based UTF-16 column of the 1-based code-point ``column`` of line ``text`` (past the end of the
    line, each missing character counts one unit)."""
    if column < 1:
        return column
    before = text[: column - 1]
    return column + sum(1 for ch in before if ord(ch) > 0xFFFF)


@dataclass(frozen=True)
class Place:
    """A diagnostic's position in both counts; line 0 means the whole file (no position)."""

    line: int
    column: int
    end_line: int
    end_column: int
    column_utf16: int
    end_column_utf16: int


class LineCache:
    """Source lines by (path, number), each looked up once (SourceFile.line splits the whole text)."""

    def __init__(self, sources: Mapping[str, Lines]) -> None:
        self.sources = sources
        self.lines: dict[tuple[str, int], str] = {}

    def get(self, path: str, n: int) -> str:
        source = self.sources.get(path)
        if source is None or n < 1:
            return ""
        if (path, n) not in self.lines:
            self.lines[path, n] = source.line(n)
        return self.lines[path, n]


def _each(checked: Sequence[Checked]) -> Iterator[tuple[Diagnostic, LineCache]]:
    """Every diagnostic in order, with the lines of the spec it belongs to."""
    for c in checked:
        lines = LineCache(c.sources)
        for d in c.diagnostics:
            yield d, lines


def place(diag: Diagnostic, sources: Mapping[str, Lines] | LineCache) -> Place:
    s = diag.span
    cache = sources if isinstance(sources, LineCache) else LineCache(sources)

    def text(n: int) -> str:
        return cache.get(s.path, n)

    return Place(s.line, s.column, s.end_line, s.end_column, utf16_column(text(s.line), s.column),
                 utf16_column(text(s.end_line), s.end_column))


# --- JSON ------------------------------------------------------------------------------------------------------

def diagnostic_json(diag: Diagnostic, sources: Mapping[str, Lines] | LineCache) -> dict[str, object]:
    p = place(diag, sources)
    located = p.line >= 1 and p.column >= 1

    def at(value: int) -> int | None:
        return value if located else None

    out: dict[str, object] = {
        "code": diag.code, "severity": diag.severity, "message": diag.message, "notes": list(diag.notes),
        "file": diag.span.path, "line": p.line if p.line >= 1 else None, "column": at(p.column),
        "end_line": at(p.end_line), "end_column": at(p.end_column), "column_utf16": at(p.column_utf16),
        "end_column_utf16": at(p.end_column_utf16)}
    if diag.details:  # every blank item of a section's one-line W701
        out["details"] = list(diag.details)
    if diag.fixes:  # safe edits `check --fix` applies (code points, 1-based, end exclusive)
        out["fixes"] = [{"line": f.span.line, "column": f.span.column, "end_column": f.span.end_column,
                         "replacement": f.replacement} for f in diag.fixes]
    return out


def threshold_json(facts: Facts, lines: Sequence[str]) -> dict[str, object]:
    """The しきい値判断 reasoning as fields, with the lines `--explain` prints."""
    outcomes = facts.reasoning.outcomes
    required = min(level(o) for o in outcomes)

    def agrees(s: Stated) -> bool:  # as check.threshold.explain judges it
        return s.outcome in outcomes if s.mode == "equals" else level(s.outcome) >= required

    return {"form": facts.form, "people": facts.band_text, "band": facts.band, "many_staff": facts.many_staff,
            "accident": facts.accident, "why": facts.reasoning.why,
            "required": [{"assessments": sorted(o, key=LEVELS.get), "text": describe(o)} for o in outcomes],
            "stated": [{"label": s.label, "text": s.text, "mode": s.mode, "agrees": agrees(s)} for s in facts.stated],
            "lines": list(lines)}


def as_json(checked: Sequence[Checked]) -> dict[str, object]:
    """`check --format json`: version 1 (docs/json.md)."""
    files = []
    for c in checked:
        entry: dict[str, object] = {"path": c.path, "errors": sum(d.is_error for d in c.diagnostics),
                                    "warnings": sum(not d.is_error for d in c.diagnostics)}
        if c.threshold is not None:
            entry["threshold"] = threshold_json(c.threshold, c.explain)
        files.append(entry)
    return {"version": JSON_VERSION, "tool": "piadoc", "piadoc_version": __version__, "files": files,
            "diagnostics": [diagnostic_json(d, lines) for d, lines in _each(checked)]}


# --- SARIF -----------------------------------------------------------------------------------------------------

def project_url() -> str | None:
    """The project's home (pyproject's [project.urls], as installed), for SARIF's informationUri and helpUri."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        entries = metadata("piadoc").get_all("Project-URL") or []
    except PackageNotFoundError:  # pragma: no cover - running from a source tree that was never installed
        return None
    urls = dict(e.split(", ", 1) for e in entries if ", " in e)
    for key in ("Repository", "Source", "Homepage"):
        if urls.get(key, "").startswith("https://"):
            return urls[key].rstrip("/")
    return None


def heading_anchor(heading: str) -> str:
    """The fragment GitHub gives a Markdown heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def help_anchor(code: str) -> str:
    """The section of docs/errors.md that lists ``code``."""
    return heading_anchor(f"{code[:2]}xx {_ERROR_SECTIONS[code[:2]]}")


def sarif_rules(home: str | None) -> list[dict[str, object]]:
    """One rule per code, in the table's order (a result's ruleIndex is its place here)."""
    rules = []
    for code, (severity, template) in CODES.items():
        rule: dict[str, object] = {
            "id": code,
            "shortDescription": {"text": re.sub(r"\{\w+\}", "…", template)},
            "defaultConfiguration": {"level": severity}}
        if home is not None:
            rule["helpUri"] = f"{home}/blob/main/docs/errors.md#{quote(help_anchor(code))}"
        rules.append(rule)
    return rules


def artifact_uri(path: str, sep: str = os.sep) -> str:
    """A relative URI with forward slashes (code scanning resolves it against the repository root); an
    absolute path (outside the working folder) as a file: URI."""
    posix = path.replace(sep, "/")
    if re.match(r"^[A-Za-z]:/", posix):
        return "file:///" + quote(posix, safe="/:")
    if posix.startswith("/"):
        return "file://" + quote(posix, safe="/")
    return quote(posix, safe="/")


def sarif_result(diag: Diagnostic, sources: Mapping[str, Lines] | LineCache, index: int) -> dict[str, object]:
    text = "\n".join([diag.message, *diag.notes])
    physical: dict[str, object] = {"artifactLocation": {"uri": artifact_uri(diag.span.path)}}
    p = place(diag, sources)
    if p.line >= 1:
        region: dict[str, object] = {"startLine": p.line}
        if p.column >= 1:
            region["startColumn"] = p.column_utf16
            if p.end_line >= p.line and p.end_column >= 1:
                region["endLine"] = p.end_line
                region["endColumn"] = max(p.end_column_utf16, p.column_utf16 if p.end_line > p.line
                                          else p.column_utf16 + 1)
        physical["region"] = region
    return {"ruleId": diag.code, "ruleIndex": index, "level": diag.severity, "message": {"text": text},
            "locations": [{"physicalLocation": physical}]}


def as_sarif(checked: Sequence[Checked]) -> dict[str, object]:
    """`check --format sarif`: one run, columns in UTF-16 code units (SARIF's default, stated anyway)."""
    home = project_url()
    driver: dict[str, object] = {"name": "piadoc", "version": __version__, "semanticVersion": __version__,
                                 "rules": sarif_rules(home)}
    if home is not None:
        driver["informationUri"] = home
    order = {code: i for i, code in enumerate(CODES)}
    results = [sarif_result(d, lines, order[d.code]) for d, lines in _each(checked)]
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0",
            "runs": [{"tool": {"driver": driver}, "columnKind": "utf16CodeUnits", "results": results}]}


# --- GitHub Actions --------------------------------------------------------------------------------------------

def escape_data(text: str) -> str:
    """A workflow command's message: %, CR and LF percent-encoded (as @actions/core does)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: also : and , (they separate properties)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(diag: Diagnostic, sources: Mapping[str, Lines] | LineCache) -> str:
    """`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=E303::message` (columns in UTF-16 units)."""
    props = [("file", diag.span.path.replace(os.sep, "/"))]
    p = place(diag, sources)
    if p.line >= 1:
        props.append(("line", str(p.line)))
        if p.column >= 1:
            props.append(("col", str(p.column_utf16)))
            if p.end_line >= p.line and p.end_column >= 1:
                props += [("endLine", str(p.end_line)), ("endColumn", str(p.end_column_utf16))]
    props.append(("title", diag.code))
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{diag.severity} {head}::{escape_data(chr(10).join([diag.message, *diag.notes]))}"
