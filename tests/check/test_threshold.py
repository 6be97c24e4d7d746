"""しきい値判断: the rule itself, the stated result, and 基礎 + 重点/全項目 specs of one 事務 checked together."""
from __future__ import annotations

from pathlib import Path

import pytest

from piadoc.threshold import describe, mandatory

KISO = """評価書: 基礎項目評価書
Ⅰ 関連情報
  １．特定個人情報ファイルを取り扱う事務
    ①事務の名称: 住民基本台帳事務
Ⅱ しきい値判断項目
  １．対象人数
    評価対象の事務の対象人数は何人か: [{band}]
  ２．取扱者数
    特定個人情報ファイル取扱者数は500人以上か: [{staff}]
  ３．重大事故
    過去１年以内に、評価実施機関において特定個人情報に関する重大事故が発生したか: [発生なし]
Ⅲ しきい値判断結果
  しきい値判断結果: {result}
Ⅳ リスク対策
  １．提出する特定個人情報保護評価書の種類: [{kind}]
"""
JUTEN = """評価書: 重点項目評価書
Ⅰ 基本情報
  １．特定個人情報ファイルを取り扱う事務
    ①事務の名称: 住民基本台帳事務
    ③対象人数: [{band}]
Ⅴ 評価実施手続
  １．基礎項目評価
    ②しきい値判断結果: [1]
"""


@pytest.mark.parametrize("band, staff, accident, expected", [
    (1, False, False, [""]),
    (2, True, True, ["基礎"]),
    (3, False, False, ["基礎"]),
    (3, True, False, ["基礎", "重点"]),
    (3, False, True, ["基礎", "重点"]),
    (4, False, False, ["基礎", "重点"]),
    (4, True, False, ["基礎", "全項目"]),
    (5, False, False, ["基礎", "全項目"]),
])
def test_rule(band, staff, accident, expected) -> None:
    (outcome,) = mandatory(band, staff, accident).outcomes
    assert sorted(outcome) == sorted(e for e in expected if e)


def test_unknown_inputs_allow_both() -> None:
    assert len(mandatory(4, None, None).outcomes) == 2
    assert describe(frozenset({"基礎", "全項目"})) == "基礎項目評価及び全項目評価の実施が義務付けられる"


def _write(tmp_path: Path, name: str, text: str) -> str:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return name


def test_consistent_pair_is_clean(tmp_path: Path, run_cli) -> None:
    a = _write(tmp_path, "kiso.pia", KISO.format(band=4, staff="500人未満",
                                                 result="基礎項目評価及び重点項目評価の実施が義務付けられる", kind=2))
    b = _write(tmp_path, "juten.pia", JUTEN.format(band=4))
    result = run_cli("check", "--explain", a, b, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "しきい値判断（基礎項目評価書）" in result.stderr and "一致" in result.stderr


def test_pair_that_disagrees(tmp_path: Path, run_cli) -> None:
    a = _write(tmp_path, "kiso.pia", KISO.format(band=4, staff="500人以上",
                                                 result="基礎項目評価及び全項目評価の実施が義務付けられる", kind=3))
    b = _write(tmp_path, "juten.pia", JUTEN.format(band=3))
    result = run_cli("check", a, b, cwd=tmp_path)
    assert result.returncode == 1
    err = result.stderr
    assert "juten.pia:5:5: エラー[E506]" in err and "全項目評価書で作成してください" in err
    assert "E507" in err and "対象人数が「10万人以上30万人未満」と「1万人以上10万人未満」で異なります" in err, err
    assert "kiso.pia" in err.split("E507")[1]  # the note names the other spec
    alone = run_cli("check", b, cwd=tmp_path)
    assert "E506" not in alone.stderr and "E507" not in alone.stderr


def test_pairing_reads_the_name_with_its_variables_filled_in(tmp_path: Path) -> None:
    """Fill rules run before judge rules: the しきい値判断 sees 事務の名称 as printed, not "{{ 事務 }}"."""
    from piadoc.check.threshold import agree
    from piadoc.diagnostics import Diagnostics
    from piadoc.pipeline import load_and_check

    kiso = KISO.format(band=4, staff="500人以上", result="基礎項目評価及び全項目評価の実施が義務付けられる", kind=3)
    juten = JUTEN.format(band=3).replace("①事務の名称: 住民基本台帳事務", "@set 事務 = 住民基本台帳\n    ①事務の名称: {{ 事務 }}事務")
    facts = [load_and_check(tmp_path / _write(tmp_path, name, text)).result.threshold
             for name, text in (("kiso.pia", kiso), ("juten.pia", juten))]
    diags = Diagnostics()
    agree([f for f in facts if f is not None], diags)
    assert {"E506", "E507"} <= {d.code for d in diags.items}
