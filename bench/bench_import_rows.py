"""How much of a report comes back from LibreOffice's PDF: answered items, and the 変更箇所 rows column by column.

    python bench/bench_import_rows.py [--pdfs DIR] [--worst N] [SPEC ...]     (default: every spec in specs/)

Each spec is built to .docx, printed to PDF by LibreOffice (soffice) and imported. The PDFs are kept in DIR
(made when missing) so that a second run only imports: the conversion is the slow part. Rows are compared as
the form prints them (the cells of the 変更箇所 table); rows are paired in order, and where the counts differ
(a row split in two, two rows read as one) the pairing follows the rows that are equal.
"""
from __future__ import annotations

import argparse
import difflib
import shutil
import subprocess
import tempfile
from pathlib import Path

from piadoc.importer import import_file
from piadoc.model import Report
from piadoc.pipeline import load_and_check
from piadoc.printed import short_value
from piadoc.render import render_docx
from piadoc.render.layout import change_table
from piadoc.schema import Form

ROOT = Path(__file__).resolve().parent.parent


def _pdf(spec: Path, folder: Path, form: Form, report: Report) -> Path:
    pdf = folder / (spec.stem + ".pdf")
    docx = folder / (spec.stem + ".docx")
    data = render_docx(report, form, None)
    if pdf.exists() and docx.exists() and docx.read_bytes() == data:
        return pdf
    docx.write_bytes(data)
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise SystemExit("LibreOffice (soffice) is needed")
    subprocess.run([exe, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), str(docx)], check=True, capture_output=True)
    return pdf


def _rows(form: Form, report: Report) -> list[tuple[str, ...]]:
    assert form.changes is not None
    return list(change_table(form, report, form.changes.part).rows)


def _pairs(old: list[tuple[str, ...]], new: list[tuple[str, ...]]) -> list[tuple[tuple[str, ...], tuple[str, ...] | None]]:
    """Each written row with the row read for it (None: no row was read for it)."""
    out: list[tuple[tuple[str, ...], tuple[str, ...] | None]] = []
    for op, a0, a1, b0, b1 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        for k in range(a0, a1):
            j = b0 + (k - a0)
            out.append((old[k], new[j] if j < b1 and (op != "delete") else None))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("specs", nargs="*", type=Path)
    ap.add_argument("--pdfs", type=Path, help="keep the .docx and PDFs here and reuse them")
    ap.add_argument("--worst", type=int, default=8, help="mismatched cells shown per spec")
    ap.add_argument("--items", action="store_true", help="show the answered items that differ too")
    args = ap.parse_args()
    specs = args.specs or sorted((ROOT / "specs").glob("*.pia"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.pdfs or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        all_items = [0, 0]
        all_rows = [0, 0]
        all_cols: dict[str, list[int]] = {}
        for spec in specs:
            lo = load_and_check(spec)
            assert lo.result.report is not None, f"{spec} does not check clean"
            form, old = lo.form, lo.result.report
            pdf = _pdf(spec, folder, form, old)
            draft = Path(tmp) / (spec.stem + ".draft.pia")
            draft.write_text(import_file(pdf).text, encoding="utf-8")
            back = load_and_check(draft)
            if back.result.report is None:
                print(f"{spec.stem}: the draft does not check clean")
                continue
            new = back.result.report
            keys = [k for k in old.answers if ".row" not in k[0]]
            differ = [(k, short_value(form.item(k[0]), old.answers[k]), short_value(form.item(k[0]), new.answers.get(k)))
                      for k in keys]
            differ = [d for d in differ if d[1] != d[2]]
            items = len(keys) - len(differ)
            columns = [c.label for c in form.changes.rows.children] if form.changes else []
            written, read = _rows(form, old), _rows(form, new)
            pairs = _pairs(written, read)
            rows_equal = sum(a == b for a, b in pairs)
            per_col = [sum(b is not None and a[i] == b[i] for a, b in pairs) for i in range(len(columns))]
            all_items[0] += items
            all_items[1] += len(keys)
            all_rows[0] += rows_equal
            all_rows[1] += len(pairs)
            for name, n in zip(columns, per_col):
                got = all_cols.setdefault(name, [0, 0])
                got[0] += n
                got[1] += len(pairs)
            print(f"{spec.stem}: items {items}/{len(keys)} = {items / max(len(keys), 1):.1%}; "
                  f"rows {rows_equal}/{len(pairs)} = {rows_equal / max(len(pairs), 1):.1%} "
                  f"({len(read)} rows read)")
            for k, a, b in differ if args.items else ():
                print(f"  * {k[0]}{list(k[1])}: written {a!r}\n    read    {b!r}")
            if pairs:
                print("  " + ", ".join(f"{name} {n / len(pairs):.0%}" for name, n in zip(columns, per_col)))
            shown = 0
            for a, b in pairs:
                for i, name in enumerate(columns):
                    if shown >= args.worst:
                        break
                    if b is None or a[i] != b[i]:
                        shown += 1
                        print(f"  - {name}: written {a[i]!r}\n    {' ' * len(name)}  read    {b[i] if b else None!r}")
        print(f"ALL: items {all_items[0]}/{all_items[1]} = {all_items[0] / max(all_items[1], 1):.1%}; "
              f"rows {all_rows[0]}/{all_rows[1]} = {all_rows[0] / max(all_rows[1], 1):.1%}")
        print("  " + ", ".join(f"{name} {n}/{t}" for name, (n, t) in all_cols.items()))


if __name__ == "__main__":
    main()
