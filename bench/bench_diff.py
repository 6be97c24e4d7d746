"""Benchmark (run by hand): `piadoc diff` of two versions of the largest spec, and `piadoc diff --since`
over a 100-commit history of one spec.

    .venv/bin/python bench/bench_diff.py [SPEC]

Prints in-process times after start-up (load + check of both versions, and the comparison alone) and whole
process times for --since, with `piadoc check` of the same spec as the baseline measured in the same run.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def largest_spec() -> Path:
    return max((REPO / "specs").glob("*.pia"), key=lambda p: p.stat().st_size)


def median_of(fn, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def edited(text: str, n: int) -> str:
    """Version n of the spec: every tenth answer line gets a suffix (a realistic revision touches a few items)."""
    lines = text.split("\n")
    count = 0
    for i, line in enumerate(lines):
        value = line.split(": ", 1)[1] if ": " in line else ""
        if len(value) >= 12 and not line.strip().startswith(("#", "評価書:", "@", "変更日", "公表日")) \
                and "[" not in line and '"' not in line and not ("年" in value and "月" in value and len(value) < 20):
            count += 1
            if count % 10 == n % 10:
                lines[i] = line + f"（第{n}版）"
    return "\n".join(lines)


def main() -> None:
    from piadoc.diff import diff_reports
    from piadoc.pipeline import load_and_check

    spec = Path(sys.argv[1]) if len(sys.argv) > 1 else largest_spec()
    text = spec.read_text(encoding="utf-8")
    piadoc = str(Path(sys.executable).with_name("piadoc"))
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        old, new = repo / "old.pia", repo / "new.pia"
        old.write_text(text, encoding="utf-8")
        new.write_text(edited(text, 3), encoding="utf-8")
        a, b = load_and_check(old), load_and_check(new)
        both = median_of(lambda: (load_and_check(old, warnings=False), load_and_check(new, warnings=False)))
        compare = median_of(lambda: diff_reports(a.form, a.result.report, b.result.report))
        rows = len(diff_reports(a.form, a.result.report, b.result.report))
        print(f"spec: {spec.name} ({len(text.splitlines())} lines), {rows} changed rows")
        print(f"diff in-process: load+check both {both * 1000:.1f} ms, compare {compare * 1000:.1f} ms, "
              f"total {(both + compare) * 1000:.1f} ms (goal < 100 ms)")

        git = lambda *args: subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)  # noqa: E731
        git("init", "-q")
        git("config", "user.email", "bench@example.invalid")
        git("config", "user.name", "bench")
        target = repo / "spec.pia"
        for n in range(100):
            target.write_text(edited(text, n), encoding="utf-8")
            git("add", "spec.pia")
            git("commit", "-q", "-m", f"v{n}")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # as a user's install runs
        since = median_of(lambda: subprocess.run([piadoc, "diff", "--since", "HEAD~99", "spec.pia"], cwd=repo,
                                                 check=True, capture_output=True, env=env), runs=5)
        check = median_of(lambda: subprocess.run([piadoc, "check", "spec.pia"], cwd=repo, capture_output=True,
                                                 env=env), runs=5)
        print(f"diff --since HEAD~99 (100-commit history), whole process: {since:.3f} s (goal < 2 s); "
              f"piadoc check of the same spec: {check:.3f} s; ratio {since / check:.2f}")


if __name__ == "__main__":
    main()
