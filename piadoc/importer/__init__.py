"""`piadoc import`: a report as .docx, PDF or plain text → a draft .pia for the user to review.

Readers turn a document into a stream of lines and table rows (stream.py); the mapper places them in the form
through its label keys (mapper.py); the emitter writes the spec (emit.py). Nothing here renders or diffs.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..schema import Form, form_names, load_form, norm
from .emit import Summary, emit
from .mapper import map_stream
from .stream import ImportFailed, Item, Line
from .verify import comment_out_errors

__all__ = ["ImportFailed", "Imported", "import_file", "recognise"]


@dataclass(frozen=True)
class Imported:
    text: str
    form: Form
    summary: Summary


def read(path: Path) -> tuple[list[Item], bool]:
    """The document as a stream, by its kind (the first bytes, not the name); and whether it is plain text
    (extracted from a PDF: cells out of order, lines cut, read with text_repair and the mapper's plain mode)."""
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except OSError as err:
        raise ImportFailed("E115", reason=err.strerror or str(err)) from None
    if head.startswith(b"PK"):
        from .docx_reader import read_docx
        return read_docx(path), False
    if head.startswith(b"%PDF"):
        from .pdf_reader import read_pdf
        return read_pdf(path), False
    from .text_reader import read_text
    return read_text(path), True


def recognise(stream: list[Item]) -> Form | None:
    """The form whose title (特定個人情報保護評価書（重点項目評価書）) the document prints first."""
    titles: dict[str, Form] = {}
    for name in form_names():
        form = load_form(name)
        if form is not None:
            titles[norm(form.title)] = form
    for item in stream[:200]:
        texts = [item.text] if isinstance(item, Line) else list(item.cells)
        for text in texts:
            key = norm(text.split("\n")[0])
            for title, form in titles.items():
                if key.startswith(title):
                    return form
    return None


def import_file(path: Path, form_name: str | None = None) -> Imported:
    stream, plain = read(path)
    if form_name is not None:
        form = load_form(form_name)
        if form is None:
            raise ImportFailed("E118", name=form_name, known="、".join(form_names()))
    else:
        form = recognise(stream)
        if form is None:
            raise ImportFailed("E117", titles="、".join(f.title for n in form_names() if (f := load_form(n))))
    if plain:
        from .text_repair import repair
        stream = repair(form, stream)
    text, summary = emit(map_stream(form, stream, plain), path.name)
    text, removed = comment_out_errors(text)
    summary.guessed += removed
    return Imported(text, form, summary)
