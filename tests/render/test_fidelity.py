"""The printed document next to the published reports (issue 11): 項目一覧 lists every part, empty slot
headings are left out unless asked for, checkboxes in the form's columns, （別添１） as one box, change rows
as the author wrote them, and a package Word treats as a current document (no 互換モード, outline levels).

Each test fails when its feature is taken out; the goldens show the same changes line by line."""
from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

from lxml import etree
from outline import Para, read_body

from piadoc.pipeline import load_and_check
from piadoc.render import docx_writer
from piadoc.render.layout import Band, Contents, Section, layout

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _bands(blocks) -> list[str]:
    return [r.text for b in blocks if isinstance(b, Section) for r in b.rows if isinstance(r, Band)]


# --- 1. 項目一覧 ---

def test_contents_lists_the_change_part_when_the_report_has_change_rows(small_built, built) -> None:
    _, loaded = small_built
    form, report = loaded.form, loaded.result.report
    contents = next(b for b in layout(form, report) if isinstance(b, Contents))
    # spelt as 項目一覧 prints it (U+3000 after the bracket), not as the part's own heading （別添２）変更箇所
    assert contents.entries[-1] == "（別添２）　変更箇所" and "（別添１） 特定個人情報ファイル記録項目" in contents.entries
    without = replace(report, instances={k: v for k, v in report.instances.items() if k[0] != form.changes.rows.id})
    contents = next(b for b in layout(form, without) if isinstance(b, Contents))
    assert contents.entries[-1] == "Ⅴ　評価実施手続"  # no change rows: no change part listed
    # a form that lists its parts itself (全項目評価書: fixed_text) gets its change part the same way
    path, loaded = built["takatsuki-juki-zenkoumoku"]
    texts = [b.text for b in read_body(path) if isinstance(b, Para)]
    start = texts.index("項目一覧")
    assert "（別添３）　変更箇所" in texts[start:texts.index("<page>", start)]


# --- 2. empty slot headings ---

def test_slot_headings_only_above_instances_unless_all_slots(small_built, run_cli, tmp_path: Path) -> None:
    _, loaded = small_built
    form, report = loaded.form, loaded.result.report
    default, full = _bands(layout(form, report)), _bands(layout(form, report, all_slots=True))
    assert "システム2～5" in default and "システム6～10" not in default and "委託事項6～10" not in default
    assert {"システム6～10", "システム16～20", "委託事項6～10", "提供先2～5", "移転先16～20"} <= set(full)
    spec = Path(__file__).resolve().parent / "small-juten.pia"
    out = tmp_path / "all.docx"
    assert run_cli("build", str(spec), "-o", str(out), "--all-slots").returncode == 0
    with zipfile.ZipFile(out) as z:
        assert "システム6～10" in z.read("word/document.xml").decode()


def test_the_report_asks_for_every_slot_heading_with_a_directive(tmp_path: Path) -> None:
    """`@空き枠 印刷する` in the spec prints the blank form's full set; `印刷しない` (the default) does not,
    and `build --all-slots` still forces it (the layout's argument)."""
    text = (Path(__file__).resolve().parent / "small-juten.pia").read_text(encoding="utf-8")
    head, form_line, rest = text.partition("評価書: 重点項目評価書\n")

    def bands(setting: str, all_slots: bool = False) -> list[str]:
        spec = tmp_path / "s.pia"
        spec.write_text(f"{head}{form_line}{setting}{rest}", encoding="utf-8")
        loaded = load_and_check(spec)
        assert loaded.result.report is not None, [d.code for d in loaded.result.diagnostics]
        return _bands(layout(loaded.form, loaded.result.report, all_slots=all_slots))

    asked = bands("@空き枠 印刷する\n")
    assert {"システム6～10", "委託事項16～20", "提供先2～5", "移転先6～10"} <= set(asked)
    for setting in ("", "@空き枠 印刷しない\n"):
        assert "システム6～10" not in bands(setting)
    assert bands("@空き枠 印刷しない\n", all_slots=True) == asked


