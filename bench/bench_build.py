"""Benchmark (run by hand): a whole `piadoc build` process against whole processes writing the same text and
tables another way, measured in the same run: a Python process with raw python-docx, and pandoc converting
an HTML file (skipped with a message when pandoc is not installed). Plus piadoc's stages in-process.

    .venv/bin/python bench/bench_build.py [SPEC ...] [--runs N] [--piadoc-path DIR] [--no-stages]

(default: every spec in specs/). The three commands of a run are launched one after the other, in an order
that turns from run to run; a ratio is the median of the per-run ratios, so a slow phase of a shared machine
(this VM's speed varies by half within minutes) hits all alike. The ratios are what to watch, not the times.
--piadoc-path runs the piadoc package found in DIR (another checkout) instead of this one; --before DIR runs
that one too, in the same interleaving: figures before and after a change, on the same baselines.
"""
from __future__ import annotations

import argparse
import html
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# The baseline: the same headings, rows and strings, written with python-docx's plain API (no styles,
# no merges, no determinism), then saved. It is what "just use python-docx" would cost.
RAW = r'''
import json, sys
from docx import Document
blocks = json.load(open(sys.argv[1], encoding="utf-8"))
doc = Document()
for block in blocks:
    doc.add_paragraph(block["heading"])
    if block["rows"]:
        table = doc.add_table(rows=len(block["rows"]), cols=max(len(r) for r in block["rows"]))
        for row, cells in zip(table.rows, block["rows"]):
            for cell, text in zip(row.cells, cells):
                cell.text = text
doc.save(sys.argv[2])
'''

#: piadoc's console script, as installed (`piadoc = "piadoc.cli:main"`), run from the path given first.
ENTRY = "import sys; sys.path.insert(0, sys.argv.pop(1)); from piadoc.cli import main; sys.exit(main())"


def raw_blocks(spec: Path) -> list[dict]:
    """The text piadoc prints, grouped as the baseline writes it."""
    from piadoc.pipeline import load_and_check
    from piadoc.render.layout import Band, ChangeTable, Contents, Cover, Section, layout

    loaded = load_and_check(spec)
    blocks = []
    for b in layout(loaded.form, loaded.result.report):
        if isinstance(b, Cover):
            blocks.append({"heading": b.title, "rows": [[k, b.fields[k]] for k in b.labels]})
        elif isinstance(b, Contents):
            blocks.append({"heading": b.title, "rows": [[e, ""] for e in b.entries]})
        elif isinstance(b, Section):
            rows = [[r.text, "\n".join((r.title, *r.boxes))] if isinstance(r, Band) else [r.label, "\n".join(r.lines)]
                    for r in b.rows]
            blocks.append({"heading": b.heading, "rows": rows})
        elif isinstance(b, ChangeTable):
            blocks.append({"heading": b.heading, "rows": [list(b.columns), *[list(r) for r in b.rows]]})
    return blocks


def as_html(blocks: list[dict]) -> str:
    """The same blocks for pandoc: a paragraph per heading, a table per block, line breaks kept."""
    out = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>bench</title></head><body>']
    for block in blocks:
        out.append(f"<p>{html.escape(block['heading'])}</p>")
        if block["rows"]:
            out.append("<table>")
            for cells in block["rows"]:
                out.append("<tr>" + "".join(f"<td>{html.escape(c).replace(chr(10), '<br>')}</td>" for c in cells)
                           + "</tr>")
            out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out)


#: Both processes may cache bytecode (this workplace sets PYTHONDONTWRITEBYTECODE=1, which makes every
#: start-up compile piadoc's sources again: not what a user's installation does).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _once(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=ENV)
    return time.perf_counter() - start


