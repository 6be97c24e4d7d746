"""How much of each published report in ../shared/seeds `piadoc import` reads right from its extracted text.

    python bench/bench_import_seeds.py [-v] [SEEDS_DIR]      (default: ../shared/seeds next to the project)

Each report's part is cut from its seed by marker text (the form version line, the title, the next report's
first words), imported with `--form`, and compared with the hand-made spec in specs/: for every answered item
of the spec, is the imported answer the same in the one-cell form `piadoc diff` compares (printed.short_value),
whitespace ignored? Prints the share per report, the sections that lose most and, with -v, every mismatch.
Skips when the seeds are absent (they are shared material, not part of the project).
"""
from __future__ import annotations

import sys
import tempfile
from collections import Counter
import time
from dataclasses import dataclass
from pathlib import Path

from piadoc.importer import import_file
from piadoc.importer.text_reader import clean_cell
from piadoc.language import DASHES
from piadoc.pipeline import load_and_check
from piadoc.printed import short_value

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Part:
    name: str
    seed: str
    """The seed file's name prefix (001, 002, 003)."""
    starts: tuple[str, ...]
    """Marker lines found in turn; the part begins at the last one (empty: the file's start)."""
    end: str | None
    """The first line after the start containing this text ends the part (None: the file's end)."""
    form: str
    spec: str | None
    """The hand-made spec in specs/ (None: only 変更箇所 rows, compared with ``sample``)."""
    sample: str | None = None
    """Hand-labelled 変更箇所 rows (a TSV under tests/, headed by the column labels) for a seed with no spec."""


PARTS = (
    Part("002 小金井市 重点", "002", (), None, "重点項目評価書", "koganei-yobousesshu-juten.pia"),
    Part("001 浦安市 重点", "001", (), None, "重点項目評価書", "urayasu-covid-juten.pia"),
    Part("003 高槻市 予防接種 全項目", "003", ("[平成30年５月　様式４]",), "諮 問 件 名", "全項目評価書",
         "takatsuki-yobousesshu-zenkoumoku.pia"),
    Part("003 高槻市 住基 基礎", "003", ("[平成31年１月　様式２]",), "特定個人情報保護評価書（全項目評価書）",
         "基礎項目評価書", "takatsuki-juki-kiso.pia"),
    Part("003 高槻市 住基 全項目", "003", ("[平成31年１月　様式２]", "特定個人情報保護評価書（全項目評価書）"),
         None, "全項目評価書", "takatsuki-juki-zenkoumoku.pia"),
    Part("004 福岡市 変更箇所", "004", (), None, "全項目評価書", None, "tests/check/fixtures/seed004-sample.tsv"),
)


def cut(text: str, part: Part) -> str:
    lines = text.splitlines()
    at = 0
    for marker in part.starts:
        at = next(i for i in range(at, len(lines)) if marker in lines[i])
    end = len(lines)
    if part.end is not None:
        end = next((i for i in range(at + 1, len(lines)) if part.end in lines[i]), end)
    return "\n".join(lines[at:end]) + "\n"


def _flat(text: str) -> str:
    return "".join(text.split())


def _section(where: str) -> str:
    """`II.4.item.2[1,1]` → `II.4`, `COVER.no` → `COVER`: the numbered section an item is in."""
    parts = where.split("[")[0].split(".")
    return ".".join(parts[:2]) if len(parts) > 1 and parts[1][:1].isdigit() else parts[0]


def compare(spec: Path, draft: Path) -> tuple[int, int, int, int, list[tuple[str, str, str]]]:
    """(equal, answered, rows equal, rows answered, mismatches as (item, spec's value, draft's value)) over the
    spec's answers; the 変更箇所 rows are counted apart (a history, not the report's content)."""
    want = load_and_check(spec)
    got = load_and_check(draft)
    assert want.result.report is not None, spec
    assert got.result.report is not None, [d.message for d in got.result.diagnostics if d.is_error][:5]
    form, old, new = want.form, want.result.report, got.result.report
    top = form.changes.rows.id if form.changes is not None else None
    rows = {it.id for it in form.walk() if top in [a.id for a in form.ancestors(it.id)] + [it.id]}
    counts = {False: [0, 0], True: [0, 0]}
    bad = []
    for key, answer in old.answers.items():
        item = form.item(key[0])
        a, b = short_value(item, answer), short_value(item, new.answers.get(key))
        tally = counts[key[0] in rows]
        tally[1] += 1
        if _flat(a) == _flat(b):
            tally[0] += 1
        elif key[0] not in rows:
            where = key[0] + ("" if not key[1] else "[" + ",".join(map(str, key[1])) + "]")
            bad.append((where, a, b))
    return counts[False][0], counts[False][1], counts[True][0], counts[True][1], bad


Rows = list[dict[str, str]]


