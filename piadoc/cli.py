"""Command line: argparse, printing and exit codes. The only module that catches every exception.

Exit codes (EXIT_CODES; shown by --help and in README.md): 0 clean, warnings allowed; 1 diagnostics (errors, or
warnings with --strict) or a build, diff or changes refused; 2 usage; 3 internal error (E901); 130 interrupted.
"""
from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator, Sequence

from . import __version__, console
from .diagnostics import Diagnostic, Span, render_all
from .files import os_reason
from .output import OutputRefused, into_folder, spec_output
from .usage import in_japanese, maybe, usage_ja
from .pipeline import load_and_check
from .reporting import Checked, emit_diagnostics
from .schema import SchemaError, form_names, load_form


#: Every exit code the command returns, as `piadoc --help` lists them.
EXIT_CODES: dict[int, str] = {
    0: "問題なし（警告だけなら 0）",
    1: "エラーがある（--strict では警告も）、または評価書を作成・比較できなかった",
    2: "使い方の誤り（引数・オプション）",
    3: "内部エラー（E901）",
    130: "中断された（Ctrl+C）",
}
EPILOG = "終了コード:\n" + "\n".join(f"  {code:<4} {text}" for code, text in EXIT_CODES.items())


class UsageError(Exception):
    """Bad arguments: exit 2. ``usage`` is the usage line of the (sub)command when argparse found it."""

    def __init__(self, message: str, usage: str = "", prog: str = "piadoc") -> None:
        super().__init__(message)
        self.usage, self.prog = usage, prog


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(usage_ja(message, self), self.format_usage().rstrip(), self.prog)

    def format_usage(self) -> str:
        return in_japanese(super().format_usage())

    def format_help(self) -> str:
        return in_japanese(super().format_help())


def cmd_check(args: argparse.Namespace) -> int:
    from .check.threshold import agree, explain
    from .diagnostics import Diagnostics, sort_key
    from .project import NO_PROJECT, check_inputs, find_project

    if not args.files and find_project(Path.cwd()) is None:
        raise UsageError(NO_PROJECT)
    names = _expand(args.files) if args.files else []
    if args.fix or args.diff:  # safe edits first (piadoc/fixes.py), shown; the check then reads the fixed files
        from .fixes import fix_files
        fix_files((Path(name) for name in names if name != "-"), write=args.fix)
    inputs = check_inputs(names)  # with no file named: every report of the project
    args.files = [name for name, _, _ in inputs]
    loaded = [_load(name, preset=preset) for name, preset, _ in inputs]
    across = Diagnostics()  # specs of the same 事務 checked together must agree
    agree([lo.result.threshold for lo in loaded if lo.result.threshold is not None], across)
    checked: list[Checked] = []
    status = 0
    report: list[str] = []  # the diagnostics as text, to stdout or -o FILE; the summary lines go to stderr
    paint = args.format == "text" and console.is_stdout(args.output) and console.use_colour(args.color, sys.stdout)
    for (name, _, ignore), lo in zip(inputs, loaded):
        own = {d.span.path for d in lo.result.diagnostics} | set(lo.sources)
        diags = sorted(list(lo.result.diagnostics) + [d for d in across.items if d.span.path in own], key=sort_key)
        diags = _kept(diags, lo, args, ignore)
        facts = lo.result.threshold if args.explain else None
        checked.append(Checked(name, diags, lo.sources, facts, explain(facts) if facts is not None else ()))
        if args.format == "text":
            shown = [d for d in diags if d.is_error or not args.quiet]
            if shown and args.quiet < 2:
                text = render_all(shown, lo.sources, verbose=args.verbose)
                report.append(console.colour(text) if paint else text)
            if args.explain and lo.result.threshold is not None and not args.quiet:
                report.append("\n".join(explain(lo.result.threshold)))
            if not args.quiet:
                print(f"{name}: エラー {sum(d.is_error for d in diags)}件、警告 {sum(not d.is_error for d in diags)}件",
                      file=sys.stderr)
            if report and console.is_stdout(args.output):  # as each spec is done: a long run shows progress
                console.write_text(None, "\n".join(report) + "\n")
                report = []
        if any(d.is_error for d in diags) or (args.strict and diags):
            status = 1
    if args.format != "text":
        import io

        buffer = io.StringIO()
        emit_diagnostics(args.format, checked, buffer)
        report = [buffer.getvalue().rstrip("\n")]
    if not console.is_stdout(args.output):
        inputs = [Path(s.real) for lo in loaded for s in lo.sources.values() if s.real]
        console.write_text(args.output, "\n".join(report) + "\n" if report else "", inputs, args.force)
    elif report:
        console.write_text(None, "\n".join(report) + "\n")
    return status


