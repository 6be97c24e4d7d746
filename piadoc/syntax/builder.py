"""Lark tree → nodes.Spec. Splits bracketed values into a choice or checkbox lines and dedents blocks."""
from __future__ import annotations

import re
import textwrap

from lark import Token, Tree

from .. import nodes
from ..diagnostics import Diagnostic, DiagnosticError, Span

#: Marks read as a ticked box. Anything else but blank is reported by the checker (E407).
CHECKED_MARKS = frozenset("○〇◯●✓✔xXｘＸレ")
_TRAILING_COMMENT = re.compile(r"\s#.*$")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]([^\[]*)")


class Builder:
    """Builds the AST of one file; ``path`` goes into every Span."""

    def __init__(self, path: str, base: str = "") -> None:
        self.path = path
        self.base = base

    def span(self, tok: Token) -> Span:
        return Span.of_token(self.path, tok)

    def spec(self, tree: Tree) -> nodes.Spec:
        return nodes.Spec(self.path, self.statements(tree.children, parent=None))

    def statements(self, items: list, parent: Token | None) -> tuple[nodes.Statement, ...]:
        out: list[nodes.Statement] = []
        for child in items:
            if not isinstance(child, Tree):
                continue
            if child.data == "checkline":
                tok = child.children[0]
                raise DiagnosticError(Diagnostic.error(
                    "E201", self.span(tok), found="チェック欄の行",
                    notes=["チェック欄の行は、チェックボックスの項目の下に字下げして書きます"]))
            out.append(self.statement(child))
        return tuple(out)

    def statement(self, tree: Tree) -> nodes.Statement:
        if tree.data == "include":
            tok = tree.children[0]
            return nodes.Include(str(tok)[1:-1], self.span(tok))
        if tree.data == "under":
            tok = tree.children[0]
            path = tuple(part.strip() for part in str(tok).split(">") if part.strip())
            return nodes.Under(path, self.span(tok))
        if tree.data == "setting":
            return self.setting(tree)
        if tree.data == "setvar":
            name, value = tree.children
            text = str(value).rstrip()
            if len(text) >= 2 and text[0] == text[-1] == '"':
                text = text[1:-1]
            return nodes.SetVar(str(name), text, self.span(name))
        return self.entry(tree)

    def setting(self, tree: Tree) -> nodes.Setting:
        """``@空き枠 印刷する``: the value is one word; ``# …`` after it is a comment. With no value, the span
        is the place after the directive, where the checker's E314 points."""
        word, value = tree.children
        span = self.span(word)
        text = _TRAILING_COMMENT.sub("", str(value or "")).rstrip()
        if not text or text.startswith("#"):
            after = Span(self.path, span.line, span.end_column, span.line, span.end_column + 1)
            return nodes.Setting(str(word)[1:], "", span, after)
        return nodes.Setting(str(word)[1:], text, span,
                             Span(self.path, value.line, value.column, value.line, value.column + len(text)))

    def entry(self, tree: Tree) -> nodes.Entry:
        ref: Token = tree.children[0]
        heading = tree.data == "heading"
        value_tok = None if heading else tree.children[1]
        body = tree.children[-1]
        value = self.value(value_tok) if value_tok is not None else None
        checklines: list[nodes.Check] = []
        children: list = []
        if isinstance(body, Tree):
            for stmt in body.children:
                if isinstance(stmt, Tree) and stmt.data == "checkline":
                    tok = stmt.children[0]
                    parsed = self.bracketed(tok)
                    if isinstance(parsed, nodes.Choice):
                        # "[○]" alone on a line: a box with no text, reported by the checker.
                        parsed = nodes.Checks((nodes.Check(True, parsed.text, "", parsed.span),), parsed.span)
                    checklines.extend(parsed.items)
                else:
                    children.append(stmt)
        if checklines:
            if value is None:
                value = nodes.Checks(tuple(checklines), checklines[0].span)
            elif isinstance(value, nodes.Checks):
                value = nodes.Checks(value.items + tuple(checklines), value.span)
            else:
                raise DiagnosticError(Diagnostic.error("E207", checklines[0].span))
        ref_text = str(ref).strip()
        ref_span = Span(self.path, ref.line, ref.column, ref.line, ref.column + len(ref_text))
        return nodes.Entry(ref_text, ref_span, value, self.statements(children, ref), heading)

    def value(self, tok: Token | Tree) -> nodes.Value:
        if isinstance(tok, Tree):  # fileref
            path = tok.children[0]
            return nodes.FileRef(str(path)[1:-1], self.span(path), self.base)
        if tok.type == "BRACKETED":
            return self.bracketed(tok)
        if tok.type == "BLOCK":
            return nodes.Text(dedent_block(str(tok)), self.span(tok), block=True)
        if tok.type == "STRING":
            return nodes.Text(str(tok)[1:-1], self.span(tok), quoted=True)
        text = str(tok).rstrip()
        return nodes.Text(text, Span(self.path, tok.line, tok.column, tok.line, tok.column + len(text)))

    def bracketed(self, tok: Token) -> nodes.Choice | nodes.Checks:
        """``[x]`` alone is a choice; ``[○] a, [ ] b`` are checkboxes."""
        raw = str(tok).rstrip()
        segments = list(_SEGMENT.finditer(raw))
        covered = "".join(m.group(0) for m in segments)
        if not segments or covered != raw:
            bad = raw.rfind("[")
            col = tok.column + bad
            raise DiagnosticError(Diagnostic.error("E204", Span(self.path, tok.line, col, tok.line, col + 1)))
        if len(segments) == 1 and not segments[0].group(2).strip():
            inner = segments[0].group(1)
            return nodes.Choice(inner.strip(), Span(self.path, tok.line, tok.column, tok.line, tok.column + len(raw)))
        checks = []
        for m in segments:
            mark = m.group(1).strip().replace("\u3000", "")
            text = m.group(2).strip().rstrip(",、，").strip()
            col = tok.column + m.start()
            span = Span(self.path, tok.line, col, tok.line, col + len(m.group(0).rstrip().rstrip(",、，")))
            checks.append(nodes.Check(mark in CHECKED_MARKS, mark, text, span))
        return nodes.Checks(tuple(checks), checks[0].span)


def dedent_block(raw: str) -> str:
    """The text between the quotes, common indentation removed, blank lines kept, trailing spaces dropped."""
    body = raw[3:-3]
    first, _, rest = body.partition("\n")
    lines = rest.split("\n")
    if lines and not lines[-1].strip():
        lines.pop()
    if first.strip():
        lines.insert(0, first.strip())
    text = textwrap.dedent("\n".join(line.rstrip() for line in lines))
    return text.strip("\n")
