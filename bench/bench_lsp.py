"""Benchmark (run by hand): what `piadoc lsp` computes for an editor, on the largest spec.

    .venv/bin/python bench/bench_lsp.py [SPEC]

Times in-process, warm (the parser, forms and caches loaded), median of several runs:
- diagnostics after a one-character edit: the whole check of the edited buffer and its diagnostics in LSP
  positions, what the server's worker thread does (the server adds its debounce pause, DEBOUNCE in
  piadoc/lsp/server.py, before it starts); once in an item of Ⅰ, once in the 項目 cell of a
  変更箇所 row (in the included file when the table is one, as an open buffer): that row is read again, the
  other rows' readings are kept (check/itempath.py);
- the first check of a session (the form's tables built, nothing kept yet), for comparison;
- completion at a nested place (items under an item of Ⅲ) and inside [ ]; hover on a label;
- formatting of the whole buffer.
Goals (issue 13): diagnostics 50 ms, completion 20 ms.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types as T
from pygls.workspace.position_codec import PositionCodec

from piadoc.fmt import format_text
from piadoc.lsp.analysis import analyse
from piadoc.lsp.server import check_and_convert
from piadoc.lsp.features import Buffer, complete
from piadoc.lsp.hover import hover

REPO = Path(__file__).resolve().parent.parent


def median_ms(fn, runs: int = 9) -> float:
    fn()  # warm
    times = []
    for i in range(runs):
        t = time.perf_counter()
        fn(i) if fn.__code__.co_argcount else fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def _change_row(spec: Path) -> tuple[Path, int]:
    """The file of the spec (itself or an include) holding the first 変更箇所 row with a one-line 項目 cell, and
    that line (0-based)."""
    read = [Path(s.real) for s in analyse(spec.resolve(), {}).sources.values() if s.real]
    for path in read:
        lines = path.read_text(encoding="utf-8").split("\n")
        for i, line in enumerate(lines):
            if line.strip().startswith("項目:") and not line.rstrip().endswith('"""') and i and "変更日" in lines[i - 1]:
                return path, i
    raise SystemExit(f"{spec}: no 変更箇所 row with a one-line 項目 cell")


def first_check_ms(spec: Path) -> float:
    """The first check in a fresh process: the form's tables are built (and nothing is kept yet)."""
    import subprocess

    code = ("import time, sys; from pathlib import Path; from piadoc.lsp.analysis import analyse; "
            "p = Path(sys.argv[1]).resolve(); import piadoc.schema, piadoc.syntax; "
            "t = time.perf_counter(); analyse(p, {}); print((time.perf_counter() - t) * 1000)")
    runs = [float(subprocess.run([sys.executable, "-c", code, str(spec)], capture_output=True, text=True,
                                 check=True).stdout) for _ in range(3)]
    return statistics.median(runs)


def main() -> None:
    spec = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "specs" / "takatsuki-juki-zenkoumoku.pia"
    text = spec.read_text(encoding="utf-8")
    lines = text.split("\n")
    target = next(i for i, line in enumerate(lines) if "①事務の名称:" in line)
    codec = PositionCodec()
    uri = spec.resolve().as_uri()

    def edited(i: int = 0) -> str:
        out = list(lines)
        out[target] = out[target] + "あいうえおかきくけこ"[i % 10]
        return "\n".join(out)

    def diagnostics(i: int = 0) -> None:
        new = edited(i)
        loaded, _ = check_and_convert(spec.resolve(), {spec.resolve(): new.encode("utf-8")}, uri, new, codec)
        assert loaded.result.report is not None

    row_file, row_line = _change_row(spec)
    row_lines = row_file.read_text(encoding="utf-8").split("\n")

    def row_edited(i: int = 0) -> None:
        out = list(row_lines)
        out[row_line] = out[row_line] + "あいうえおかきくけこ"[i % 10]
        buffers = {spec.resolve(): text.encode("utf-8"), row_file.resolve(): "\n".join(out).encode("utf-8")}
        loaded, _ = check_and_convert(spec.resolve(), buffers, uri, text, codec)
        assert loaded.result.report is not None

    risk = next(i for i, line in enumerate(lines) if line.strip().startswith("リスク１"))
    nested = next(i for i in range(risk, len(lines)) if "その他の措置の内容:" in lines[i])
    indent = len(lines[nested]) - len(lines[nested].lstrip())
    buf_lines = list(lines)
    buf_lines[nested] = " " * indent  # the writer is about to type this item again
    nested_text = "\n".join(buf_lines)
    choice = next(i for i, line in enumerate(lines) if "③対象人数: [" in line)
    bracket = lines[choice].index("[") + 1

    def completion_nested(i: int = 0) -> None:
        items = complete(Buffer("file:///x.pia", nested_text + " " * (i % 2), codec), T.Position(nested, indent))
        assert items

    def completion_options(i: int = 0) -> None:
        items = complete(Buffer("file:///x.pia", text + " " * (i % 2), codec), T.Position(choice, bracket))
        assert items

    def hovering(i: int = 0) -> None:
        assert hover(Buffer("file:///x.pia", text + " " * (i % 2), codec), T.Position(target, len(lines[target]) - len(lines[target].lstrip()) + 1))

    print(f"{spec.name}: {len(lines)} 行, {len(text.encode('utf-8')) // 1024} KB")
    print(f"diagnostics after a one-character edit: {median_ms(diagnostics):7.1f} ms (goal 50)")
    print(f"  … in a 変更箇所 項目 cell ({row_file.name}): {median_ms(row_edited):7.1f} ms (goal 50)")
    print(f"completion, nested item labels:          {median_ms(completion_nested):7.1f} ms (goal 20)")
    print(f"completion, options inside [ ]:          {median_ms(completion_options):7.1f} ms (goal 20)")
    print(f"hover on a label:                        {median_ms(hovering):7.1f} ms")
    print(f"first check of a session (cold):         {first_check_ms(spec):7.1f} ms")
    print(f"formatting the whole buffer:             {median_ms(lambda i=0: format_text(edited(i))):7.1f} ms")


if __name__ == "__main__":
    main()