def _expand(names: list[str]) -> list[str]:
    """Globs and directories expanded (piadoc.inputs); `-` read from stdin at most once."""
    from .inputs import NoInputs, expand

    try:
        found = expand(names)
    except NoInputs as err:
        raise UsageError(str(err)) from None
    if found.count("-") > 1:
        raise UsageError("標準入力（-）は1つしか指定できません")
    return found


def _load(name: str, warnings: bool = True, preset=None):
    """A spec checked from its file, or from stdin for `-` (its includes relative to the working directory);
    ``preset``: its project's shared variables."""
    if name != "-":
        return load_and_check(Path(name), warnings=warnings, preset=preset)
    from .files import DiskFiles, OverlayFiles

    return load_and_check(Path("-"), OverlayFiles(DiskFiles(), {Path("-"): console.read_stdin()}), warnings, preset)


def _kept(diags: list[Diagnostic], loaded, args: argparse.Namespace, also: Iterable[str] = ()) -> list[Diagnostic]:
    """The diagnostics left after --ignore, the project's `ignore` (``also``) and the spec's
    `# piadoc: ignore[…]` comments."""
    from .ignore import keep

    return keep(diags, {path: s.text for path, s in loaded.sources.items()}, [*_ignore_codes(args), *also])


def _ignore_codes(args: argparse.Namespace) -> list[str]:
    from .ignore import given_codes

    try:
        return given_codes(getattr(args, "ignore", None) or [])
    except ValueError as err:
        raise UsageError(str(err)) from None


