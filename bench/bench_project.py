"""Benchmark (run by hand): the specs of specs/ ×10 as one project (50 reports), built by `piadoc build` with
no arguments (2 worker processes), then built again unchanged (every report skipped by the manifest).

    .venv/bin/python bench/bench_project.py [--copies 10] [--jobs 2] [--pdf]

Goals (issue 14): 50 .docx under 10 s on 2 cores; an unchanged project under 1 s. Whole-process times.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run(folder: Path, *args: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and its workers): on a shared machine the CPU time is the
    steadier figure."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "piadoc", "build", *args], cwd=folder, capture_output=True,
                          text=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"build failed:\n{done.stderr[-2000:]}\n{done.stdout[-2000:]}")
    return seconds, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--pdf", action="store_true", help="also PDF (LibreOffice): much slower")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="piadoc-bench-") as tmp:
        root = Path(tmp)
        for n in range(args.copies):
            shutil.copytree(REPO / "specs", root / "reports" / f"copy{n:02d}")
        formats = '["docx", "pdf"]' if args.pdf else '["docx"]'
        (root / "piadoc.toml").write_text(f'reports = ["reports/*/*.pia"]\noutput = "build"\nformats = {formats}\n',
                                          encoding="utf-8")
        count = len(list(root.glob("reports/*/*.pia")))
        env_note = f"{os.cpu_count()} CPUs, -j {args.jobs}"
        first = run(root, "-j", str(args.jobs))
        again = run(root, "-j", str(args.jobs))
        touched = root / "reports" / "copy00" / "takatsuki-juki" / "henkou.pia"
        touched.write_text(touched.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        one = run(root, "-j", str(args.jobs))
        load = os.getloadavg()[0]
        print(f"{count} reports ({env_note}, load average {load:.1f}):   wall s / CPU s")
        print(f"  full build       {first[0]:6.2f} / {first[1]:6.2f}")
        print(f"  unchanged        {again[0]:6.2f} / {again[1]:6.2f}")
        print(f"  one include edit {one[0]:6.2f} / {one[1]:6.2f}  (the report that includes it rebuilt)")


if __name__ == "__main__":
    main()
