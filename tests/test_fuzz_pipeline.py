"""The whole pipeline on mutated real specs: check, build, reopen, and `changes --write`'s insertion.

Values get the characters that broke piadoc before: line separators other than \\n (U+2028, U+2029, U+0085),
dashes that read as 「―」, template markers, HTML, characters outside the BMP. For every mutated spec that checks
clean: no exception anywhere, the built .docx reopens, and the rows `changes --write` would add leave a spec
that checks clean and differs from the mutated one only by inserted lines.
"""
from __future__ import annotations

import difflib
import io
import random
import re
from pathlib import Path

from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piadoc.diff import diff_reports
from piadoc.diff.writeback import insert_rows, new_rows, recorded, row_key
from piadoc.files import DiskFiles, OverlayFiles
from piadoc.pipeline import changes_insertion, load_and_check
from piadoc.render import render_docx

SPEC = Path(__file__).resolve().parent.parent / "specs" / "koganei-yobousesshu-juten.pia"
PAYLOADS = ["\u2028", "\u2029", "\u0085", "―", "-", "ー", "{% raw %}{{ x }}{% endraw %}", "<p>", "&amp;",
            "𠮷", "\u3000", "（続き）", "「」", " ", "\u200b"]
#: A one-line text value (not a choice, a tick, a block or a directive): where payloads go.
VALUE_LINE = re.compile(r"^(\s*[^\s#@\[\]\"][^:\n]*: )([^\[\"\n@{][^\n]*)$")


def mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    candidates = [i for i, line in enumerate(lines) if VALUE_LINE.match(line)]
    for _ in range(rng.randint(1, 4)):
        i = rng.choice(candidates)
        head, value = VALUE_LINE.match(lines[i]).groups()
        payload = rng.choice(PAYLOADS)
        where = rng.choice(["end", "middle", "replace"])
        if where == "replace":
            value = payload
        elif where == "middle":
            cut = rng.randrange(len(value) + 1)
            value = value[:cut] + payload + value[cut:]
        else:
            value = value + payload
        lines[i] = head + value
    return "\n".join(lines)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_check_build_reopen_and_write_changes(tmp_path: Path, seed: int) -> None:
    original = SPEC.read_text(encoding="utf-8")
    text = mutate(original, random.Random(seed))
    (tmp_path / "piadoc.toml").write_text("", encoding="utf-8")
    old_path, path = tmp_path / "old.pia", tmp_path / "spec.pia"
    old_path.write_text(original, encoding="utf-8")
    path.write_bytes(text.encode("utf-8"))
    new = load_and_check(path)
    if new.result.report is None:  # a mutation the language refuses: a diagnostic, never an exception
        assert all(d.code and d.span.path for d in new.result.diagnostics)
        return
    data = render_docx(new.result.report, new.form)
    assert Document(io.BytesIO(data)).tables  # reopens

    old = load_and_check(old_path)
    rows = new_rows(new.form, new.result.report, diff_reports(new.form, old.result.report, new.result.report))
    updated = insert_rows(text, new.form, changes_insertion(new), rows, "令和7年4月1日")
    again = load_and_check(path, OverlayFiles(DiskFiles(), {path: updated.encode("utf-8")}))
    assert again.result.report is not None, [d.message for d in again.result.diagnostics if d.is_error]
    assert recorded(new.form, again.result.report) == \
        recorded(new.form, new.result.report) | {row_key(r) for r in rows}
    # Only lines inserted: every line of the mutated spec is still there, in order.
    ops = difflib.SequenceMatcher(None, text.split("\n"), updated.split("\n"), autojunk=False).get_opcodes()
    assert all(tag in ("equal", "insert") for tag, *_ in ops), [op for op in ops if op[0] not in ("equal", "insert")]
