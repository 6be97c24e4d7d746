"""`piadoc import`: a report as .docx, PDF or plain text → a draft .pia for the user to review.

Readers turn a document into a stream of lines and table rows (stream.py); the mapper places them in the form
through its label keys (mapper.py); the emitter writes the spec (emit.py). Nothing here renders or diffs.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..schema import Form, form_names, load_form, norm
from .emit import REVIEW, Summary, emit
from .mapper import map_stream
from .sniff import in_japanese, kind_of
from .stream import ImportFailed, Item, Line, Picture
from .verify import comment_out_errors

__all__ = ["ImportFailed", "Imported", "import_file", "recognise"]


@dataclass(frozen=True)
class Imported:
    text: str
    form: Form
    summary: Summary
    pictures: tuple[Picture, ...] = ()
    """The document's images, to be written under ``figures`` beside the spec (the draft names them)."""
    figures: str | None = None


def figures_folder(output: Path) -> str:
    """Where the pictures of the draft ``output`` go, relative to it: yobou.pia → yobou_図."""
    return f"{output.stem}_図"


def read(path: Path) -> tuple[list[Item | Picture], bool]:
    """The document as a stream, by its kind (the bytes, not the name: sniff.py), refusals in Japanese; and
    whether it is plain text (extracted from a PDF: cells out of order, lines cut, read with text_repair and
    the mapper's plain mode)."""
    kind = kind_of(path)
    try:
        if kind == "docx":
            from .docx_reader import read_docx
            return read_docx(path), False
        if kind == "pdf":
            from .pdf_reader import read_pdf
            return read_pdf(path), False
        from .text_reader import read_text
        return list(read_text(path)), True
    except ImportFailed as err:
        raise in_japanese(err, kind) from None


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


def import_file(path: Path, form_name: str | None = None, figures: str | None = None) -> Imported:
    """The draft of ``path``. Its pictures are named as files under ``figures`` (relative to the draft), or, when
    that is None (a draft printed to standard output), only mentioned for review."""
    read_in, plain = read(path)
    pictures = tuple(i for i in read_in if isinstance(i, Picture))
    stream = [i for i in read_in if not isinstance(i, Picture)]
    titled: Form | None = None
    if form_name is not None:
        form = load_form(form_name)
        if form is None:
            raise ImportFailed("E118", name=form_name, known="、".join(form_names()))
        titled = recognise(stream)  # another form on purpose is allowed (a 重点 report grown into 全項目)
    else:
        form = recognise(stream)
        if form is None:
            raise ImportFailed("E117", titles="、".join(f.title for n in form_names() if (f := load_form(n))))
    if plain:
        from .text_repair import repair
        stream = repair(form, stream)
    text, summary = emit(map_stream(form, stream, plain), path.name, figures if pictures else None)
    if titled is not None and titled.name != form.name:
        summary.mismatch = titled.name
        first, rest = text.split("\n", 1)
        text = f"{first}\n{REVIEW}文書の表題は{titled.name}です。--form {form.name} として取り込みました\n{rest}"
    files = {f"{figures}/{p.name}": p.data for p in pictures} if figures else {}
    text, removed = comment_out_errors(text, files)
    summary.guessed += removed
    return Imported(text, form, summary, pictures, figures if pictures else None)
