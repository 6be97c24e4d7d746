"""Benchmark (run by hand): a whole `piadoc build` process against a whole Python process writing the same
text with raw python-docx, measured in the same run; plus piadoc's stages in-process.

    .venv/bin/python bench/bench_build.py [SPEC ...]   (default: every spec in specs/)

Figures are medians of --runs process launches; the ratio is what to watch, not the absolute times.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# The baseline: the same sections, rows and strings, written with python-docx's plain API (no styles,
# no merges, no determinism), then saved. It is what "just use python-docx" would cost.
RAW = r'''
import json, sys
from docx import Document
blocks = json.load(open(sys.argv[1], encoding="utf-8"))
doc = Document()
for block in blocks:
    doc.add_paragraph(block["heading"])
    if block["rows"]:
        table = doc.add_table(rows=len(block["rows"]), cols=2)
        for row, (label, value) in zip(table.rows, block["rows"]):
            row.cells[0].text = label
            row.cells[1].text = value
doc.save(sys.argv[2])
'''


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
            blocks.append({"heading": b.heading, "rows": [[r[0], "\n".join(r[1:])] for r in b.rows]})
    return blocks


#: Both processes may cache bytecode (this workplace sets PYTHONDONTWRITEBYTECODE=1, which makes every
#: start-up compile piadoc's sources again: not what a user's installation does).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _once(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=ENV)
    return time.perf_counter() - start


def time_pair(ours: list[str], raw: list[str], runs: int) -> tuple[float, float, float]:
    """Median times of both commands and the median of their per-run ratios. The two run alternately, so a
    slow phase of a shared machine (this VM's speed varies by half within minutes) hits both alike."""
    _once(ours), _once(raw)  # warm-up: bytecode, caches
    a, b = [], []
    for _ in range(runs):
        a.append(_once(ours))
        b.append(_once(raw))
    return statistics.median(a), statistics.median(b), statistics.median(x / y for x, y in zip(a, b))


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
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    specs = args.specs or sorted((REPO / "specs").glob("*.pia"))
    piadoc = Path(sys.executable).with_name("piadoc")
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        raw_script = tmpdir / "raw.py"
        raw_script.write_text(RAW, encoding="utf-8")
        print(f"{'spec':34} {'piadoc':>8} {'raw':>8} {'ratio':>6}  parse   check   render  save (in-process, ms)")
        for spec in specs:
            data = tmpdir / f"{spec.stem}.json"
            data.write_text(json.dumps(raw_blocks(spec), ensure_ascii=False), encoding="utf-8")
            ours, raw, ratio = time_pair([str(piadoc), "build", str(spec), "-o", str(tmpdir / "ours.docx")],
                                         [sys.executable, str(raw_script), str(data), str(tmpdir / "raw.docx")],
                                         args.runs)
            st = stages(spec, args.runs)
            print(f"{spec.stem:34} {ours:8.3f} {raw:8.3f} {ratio:6.2f}  "
                  + "  ".join(f"{st[k] * 1000:6.1f}" for k in ("parse", "check", "render", "save")))


if __name__ == "__main__":
    main()
