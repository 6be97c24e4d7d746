"""One spec built into its outputs (.docx, .pdf): the step `piadoc build` runs for a file and a project runs in
each worker process. Returns what happened as plain data (messages already rendered), never prints, never
raises for the user's problems, so a worker's result crosses the process boundary whole.
"""
from __future__ import annotations

import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from .diagnostics import Diagnostic, Span, render_all
from .files import Files
from .ignore import keep
from .output import OutputRefused, check_target, into_folder, refusal, write_atomically
from .pdf import PdfOptions
from .provenance import made_by_piadoc
from .pipeline import load_and_check

FORMATS = ("docx", "pdf")


@dataclass
class Built:
    """The outcome of one spec's build."""

    spec: str
    form: str = ""
    errors: int = 0
    warnings: int = 0
    outputs: list[str] = field(default_factory=list)
    pages: int | None = None
    seconds: float = 0.0
    messages: list[str] = field(default_factory=list)
    """Rendered diagnostics and refusals for stderr, in order."""
    done: list[str] = field(default_factory=list)
    """One line per output written."""
    inputs: list[str] = field(default_factory=list)
    """Every file the build read (spec, includes, attachments, template files): the manifest hashes them."""

    @property
    def failed(self) -> bool:
        return not self.outputs


def parse_formats(text: str) -> tuple[str, ...]:
    """`docx,pdf` → ("docx", "pdf"); E818 for anything else."""
    names = tuple(dict.fromkeys(n.strip().lower().lstrip(".") for n in text.split(",") if n.strip()))
    bad = [n for n in names if n not in FORMATS]
    if bad or not names:
        raise OutputRefused("E818", text, f"使える形式: {', '.join(FORMATS)}")
    return names


def plan_outputs(spec: Path, output: str | None, formats: tuple[str, ...] | None, suffix: str = "") -> list[Path]:
    """Output paths: from -o (.pdf makes a PDF unless --format names the formats), else next to the
    spec (two specs of the same name in two folders never share an output). ``suffix`` marks a revision.

    An -o naming a folder (ending in / or \\, or existing) means the spec's own name inside it."""
    folder = into_folder(output) if output else None
    if output and folder is None:
        out = Path(output)
        kind = out.suffix.lower().lstrip(".")
        if formats is None:
            return [out]  # a suffix other than .docx / .pdf is refused when written (E818)
        stem = out.with_suffix("") if kind in FORMATS else out
        return [stem.with_name(stem.name + f".{f}") for f in formats]
    base = (folder / spec.name if folder is not None else spec).with_name(spec.stem + suffix)
    return [base.with_name(base.name + f".{f}") for f in (formats or ("docx",))]


def revision_suffix(rev: str) -> str:
    """`@v2024` for --rev v2024: a file name part, whatever the revision's characters."""
    return "@" + re.sub(r"[^\w.-]+", "_", rev)


def build_spec(spec: Path, outputs: list[Path], *, template: Path | None = None, force: bool = False,
               files: Files | None = None, preset: Mapping[str, str] | None = None, ignore: Iterable[str] = (),
               show_warnings: bool = False, pdf: PdfOptions = PdfOptions(), profile: Path | None = None,
               claimed: dict[Path, str] | None = None, shown_name: str | None = None,
               all_slots: bool = False) -> Built:
    """Check ``spec`` and write each of ``outputs`` (.docx / .pdf by suffix)."""
    from .render import template_files

    start = time.perf_counter()
    name = shown_name or str(spec)
    built = Built(name)
    loaded = load_and_check(spec, files, preset=preset)
    skip = set(ignore)
    # --ignore and the project's codes, and the spec's own `# piadoc: ignore[…]` comments (never errors)
    diags = keep(loaded.result.diagnostics, {path: src.text for path, src in loaded.sources.items()}, skip)
    built.errors = sum(d.is_error for d in diags)
    built.warnings = len(diags) - built.errors
    built.form = loaded.form.name if loaded.form is not None else ""
    built.inputs = sorted({s.real for s in loaded.sources.values() if s.real})
    shown = [d for d in diags if d.is_error or show_warnings]
    if shown:
        built.messages.append(render_all(shown, loaded.sources))
    report = loaded.result.report
    if report is None or loaded.form is None:
        built.messages.append(f"{name}: エラーがあるため作成しません（エラー {built.errors}件）")
        built.seconds = time.perf_counter() - start
        return built
    from .model import FileAnswer

    brought = [Path(a.path) for a in report.answers.values() if isinstance(a, FileAnswer)]
    try:
        tfiles = template_files(loaded.form, template)
    except OSError:
        tfiles = []
    built.inputs = sorted(set(built.inputs) | {str(p) for p in brought} | {str(p) for p in tfiles})
    inputs = [Path(p) for p in built.inputs]
    claimed = {} if claimed is None else claimed
    if files is None:
        _write_outputs(built, report, loaded.form, outputs, inputs, template, force, pdf, profile, claimed, name,
                       all_slots)
    else:  # a git revision: the figures and documents as committed, not as they are on disk
        with tempfile.TemporaryDirectory(prefix="piadoc-rev-") as tmp:
            report = _attachments_from(report, files, Path(tmp))
            _write_outputs(built, report, loaded.form, outputs, inputs, template, force, pdf, profile, claimed, name,
                       all_slots)
    built.seconds = time.perf_counter() - start
    return built


