"""include of shared passages and {{ variables }}: spliced in place, positions kept per file."""
from __future__ import annotations

from pathlib import Path

from piadoc.model import TextAnswer
from piadoc.pipeline import load_and_check

HEAD = "評価書: 重点項目評価書\n"


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / "piadoc.toml").write_text("", encoding="utf-8")
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path / "spec.pia"


def test_include_splices_at_indentation(tmp_path: Path) -> None:
    spec = _project(tmp_path, {
        "spec.pia": HEAD + "@include \"common/vars.pia\"\nⅢ リスク対策\n  ６．情報提供ネットワークシステムとの接続\n"
                    "    @include \"common/chukan.pia\"\n",
        "common/vars.pia": "@set 機関名 = 小金井市\n",
        "common/chukan.pia": "その他のリスク及びそのリスクに対する措置: \"\"\"\n  ＜中間サーバー・プラットフォームにおける措置＞\n  {{ 機関名 }}は…\n\"\"\"\n",
    })
    loaded = load_and_check(spec)
    assert not loaded.result.has_errors, loaded.result.diagnostics
    answer = loaded.result.report.get("III.6.other", (1,))
    assert answer == TextAnswer("＜中間サーバー・プラットフォームにおける措置＞\n小金井市は…")


def test_error_in_fragment_names_the_fragment(tmp_path: Path) -> None:
    spec = _project(tmp_path, {"spec.pia": HEAD + "@include \"frag.pia\"\n", "frag.pia": "評価書番号: 1\n事務の名前: x\n"})
    diags = [d for d in load_and_check(spec).result.diagnostics if d.is_error]
    assert [(d.code, d.span.path.endswith("frag.pia"), d.span.line) for d in diags] == [("E303", True, 2)]


def test_variables_fill_text_and_unknown_ones_fail(tmp_path: Path) -> None:
    spec = _project(tmp_path, {"spec.pia": HEAD + "@set 機関名 = 東京都小金井市長\n評価実施機関名: {{ 機関名 }}\n"})
    report = load_and_check(spec).result.report
    assert report.get("COVER.org") == TextAnswer("東京都小金井市長")
    spec.write_text(HEAD + "評価実施機関名: {{ 機関名 }}\n", encoding="utf-8")
    assert [d.code for d in load_and_check(spec).result.diagnostics if d.is_error] == ["E604"]


def test_sandbox_refuses_python_internals(tmp_path: Path) -> None:
    spec = _project(tmp_path, {"spec.pia": HEAD + "@set a = x\n特記事項: {{ a.__class__.__mro__ }}\n"})
    codes = [d.code for d in load_and_check(spec).result.diagnostics if d.is_error]
    assert codes == ["E605"]


def test_cycle_and_escape(tmp_path: Path) -> None:
    spec = _project(tmp_path, {"spec.pia": HEAD + "@include \"a.pia\"\n", "a.pia": "@include \"spec.pia\"\n"})
    assert [d.code for d in load_and_check(spec).result.diagnostics] == ["E601"]
    spec.write_text(HEAD + "@include \"../outside.pia\"\n", encoding="utf-8")
    (tmp_path.parent / "outside.pia").write_text("特記事項: x\n", encoding="utf-8")
    assert [d.code for d in load_and_check(spec).result.diagnostics] == ["E602"]


def test_a_deep_include_chain_is_a_diagnostic(tmp_path: Path) -> None:
    """Hundreds of nested includes were a RecursionError (E901); past 32 levels they are E611, positioned."""
    from piadoc.includes import MAX_INCLUDE_DEPTH
    from piadoc.pipeline import load_and_check

    (tmp_path / "piadoc.toml").write_text("", encoding="utf-8")
    (tmp_path / "main.pia").write_text('評価書: 重点項目評価書\n@include "f1.pia"\n', encoding="utf-8")
    for n in range(1, 600):
        (tmp_path / f"f{n}.pia").write_text(f'@include "f{n + 1}.pia"\n', encoding="utf-8")
    (tmp_path / "f600.pia").write_text("評価書番号: 1\n", encoding="utf-8")
    diags = load_and_check(tmp_path / "main.pia").result.diagnostics
    assert [d.code for d in diags] == ["E611"]
    assert diags[0].span.path.endswith(f"f{MAX_INCLUDE_DEPTH}.pia") and diags[0].span.line == 1
