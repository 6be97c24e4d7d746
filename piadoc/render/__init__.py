"""Render stage: model.Report + schema.Form → .docx bytes (layout → docx writer → deterministic package)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable

from ..model import Answer, DateAnswer, Report, TextAnswer
from ..resources import templates_dir
from ..schema import Form
from .docx_writer import TemplateError, write_document
from .layout import layout
from .package import MARK, deterministic_bytes, name_application

__all__ = ["TemplateError", "default_template_dir", "render_docx", "template_files"]

#: Zip time when a spec has no 公表日 yet (a draft): the start of 令和, a real DOS date.
DRAFT_STAMP = (2019, 5, 1, 0, 0, 0)


def default_template_dir() -> Path:
    return templates_dir() / "docx"


def _answer(form: Form, report: Report, role: str) -> Answer | None:
    """The answer of the cover field playing ``role`` (published, name, org), if any."""
    item = form.field(role)
    return report.get(item.id) if item is not None else None


def _stamp(form: Form, report: Report) -> tuple[int, int, int, int, int, int]:
    published = _answer(form, report, "published")
    if isinstance(published, DateAnswer):
        d = published.date
        return (max(d.year, 1980), d.month, d.day or 1, 0, 0, 0)
    return DRAFT_STAMP


#: The docx core properties hold at most 255 characters (python-docx refuses more); the cover prints the whole.
PROP_LIMIT = 255


def _prop(text: str) -> str:
    """A core property from a cover value: one line, cut to PROP_LIMIT characters."""
    return text.replace("\n", " ")[:PROP_LIMIT]


def render_docx(report: Report, form: Form, template_dir: Path | None = None, blocks: list | None = None,
                finish: Callable[[Any], None] | None = None, all_slots: bool = False) -> bytes:
    """The report as the official form, byte-identical for the same report and template. A redline passes its
    own ``blocks`` (the layout with revisions) and a ``finish`` step run on the document before it is packed.
    ``all_slots`` prints the empty slot headings of repeats (システム6～10 …) as the blank form does."""
    doc = write_document(layout(form, report, all_slots) if blocks is None else blocks,
                         template_dir or default_template_dir())
    if finish is not None:
        finish(doc)
    stamp = _stamp(form, report)
    props = doc.core_properties
    when = dt.datetime(*stamp)
    name = _answer(form, report, "name")
    org = _answer(form, report, "org")
    props.title = _prop(name.text) if isinstance(name, TextAnswer) else form.title
    props.subject = form.title
    props.author = _prop(org.text) if isinstance(org, TextAnswer) else ""
    props.last_modified_by = props.author
    props.created = props.modified = when
    props.last_printed = when
    props.revision = 1
    props.comments = ""
    props.keywords = MARK  # how a later build knows the file is piadoc's to replace (provenance.py)
    props.category = form.name
    name_application(doc)
    return deterministic_bytes(doc, stamp)


def template_files(form: Form, template_dir: Path | None = None) -> list[Path]:
    """The files of the template folder a build reads (base.docx and the section templates it has): inputs
    a build must never write over."""
    folder = template_dir or default_template_dir()
    parts = [item.role or item.id for item in form.items]  # as layout.py names parts
    return [folder / "base.docx"] + [folder / f"{p}.docx" for p in parts if (folder / f"{p}.docx").is_file()]