def _attachments_from(report, files: Files, folder: Path):
    """``report`` with each attachment (@file) copied out of ``files`` into ``folder``: the renderer reads paths."""
    from dataclasses import replace

    from .model import FileAnswer

    answers = dict(report.answers)
    for n, (key, answer) in enumerate(sorted(report.answers.items())):
        if isinstance(answer, FileAnswer):
            copy = folder / f"{n}{Path(answer.path).suffix}"
            copy.write_bytes(files.read_bytes(Path(answer.path)))
            answers[key] = replace(answer, path=str(copy))
    return replace(report, answers=answers)


def _write_outputs(built: Built, report, form, outputs: list[Path], inputs: list[Path], template: Path | None,
                   force: bool, pdf: PdfOptions, profile: Path | None, claimed: dict[Path, str], name: str,
                   all_slots: bool = False) -> None:
    from .render import TemplateError, render_docx, template_files

    docx: bytes | None = None
    for out in outputs:
        try:
            target = check_target(out, inputs, force=force)
            if not force and target.exists() and not made_by_piadoc(target):  # the document it was imported from
                raise OutputRefused("E814", str(out))
            if out.suffix.lower().lstrip(".") not in FORMATS:  # out.txt got a .docx its name hid
                raise OutputRefused("E818", str(out), "-o の名前は .docx か .pdf で終えてください。"
                                                      "フォルダの中に作るなら最後に / を付けます")
            if target in claimed:
                raise OutputRefused("E807", str(out), claimed[target])
            if docx is None:
                unusable = template_problem(template_files(form, template))
                if unusable:
                    raise TemplateError(unusable)
                docx = render_docx(report, form, template, all_slots=all_slots)
            if out.suffix.lower() == ".pdf":
                from .pdf import convert, page_count

                data = convert(docx, str(out), pdf, profile)
                built.pages = page_count(data)
            else:
                data = docx
            write_atomically(out, data)
        except TemplateError as err:
            built.messages.append(f"piadoc: テンプレートが使えません: {err}")
            break
        except OutputRefused as err:
            built.messages.append(render_all([refused(err)], {}))
            continue
        except OSError as err:
            built.messages.append(render_all([refused(refusal(err, str(out)))], {}))
            continue
        claimed[target] = name
        built.outputs.append(str(out))
        built.done.append(f"{out}: 作成しました（未記入などの警告 {built.warnings}件）")
    if built.outputs and len(built.outputs) < len(outputs):
        built.outputs = []  # a build that wrote only some of its outputs failed


def template_problem(paths: list[Path]) -> str | None:
    """A template file build cannot use (damaged, a zip bomb, a DOCTYPE), opened as attachments are: a
    corrupt base.docx or section template was an internal error (E901)."""
    from .check.attachments import docx_problem

    for path in paths:
        try:
            problem = docx_problem(path.read_bytes())
        except OSError as err:
            problem = f"読めません: {err.strerror or err}"
        if problem:
            return f"{path}: {problem}"
    return None


def refused(err: OutputRefused) -> Diagnostic:
    """An output that may not be written, as a diagnostic pointing at the path."""
    return Diagnostic.make(err.code, Span(err.path, 0, 0, 0, 0), path=err.path, reason=err.reason)
