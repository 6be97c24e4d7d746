"""An outline of a built .docx read from its XML: what a reviewer needs to see the layout change in a diff.

The render tests compare this outline with golden files, so it is read from the package itself
(word/document.xml, word/styles.xml, docProps/core.xml), never from the renderer's layout blocks: a
breakage in the XML writer shows as a changed line. One line per body paragraph and per table row:

    P 見出し keepNext | Ⅰ　基本情報                           a body paragraph: style, direct properties, text
    T grid 8+50+112mm jc=center layout=fixed borders=single/4  a table: grid in mm and its properties
    R band cantSplit | [見出し行 span3 shade] １．…            a row: kind, row properties, one [..] per cell
    R side cantSplit | [ラベル vMerge=restart tbRlV] 再委託 | [ラベル] ④再委託の有無　※ | [本文] [ 再委託する ] / …

A cell is `[style properties] paragraph / paragraph / …`; properties are written only when present
(span, vMerge, shade, text direction, a width that differs from its grid columns). Row kinds are named
from what the XML holds: `head` (tblHeader), `band` (one shaded cell across the grid), `side` (a cell in a
vertical merge), `item` (label and value), `row` (anything else). Anything the reader does not know is
still printed, by its element name, so that a new property shows up as a diff rather than being skipped.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W_NS,
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
}
#: The style names' common prefix, dropped in the outline for readability (PIA本文 → 本文).
PREFIX = "PIA"
#: Paragraph properties worth showing in the style summary (they decide how a page breaks and reads).
STYLE_PPR = ("keepNext", "keepLines", "pageBreakBefore", "jc", "ind", "widowControl", "outlineLvl")


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def local(el: etree._Element) -> str:
    return etree.QName(el).localname


def mm(twips: str | int | None) -> str:
    """Twentieths of a point in millimetres, as short as it reads (170, 8, 22.5)."""
    value = round(int(twips or 0) * 25.4 / 1440, 1)
    return f"{value:g}"


def attrs(el: etree._Element) -> str:
    """An element's attributes as `k=v,k=v` (namespace prefixes dropped)."""
    return ",".join(f"{etree.QName(k).localname}={v}" for k, v in el.attrib.items())


def generic(el: etree._Element) -> str:
    """Any property element as `name` or `name(k=v,…)` (for what the reader has no short form of)."""
    a = attrs(el)
    kids = [generic(c) for c in el]
    inner = ",".join(x for x in (a, *kids) if x)
    return f"{local(el)}({inner})" if inner else local(el)


def short_prop(el: etree._Element) -> str:
    """`keepNext`, `jc=center`, or the generic form when the element has more than a value."""
    if len(el) == 0 and list(el.attrib) == [w("val")]:
        return f"{local(el)}={el.get(w('val'))}"
    return generic(el)


class Styles:
    """Style id → name and the paragraph properties a style gives (through basedOn)."""

    def __init__(self, xml: bytes) -> None:
        root = etree.fromstring(xml)
        self.names: dict[str, str] = {}
        self.based: dict[str, str] = {}
        self.ppr: dict[str, list[str]] = {}
        for style in root.iter(w("style")):
            sid = style.get(w("styleId"))
            name = style.find(w("name"))
            self.names[sid] = name.get(w("val")) if name is not None else sid
            based = style.find(w("basedOn"))
            if based is not None:
                self.based[sid] = based.get(w("val"))
            ppr = style.find(w("pPr"))
            props = []
            if ppr is not None:
                for child in ppr:
                    if local(child) in STYLE_PPR:
                        props.append(short_prop(child))
            self.ppr[sid] = props

    def short(self, sid: str | None) -> str:
        if sid is None:
            return "(none)"
        name = self.names.get(sid, sid)
        return name[len(PREFIX):] if name.startswith(PREFIX) and len(name) > len(PREFIX) else name

    def effective(self, sid: str) -> list[str]:
        """The style's summarised paragraph properties, its own first, then those it inherits."""
        out: list[str] = []
        seen = set()
        while sid and sid not in seen:
            seen.add(sid)
            for prop in self.ppr.get(sid, []):
                if _prop_name(prop) not in {_prop_name(p) for p in out}:
                    out.append(prop)
            sid = self.based.get(sid)
        return out


