"""Command line: argparse, printing and exit codes. The only module that catches every exception.

Exit codes (EXIT_CODES; shown by --help and in README.md): 0 clean, warnings allowed; 1 diagnostics (errors, or
warnings with --strict) or a build, diff or changes refused; 2 usage; 3 internal error (E901); 130 interrupted.
"""
from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path
from typing import Callable, Sequence

from . import __version__
from .diagnostics import Diagnostic, Span, render_all
from .output import OutputRefused
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
    """Bad arguments: exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def cmd_check(args: argparse.Namespace) -> int:
    from .check.threshold import agree, explain
    from .diagnostics import Diagnostics, sort_key

    if args.fix:  # safe edits first (piadoc/fixes.py); the check below then reads the fixed files
        from .fixes import fix_files
        fix_files(Path(name) for name in args.files)
    loaded = [load_and_check(Path(name)) for name in args.files]
    across = Diagnostics()  # specs of the same 事務 checked together must agree
    agree([lo.result.threshold for lo in loaded if lo.result.threshold is not None], across)
    checked: list[Checked] = []
    status = 0
    for name, lo in zip(args.files, loaded):
        own = {d.span.path for d in lo.result.diagnostics} | set(lo.sources)
        diags = sorted(list(lo.result.diagnostics) + [d for d in across.items if d.span.path in own], key=sort_key)
        facts = lo.result.threshold if args.explain else None
        checked.append(Checked(name, diags, lo.sources, facts, explain(facts) if facts is not None else ()))
        if args.format == "text":
            if diags:
                print(render_all(diags, lo.sources, verbose=args.verbose), file=sys.stderr)
            if args.explain and lo.result.threshold is not None:
                print("\n".join(explain(lo.result.threshold)), file=sys.stderr)
            print(f"{name}: エラー {sum(d.is_error for d in diags)}件、警告 {sum(not d.is_error for d in diags)}件",
                  file=sys.stderr)
        if any(d.is_error for d in diags) or (args.strict and diags):
            status = 1
    if args.format != "text":
        emit_diagnostics(args.format, checked, sys.stdout)
    return status


def cmd_build(args: argparse.Namespace) -> int:
    from .output import OutputRefused, check_target, write_atomically
    from .render import TemplateError, render_docx, template_files

    if args.output and len(args.files) > 1:
        raise UsageError("-o は仕様ファイルが1つのときだけ使えます")
    template = Path(args.template) if args.template else None
    if template is not None and not template.is_dir():
        raise UsageError(f"テンプレートのフォルダがありません: {template}")
    status = 0
    written: dict[Path, str] = {}
    for name in args.files:
        loaded = load_and_check(Path(name))
        diags = list(loaded.result.diagnostics)
        report = loaded.result.report
        shown = [d for d in diags if d.is_error or args.warnings]
        if shown:
            print(render_all(shown, loaded.sources), file=sys.stderr)
        if report is None or loaded.form is None:
            print(f"{name}: エラーがあるため作成しません（エラー {sum(d.is_error for d in diags)}件）", file=sys.stderr)
            status = 1
            continue
        # Next to the spec by default: two specs of the same name in two folders never share an output.
        out = Path(args.output) if args.output else Path(name).with_suffix(".docx")
        inputs = [Path(s.real) for s in loaded.sources.values() if s.real] + attachments(report) + \
            template_files(loaded.form, template)
        try:
            target = check_target(out, inputs, force=args.force)
            if target in written:
                raise OutputRefused("E807", str(out), written[target])
            unusable = template_problem(template_files(loaded.form, template))
            if unusable:
                raise TemplateError(unusable)
            data = render_docx(report, loaded.form, template)
            write_atomically(out, data)
        except TemplateError as err:
            print(f"piadoc: テンプレートが使えません: {err}", file=sys.stderr)
            return 1
        except OutputRefused as err:
            print(render_all([output_diagnostic(err)], {}), file=sys.stderr)
            status = 1
            continue
        except OSError as err:
            print(render_all([output_diagnostic(OutputRefused("E808", str(out), err.strerror or str(err)))], {}),
                  file=sys.stderr)
            status = 1
            continue
        written[target] = name
        warnings = sum(not d.is_error for d in diags)
        print(f"{out}: 作成しました（未記入などの警告 {warnings}件）", file=sys.stderr)
    return status


def template_problem(paths: list[Path]) -> str | None:
    """A template file build cannot use (damaged, a zip bomb, a DOCTYPE), opened as attachments are."""
    from .check.attachments import docx_problem

    for path in paths:
        try:
            problem = docx_problem(path.read_bytes())
        except OSError as err:
            problem = f"読めません: {err.strerror or err}"
        if problem:
            return f"{path}: {problem}"
    return None


def attachments(report) -> list[Path]:
    """The files a report brings (@file): inputs a build must never write over."""
    from .model import FileAnswer

    return [Path(a.path) for a in report.answers.values() if isinstance(a, FileAnswer)]


def output_diagnostic(err) -> Diagnostic:
    """An output that may not be written, as a diagnostic pointing at the path."""
    return Diagnostic.make(err.code, Span(err.path, 0, 0, 0, 0), path=err.path, reason=err.reason)


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
    if args.output or args.format == "xlsx":
        from .diff.xlsx import rows_file
        from .output import check_target, write_atomically

        if not args.output:
            raise UsageError("--format xlsx では -o で出力先（例: rows.xlsx）を指定してください")
        out = Path(args.output)
        check_target(out, [Path(s.real) for side in pair for s in side.sources.values() if s.real])
        try:
            write_atomically(out, rows_file(args.format, rows, new.form, date))
        except OSError as err:
            raise OutputRefused("E808", str(out), err.strerror or str(err)) from None
        print(f"{args.output}: 変更箇所の行 {len(rows)}件を書き出しました", file=sys.stderr)
        return 0
    text = {"table": lambda: as_table(rows), "tsv": lambda: as_tsv(rows, new.form, date),
            "pia": lambda: as_pia(rows, new.form, date)}[args.format]()
    sys.stdout.write(text)
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
    from .output import OutputRefused, write_atomically
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
        write_atomically(spec, data)
    print(f"{spec}: {len(rows)}件の行を変更箇所に追加しました", file=sys.stderr)
    return 0


def _without_changes(form, report) -> dict:
    """The answers outside the 変更箇所 table: writing rows must leave every one of them as it was."""
    part = form.part("changes")
    prefix = part.id + "." if part is not None else "\0"
    return {k: v for k, v in report.answers.items() if not k[0].startswith(prefix)}


def cmd_new(args: argparse.Namespace) -> int:
    from .skeleton import skeleton

    form = load_form(args.form)
    if form is None:
        raise UsageError(f"評価書の種類「{args.form}」はありません（書ける評価書: {'、'.join(form_names())}）")
    sys.stdout.write(skeleton(form))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="piadoc", description="特定個人情報保護評価書をテキスト（.pia）から検査・作成します。",
                     epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"piadoc {__version__}")
    parser.add_argument("--debug", action="store_true", help="内部エラーのときトレースバックを表示する")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    codes = {"epilog": EPILOG, "formatter_class": argparse.RawDescriptionHelpFormatter}  # each --help ends with them


    p = sub.add_parser("check", help="仕様ファイルを様式に照らして検査する", **codes)
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--format", choices=["text", "json", "sarif", "github"], default="text",
                   help="json・sarif・github は CI やエディタ向け（docs/json.md）")
    p.add_argument("--strict", action="store_true", help="警告があっても終了コード 1 にする")
    p.add_argument("--explain", action="store_true", help="しきい値判断の理由を表示する")
    p.add_argument("--fix", action="store_true", help="安全に直せるもの（PDF から写した部首の文字など）を仕様ファイルで直す")
    p.add_argument("-v", "--verbose", action="store_true", help="未記入の項目を1つずつ表示する")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("build", help="仕様ファイルから評価書（.docx）を作成する", **codes)
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("-o", "--output", metavar="PATH", help="出力先（既定: 仕様ファイルと同じフォルダの 仕様ファイル名.docx）")
    p.add_argument("--template", metavar="DIR", help="base.docx を置いたテンプレートのフォルダ")
    p.add_argument("--warnings", action="store_true", help="警告も表示する")
    p.add_argument("--force", action="store_true", help="読み取り専用の出力ファイルも置き換える")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("diff", help="2つの版を項目ごとに比べ、変更箇所の行を出力する", **codes)
    p.add_argument("files", nargs="+", metavar="FILE", help="OLD.pia NEW.pia、または --since REV と SPEC")
    p.add_argument("--since", metavar="REV", help="git のこの版と作業中のファイルを比べる")
    p.add_argument("--format", choices=["table", "tsv", "pia", "xlsx"], default="table")
    p.add_argument("-o", "--output", metavar="PATH", help="出力先のファイル（xlsx では必須。tsv は BOM 付き UTF-8）")
    p.add_argument("--date", metavar="DATE", help="変更日（tsv と pia に入れる。例: 令和7年3月21日）")
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

    p = sub.add_parser("new", help="評価書の雛形を出力する", **codes)
    p.add_argument("form", metavar="FORM", help="、".join(form_names()))
    p.set_defaults(func=cmd_new)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        args = build_parser().parse_args(argv)
        func: Callable[[argparse.Namespace], int] = args.func
        return func(args)
    except UsageError as err:
        print(f"piadoc: {err}", file=sys.stderr)
        return 2
    except SchemaError as err:  # the form's author's bug, not the spec writer's: name the file and key
        print(f"piadoc: 様式の定義ファイルに誤りがあります（piadoc の不具合です。報告してください）: {err}", file=sys.stderr)
        return 3
    except OutputRefused as err:
        print(render_all([output_diagnostic(err)], {}), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("piadoc: 中断しました", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:  # noqa: BLE001 - the one place that turns any failure into a message
        if debug:
            traceback.print_exc()
        diag = Diagnostic.make("E901", Span("piadoc", 0, 0, 0, 0), detail=f"{type(err).__name__}: {err}")
        print(render_all([diag], {}), file=sys.stderr)
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
