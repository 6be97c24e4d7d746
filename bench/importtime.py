"""Import time of what `piadoc build` loads, by module and by origin (run by hand):

    .venv/bin/python bench/importtime.py [--runs N] [--top K] [--path DIR]

Runs `python -X importtime` N times and keeps each module's smallest self time (a busy machine only adds
time), then sums by origin: the standard library, piadoc, and each third-party distribution.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import sysconfig
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUILD = ("import sys; sys.path.insert(0, sys.argv[1]); import piadoc.cli; import piadoc.render;"
         " import piadoc.render.package")


def origin(name: str, stdlib: set[str]) -> str:
    top = name.split(".")[0]
    if top == "piadoc":
        return "piadoc"
    if top in stdlib or top.startswith("_") or top in sys.builtin_module_names:
        return "stdlib"
    return top


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--path", type=Path, default=REPO)
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    best: dict[str, int] = {}
    for _ in range(args.runs):
        err = subprocess.run([sys.executable, "-X", "importtime", "-c", BUILD, str(args.path.resolve())],
                             capture_output=True, text=True, env=env, check=True).stderr
        for line in err.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            self_us, _, name = (part.strip() for part in line[len("import time:"):].split("|"))
            best[name] = min(best.get(name, 10**12), int(self_us))
    stdlib = set(sys.stdlib_module_names)
    by_origin: dict[str, int] = defaultdict(int)
    for name, us in best.items():
        by_origin[origin(name, stdlib)] += us
    print(f"total {sum(best.values()) / 1000:.1f} ms over {len(best)} modules (min of {args.runs} runs)")
    for key, us in sorted(by_origin.items(), key=lambda kv: -kv[1]):
        print(f"  {key:20} {us / 1000:6.1f} ms")
    print("slowest modules (self):")
    for name, us in sorted(best.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"  {name:40} {us / 1000:6.1f} ms")


if __name__ == "__main__":
    main()