def _show(diags: list[Diagnostic], sources, args: argparse.Namespace) -> None:
    """Diagnostics of build and diff on stderr (their stdout or file is the product), coloured on a terminal."""
    if not diags:
        return
    text = render_all(diags, sources)
    print(console.colour(text) if console.use_colour(getattr(args, "color", "auto"), sys.stderr) else text,
          file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build_spec, parse_formats, plan_outputs, revision_suffix
    from .pdf import PdfOptions
    from .project import settings_for

    if not args.files:
        if args.output or args.rev:
            raise UsageError("-o と --rev は仕様ファイルを指定したときだけ使えます")
        from .project import NO_PROJECT, build_project, find_project
        if find_project(Path.cwd()) is None:
            raise UsageError(NO_PROJECT)
        return build_project(args)
    args.files = _expand(args.files)
    folder = into_folder(args.output) if args.output and args.output != "-" else None
    if args.output and folder is None and len(args.files) > 1:
        raise UsageError("-o は仕様ファイルが1つのときだけ使えます（フォルダなら最後に / を付けます）")
    if "-" in args.files and (not args.output or folder is not None):
        raise UsageError("標準入力（-）の仕様から作成するときは -o で出力先のファイル名を指定してください")
    template = Path(args.template) if args.template else None
    if template is not None and not template.is_dir():
        raise UsageError(f"テンプレートのフォルダがありません: {template}")
    formats = parse_formats(args.format) if args.format else None
    status = 0
    codes = _ignore_codes(args)
    claimed: dict[Path, str] = {}
    for name in args.files:
        spec = Path(name)
        files, suffix = (_git_files(args.rev, spec), revision_suffix(args.rev)) if args.rev else (None, "")
        if name == "-":
            from .files import DiskFiles, OverlayFiles

            files = OverlayFiles(DiskFiles(), {spec: console.read_stdin()})
        project = settings_for(spec) if name != "-" else None  # a project's report gets its shared variables
        with _stdout_output(args.output) as stdout_file:
            outputs = [stdout_file] if stdout_file else plan_outputs(spec, args.output, formats, suffix)
            built = build_spec(spec, outputs, template=template, force=args.force, files=files,
                               show_warnings=args.warnings and not args.quiet, pdf=PdfOptions(pdfa=args.pdfa),
                               claimed=claimed, shown_name=name, preset=project.variables if project else None,
                               ignore=set(project.ignore if project else ()) | set(codes),
                               all_slots=args.all_slots)
            if stdout_file and built.outputs:  # -o -: the .docx bytes to a pipe
                sys.stdout.flush()
                sys.stdout.buffer.write(stdout_file.read_bytes())
        if args.quiet < 2:
            _show_messages(built.messages, args)
            if not args.quiet and not stdout_file:
                for message in built.done:
                    print(message, file=sys.stderr)
        status |= built.failed
    return status


@contextmanager
def _stdout_output(output: str | None) -> Iterator[Path | None]:
    """For `-o -`, a temp file the build writes and the CLI then copies to stdout; else None."""
    if output != "-":
        yield None
        return
    import tempfile

    with tempfile.TemporaryDirectory(prefix="piadoc-") as folder:
        yield Path(folder) / "out.docx"


def _show_messages(messages: list[str], args: argparse.Namespace) -> None:
    """A build's diagnostics and refusals on stderr, coloured on a terminal."""
    paint = console.use_colour(getattr(args, "color", "auto"), sys.stderr)
    for message in messages:
        print(console.colour(message) if paint else message, file=sys.stderr)


def _git_files(rev: str, spec: Path):
    """The files of ``spec`` as committed at ``rev``."""
    from .files import GitError, GitFiles

    try:
        return GitFiles(rev, spec.parent if spec.parent.is_dir() else Path("."))
    except GitError as err:
        raise UsageError(f"git から読めません（{rev}）: {err}") from None


def _load_pair(args: argparse.Namespace, warnings: bool = False):
    """(old, new) checked specs for diff/changes; prints diagnostics and returns None if either has errors."""
    from .files import GitError, GitFiles

    if args.since:
        if len(args.files) != 1:
            raise UsageError("--since には仕様ファイルを1つ指定してください")
        spec = Path(args.files[0])
        try:
            with GitFiles(args.since, spec.parent if spec.parent.is_dir() else Path(".")) as files:
                old = load_and_check(spec, files, warnings)
        except GitError as err:
            raise UsageError(f"git から読めません（{args.since}）: {err}") from None
        new = load_and_check(spec, warnings=warnings)
    else:
        if len(args.files) != 2:
            raise UsageError("比べる仕様ファイルを2つ（変更前 変更後）指定するか、--since REV と1つ指定してください")
        old = load_and_check(Path(args.files[0]), warnings=warnings)
        new = load_and_check(Path(args.files[1]), warnings=warnings)
    failed = False
    for side in (old, new):
        errors = [d for d in side.result.diagnostics if d.is_error]
        if errors:
            print(render_all(errors, side.sources), file=sys.stderr)
            failed = True
    if failed:
        print("piadoc: エラーのある仕様とは比べられません", file=sys.stderr)
        return None
    if old.form is not new.form:
        raise UsageError(f"評価書の種類が違います（{old.form.name} と {new.form.name}）")
    return old, new


def cmd_diff(args: argparse.Namespace) -> int:
    from .diff import diff_reports
    from .diff.formats import as_pia, as_table, as_tsv

    pair = _load_pair(args)
    if pair is None:
        return 1
    old, new = pair
    rows = diff_reports(new.form, old.result.report, new.result.report, **_proposal(args, new.form))
    date = _date_arg(args.date)
    inputs = [Path(s.real) for side in pair for s in side.sources.values() if s.real]
    if not console.is_stdout(args.output):  # a file: TSV with a BOM for Excel, or a workbook
        from .diff.xlsx import rows_file

        console.write_bytes(args.output, rows_file(args.format, rows, new.form, date), inputs, args.force)
        print(f"{args.output}: 変更箇所の行 {len(rows)}件を書き出しました", file=sys.stderr)
        return 0
    if args.format == "xlsx":
        raise UsageError("--format xlsx では -o で出力先（例: rows.xlsx）を指定してください")
    text = {"table": lambda: as_table(rows), "tsv": lambda: as_tsv(rows, new.form, date),
            "pia": lambda: as_pia(rows, new.form, date)}[args.format]()
    console.write_text(None, text)
    return 0


def _proposal(args: argparse.Namespace, form) -> dict[str, str | None]:
    """--timing and --reason: the city's 提出時期 and 説明 for the whole revision (diff/compare.per_revision)."""
    from .diff.compare import timing_option

    timing = timing_option(form, args.timing) if args.timing else None
    if args.timing and timing is None:
        raise UsageError(f"--timing は提出時期の選択肢のどれかです（「{args.timing}」は様式にありません）")
    return {"timing": timing, "reason": args.reason}


def _date_arg(text: str | None) -> str:
    """A --date as the spec writes it (和暦), after checking it is a date."""
    from .wareki import WarekiError, parse_date

    if not text:
        return ""
    try:
        return parse_date(text).wareki()
    except WarekiError as err:
        raise UsageError(f"--date が日付として読めません「{text}」: {err}") from None


def cmd_changes(args: argparse.Namespace) -> int:
    from .diff.formats import as_pia
    from .output import locked

    if not args.write:
        found = _change_rows(args)
        if found is None:
            return 1
        new, rows, date = found
        sys.stdout.write(as_pia(rows, new.form, date))
        print(f"追加する行: {len(rows)}件（--write で仕様ファイルに書き込みます）", file=sys.stderr)
        return 0
    spec = Path(args.files[0])
    with locked(spec):  # read, compare and rewrite as one step: concurrent runs must not add rows twice
        return _write_changes(args, spec)


def _change_rows(args: argparse.Namespace):
    """(the new version, the rows not yet in its table, the date) or None when a version has errors."""
    from .diff import diff_reports
    from .diff.writeback import new_rows

    pair = _load_pair(args)
    if pair is None:
        return None
    old, new = pair
    rows = new_rows(new.form, new.result.report,
                    diff_reports(new.form, old.result.report, new.result.report, **_proposal(args, new.form)))
    return new, rows, _date_arg(args.date)


def _write_changes(args: argparse.Namespace, spec: Path) -> int:
    from .diff.writeback import insert_rows, recorded, row_key
    from .files import DiskFiles, OverlayFiles
    from .output import OutputRefused, refusal, write_atomically
    from .pipeline import changes_insertion

    found = _change_rows(args)
    if found is None:
        return 1
    new, rows, date = found
    raw = spec.read_bytes().decode("utf-8")
    updated = insert_rows(raw, new.form, changes_insertion(new), rows, date)
    if updated != raw:
        # The result is read back before it replaces the spec: the same report plus exactly the new rows.
        data = updated.encode("utf-8")
        again = load_and_check(spec, OverlayFiles(DiskFiles(), {spec: data}), warnings=False)
        report = again.result.report
        expected = recorded(new.form, new.result.report) | {row_key(r) for r in rows}
        if report is None:
            errors = [d for d in again.result.diagnostics if d.is_error]
            raise OutputRefused("E806", str(spec), errors[0].message if errors else "")
        if recorded(new.form, report) != expected or _without_changes(new.form, report) != \
                _without_changes(new.form, new.result.report):
            raise OutputRefused("E806", str(spec), "追加した行が読み取れません")
        try:
            write_atomically(spec, data)
        except OSError as err:  # the spec open in an editor that locks it, a read-only folder, a full disk
            raise refusal(err, str(spec)) from None
    print(f"{spec}: {len(rows)}件の行を変更箇所に追加しました", file=sys.stderr)
    return 0


def _without_changes(form, report) -> dict:
    """The answers outside the 変更箇所 table: writing rows must leave every one of them as it was."""
    part = form.part("changes")
    prefix = part.id + "." if part is not None else "\0"
    return {k: v for k, v in report.answers.items() if not k[0].startswith(prefix)}


def cmd_redline(args: argparse.Namespace) -> int:
    from .output import check_target, write_atomically
    from .redline import change_date, commit_date, git_author, iso_date, render_redline
    from .wareki import WarekiError, parse_date

    pair = _load_pair(args)
    if pair is None:
        return 1
    old, new = pair
    spec = Path(args.files[-1])
    try:
        date = iso_date(parse_date(args.date)) if args.date else \
            change_date(new.form, new.result.report) or (commit_date(spec) if args.since else "")
    except WarekiError as err:
        raise UsageError(f"--date が日付として読めません「{args.date}」: {err}") from None
    author = args.author or git_author(spec.parent if spec.parent.is_dir() else Path("."))
    out = Path(args.output) if args.output else spec.with_name(spec.stem + ".redline.docx")
    inputs = [Path(s.real) for lo in (old, new) for s in lo.sources.values() if s.real]
    check_target(out, inputs, force=args.force)
    data, rows = render_redline(new.form, old.result.report, new.result.report, author, date)
    write_atomically(out, data)
    print(f"{out}: 見え消しを作成しました（変更 {len(rows)}件）", file=sys.stderr)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from .skeleton import skeleton

    form = load_form(_form_name(args.form))
    if form is None:
        raise UsageError(f"評価書の種類「{args.form}」はありません（書ける評価書: {'、'.join(form_names())}）"
                         + maybe(args.form, list(form_names())))
    output = args.output
    if output and output != "-":  # a folder: named after the form, as the first line of the skeleton says
        output = str(spec_output(output, form.name))
    console.write_text(output, skeleton(form), force=args.force, new_only=True)  # never over a spec
    return 0


def _form_name(given: str) -> str:
    """A form's full name, or the one form whose name starts with ``given`` (重点, 全項目, 基礎), for `new` and
    `import --form` alike: a skeleton or a draft shows the full name on its first line, so a short name cannot
    go unnoticed."""
    names = list(form_names())
    if given in names:
        return given
    starting = [n for n in names if given and n.startswith(given)]
    return starting[0] if len(starting) == 1 else given


def cmd_import(args: argparse.Namespace) -> int:
    from .importer.command import run_import

    source = Path(args.file)
    output = None
    if args.output:  # a folder (ending in / or existing): the draft is named after the document inside it
        output = spec_output(args.output, source.stem)
    return run_import(source, output, _form_name(args.form) if args.form else None, args.force)


def cmd_fmt(args: argparse.Namespace) -> int:
    from .fmt import format_file
    from .output import write_atomically

    status = 0
    for name in args.files:
        done = format_file(Path(name))
        if done.diagnostic is not None or done.text is None:
            print(render_all([d for d in [done.diagnostic] if d], done.sources), file=sys.stderr)
            status = 1
        elif done.changed and args.check:
            print(name)  # the files that would change, one a line (black --check lists them too)
            status = 1
        elif done.changed:
            write_atomically(Path(name), done.text.encode("utf-8"))
            print(f"{name}: 整形しました", file=sys.stderr)
    return status


def cmd_lsp(args: argparse.Namespace) -> int:
    from .lsp import serve

    serve()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="piadoc", description="特定個人情報保護評価書をテキスト（.pia）から検査・作成します。",
                     epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"piadoc {__version__}")
    parser.add_argument("--debug", action="store_true", help="内部エラーのときトレースバックを表示する")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    codes = {"epilog": EPILOG, "formatter_class": argparse.RawDescriptionHelpFormatter}  # each --help ends with them


    p = sub.add_parser("check", help="仕様ファイルを様式に照らして検査する", **codes)
    p.add_argument("files", nargs="*", metavar="FILE",
                   help=FILES_HELP + "。省略すると piadoc.toml のプロジェクト全体を検査する")
    p.add_argument("--format", choices=["text", "json", "sarif", "github"], default="text",
                   help="json・sarif・github は CI やエディタ向け（docs/json.md）")
    p.add_argument("-o", "--output", metavar="PATH", help="結果をこのファイルに UTF-8 で書く（- で標準出力、既定）")
    p.add_argument("--force", action="store_true", help="読み取り専用の出力ファイルも置き換える")
    _common_options(p)
    p.add_argument("--strict", action="store_true", help="警告があっても終了コード 1 にする")
    p.add_argument("--explain", action="store_true", help="しきい値判断の理由を表示する")
    p.add_argument("--fix", action="store_true",
                   help="安全に直せるもの（PDF から写した部首の文字、変更箇所の項目名など）を仕様ファイルで直す")
    p.add_argument("--diff", action="store_true", help="--fix で直す箇所を表示するだけで、書き込まない")
    p.add_argument("-v", "--verbose", action="store_true", help="未記入の項目を1つずつ表示する")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("build", help="仕様ファイルから評価書（.docx / .pdf）を作成する", **codes)
    p.add_argument("files", nargs="*", metavar="FILE",
                   help=FILES_HELP + "。省略すると piadoc.toml のプロジェクト全体を作成する")
    p.add_argument("-o", "--output", metavar="PATH",
                   help="出力先。名前は .docx か .pdf（.pdf なら PDF）で終える。フォルダ（最後に / を付けるか、既にある"
                        "フォルダ）ならその中の 仕様ファイル名.docx、- で標準出力（既定: 仕様ファイルと同じフォルダの 仕様ファイル名.docx）")
    p.add_argument("--template", metavar="DIR", help="base.docx を置いたテンプレートのフォルダ")
    p.add_argument("--all-slots", action="store_true", help="空の枠の見出し（システム6～10 など）も印刷する")
    p.add_argument("--warnings", action="store_true", help="警告も表示する")
    p.add_argument("--force", action="store_true", help="読み取り専用の出力ファイルも置き換える")
    p.add_argument("--format", metavar="FMT", help="出力形式（docx, pdf, docx,pdf）。PDF は LibreOffice で作成する")
    p.add_argument("--pdfa", action="store_true", help="PDF を PDF/A-2b（長期保存用）で作成する")
    p.add_argument("--rev", metavar="REV", help="git のこの版の仕様から作成する（出力名に @REV が付く）")
    p.add_argument("-j", "--jobs", type=int, default=2, metavar="N", help="プロジェクトを作成する並列数（既定: 2）")
    p.add_argument("--rebuild", action="store_true", help="変更のない評価書も作り直す（プロジェクト）")
    _common_options(p)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("diff", help="2つの版を項目ごとに比べ、変更箇所の行を出力する", **codes)
    p.add_argument("files", nargs="+", metavar="FILE", help="OLD.pia NEW.pia、または --since REV と SPEC")
    p.add_argument("--since", metavar="REV", help="git のこの版と作業中のファイルを比べる")
    p.add_argument("--format", choices=["table", "tsv", "pia", "xlsx"], default="table")
    p.add_argument("--date", metavar="DATE", help="変更日（tsv と pia に入れる。例: 令和7年3月21日）")
    p.add_argument("-o", "--output", metavar="PATH",
                   help="このファイルに UTF-8 で書く（- で標準出力、既定。xlsx では必須、tsv は Excel 用に BOM 付き）")
    p.add_argument("--force", action="store_true", help="読み取り専用の出力ファイルも置き換える")
    p.add_argument("--timing", metavar="TIMING", help="改訂全体の提出時期（様式の選択肢のどれか）")
    p.add_argument("--reason", metavar="TEXT", help="改訂全体の提出時期に係る説明")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("changes", help="git の版からの変更を仕様の変更箇所に追加する", **codes)
    p.add_argument("files", nargs=1, metavar="SPEC")
    p.add_argument("--since", metavar="REV", required=True, help="比べる git の版（前回公表した版など）")
    p.add_argument("--date", metavar="DATE", help="変更日（例: 令和7年3月21日）")
    p.add_argument("--write", action="store_true", help="仕様ファイルに書き込む（一時ファイルから置き換え）")
    p.add_argument("--timing", metavar="TIMING", help="改訂全体の提出時期（様式の選択肢のどれか）")
    p.add_argument("--reason", metavar="TEXT", help="改訂全体の提出時期に係る説明")
    p.set_defaults(func=cmd_changes)

    p = sub.add_parser("redline", help="変更を Word の変更履歴（見え消し）にした評価書（.docx）を作成する", **codes)
    p.add_argument("files", nargs="+", metavar="FILE", help="OLD.pia NEW.pia、または --since REV と SPEC")
    p.add_argument("--since", metavar="REV", help="git のこの版から作業中のファイルへの変更を示す")
    p.add_argument("-o", "--output", metavar="PATH", help="出力先（既定: 仕様ファイル名.redline.docx）")
    p.add_argument("--author", metavar="NAME", help="変更履歴の作成者（既定: git の user.name）")
    p.add_argument("--date", metavar="DATE", help="変更履歴の日付（既定: 変更箇所の最新の変更日、なければ最終コミット日）")
    p.add_argument("--force", action="store_true", help="読み取り専用の出力ファイルも置き換える")
    p.set_defaults(func=cmd_redline)


    p = sub.add_parser("import", help="評価書（.docx、PDF、テキスト）から仕様ファイルの下書きを作る", **codes)
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", metavar="OUT.pia",
                   help="出力先（.pia。既定: 標準出力）。フォルダ（最後に / を付けるか、既にあるフォルダ）ならその中の 文書名.pia。"
                        "既にあるファイルには書かない（E813）")
    p.add_argument("--form", metavar="NAME", help="評価書の種類（先頭の一部でもよい。既定: 文書の表題から判断）")
    p.add_argument("--force", action="store_true",
                   help="既にある出力ファイルと、その図のフォルダの同じ名前の画像を置き換える（読み取り専用でも）")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("new", help="評価書の雛形を出力する", **codes)
    p.add_argument("form", metavar="FORM", help="、".join(form_names()) + "（先頭の一部でもよい: " +
                   "、".join(n[:2] for n in form_names()) + "）")
    p.add_argument("-o", "--output", metavar="PATH",
                   help="このファイル（.pia）に UTF-8 で書く（- で標準出力、既定）。フォルダ（最後に / を付けるか、"
                        "既にあるフォルダ）ならその中の 評価書の種類.pia（重点項目評価書.pia など）。"
                        "既にあるファイルには書かない（E813）")
    p.add_argument("--force", action="store_true", help="既にある出力ファイルを置き換える（読み取り専用でも）")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("fmt", help="仕様ファイルを決まった書き方に整える（意味は変えない）", **codes)
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--check", action="store_true", help="書き換えず、整形が必要なファイルを表示して終了コード 1 にする")
    p.set_defaults(func=cmd_fmt)

    p = sub.add_parser("lsp", help="エディタ向けの言語サーバー（LSP、標準入出力）を起動する", **codes)
    p.set_defaults(func=cmd_lsp)
    return parser