def report_rows(path: Path) -> tuple[list[str], Rows]:
    """The 変更箇所 rows of a spec as {column label: its one-cell value, whitespace dropped}; the labels in order."""
    loaded = load_and_check(path)
    form, report = loaded.form, loaded.result.report
    assert report is not None and form.changes is not None, path
    cols = list(form.changes.rows.children)
    count = max([k[1][0] for k in report.answers if k[0] in {c.id for c in cols}] + [0])
    return [c.label for c in cols], [{c.label: _flat(short_value(c, report.answers.get((c.id, (n,))))) for c in cols}
                                     for n in range(1, count + 1)]


def sample_rows(path: Path, labels: list[str]) -> Rows:
    """Hand-labelled rows: a TSV whose header names the columns (other columns, # lines ignored); HTML left in a
    cell as typed is read as the importer reads it (text_reader.clean_cell)."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    head = lines[0].split("\t")
    return [{lab: _flat(clean_cell(cells[head.index(lab)])) if head.index(lab) < len(cells) else "" for lab in labels}
            for cells in (line.split("\t") for line in lines[1:])]


def _dates_alike(a: str, b: str) -> bool:
    """Equal cells, a 元年 written 1年, a dash for another and a chosen option with or without its brackets (the
    sample's 事後)."""
    a, b = a.strip("[]"), b.strip("[]")
    if a in DASHES and b in DASHES:
        return True
    return a == b or a.replace("元年", "1年") == b.replace("元年", "1年")


def compare_rows(labels: list[str], want: Rows, got: Rows) -> tuple[int, dict[str, int]]:
    """Pair each wanted row with a read row (the rows' order is not compared: a spec may reorder them), equal
    項目 first, then most equal columns, each read row once; a row is found when a text column (項目, 変更前,
    変更後) is equal.
    Returns (rows found, per column the wanted rows whose pair has it equal)."""
    texts = labels[1:4]
    scored = sorted(((w[texts[0]] == g[texts[0]], sum(_dates_alike(w[c], g[c]) for c in labels), i, j)
                     for i, w in enumerate(want)
                     for j, g in enumerate(got) if any(w[c] == g[c] for c in texts)), reverse=True)
    paired: dict[int, int] = {}
    used: set[int] = set()
    for _, _, i, j in scored:
        if i not in paired and j not in used:
            paired[i], used = j, used | {j}
    equal = {c: sum(_dates_alike(want[i][c], got[j][c]) for i, j in paired.items()) for c in labels}
    return len(paired), equal


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    seeds = Path(args[0]) if args else ROOT.parent / "shared" / "seeds"
    if not seeds.is_dir():
        print(f"skipped: no seeds at {seeds}")
        return 0
    total_eq = total = 0
    rows_found = rows_total = 0
    by_column: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for part in PARTS:
            found = sorted(seeds.glob(part.seed + "_*.txt"))
            if not found:
                print(f"{part.name}: skipped (no seed {part.seed})")
                continue
            stem = part.spec or f"seed{part.seed}.pia"
            src = Path(tmp) / (stem + ".txt")
            src.write_text(cut(found[0].read_text(encoding="utf-8"), part), encoding="utf-8")
            start = time.perf_counter()
            imported = import_file(src, part.form)
            took = time.perf_counter() - start
            draft = Path(tmp) / stem
            draft.write_text(imported.text, encoding="utf-8")
            labels, got_rows = report_rows(draft)
            want_rows = (report_rows(ROOT / "specs" / part.spec)[1] if part.spec
                         else sample_rows(ROOT / part.sample, labels) if part.sample else [])
            found, col_eq = compare_rows(labels, want_rows, got_rows)
            rows_found, rows_total = rows_found + found, rows_total + len(want_rows)
            by_column.update(col_eq)
            s = imported.summary
            rows = (f"変更箇所 rows {found}/{len(want_rows)} found (read {len(got_rows)}), equal: "
                    + ", ".join(f"{c} {col_eq[c]}" for c in labels)) if want_rows else "変更箇所 rows: none"
            if part.spec is None:
                print(f"{part.name}: {rows}; {took:.1f} s; guessed {s.guessed}, unplaced {s.leftover}")
                continue
            equal, n, _, _, bad = compare(ROOT / "specs" / part.spec, draft)
            total_eq, total = total_eq + equal, total + n
            print(f"{part.name}: {equal}/{n} = {100 * equal / n:.1f}%  ({took:.1f} s; "
                  f"guessed {s.guessed}, unplaced {s.leftover})")
            print(f"    {rows}")
            by_section = Counter(_section(where) for where, _, _ in bad)
            print("    most lost: " + ", ".join(f"{sec} {k}" for sec, k in by_section.most_common(6)))
            if verbose:  # every mismatch, in the form's order
                for where, a, b in bad:
                    print(f"    {where}: spec {_flat(a)[:50]!r} / draft {_flat(b)[:50]!r}")
    if total:
        print(f"all: {total_eq}/{total} = {100 * total_eq / total:.1f}%")
    if rows_total:
        print(f"変更箇所 rows: {rows_found}/{rows_total} = {100 * rows_found / rows_total:.1f}% found; equal: "
              + ", ".join(f"{c} {k}" for c, k in by_column.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
