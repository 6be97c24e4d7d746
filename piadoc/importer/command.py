"""`piadoc import FILE [-o OUT.pia] [--form NAME]`: the draft to a file (atomically, never over the input) or to
standard output, the summary and any refusal on standard error as coded Japanese messages.

A draft is the start of the user's own spec, and its figures are theirs too once placed: an existing file is
never replaced without --force (E813), so importing again cannot wipe out a day's review. Every target is
checked before anything is written."""
from __future__ import annotations

import sys
from pathlib import Path

from ..diagnostics import Diagnostic, Span, render_all
from ..output import check_target, refusal, write_atomically
from . import ImportFailed, figures_folder, import_file


def _say(code: str, path: str, **fields: str) -> None:
    print(render_all([Diagnostic.make(code, Span(path, 0, 0, 0, 0), **fields)], {}), file=sys.stderr)


def run_import(source: Path, output: Path | None, form: str | None, force: bool = False) -> int:
    """Exit status 0 when a draft was written, 1 when the input could not be imported."""
    if output is not None:  # OutputRefused (E80x) is reported by the CLI
        check_target(output, [source], force=force, new_only=True)
    try:
        imported = import_file(source, form, figures_folder(output) if output is not None else None)
    except ImportFailed as err:
        _say(err.code, str(source), **err.fields)
        return 1
    s = imported.summary
    if s.found == 0:  # nothing matched the form: an empty draft helps no one (a wrong --form, not a report)
        _say("E120", str(source), form=imported.form.name)
        return 1
    folder = output.parent / imported.figures if output is not None and imported.figures else None
    if output is None:
        sys.stdout.write(imported.text)
    else:
        writes = [(folder / p.name, p.data) for p in (imported.pictures if folder else ())]
        writes.append((output, imported.text.encode("utf-8")))
        for target, _ in writes:  # all checked before any is written; the draft again, made while importing
            check_target(target, [source], force=force, new_only=True)
        for target, data in writes:
            try:
                write_atomically(target, data)  # makes the folders it needs
            except OSError as err:
                raise refusal(err, str(target)) from None
    figures = f"、図 {len(imported.pictures)}件" if imported.pictures else ""
    if imported.pictures and folder is not None:
        figures += f"（{folder} に書き出しました）"
    if s.mismatch:
        print(f"{source}: 注意: 文書の表題は{s.mismatch}ですが、指定された{imported.form.name}として取り込みます。"
              "違う種類の様式に当てはめたため、当てはまらない記載が多くなります", file=sys.stderr)
    print(f"{source}: {imported.form.name}として取り込みました（記入あり {s.found}項目、空欄 {s.empty}項目、"
          f"要確認 {s.guessed}件、当てはめられなかった記載 {s.leftover}件{figures}）", file=sys.stderr)
    return 0