def time_all(cmds: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    """Seconds of each whole process, ``runs`` times each, interleaved in a turning order."""
    for cmd in cmds.values():  # warm-up: bytecode, caches, the page cache
        _once(cmd)
    names = list(cmds)
    times: dict[str, list[float]] = {n: [] for n in names}
    for i in range(runs):
        for name in names[i % len(names):] + names[:i % len(names)]:
            times[name].append(_once(cmds[name]))
    return times


def ratio(times: dict[str, list[float]], ours: str, other: str) -> float:
    return statistics.median(a / b for a, b in zip(times[ours], times[other]))


def stages(spec: Path, runs: int) -> dict[str, float]:
    """Median seconds of each stage, in-process, after a warm-up (start-up excluded)."""
    from piadoc.check import check
    from piadoc.includes import load_expanded
    from piadoc.pipeline import find_form
    from piadoc.render import default_template_dir
    from piadoc.render.docx_writer import write_document
    from piadoc.render.layout import layout
    from piadoc.render.package import deterministic_bytes

    samples: dict[str, list[float]] = {"parse": [], "check": [], "render": [], "save": []}
    for i in range(runs + 1):
        t0 = time.perf_counter()
        sources: dict = {}
        ast = load_expanded(spec, sources)
        form, span = find_form(ast, next(iter(sources.values())))
        t1 = time.perf_counter()
        result = check(ast, form, span)
        t2 = time.perf_counter()
        doc = write_document(layout(form, result.report), default_template_dir())
        t3 = time.perf_counter()
        deterministic_bytes(doc, (2023, 6, 27, 0, 0, 0))
        t4 = time.perf_counter()
        if i:  # the first run builds the parser and loads the form: start-up, not steady state
            for k, v in zip(samples, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
                samples[k].append(v)
    return {k: statistics.median(v) for k, v in samples.items()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("specs", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--piadoc-path", type=Path, default=REPO, help="the folder holding the piadoc package to run")
    ap.add_argument("--before", type=Path, help="also run the piadoc package in this folder (an older checkout)")
    ap.add_argument("--no-stages", action="store_true", help="whole processes only")
    args = ap.parse_args()
    specs = args.specs or sorted((REPO / "specs").glob("*.pia"))
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        print("pandoc is not installed: its column is left out (apt-get install pandoc)", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        raw_script = tmpdir / "raw.py"
        raw_script.write_text(RAW, encoding="utf-8")
        print(f"{'spec':34} {'piadoc':>7} {'raw':>7} {'pandoc':>7} {'÷raw':>5} {'÷pandoc':>7}"
              + (f" {'before':>7} {'÷raw':>5} {'÷pandoc':>7}" if args.before else "")
              + ("  parse  check render   save (in-process, ms)" if not args.no_stages else ""))
        for spec in specs:
            blocks = raw_blocks(spec)
            data = tmpdir / f"{spec.stem}.json"
            data.write_text(json.dumps(blocks, ensure_ascii=False), encoding="utf-8")
            page = tmpdir / f"{spec.stem}.html"
            page.write_text(as_html(blocks), encoding="utf-8")
            cmds = {"piadoc": [sys.executable, "-c", ENTRY, str(args.piadoc_path.resolve()), "build", str(spec),
                               "-o", str(tmpdir / "ours.docx")],
                    "raw": [sys.executable, str(raw_script), str(data), str(tmpdir / "raw.docx")]}
            if args.before:
                cmds["before"] = [sys.executable, "-c", ENTRY, str(args.before.resolve()), "build", str(spec),
                                  "-o", str(tmpdir / "before.docx")]
            if pandoc:
                cmds["pandoc"] = [pandoc, str(page), "-f", "html", "-o", str(tmpdir / "pandoc.docx")]
            times = time_all(cmds, args.runs)
            med = {k: statistics.median(v) for k, v in times.items()}
            line = (f"{spec.stem:34} {med['piadoc']:7.3f} {med['raw']:7.3f} {med.get('pandoc', float('nan')):7.3f} "
                    f"{ratio(times, 'piadoc', 'raw'):5.2f} "
                    f"{ratio(times, 'piadoc', 'pandoc') if pandoc else float('nan'):7.2f}")
            if args.before:
                line += (f" {med['before']:7.3f} {ratio(times, 'before', 'raw'):5.2f} "
                         f"{ratio(times, 'before', 'pandoc') if pandoc else float('nan'):7.2f}")
            if not args.no_stages:
                st = stages(spec, 5)
                line += "  " + " ".join(f"{st[k] * 1000:6.1f}" for k in ("parse", "check", "render", "save"))
            print(line, flush=True)


if __name__ == "__main__":
    main()