# --- 3. checkboxes in columns ---

def _value_cell(path: Path, label: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    for tr in root.iter(w("tr")):
        cells = tr.findall(w("tc"))
        if len(cells) >= 2 and "".join(t.text or "" for t in cells[-2].iter(w("t"))).strip() == label:
            return cells[-1]
    raise AssertionError(f"no row labelled {label}")


def _grid(cell: etree._Element) -> list[list[str]]:
    table = cell.find(w("tbl"))
    assert table is not None, "no grid in the value cell"
    return [["".join(t.text or "" for t in tc.iter(w("t"))) for tc in tr.findall(w("tc"))]
            for tr in table.findall(w("tr"))]


def test_checkboxes_print_in_the_forms_columns(small_built) -> None:
    path, loaded = small_built
    item = loaded.form.item("II.2.4.main")
    assert item.columns == 2
    cell = _value_cell(path, "主な記録項目　※")
    rows = _grid(cell)
    assert rows[0] == ["・識別情報"]  # a group header across the grid
    assert rows[1] == ["[ ○ ] 個人番号", "[ 　 ] 個人番号対応符号"]
    assert rows[2] == ["[ 　 ] その他識別情報（内部番号）"]  # a short last line of its group
    assert rows[3] == ["・連絡先等情報"]
    assert rows[-1] == ["[ ○ ] その他 （ 世帯情報 ）"]  # free text on a line of its own
    assert len(rows) == 14  # 3 headers, 2 + 2 + 6 lines of two, その他: 22 lines before
    widths = [int(g.get(w("w"))) for g in cell.iter(w("gridCol"))]
    assert len(widths) == 2 and abs(sum(widths) - docx_writer.GRID_WIDTH * 1440 / 25.4) < 5


def test_grid_columns_that_fit_get_what_they_need() -> None:
    """The column whose options fit keeps them on one line; the other column takes the rest and wraps."""
    lines = (docx_writer.GridLine(("[ ○ ] 4情報（氏名、性別、生年月日、住所）", "[ 　 ] 連絡先（電話番号等）")),)
    narrow = docx_writer._width(lines[0].cells[1]) * docx_writer.GRID_POINTS * 25.4 / 72
    widths = docx_writer.grid_widths(lines)
    assert widths[1] >= narrow and abs(sum(widths) - docx_writer.GRID_WIDTH) < 0.2


def test_columns_of_one_keep_one_option_a_line(small_built) -> None:
    """入手元 is printed one option a line, each with its （ ）, as on the form: no grid."""
    path, loaded = small_built
    assert loaded.form.item("II.3.1").columns == 1
    assert _value_cell(path, "①入手元　※").find(w("tbl")) is None


# --- 4. （別添１） as one box ---

def test_appendix_1_is_one_box_across_the_page(small_built) -> None:
    path, loaded = small_built
    form, report = loaded.form, loaded.result.report
    part = next(b for b in layout(form, report) if isinstance(b, Section) and b.part == "ANX1")
    assert len(part.rows) == 1 and part.rows[0].full and part.rows[0].label == ""
    body = read_body(path)
    at = next(i for i, b in enumerate(body) if isinstance(b, Para) and b.style == "見出し"
              and b.text.startswith("（別添１）"))
    table = body[at + 1]
    (row,) = table.rows
    (cell,) = row.cells
    assert "span3" in cell.tokens and "shade" not in cell.tokens and "個人番号" in cell.text


def test_zenkoumoku_appendix_2_is_one_box_per_file(built) -> None:
    """全項目 （別添２） 特定個人情報ファイル記録項目: each file's list in one box across the page, as 重点
    （別添１） (the same layout row), not the right-hand column of a table with an empty label cell."""
    path, loaded = built["takatsuki-juki-zenkoumoku"]
    form, report = loaded.form, loaded.result.report
    parts = [b for b in layout(form, report) if isinstance(b, Section) and b.part == "ANX2"]
    assert len(parts) == 3 and all(len(p.rows) == 1 and p.rows[0].full and p.rows[0].label == "" for p in parts)
    body = read_body(path)
    starts = [i for i, b in enumerate(body) if isinstance(b, Para) and b.style == "見出し"
              and b.text.startswith("（別添２）")]
    assert len(starts) == 3
    for n, at in enumerate(starts, 1):
        (row,) = body[at + 1].rows
        (cell,) = row.cells
        assert "span3" in cell.tokens and "shade" not in cell.tokens and f"（{'１２３'[n - 1]}）" in cell.text


# --- 5. change rows as written ---

def test_change_rows_keep_the_specs_order_and_blank_cells(small_built) -> None:
    path, _ = small_built
    body = read_body(path)
    table = [b for b in body if not isinstance(b, Para)][-1]
    header, *rows = table.rows
    assert [c.text for c in header.cells][:2] == ["変更日", "項目"]
    assert [r.cells[0].text for r in rows] == ["令和6年3月1日", "", "令和6年2月1日"]  # not sorted by 変更日
    assert rows[1].cells[1].text.startswith("（続き）") and rows[1].cells[2].text == ""


def test_change_columns_hold_a_long_date_and_a_sentence() -> None:
    """「令和6年11月11日」 at 8 pt fits 変更日 with the cell margins: 5 kanji, 5 digits of 0.62 em (IPAex, as
    LibreOffice's PDF measures them) and 0.2 em at each of the 6 changes between kanji and digits (at 26 and
    30 mm LibreOffice wrapped it); 提出時期 holds 事前 and 事後; 説明 a sentence in a few lines."""
    date_mm = (5 + 5 * 0.62 + 6 * 0.2) * 8 * 25.4 / 72 + 3.8 + 1
    widths = docx_writer.CHANGE_COLUMNS
    assert sum(widths) == 170 and widths[0] >= date_mm
    assert widths[5] >= 27 and widths[4] >= 2 * 8 * 25.4 / 72 + 3.8 + 1  # 事前, 事後


# --- 9. a current Word document ---

def test_package_is_a_current_word_document(small_built) -> None:
    path, _ = small_built
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        settings = z.read("word/settings.xml").decode()
        app = z.read("docProps/app.xml").decode()
        styles = etree.fromstring(z.read("word/styles.xml"))
        footer = etree.fromstring(z.read("word/footer1.xml"))
        core = z.read("docProps/core.xml").decode()
        rels = z.read("_rels/.rels").decode() + z.read("word/_rels/document.xml.rels").decode()
    assert 'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"' in settings
    assert "savePreviewPicture" not in settings
    assert "<Application>piadoc</Application>" in app and "<AppVersion>00.0100</AppVersion>" in app
    assert not {n for n in names if "stylesWithEffects" in n or "thumbnail" in n or n.startswith("customXml")}
    assert "thumbnail" not in rels and "stylesWithEffects" not in rels
    ids = {s.get(w("styleId")): s for s in styles.iter(w("style"))}
    used = {p.get(w("val")) for p in footer.iter(w("pStyle"))}
    assert used and used <= set(ids)  # the footer's style is defined
    heading = ids["PIA見出し"]
    assert heading.find(f"{w('pPr')}/{w('outlineLvl')}").get(w("val")) == "0"
    assert "<dc:title>小さな事務 重点項目評価書</dc:title>" in core
    assert "<dc:subject>特定個人情報保護評価書（重点項目評価書）</dc:subject>" in core


def test_parts_and_appendices_are_headings_with_an_outline_level(small_built) -> None:
    """Word's navigation pane and PDF bookmarks list every paragraph of an outline-level style: Ⅰ–Ⅴ and the
    別添 are such paragraphs."""
    path, _ = small_built
    headings = [b.text for b in read_body(path) if isinstance(b, Para) and b.style == "見出し"]
    for start in ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "（別添１）", "（別添２）"):
        assert any(h.startswith(start) for h in headings), start