def _prop_name(token: str) -> str:
    return re.split(r"[=(]", token, maxsplit=1)[0]


def paragraph_style(p: etree._Element) -> str | None:
    ps = p.find(f"{w('pPr')}/{w('pStyle')}")
    return ps.get(w("val")) if ps is not None else None


def paragraph_props(p: etree._Element) -> list[str]:
    """Direct paragraph properties other than the style (indentation, keepNext, numbering …)."""
    ppr = p.find(w("pPr"))
    if ppr is None:
        return []
    out = []
    for child in ppr:
        name = local(child)
        if name == "pStyle":
            continue
        if name == "sectPr":
            out.append("sectPr")
            continue
        out.append(generic(child))
    return out


def run_text(r: etree._Element) -> str:
    parts = []
    for child in r:
        name = local(child)
        if name in ("t", "instrText"):
            parts.append(child.text or "")
        elif name == "tab":
            parts.append("<tab>")
        elif name == "br":
            kind = child.get(w("type"))
            parts.append(f"<{kind}>" if kind else "<br>")
        elif name == "fldChar":
            parts.append(f"<field:{child.get(w('fldCharType'))}>")
        elif name == "drawing":
            extent = child.find(".//wp:extent", NS)
            size = (f" {round(int(extent.get('cx')) / 36000)}x{round(int(extent.get('cy')) / 36000)}mm"
                    if extent is not None else "")
            parts.append(f"<picture{size}>")
        elif name == "rPr":
            props = ",".join(generic(c) for c in child)
            if props:
                parts.append(f"<rPr:{props}>")
        else:
            parts.append(f"<{name}>")
    return "".join(parts)


def paragraph_text(p: etree._Element) -> str:
    out = []
    for child in p:
        name = local(child)
        if name == "r":
            out.append(run_text(child))
        elif name == "hyperlink":
            out.append("".join(run_text(r) for r in child.iter(w("r"))))
        elif name != "pPr":
            out.append(f"<{name}>")
    return "".join(out)


def paragraph_line(p: etree._Element, styles: Styles) -> str:
    head = " ".join(["P", styles.short(paragraph_style(p)), *paragraph_props(p)])
    text = paragraph_text(p)
    return f"{head} | {text}" if text else head + " |"


def cell_text(tc: etree._Element, styles: Styles) -> tuple[str, str]:
    """(the style of the cell's paragraphs, their text joined with ' / '); a paragraph whose style or
    direct properties differ from the first one's says so in braces; a table inside the cell (a checkbox
    grid) as `<grid a ‖ b ‖ c>` per row."""
    paras = tc.findall(w("p"))
    first = paragraph_style(paras[0]) if paras else None
    texts = []
    for el in tc:
        if local(el) == "p":
            extra = paragraph_props(el)
            sid = paragraph_style(el)
            note = ([styles.short(sid)] if sid != first else []) + extra
            text = paragraph_text(el)
            texts.append(f"{{{' '.join(note)}}} {text}".rstrip() if note else text)
        elif local(el) == "tbl":
            grid = [mm(g.get(w("w"))) for g in el.findall(f"{w('tblGrid')}/{w('gridCol')}")]
            texts.append(f"<grid {'+'.join(grid)}mm>")
            for tr in el.findall(w("tr")):
                cells = [" ".join(paragraph_text(p) for p in c.iter(w("p"))) for c in tr.findall(w("tc"))]
                texts.append(f"<{' ‖ '.join(cells)}>")
    return styles.short(first), " / ".join(texts).rstrip()


def cell_props(tc: etree._Element, grid: list[int], col: int) -> tuple[list[str], int]:
    """The cell's properties as short tokens, and how many grid columns it covers."""
    tcpr = tc.find(w("tcPr"))
    span = 1
    tokens: list[str] = []
    width = None
    if tcpr is not None:
        for child in tcpr:
            name = local(child)
            if name == "gridSpan":
                span = int(child.get(w("val")))
                tokens.append(f"span{span}")
            elif name == "vMerge":
                tokens.append(f"vMerge={child.get(w('val')) or 'continue'}")
            elif name == "shd":
                fill = child.get(w("fill"))
                tokens.append("shade" if fill == "D9D9D9" and child.get(w("val")) == "clear" else generic(child))
            elif name == "textDirection":
                tokens.append(child.get(w("val")))
            elif name == "tcW":
                width = child
            else:
                tokens.append(generic(child))
    if width is not None:
        expected = sum(grid[col:col + span])
        if width.get(w("type")) != "dxa" or abs(int(width.get(w("w"))) - expected) > 1:
            tokens.append(f"w={mm(width.get(w('w')))}mm")
    return tokens, span