FILES_HELP = ("仕様ファイル。フォルダなら中の *.pia すべて（断片は除く）、*.pia のようなパターンも可、"
              "- で標準入力")


def _common_options(p: argparse.ArgumentParser) -> None:
    """--quiet, --color and --ignore: the options of the commands that show diagnostics."""
    p.add_argument("-q", "--quiet", action="count", default=0,
                   help="エラーだけを表示する（-qq で何も表示せず終了コードだけ）")
    p.add_argument("--color", choices=["auto", "always", "never"], default="auto",
                   help="色付きで表示する（auto: 端末のとき。環境変数 NO_COLOR があれば付けない）")
    p.add_argument("--ignore", action="append", metavar="CODE,…",
                   help="これらの警告を表示しない（例: --ignore W701,W702）。仕様の中では「# piadoc: ignore[W701]」")


def main(argv: Sequence[str] | None = None) -> int:
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    console.setup_streams()
    try:
        args = build_parser().parse_args(argv)
        func: Callable[[argparse.Namespace], int] = args.func
        return func(args)
    except UsageError as err:
        if err.usage:
            print(err.usage, file=sys.stderr)
        print(f"piadoc: {err}", file=sys.stderr)
        if err.usage:
            print(f"（{err.prog} -h で説明を表示します）", file=sys.stderr)
        return 2
    except SchemaError as err:  # the form's author's bug, not the spec writer's: name the file and key
        print(f"piadoc: 様式の定義ファイルに誤りがあります（piadoc の不具合です。報告してください）: {err}", file=sys.stderr)
        return 3
    except OutputRefused as err:
        from .build import refused

        print(render_all([refused(err)], {}), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("piadoc: 中断しました", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as err:  # a file that could not be read or written: the user's to fix, not a bug
        name = str(err.filename) if err.filename else "piadoc"
        diag = Diagnostic.make("E812", Span(name, 0, 0, 0, 0), path=name, reason=os_reason(err))
        print(render_all([diag], {}), file=sys.stderr)
        return 1
    except Exception as err:  # noqa: BLE001 - the one place that turns any failure into a message
        if debug:
            traceback.print_exc()
        diag = Diagnostic.make("E901", Span("piadoc", 0, 0, 0, 0), detail=f"{type(err).__name__}: {err}")
        print(render_all([diag], {}), file=sys.stderr)
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
