"""The closed table of diagnostic codes: code → (severity, Japanese message template).

Codes are stable: tools and users grep for them. Add new ones; never renumber. A code no longer emitted
moves to RETIRED and is never given to another message (tests/check/test_rule_table.py finds dead codes).
E1xx input, E2xx syntax, E3xx items and structure, E4xx values, E5xx cross-item rules (check/table.py),
E6xx include and variables, W7xx warnings, E8xx output files, E9xx internal.
"""
from __future__ import annotations

CODES: dict[str, tuple[str, str]] = {
    "E101": ("error", "UTF-8 として読めないバイト（0x{byte}）があります"),
    "E102": ("error", "文書に入れられない制御文字（{char}）があります"),
    "E103": ("error", "ファイルを読めません: {reason}"),
    "E104": ("error", "ファイルが空です。1行目に「評価書: 重点項目評価書」などと書いてください"),
    "E105": ("error", "文字コードが Shift_JIS（CP932）のファイルです。piadoc は UTF-8 のファイルを読みます"),
    "E106": ("error", "文字コードが UTF-16 のファイルです。piadoc は UTF-8 のファイルを読みます"),
    "E107": ("error", "仕様ファイルではなく{kind}です。テキストの仕様ファイル（.pia）を指定してください"),
    "E115": ("error", "取り込むファイルを読めません: {reason}"),
    "E116": ("error", "ファイルが壊れているか、{kind}として読めません: {reason}"),
    "E117": ("error", "特定個人情報保護評価書の表題（{titles}）が見つかりません。評価書でなければ取り込めません。評価書なら --form で種類を指定してください"),
    "E118": ("error", "評価書の種類「{name}」はありません（書ける評価書: {known}）"),
    "E119": ("error", "PDF から文字を取り出せません（画像だけの PDF は、文字認識をしてから取り込んでください）"),
    "E120": ("error", "様式の項目に当てはまる記載が1つもないため、下書きを作りません（{form}として読みました）。"
                      "--form の評価書の種類と、取り込むファイルが評価書かを確かめてください"),
    "E201": ("error", "ここに{found}は書けません"),
    "E202": ("error", "字下げが前の行のどれとも合いません"),
    "E203": ("error", "「\"\"\"」で始めた複数行の記載が閉じられていません"),
    "E204": ("error", "「[」が「]」で閉じられていません"),
    "E205": ("error", "字下げにタブは使えません。空白で字下げしてください"),
    "E206": ("error", "@set の書き方が違います"),
    "E207": ("error", "チェック欄の行は、値を書いた項目の下には置けません"),
    "E208": ("error", "全角空白で字下げはできません。半角空白で字下げしてください"),
    "E209": ("error", "字下げが深すぎます（{max} 段まで）"),
    "E210": ("error", "「{word}」という指示はありません"),
    "E301": ("error", "評価書の種類が書かれていません"),
    "E302": ("error", "評価書の種類「{name}」はありません"),
    "E303": ("error", "この様式に「{ref}」という項目はありません"),
    "E304": ("error", "「{ref}」はここには書けません（{where} の項目です）"),
    "E305": ("error", "「{label}」が2回書かれています"),
    "E306": ("error", "番号「{number}」と項目名「{label}」が合いません"),
    "E307": ("error", "「{label}」の番号 {n} は範囲外です（1～{max}）"),
    "E308": ("error", "「{label}」の番号が飛んでいます（{missing} がありません）"),
    "E309": ("error", "「{label}」は様式に印刷される固定の記載で、書き換えられません"),
    "E310": ("error", "「{label}」は見出しです。値は書けません"),
    "E311": ("error", "「{ref}」には番号が必要です（例: {example}）"),
    "E312": ("error", "「{ref}」に当たる項目が複数あります。番号か上の見出しを付けてください"),
    "E313": ("error", "「{name}」用の断片は{form}には入れられません"),
    "E314": ("error", "「@{name}」には{allowed}のどれかを書きます（{found}）"),
    "E315": ("error", "「@{name}」は評価書全体の設定です。項目の下ではなく、字下げせずに書いてください"),
    "E401": ("error", "「{label}」の選択肢にない値です「{value}」"),
    "E402": ("error", "「{label}」には{expected}を書いてください"),
    "E403": ("error", "「{label}」のチェック項目にない値です「{value}」"),
    "E404": ("error", "日付として読めません「{value}」"),
    "E405": ("error", "件数として読めません「{value}」"),
    "E406": ("error", "「{option}」には（ ）の記載を付けられません"),
    "E407": ("error", "チェック欄「[{mark}]」が読めません。○ か空欄にしてください"),
    "E408": ("error", "「{option}」が2回書かれています"),
    "E409": ("error", "記載が長すぎます（{n} 文字、{max} 文字まで）"),
    "E501": ("error", "「{label}」は「{cond}」のときだけ記載します"),
    "E502": ("error", "{label}の件数（{stated}件）が記載された{rows}の数（{actual}件）と合いません"),
    "E503": ("error", "「{a}」と「{b}」の{key}の数が合いません（{na} と {nb}）"),
    "E504": ("error", "「{a}」と「{b}」は両方にはチェックできません"),
    "E505": ("error", "しきい値判断が合いません: {why}「{expected}」ですが、「{label}」は「{stated}」です"),
    "E506": ("error", "しきい値判断: {why}{expected}が、この評価書は{form}です"),
    "E507": ("error", "同じ事務の評価書どうしでしきい値判断が合いません: {detail}"),
    "E601": ("error", "include が循環しています: {chain}"),
    "E602": ("error", "プロジェクトの外のファイルは使えません（@include・@file）: {path}"),
    "E603": ("error", "include するファイルがありません: {path}"),
    "E604": ("error", "変数「{name}」は定義されていません"),
    "E605": ("error", "変数の書き方が違います: {detail}"),
    "E606": ("error", "変数「{name}」が2回定義されています"),
    "E607": ("error", "添付するファイルがありません: {path}"),
    "E608": ("error", "添付できるのは画像（.png .jpg .gif .bmp）か Word 文書（.docx）だけです: {path}"),
    "E609": ("error", "変数を展開した結果に文書に入れられない文字（{char}）があります"),
    "E610": ("error", "添付ファイルが壊れているか、使えない形式です: {path}（{detail}）"),
    "E611": ("error", "include の入れ子が深すぎます（{max} 段まで）"),
    "W701": ("warning", "「{section}」に未記入があります（{labels}）"),
    "W702": ("warning", "変更箇所の項目の「{segment}」は、様式の{parent}にありません"),
    "W703": ("warning", "※の項目（{label}）の変更を事後としていますが、提出時期に係る説明がありません"),
    "W704": ("warning", "変更箇所の行が変更日の順になっていません（前の行は {previous}）"),
    "W705": ("warning", "「{column}」が数字だけです「{text}」（表計算ソフトの日付のシリアル値が紛れ込んでいませんか）"),
    "W706": ("warning", "「{column}」に HTML のタグや文字参照があります「{text}」"),
    "W707": ("warning", "変更前の記載と変更後の記載が同じです"),
    "W720": ("warning", "変更箇所の行に変更前の記載も変更後の記載もありません"),
    "W725": ("warning", "部首の文字「{char}」（{codepoint}）があります。「{intended}」ではありませんか（PDF からの写しで紛れ込みます）"),
    "W726": ("warning", "部首の文字「{char}」（{codepoint}）があります。文字として使う部首ではありません（PDF からの写しで紛れ込みます）"),
    "W727": ("warning", "改行に見える文字「{name}」（{codepoint}）があります。行の区切りには数えません（Word や PDF からの写しで紛れ込みます）"),
    "W728": ("warning", "見えない文字「{name}」（{codepoint}）があります。そのまま .docx に入ります（Web ページや Word からの写しで紛れ込みます）"),
    "W730": ("warning", "変更箇所の項目の「{written}」は見出しの略記です（様式では「{expected}」）"),
    "W731": ("warning", "変更箇所の項目の「{written}」は以前の様式の項目名です（今の様式では「{expected}」）"),
    "W732": ("warning", "変更箇所の項目の「{written}」は{parent}の下の項目ではありません（様式では「{expected}」）"),
    "W733": ("warning", "変更箇所の項目の「{written}」は様式の項目名と違います（様式では「{expected}」）"),
    "W734": ("warning", "変更箇所の項目「{text}」がどの項目か決まりません（{count} か所に当たります）"),
    "E801": ("error", "出力先が入力のファイルです。別の出力先を -o で指定してください: {path}"),
    "E802": ("error", "出力先が通常のファイルではありません（フォルダやデバイス）: {path}"),
    "E803": ("error", "出力先が読み取り専用です。上書きするには --force を付けてください: {path}"),
    "E804": ("error", "出力先を調べられません: {path}（{reason}）"),
    "E805": ("error", "ほかの piadoc がこのファイルに書き込み中です。しばらくしてから実行してください: {path}"),
    "E806": ("error", "書き込んだ結果を検査すると元の内容と合わないため、書き込みませんでした: {path}（{reason}）"),
    "E807": ("error", "2つの仕様ファイルが同じ出力先になります: {path}（{reason} と同じ。-o で分けてください）"),
    "E808": ("error", "出力先に書き込めません: {path}（{reason}）。Word などで開いている場合は閉じてください"),
    "E809": ("error", "出力先に書き込めません: {path}。Word・Excel などで開いている場合は閉じてください。"
                      "閉じていればフォルダの書き込み権限を確かめてください（元のファイルはそのままです）"),
    "E810": ("error", "出力先のフォルダがフォルダではありません（途中にファイルがあります）: {path}"),
    "E811": ("error", "ディスクの空きが足りないため書き込めません: {path}。空きを作ってから実行してください（元のファイルはそのままです）"),
    "E812": ("error", "ファイルを読み書きできません: {path}（{reason}）"),
    "E813": ("error", "出力先のファイルが既にあります: {path}。別の名前を -o で指定するか、置き換えるなら --force を付けてください"),
    "E814": ("error", "piadoc が作ったものではない文書は置き換えません: {path}（取り込んだ元の文書や、Word で保存し直した"
                      "文書かもしれません）。別の名前を -o で指定するか、置き換えてよければ --force を付けてください"),
    "E815": ("error", "PDF を作成するには LibreOffice が必要ですが、見つかりません: {path}。{reason}"),
    "E816": ("error", "LibreOffice が {reason} 秒以内に PDF を作成しませんでした: {path}（ほかの LibreOffice の処理が終わってから、もう一度実行してください）"),
    "E817": ("error", "LibreOffice が PDF を作成できませんでした: {path}（{reason}）"),
    "E818": ("error", "この出力形式には対応していません: {path}（{reason}）"),
    "E819": ("error", "piadoc.toml の内容が読めません: {path}（{reason}）"),
    "E820": ("error", "piadoc.toml に知らない設定があります: {path}（{reason}）"),
    "E901": ("error", "内部エラーです（{detail}）。--debug を付けて実行し、結果を報告してください"),
}

#: Codes once used and no longer emitted: reserved, never reused. (None yet: E206 and E504, long unused,
#: were given real rules instead: a malformed @set line, and 行っていない ticked beside another option.)
RETIRED: frozenset[str] = frozenset()


def severity_of(code: str) -> str:
    """'error' or 'warning' for a known code."""
    return CODES[code][0]


def message_of(code: str, **fields: object) -> str:
    """The Japanese message of ``code`` with its fields filled in."""
    return CODES[code][1].format(**fields)