def row_line(tr: etree._Element, grid: list[int], styles: Styles) -> str:
    trpr = tr.find(w("trPr"))
    row_tokens = [generic(c) for c in trpr] if trpr is not None else []
    cells = []
    col = 0
    merged = band = False
    kinds = []
    for tc in tr.findall(w("tc")):
        tokens, span = cell_props(tc, grid, col)
        style, text = cell_text(tc, styles)
        kinds.append(style)
        merged = merged or any(t.startswith("vMerge") for t in tokens)
        band = band or (span == len(grid) and "shade" in tokens)
        cells.append(f"[{' '.join([style, *tokens])}] {text}".rstrip())
        col += span
    extra = [local(c) for c in tr if local(c) not in ("trPr", "tc", "tblPrEx")]
    if "tblHeader" in row_tokens:
        kind = "head"
    elif band and len(cells) == 1:
        kind = "band"
    elif merged:
        kind = "side"
    elif len(cells) == 2:
        kind = "item"
    else:
        kind = "row"
    head = " ".join(["R", kind, *row_tokens, *(f"<{e}>" for e in extra)])
    return f"{head} | " + " | ".join(cells)


def table_lines(tbl: etree._Element, styles: Styles) -> list[str]:
    grid = [int(g.get(w("w"))) for g in tbl.findall(f"{w('tblGrid')}/{w('gridCol')}")]
    tokens = [f"grid {'+'.join(mm(g) for g in grid)}mm"]
    tblpr = tbl.find(w("tblPr"))
    if tblpr is not None:
        for child in tblpr:
            name = local(child)
            if name == "tblStyle":
                tokens.append(f"style={styles.short(child.get(w('val')))}")
            elif name == "tblW":
                if child.get(w("type")) != "dxa" or abs(int(child.get(w("w"))) - sum(grid)) > 1:
                    tokens.append(f"w={mm(child.get(w('w')))}mm({child.get(w('type'))})")
            elif name in ("jc", "tblLayout"):
                tokens.append(f"{name}={child.get(w('val')) or child.get(w('type'))}")
            elif name == "tblBorders":
                edges = {f"{c.get(w('val'))}/{c.get(w('sz'))}/{c.get(w('color'))}" for c in child}
                names = "".join(local(c)[0] if not local(c).startswith("inside") else local(c)[-1] for c in child)
                tokens.append(f"borders={'|'.join(sorted(edges))}({names})")
            elif name == "tblLook":
                continue
            else:
                tokens.append(generic(child))
    lines = [" ".join(["T", *tokens])]
    lines.extend(row_line(tr, grid, styles) for tr in tbl.findall(w("tr")))
    return lines


def section_line(sect: etree._Element) -> str:
    tokens = []
    for child in sect:
        name = local(child)
        if name == "pgSz":
            orient = child.get(w("orient")) or "portrait"
            tokens.append(f"page {mm(child.get(w('w')))}x{mm(child.get(w('h')))}mm {orient}")
        elif name == "pgMar":
            tokens.append("margins " + ",".join(f"{etree.QName(k).localname}={mm(v)}" for k, v in child.attrib.items()))
        elif name in ("headerReference", "footerReference"):
            tokens.append(f"{name[:6]}={child.get(w('type'))}")
        else:
            tokens.append(generic(child))
    return "S " + " ".join(tokens)


def core_lines(xml: bytes) -> list[str]:
    root = etree.fromstring(xml)
    return [f"core {local(el)}: {el.text or ''}".rstrip() for el in root]


def style_lines(styles: Styles, used: list[str]) -> list[str]:
    """One line per style the body uses, with the paragraph properties it gives (keepNext …)."""
    out = []
    for sid in used:
        props = styles.effective(sid)
        out.append(" ".join(["style", styles.short(sid), *props]).rstrip())
    return out


