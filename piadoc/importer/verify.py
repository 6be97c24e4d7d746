"""The draft must check clean: what `check` refuses is commented out with its message, for the user to review.

A misread value (a choice the form does not offer, a 再委託事項 under 再委託しない) must not stop the whole draft
from building; it is kept, as a comment, where it stood.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from ..pipeline import load_and_check
from .emit import REVIEW

_PASSES = 25
"""Enough for a misread text: some rules report one problem at a time (E503, one extra file per pass)."""


def _block_end(lines: list[str], at: int) -> int:
    """The index after the entry at ``at``: its \"\"\" block and the lines indented under it."""
    line = lines[at]
    indent = len(line) - len(line.lstrip(" "))
    end = at + 1
    if line.rstrip().endswith("\"\"\""):
        while end < len(lines) and lines[end].strip() != "\"\"\"":
            end += 1
        end += 1
    while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip(" ")) > indent):
        end += 1
    return end


def comment_out_errors(text: str, files: dict[str, bytes] | None = None) -> tuple[str, int]:
    """The draft with every entry `check` reports an error on commented out; and how many were. ``files`` (path
    relative to the draft → bytes) are the pictures the draft names, checked as the user will have them."""
    removed = 0
    with tempfile.TemporaryDirectory(prefix="piadoc-import-") as tmp:
        path = Path(tmp) / "draft.pia"
        for name, data in (files or {}).items():
            (Path(tmp) / name).parent.mkdir(parents=True, exist_ok=True)
            (Path(tmp) / name).write_bytes(data)
        for _ in range(_PASSES):
            path.write_text(text, encoding="utf-8")
            result = load_and_check(path).result  # with warnings: some errors come from whole-report rules
            errors = sorted({(d.span.line, d.code, d.message) for d in result.diagnostics
                             if d.is_error and d.span.line > 0}, reverse=True)
            if not errors:
                break
            lines = text.split("\n")
            done: set[int] = set()
            for line_no, code, message in errors:
                at = line_no - 1
                if at in done or not 0 <= at < len(lines) or lines[at].lstrip().startswith("#"):
                    continue
                done.add(at)
                end = _block_end(lines, at)
                pad = lines[at][: len(lines[at]) - len(lines[at].lstrip(" "))]
                lines[at:end] = [f"{pad}{REVIEW}検査で {code}（{message}）のため、次の記載を外しました"] + \
                    [f"{pad}# {ln.strip()}" for ln in lines[at:end] if ln.strip()]
                removed += 1
            text = "\n".join(lines)
    return text, removed
