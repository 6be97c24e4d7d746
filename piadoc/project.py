"""A city's project: piadoc.toml at the root of its repository names the reports, where outputs go, the formats,
the template, codes to ignore and variables every report shares. `piadoc build` with no files builds them all in
worker processes, skipping a report whose inputs have not changed since its last build (a content-hash
manifest in the output folder; mtimes are useless, git resets them).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
import tomllib
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from . import __version__
from .codes import CODES
from .output import OutputRefused, write_atomically

if TYPE_CHECKING:
    from .build import Built

#: The formats a project may list (build.FORMATS; repeated so an unchanged project never imports the pipeline).
FORMATS = ("docx", "pdf")

FILE_NAME = "piadoc.toml"
MANIFEST = ".piadoc-manifest.json"
NO_PROJECT = "仕様ファイルを指定するか、piadoc.toml のあるフォルダ（またはその下）で実行してください"
#: Every key piadoc.toml may have, with what it holds (the E820 message lists them).
KEYS = {"reports": "list", "output": "str", "formats": "list", "template": "str", "ignore": "list",
        "variables": "dict"}


@dataclass(frozen=True)
class Project:
    file: Path
    reports: tuple[Path, ...]
    output: Path
    formats: tuple[str, ...] = ("docx",)
    template: Path | None = None
    ignore: frozenset[str] = frozenset()
    variables: dict[str, str] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        return self.file.parent

    def outputs(self, spec: Path) -> list[Path]:
        """The outputs of ``spec``: its path under the root, mirrored in the output folder (no two collide)."""
        rel = spec.resolve().relative_to(self.root.resolve()).with_suffix("")
        return [self.output / rel.parent / f"{rel.name}.{f}" for f in self.formats]


def find_project(start: Path) -> Path | None:
    """The piadoc.toml of the project ``start`` lies in: at its project root (the folder @include may not leave,
    includes.project_root), if there is one there."""
    from .includes import project_root

    root = project_root(start / "_" if start.is_dir() else start)
    return root / FILE_NAME if (root / FILE_NAME).is_file() else None


def load_project(file: Path) -> Project:
    """piadoc.toml read and checked: E819 for bad TOML or a value of the wrong kind, E820 for an unknown key."""
    shown = os.path.relpath(file)
    try:
        with open(file, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as err:
        raise OutputRefused("E819", shown, str(err) + _bare_key_hint(file, str(err))) from None
    except OSError as err:
        raise OutputRefused("E819", shown, err.strerror or str(err)) from None
    for key, value in data.items():
        if key not in KEYS:
            raise OutputRefused("E820", shown, f"「{key}」。使える設定: {', '.join(KEYS)}")
        kind = {"list": list, "str": str, "dict": dict}[KEYS[key]]
        if not isinstance(value, kind):
            raise OutputRefused("E819", shown, f"{key} は{_KIND_NAMES[KEYS[key]]}で書いてください")
    root = file.parent
    patterns = data.get("reports", ["**/*.pia"])
    formats = tuple(dict.fromkeys(str(f).lower() for f in data.get("formats", ["docx"])))
    if not formats or any(f not in FORMATS for f in formats):
        raise OutputRefused("E819", shown, f"formats に書けるのは {', '.join(FORMATS)} です")
    ignore = frozenset(str(c) for c in data.get("ignore", []))
    if unknown := sorted(c for c in ignore if c not in CODES):
        raise OutputRefused("E819", shown, f"ignore に知らないコードがあります: {', '.join(unknown)}")
    if errors := sorted(c for c in ignore if CODES[c][0] == "error"):
        raise OutputRefused("E819", shown, f"エラーは無視できません（警告だけ）: {', '.join(errors)}")
    variables = data.get("variables", {})
    if any(not isinstance(v, (str, int, float)) for v in variables.values()):
        raise OutputRefused("E819", shown, "variables の値は文字列か数で書いてください")
    reports: dict[Path, None] = {}
    for pattern in patterns:
        for path in sorted(root.glob(str(pattern))):
            if path.is_file() and not _inside(path, root / data.get("output", "build")):
                reports[path] = None
    template = root / data["template"] if "template" in data else None
    if template is not None and not template.is_dir():
        raise OutputRefused("E819", shown, f"template のフォルダがありません: {data['template']}")
    return Project(file, tuple(reports), root / data.get("output", "build"), formats, template, ignore,
                   {str(k): str(v) for k, v in variables.items()})


def _bare_key_hint(file: Path, message: str) -> str:
    """TOML's bare keys are ASCII only: `機関名 = "…"` fails as an "invalid statement"; say how to write it."""
    import re

    m = re.search(r"line (\d+)", message)
    try:
        line = file.read_text(encoding="utf-8").splitlines()[int(m.group(1)) - 1] if m else ""
    except (OSError, UnicodeDecodeError, IndexError):
        return ""
    key = line.split("=", 1)[0].strip()
    if "=" in line and key and not key.isascii() and not key.startswith('"'):
        return f"。日本語の名前は引用符で囲みます: \"{key}\" = …"
    return ""


