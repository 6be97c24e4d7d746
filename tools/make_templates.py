"""Writes templates/docx/base.docx: page set-up, styles with Japanese fonts, a page-number footer.

Run by hand when the house style changes (`python tools/make_templates.py`); the .docx is committed so
organisations can copy and edit it in Word for `piadoc build --template DIR`.
"""
from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from piadoc.render import ooxml, styles  # noqa: E402
from piadoc.render.package import deterministic_bytes, name_application  # noqa: E402

MINCHO, GOTHIC = "ＭＳ 明朝", "ＭＳ ゴシック"


def keep_only_used_styles(doc) -> None:
    """Drop the ~150 styles of python-docx's default template that piadoc never uses: every build and
    docxcompose's style merge walk them all."""
    from docx.oxml.ns import qn

    by_id = {s.style_id: s for s in doc.styles}
    keep = {s.style_id for s in doc.styles if s.name in styles.ALL or s.name == "Normal" or s.style_id == FOOTER_ID or
            s.element.get(qn("w:default")) == "1"}
    changed = True
    while changed:
        changed = False
        for sid in list(keep):
            base = by_id[sid].element.find(qn("w:basedOn"))
            if base is not None and base.get(qn("w:val")) not in keep:
                keep.add(base.get(qn("w:val")))
                changed = True
    root = doc.styles.element
    for el in list(root.findall(qn("w:style"))):
        if el.get(qn("w:styleId")) not in keep:
            root.remove(el)
    latent = root.find(qn("w:latentStyles"))
    if latent is not None:
        root.remove(latent)
    for link in root.iter(qn("w:link")):  # links to the dropped character styles (Footer Char)
        link.getparent().remove(link)


#: The style of the page-number footer (python-docx's template names it; Word's built-in name).
FOOTER, FOOTER_ID = "footer", "Footer"

#: What python-docx's default template (saved by Word 2010 for Mac) leaves that a current Word document has
#: not: its thumbnail, the Word 2010 styles copy, a bibliography store.
LEFTOVER_RELS = ("/metadata/thumbnail", "/stylesWithEffects", "/customXml")


def drop_leftovers(doc) -> None:
    """Drop the leftover parts (a part no relationship reaches is not written) and make the document one
    Word opens in its current mode (compatibilityMode 15, not 互換モード), without a preview picture."""
    from docx.oxml.ns import qn

    for owner in (doc.part.package, doc.part):
        for rid, rel in list(owner.rels.items()):
            if rel.reltype.endswith(LEFTOVER_RELS):
                del owner.rels[rid]
    settings = doc.settings.element
    for el in list(settings):
        if el.tag == qn("w:savePreviewPicture"):
            settings.remove(el)
    for compat in settings.iter(qn("w:compatSetting")):
        if compat.get(qn("w:name")) == "compatibilityMode":
            compat.set(qn("w:val"), "15")


def outline_level(style, level: int) -> None:
    """w:outlineLvl on a paragraph style: Word's navigation pane and PDF bookmarks list its paragraphs."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = style.element.get_or_add_pPr()
    lvl = ppr.find(qn("w:outlineLvl"))
    if lvl is None:
        lvl = OxmlElement("w:outlineLvl")
        rpr = ppr.find(qn("w:rPr"))
        if rpr is not None:
            rpr.addprevious(lvl)
        else:
            ppr.append(lvl)
    lvl.set(qn("w:val"), str(level))


#: Fonts declared for East Asian text, each with the IPAex font LibreOffice finds on Linux as its alternative.
FONTS = ((MINCHO, "IPAex明朝", "roman"), (GOTHIC, "IPAexゴシック", "modern"))


def declare_fonts(doc) -> None:
    """Write the font table: ＭＳ 明朝 / ＭＳ ゴシック with w:altName IPAex明朝 / IPAexゴシック (fallbacks)."""
    from lxml import etree

    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    part = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    for font in root.findall(f"{{{W}}}font"):
        if font.get(f"{{{W}}}name") in {name for name, _, _ in FONTS}:
            root.remove(font)
    for name, alt, family in FONTS:
        font = etree.SubElement(root, f"{{{W}}}font")
        font.set(f"{{{W}}}name", name)
        etree.SubElement(font, f"{{{W}}}altName").set(f"{{{W}}}val", alt)
        etree.SubElement(font, f"{{{W}}}charset").set(f"{{{W}}}val", "80")
        etree.SubElement(font, f"{{{W}}}family").set(f"{{{W}}}val", family)
        etree.SubElement(font, f"{{{W}}}pitch").set(f"{{{W}}}val", "fixed")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def main() -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin = section.right_margin = Mm(20)
    section.footer_distance = Mm(10)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(9)
    ooxml.set_east_asian_font(normal, MINCHO)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    for name, size, bold, font, align in (
        (styles.TITLE, 18, True, GOTHIC, WD_ALIGN_PARAGRAPH.CENTER),
        (styles.SECTION, 11, True, GOTHIC, None),
        (styles.LABEL, 9, False, MINCHO, None),
        (styles.BODY, 9, False, MINCHO, None),
        (styles.SMALL, 8, False, MINCHO, None),
        (styles.BAND, 9, False, GOTHIC, None),
    ):
        st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = normal
        st.font.size = Pt(size)
        st.font.bold = bold
        ooxml.set_east_asian_font(st, font)
        if align is not None:
            st.paragraph_format.alignment = align
        if name == styles.BAND:
            st.paragraph_format.keep_with_next = True
        if name == styles.SECTION:
            st.paragraph_format.space_before = Pt(6)
            st.paragraph_format.space_after = Pt(3)
            st.paragraph_format.keep_with_next = True
            outline_level(st, 0)  # every part: Ⅰ–Ⅵ, 項目一覧, the 別添 and 別紙
    footer_style = doc.styles[FOOTER]
    footer_style.base_style = normal
    ooxml.set_east_asian_font(footer_style, MINCHO)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ooxml.page_number_field(footer)
    footer.style = footer_style
    keep_only_used_styles(doc)
    declare_fonts(doc)
    drop_leftovers(doc)
    name_application(doc)
    doc.core_properties.title = "特定個人情報保護評価書"
    out = Path(__file__).resolve().parent.parent / "templates" / "docx" / "base.docx"
    out.write_bytes(deterministic_bytes(doc, (2019, 5, 1, 0, 0, 0)))
    print(out)


if __name__ == "__main__":
    main()
