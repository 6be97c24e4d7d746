"""Writes docs/errors.md from piadoc/codes.py (a test checks it is up to date)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from piadoc.codes import CODES, RETIRED  # noqa: E402

GROUPS = {"E1": "入力（ファイル）", "E2": "構文", "E3": "項目と構造", "E4": "値", "E5": "項目間の規則",
          "E6": "include と変数", "W7": "警告", "E8": "出力ファイル", "E9": "内部エラー"}


def render() -> str:
    lines = ["# 診断コード一覧 / Diagnostic codes", "",
             "`piadoc check` と `piadoc build` が出す診断です。コードは変わりません（生成元: piadoc/codes.py）。", ""]
    current = None
    for code, (severity, message) in CODES.items():
        group = GROUPS[code[:2]]
        if group != current:
            lines += ["", f"## {code[:2]}xx {group}", "", "| コード | 種別 | メッセージ |", "|---|---|---|"]
            current = group
        kind = "エラー" if severity == "error" else "警告"
        lines.append(f"| {code} | {kind} | {message.replace('|', '｜')} |")
    if RETIRED:
        lines += ["", "## 廃止したコード", "", "次のコードはもう出ません。別の意味で使い直すこともありません: "
                  + "、".join(sorted(RETIRED))]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    out = Path(__file__).resolve().parent.parent / "docs" / "errors.md"
    out.write_text(render(), encoding="utf-8")
    print(out)