_KIND_NAMES = {"list": "リスト（[\"…\", \"…\"]）", "str": "文字列", "dict": "表（[variables] など）"}


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def settings_for(spec: Path) -> Project | None:
    """The project a spec lies in (for its shared variables and ignored codes), if a piadoc.toml is above it."""
    file = find_project(spec)
    return load_project(file) if file is not None else None


# ---------------------------------------------------------------- incremental builds

def _digest(project: Project, paths: list[str], extra: dict[str, Any]) -> str | None:
    """sha256 over the inputs' contents and everything else that shapes the output; None if an input is gone."""
    h = hashlib.sha256()
    template = os.path.relpath(project.template, project.root) if project.template else ""
    settings = {"piadoc": __version__, "formats": project.formats, "ignore": sorted(project.ignore),
                "variables": project.variables, "template": template, **extra}
    h.update(json.dumps(settings, sort_keys=True, ensure_ascii=False).encode())
    for p in sorted(paths):  # relative to the root: a moved clone keeps its manifest
        try:
            data = (project.root / p).read_bytes()
        except OSError:
            return None
        h.update(p.encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


def _environment(project: Project) -> dict[str, Any]:
    """What besides a report's own files shapes its outputs: the form definitions (templates/*/form.yaml, which
    a checkout may edit without a new version), and for PDF the LibreOffice version and the font aliases."""
    from .resources import templates_dir

    root = templates_dir()
    h = hashlib.sha256()
    for path in sorted([root / "forms.yaml", *root.glob("*/form.yaml")]):
        h.update(str(path.relative_to(root)).encode() + (path.read_bytes() if path.is_file() else b""))
    found: dict[str, Any] = {"forms": h.hexdigest()}
    if "pdf" in project.formats:
        from .pdf import find_soffice, soffice_version

        exe = find_soffice()
        aliases = root / "fontconfig" / "30-piadoc-ms-fonts.conf"
        found["libreoffice"] = ".".join(map(str, soffice_version(exe))) if exe else ""
        found["fonts"] = hashlib.sha256(aliases.read_bytes()).hexdigest() if aliases.is_file() else ""
    return found


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def up_to_date(project: Project, spec: Path, entry: Any, extra: dict[str, Any]) -> bool:
    if not isinstance(entry, dict) or not isinstance(entry.get("inputs"), list):
        return False
    if not all(p.is_file() for p in project.outputs(spec)):
        return False
    return entry.get("digest") == _digest(project, [str(p) for p in entry["inputs"]], extra)


# ---------------------------------------------------------------- worker processes

_PROFILE: Path | None = None


def _init_worker() -> None:
    """One LibreOffice profile per worker, reused by its conversions (the first start is slow), removed when
    the worker exits."""
    import shutil
    import tempfile
    from multiprocessing.util import Finalize

    global _PROFILE
    _PROFILE = Path(tempfile.mkdtemp(prefix="piadoc-lo-"))
    Finalize(None, shutil.rmtree, args=(str(_PROFILE),), kwargs={"ignore_errors": True}, exitpriority=10)


@dataclass(frozen=True)
class Flags:
    """The command line's choices every report of the run is built with (pickled to the workers)."""

    force: bool = False
    pdfa: bool = False
    show_warnings: bool = False
    all_slots: bool = False
    """--all-slots: every empty repeat slot's heading, whatever the reports' @空き枠 say."""


def _build_one(project: Project, spec: Path, shown: str, flags: Flags) -> Built:
    from .build import Built, build_spec, refused
    from .diagnostics import render_all
    from .pdf import PdfOptions

    try:
        return build_spec(spec, project.outputs(spec), template=project.template, force=flags.force,
                          preset=project.variables, ignore=project.ignore, show_warnings=flags.show_warnings,
                          pdf=PdfOptions(pdfa=flags.pdfa), profile=_PROFILE, shown_name=shown,
                          all_slots=flags.all_slots)
    except OutputRefused as err:
        built = Built(shown)
        built.messages.append(render_all([refused(err)], {}))
        return built
    except Exception as err:  # noqa: BLE001 - one report's internal error must not stop the others
        built = Built(shown)
        built.messages.append(f"{shown}: 内部エラー（E901）: {type(err).__name__}: {err}")
        return built


#: A pool whose worker died (BrokenProcessPool) fails every pending report: they are resubmitted to a fresh pool
#: once; only the reports still pending after that fail.
POOL_ATTEMPTS = 2


def _run_pool(project: Project, specs: list[Path], rows: dict[Path, "Row"], jobs: int, flags: Flags,
              record: Callable[[Path, "Built"], None]) -> list[Path]:
    """Build ``specs`` in worker processes, recording each result; returns the specs a broken pool left undone."""
    from concurrent.futures.process import BrokenProcessPool

    broken: list[Path] = []
    with ProcessPoolExecutor(max_workers=min(jobs, len(specs)), initializer=_init_worker) as pool:
        futures: dict[Future, Path] = {
            pool.submit(_build_one, project, spec, rows[spec].shown, flags): spec
            for spec in specs}
        for future in as_completed(futures):
            spec = futures[future]
            try:
                built = future.result()
            except BrokenProcessPool:
                broken.append(spec)
                continue
            except Exception as err:  # noqa: BLE001 - one report's failure must not stop the others
                from .build import Built

                built = Built(rows[spec].shown, messages=[f"{rows[spec].shown}: 作成中に処理が止まりました: {err}"])
            record(spec, built)
    return sorted(broken)


@dataclass
class Row:
    shown: str
    state: str  # 作成 / 変更なし / 失敗
    built: Built | None = None


def build_project(args: argparse.Namespace) -> int:
    """`piadoc build` with no files: every report of the project; exit 1 if any failed."""
    file = find_project(Path.cwd())
    assert file is not None, "the CLI checks for a project first"
    project = load_project(file)
    if args.template:
        project = Project(project.file, project.reports, project.output, project.formats, Path(args.template),
                          project.ignore, project.variables)
    if args.format:
        from .build import parse_formats

        project = Project(project.file, project.reports, project.output, parse_formats(args.format),
                          project.template, project.ignore, project.variables)
    return run_project(project, jobs=max(1, args.jobs), rebuild=args.rebuild,
                       flags=Flags(args.force, args.pdfa, args.warnings, args.all_slots))


def run_project(project: Project, jobs: int = 2, rebuild: bool = False, flags: Flags = Flags()) -> int:
    start = time.perf_counter()
    manifest_path = project.output / MANIFEST
    manifest = _read_manifest(manifest_path)
    entries = manifest.get("reports", {}) if isinstance(manifest.get("reports"), dict) else {}
    # What changes the outputs besides the inputs: a change rebuilds (an --all-slots run is not "up to date").
    extra = {**_environment(project), "pdfa": flags.pdfa, "all_slots": flags.all_slots}
    rows: dict[Path, Row] = {}
    todo: list[Path] = []
    for spec in project.reports:
        shown = spec.relative_to(project.root).as_posix()
        if not rebuild and up_to_date(project, spec, entries.get(shown), extra):
            rows[spec] = Row(shown, "変更なし")
        else:
            rows[spec] = Row(shown, "")
            todo.append(spec)
    bar = Progress(len(todo))

    def record(spec: Path, built: Built) -> None:
        row = rows[spec]
        row.built, row.state = built, ("失敗" if built.failed else "作成")
        for message in built.messages:
            bar.clear()
            print(message, file=sys.stderr)
        if not built.failed:
            rel = [os.path.relpath(p, project.root) for p in built.inputs]
            entries[row.shown] = {"inputs": rel, "digest": _digest(project, rel, extra), "form": built.form,
                                  "pages": built.pages}
        bar.step(row.shown)

    pending = todo
    for _ in range(POOL_ATTEMPTS):
        if pending:
            pending = _run_pool(project, pending, rows, jobs, flags, record)
    from .build import Built

    for spec in pending:  # a worker died twice under these reports (a crash in a library, memory): give up
        record(spec, Built(rows[spec].shown, messages=[f"{rows[spec].shown}: 作成中に処理が止まりました"]))
    bar.clear()
    # Reports no longer in the project leave the manifest; the files they made are left alone.
    kept = {row.shown for row in rows.values()}
    entries = {k: v for k, v in entries.items() if k in kept}
    if todo or entries != manifest.get("reports"):
        try:
            project.output.mkdir(parents=True, exist_ok=True)
            write_atomically(manifest_path, json.dumps({"piadoc": __version__, "reports": entries},
                                                       ensure_ascii=False, indent=1, sort_keys=True).encode())
        except (OSError, OutputRefused):
            print(f"piadoc: 作成の記録（{MANIFEST}）を書けませんでした。次回はすべて作り直します", file=sys.stderr)
    print(summary(list(rows.values()), entries, time.perf_counter() - start))
    return 1 if any(r.state == "失敗" for r in rows.values()) else 0


def summary(rows: list[Row], entries: dict[str, Any], seconds: float) -> str:
    """The table printed after a project build: report, form, errors, warnings, pages, time, result."""
    head = ("評価書", "様式", "エラー", "警告", "ページ", "時間", "結果")
    lines = [head]
    for r in rows:
        b = r.built
        entry = entries.get(r.shown, {})
        form = b.form if b else entry.get("form", "")
        pages = b.pages if b else entry.get("pages")
        lines.append((r.shown, form or "", str(b.errors) if b else "", str(b.warnings) if b else "",
                      str(pages) if pages else "", f"{b.seconds:.1f}s" if b else "", r.state))
    widths = [max(_width(line[i]) for line in lines) for i in range(len(head))]
    out = ["  ".join(_pad(cell, w) for cell, w in zip(line, widths)).rstrip() for line in lines]
    out.insert(1, "  ".join("-" * w for w in widths))
    counts = {s: sum(r.state == s for r in rows) for s in ("作成", "変更なし", "失敗")}
    out.append(f"作成 {counts['作成']}件、変更なし {counts['変更なし']}件、失敗 {counts['失敗']}件（{seconds:.1f}秒）")
    return "\n".join(out)


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Progress:
    """A one-line bar on a terminal (stderr), nothing otherwise (the summary follows either way): no dependency,
    since rich or tqdm would add more start-up time than a project build spends here."""

    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0
        self.tty = total > 0 and sys.stderr.isatty()

    def step(self, name: str) -> None:
        self.done += 1
        if self.tty:
            filled = 30 * self.done // self.total
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total} {name[:40]}\x1b[K")
            sys.stderr.flush()
        else:
            print(f"[{self.done}/{self.total}] {name}", file=sys.stderr)

    def clear(self) -> None:
        if self.tty:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def check_inputs(names: list[str]) -> list[tuple[str, dict[str, str] | None, frozenset[str]]]:
    """The specs `piadoc check` reads, each with its project's shared variables and ignored codes: the files
    named, or with none named every report of the project around the working folder (so the 基礎 and
    重点/全項目 reports of one 事務 are checked together)."""
    if not names:
        file = find_project(Path.cwd())
        assert file is not None, "the CLI checks for a project first"
        project = load_project(file)
        return [(os.path.relpath(p), project.variables, project.ignore) for p in project.reports]
    found: list[tuple[str, dict[str, str] | None, frozenset[str]]] = []
    for name in names:
        project = settings_for(Path(name))
        found.append((name, project.variables, project.ignore) if project else (name, None, frozenset()))
    return found