def body_lines(root: etree._Element, styles: Styles) -> list[str]:
    body = root.find(w("body"))
    lines: list[str] = []
    for el in body:
        name = local(el)
        if name == "p":
            lines.append(paragraph_line(el, styles))
            sect = el.find(f"{w('pPr')}/{w('sectPr')}")
            if sect is not None:
                lines.append(section_line(sect))
        elif name == "tbl":
            lines.extend(table_lines(el, styles))
        elif name == "sectPr":
            lines.append(section_line(el))
        else:
            lines.append(f"<{name}>")
    return lines


def package_lines(z: zipfile.ZipFile) -> list[str]:
    """What Word reads before the body: the parts, the application, the compatibility mode."""
    lines = ["parts " + " ".join(sorted(z.namelist()))]
    if "docProps/app.xml" in z.namelist():
        app = etree.fromstring(z.read("docProps/app.xml"))
        lines.extend(f"app {local(el)}: {el.text or ''}".rstrip() for el in app if local(el) in ("Application", "AppVersion"))
    settings = etree.fromstring(z.read("word/settings.xml"))
    for compat in settings.iter(w("compatSetting")):
        if compat.get(w("name")) == "compatibilityMode":
            lines.append(f"settings compatibilityMode: {compat.get(w('val'))}")
    return lines


def outline(path: Path) -> str:
    """The outline of a built .docx, as text ending in a newline."""
    with zipfile.ZipFile(path) as z:
        document = etree.fromstring(z.read("word/document.xml"))
        styles = Styles(z.read("word/styles.xml"))
        core = z.read("docProps/core.xml")
        package = package_lines(z)
    used: list[str] = []
    for p in document.iter(w("p")):
        sid = paragraph_style(p)
        if sid is not None and sid not in used:
            used.append(sid)
    lines = package + core_lines(core) + style_lines(styles, used) + body_lines(document, styles)
    return "\n".join(lines) + "\n"


def normalised_xml(path: Path, member: str = "word/document.xml") -> str:
    """A part of the package pretty-printed: one element per line, stable for the same bytes."""
    with zipfile.ZipFile(path) as z:
        data = z.read(member)
    parser = etree.XMLParser(remove_blank_text=True)
    root = etree.fromstring(data, parser)
    return etree.tostring(root, pretty_print=True, encoding="unicode")


# --- The same document as data, for tests that look for an answer in the row of its item. ---

@dataclass(frozen=True)
class Cell:
    style: str
    """The short style name of the cell's first paragraph (本文, ラベル …)."""
    lines: tuple[str, ...]
    """The text of each paragraph."""
    tokens: tuple[str, ...]
    """The cell's properties as the outline prints them (span3, vMerge=restart, shade, tbRlV)."""

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    line: str
    """The row as the outline prints it (for messages)."""

    @property
    def is_band(self) -> bool:
        """A shaded heading row across the table (a one-cell unshaded row is a part's text box)."""
        return len(self.cells) == 1 and "shade" in self.cells[0].tokens

    @property
    def label(self) -> Cell:
        return self.cells[-2]

    @property
    def value(self) -> Cell:
        return self.cells[-1]


@dataclass(frozen=True)
class Table:
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Para:
    style: str
    text: str


def read_body(path: Path) -> list[Para | Table]:
    """The body's paragraphs and tables in order, with the text of every cell paragraph."""
    with zipfile.ZipFile(path) as z:
        document = etree.fromstring(z.read("word/document.xml"))
        styles = Styles(z.read("word/styles.xml"))
    out: list[Para | Table] = []
    for el in document.find(w("body")):
        if local(el) == "p":
            out.append(Para(styles.short(paragraph_style(el)), paragraph_text(el)))
        elif local(el) == "tbl":
            grid = [int(g.get(w("w"))) for g in el.findall(f"{w('tblGrid')}/{w('gridCol')}")]
            rows = []
            for tr in el.findall(w("tr")):
                cells, col = [], 0
                for tc in tr.findall(w("tc")):
                    tokens, span = cell_props(tc, grid, col)
                    paras = list(tc.iter(w("p")))  # with those of a checkbox grid, in reading order
                    style = styles.short(paragraph_style(paras[0])) if paras else ""
                    cells.append(Cell(style, tuple(paragraph_text(p) for p in paras), tuple(tokens)))
                    col += span
                rows.append(Row(tuple(cells), row_line(tr, grid, styles)))
            out.append(Table(tuple(rows)))
    return out
