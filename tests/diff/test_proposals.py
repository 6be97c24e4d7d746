"""提出時期 proposed as cities decide (diff/compare.py, docs/changes.md): one per revision, the ※ changes
that are no 重要な変更 (typo, person in a post, deletion of an incident), and the city's own choice."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from piadoc.diff.compare import ORDINARY, diff_reports, minor_reason, row_by_row, timing_option
from piadoc.pipeline import load_and_check

SPEC = Path(__file__).resolve().parents[2] / "specs" / "koganei-yobousesshu-juten.pia"
PURPOSE = "③使用目的: 予防接種対象者の個人番号を利用して効率的な事務運用を図るため"
DEPT = "    ①部署: 福祉保健部健康課"


def reports(tmp_path: Path, *edits: tuple[str, str]):
    old = SPEC.read_text(encoding="utf-8")
    new = old
    for a, b in edits:
        assert a in new
        new = new.replace(a, b, 1)
    paths = []
    for name, text in (("old.pia", old), ("new.pia", new)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(tmp_path / name)
    loaded = [load_and_check(p) for p in paths]
    return loaded[1].form, loaded[0].result.report, loaded[1].result.report


def timings(form) -> tuple[str, str]:
    return form.changes.timing("before").text, form.changes.timing("after").text


def test_one_timing_per_revision(tmp_path: Path) -> None:
    """A ※ change makes the whole revision early: the non-※ row goes with it (as 19 rows of seed 004 did)."""
    form, old, new = reports(tmp_path, (PURPOSE, PURPOSE.replace("効率的な", "正確かつ効率的な")),
                             (DEPT, DEPT + "予防係"))
    early, late = timings(form)
    rows = diff_reports(form, old, new)
    assert len(rows) == 2 and {r.timing for r in rows} == {early}
    assert {r.timing for r in row_by_row(form, old, new)} == {early, late}


def test_typo_level_edit_of_important_item_is_late(tmp_path: Path) -> None:
    form, old, new = reports(tmp_path, (PURPOSE, PURPOSE.replace("効率的な", "効率的な、")))
    early, late = timings(form)
    [row] = diff_reports(form, old, new)
    assert row.timing == late and row.reason.startswith(ORDINARY) and "誤字" in row.reason


def test_city_chooses_timing_and_reason(tmp_path: Path) -> None:
    """An urgent ※ change evaluated afterwards (規則第9条第2項): the city's timing and reason for the revision."""
    form, old, new = reports(tmp_path, (PURPOSE, PURPOSE.replace("効率的な", "正確かつ効率的な")),
                             (DEPT, DEPT + "予防係"))
    early, late = timings(form)
    rows = diff_reports(form, old, new, timing=timing_option(form, late), reason="緊急のため事後評価")
    assert {(r.timing, r.reason) for r in rows} == {(late, "緊急のため事後評価")}
    assert timing_option(form, "どちらでもない") is None


def test_post_and_deletion_markers_are_data() -> None:
    from piadoc.schema import load_form

    form = load_form("重点項目評価書")
    post = next(it for it in form.walk() if "post" in it.minor_changes)
    assert minor_reason(replace(post, important=True), "健康課長", "健康推進課長") is not None
    assert minor_reason(replace(post, important=True, minor_changes=()), "健康課長", "保健所長") is None
    gone = next(it for it in form.walk() if "deletion" in it.minor_changes)
    assert minor_reason(gone, "委託業者がDVDを置き忘れた。", "記載なし") is not None
    assert minor_reason(replace(gone, minor_changes=()), "委託業者がDVDを置き忘れた。", "記載なし") is None


@pytest.mark.parametrize("before,after,minor", [
    ("予防接種対象者の個人番号を利用して効率的な事務運用を図るため",
     "予防接種対象者の個人番号を利用して効率的な事務の運用を図るため", True),
    ("予防接種対象者の個人番号を利用して効率的な事務運用を図るため",
     "予防接種対象者の個人番号を利用して正確かつ効率的な事務運用を図るため", False),
    ("あり", "なし", False),
    ("有", "無", False),
])
def test_typo_size(before: str, after: str, minor: bool) -> None:
    from piadoc.schema import load_form

    item = load_form("重点項目評価書").item("II.3.3")
    assert (minor_reason(item, before, after) is not None) is minor


def test_seed004_sample_agreement() -> None:
    """The 55 sampled rows of the 福岡市 table (tests/check/fixtures): how often the proposal is the city's.

    By default (one 提出時期 per revision from the ※ marks) few rows agree: the city filed most ※ revisions
    事後 under 規則第9条第2項 or as no 重要な変更 for reasons no code can see. One choice per revision
    (--timing) expresses nearly all of them: the revisions are almost never split."""
    from collections import Counter, defaultdict

    from piadoc.check.changes import without_markup
    from piadoc.check.itempath import resolve
    from piadoc.schema import load_form

    form = load_form("全項目評価書")
    lines = [line for line in (Path(__file__).resolve().parents[1] / "check" / "fixtures" / "seed004-sample.tsv")
             .read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    head = lines[0].split("\t")
    rows = [dict(zip(head, line.split("\t"))) for line in lines[1:]]
    early, late = timings(form)
    important: dict[str, bool] = defaultdict(bool)
    for row in rows:
        item = resolve(form, without_markup(row["項目"])).item
        before, after = (row[c].strip() or "記載なし" for c in ("変更前の記載", "変更後の記載"))
        important[row["変更日"]] |= bool(item and item.important and minor_reason(item, before, after) is None)
    default = sum((early if important[r["変更日"]] else late) == r["提出時期"] for r in rows) / len(rows)
    chosen = {d: Counter(r["提出時期"] for r in rows if r["変更日"] == d).most_common(1)[0][0] for d in important}
    per_revision = sum(chosen[r["変更日"]] == r["提出時期"] for r in rows) / len(rows)
    assert 0.15 <= default <= 0.35 and per_revision >= 0.95, (default, per_revision)


def test_cli_timing_and_reason(tmp_path: Path, monkeypatch, capsys) -> None:
    from piadoc import cli

    reports(tmp_path, (PURPOSE, PURPOSE.replace("効率的な", "正確かつ効率的な")), (DEPT, DEPT + "予防係"))
    monkeypatch.chdir(tmp_path)
    assert cli.main(["diff", "old.pia", "new.pia", "--format", "tsv", "--timing", "事後", "--reason", "緊急のため"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()[1:]]
    assert len(rows) == 2 and all(r[4:6] == ["事後", "緊急のため"] for r in rows)
    assert cli.main(["diff", "old.pia", "new.pia", "--timing", "いつか"]) != 0
    assert "--timing" in capsys.readouterr().err
