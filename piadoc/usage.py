"""argparse in Japanese: the usage line and section titles of --help, and its error messages, with a
もしかして for a mistyped subcommand, option, choice or form name (difflib)."""
from __future__ import annotations

import argparse
import difflib
import re
from typing import Sequence


#: argparse's own English texts, as piadoc shows them.
_HELP_JA = {"usage: ": "使い方: ", "positional arguments:": "引数:", "options:": "オプション:",
            "show this help message and exit": "この説明を表示する",
            "show program's version number and exit": "バージョンを表示する"}


def in_japanese(text: str) -> str:
    for en, ja in _HELP_JA.items():
        text = text.replace(en, ja)
    return text


def usage_ja(message: str, parser: argparse.ArgumentParser) -> str:
    """argparse's error message in Japanese, with a もしかして for a mistyped subcommand or option."""
    if m := re.match(r"the following arguments are required: (.*)", message):
        if m.group(1) == "command":
            names = [c for a in parser._actions if isinstance(a, argparse._SubParsersAction) for c in a.choices]
            return f"引数が足りません: サブコマンド（{'、'.join(names)}）を指定してください"
        return f"引数が足りません: {m.group(1)}"
    if m := re.match(r"argument (\S+): invalid choice: '(.*?)' \(choose from (.*)\)", message, re.S):
        choices = [c.strip(" '") for c in m.group(3).split(",")]
        what = "サブコマンド" if m.group(1) == "command" or m.group(1).startswith("{") else f"{m.group(1)} の値"
        return f"{what}「{m.group(2)}」はありません（選べるもの: {'、'.join(choices)}）" + maybe(m.group(2), choices)
    if m := re.match(r"unrecognized arguments: (.*)", message):
        unknown = m.group(1).split()
        options = [o for o in _all_options(parser)]
        guess = next((maybe(u, options) for u in unknown if u.startswith("-") and maybe(u, options)), "")
        return f"不明なオプションまたは引数です: {' '.join(unknown)}" + guess
    if m := re.match(r"argument (\S+): expected one argument", message):
        return f"{m.group(1)} には値が必要です"
    if m := re.match(r"ambiguous option: (\S+) could match (.*)", message):
        return f"{m.group(1)} はどのオプションか決まりません（候補: {m.group(2)}）"
    if m := re.match(r"argument (\S+): not allowed with argument (\S+)", message):
        return f"{m.group(1)} と {m.group(2)} は一緒に使えません"
    return message


def maybe(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f"\n  もしかして: {close[0]}" if close else ""


def _all_options(parser: argparse.ArgumentParser) -> list[str]:
    """The option strings of ``parser`` and its subcommands (an unknown option is reported by the top parser)."""
    found: list[str] = []
    for action in parser._actions:
        found += [o for o in action.option_strings if o.startswith("--")]
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += _all_options(sub)
    return list(dict.fromkeys(found))
