"""Style names the renderer uses. They live in templates/docx/base.docx; code never sets sizes or fonts.

An organisation's own template (--template DIR) must define the same names; the build checks it does.
"""
TITLE = "PIA表紙タイトル"
SECTION = "PIA見出し"
LABEL = "PIAラベル"
BODY = "PIA本文"
SMALL = "PIA注記"
BAND = "PIA見出し行"
"""Heading rows inside tables (１．…, システム1, リスク１：…): kept with the row below them."""
TABLE = "Table Grid"

ALL = (TITLE, SECTION, LABEL, BODY, SMALL, BAND, TABLE)
