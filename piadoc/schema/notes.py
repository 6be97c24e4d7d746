"""templates/notes.yaml → a short note per form item, in our own words (shown by hover and `piadoc new`).

The three forms share most items (基礎, 重点 and 全項目 ask the same 委託先における取扱者数), so the notes are one
file keyed by **label path**, not by id: the labels of the item and of the headings above it, without numbers,
`{n}`, ※ or 【任意】, compared after `norm` (NFKC, no spaces). A key is the end of such a path, as long as it
needs to be to say which item it means (`委託事項 > 委託先における取扱者数`); an item gets the note of the
longest key that ends its path. Ids would differ between forms (II.4.item.2 is 取扱者数 in 重点 and 範囲 in 全項目).

Checked when the notes are first read (with every form of forms.yaml): a key that names no item of any form, or
whose items all have a longer key of their own, is a SchemaError naming the file and the key, as a broken
form.yaml is; so is a duplicate key, a key or note that is not a string, an empty note.
Read lazily: only hover and `piadoc new` need notes, `check` and `build` never pay for them.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..resources import templates_dir
from . import cache
from .loader import SchemaError, form_names, load_form, template_path
from .model import Form, ItemDef, norm

NOTES_FILE = "notes.yaml"
SEPARATOR = ">"
"""Between the labels of a key (`＞` is the same after NFKC)."""


@dataclass(frozen=True, slots=True)
class Note:
    key: str
    """As written in the file (for messages)."""
    parts: tuple[str, ...]
    """Normalised labels, outermost first."""
    text: str
    line: int

    @property
    def where(self) -> str:
        return f"{self.key!r} (line {self.line})"


def key_parts(key: str) -> tuple[str, ...]:
    """`委託事項 > 委託先における取扱者数` → its normalised labels."""
    return tuple(norm(p) for p in unicodedata.normalize("NFKC", key).split(SEPARATOR))


def label_path(form: Form, item: ItemDef) -> tuple[str, ...]:
    """The item's normalised labels from the top of the form down to it (numbers and `{n}` left out)."""
    return tuple(norm(i.label.replace("{n}", "")) for i in [*form.ancestors(item.id), item])


def _fail(file: str, where: str, message: str) -> SchemaError:
    return SchemaError(f"{file}: {where}: {message}")


def parse_notes(path: Path, data: bytes | None = None) -> list[Note]:
    """Read the file: a flat mapping key → note (duplicates are refused, which plain YAML loading hides)."""
    file = template_path(path)
    if data is None:
        data = path.read_bytes()
    pairs = cache.read(data)
    if pairs is None:
        pairs = _pairs(file, data)
        cache.write(data, pairs)
    notes: list[Note] = []
    seen: dict[tuple[str, ...], str] = {}
    for key, text, line in pairs:
        where = f"{key!r} (line {line})"
        if not isinstance(key, str) or not isinstance(text, str):
            raise _fail(file, where, f"expected a label path and a note (strings), got {text!r}")
        parts = key_parts(key)
        if not all(parts):
            raise _fail(file, where, "an empty label in the key")
        if not text.strip():
            raise _fail(file, where, "empty note")
        if parts in seen:
            raise _fail(file, where, f"duplicate key (also {seen[parts]!r})")
        seen[parts] = key
        notes.append(Note(key, parts, text.strip(), line))
    return notes


def _pairs(file: str, data: bytes) -> list[list]:
    """(key, note, line) from the YAML node tree: a mapping built by the YAML loader would keep only the last
    of two equal keys, silently."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(data.decode("utf-8"), Loader=loader)
    except Exception as err:  # noqa: BLE001 - yaml.YAMLError or UnicodeDecodeError: the file is broken
        raise SchemaError(f"{file}: not readable as YAML: {err}") from None
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        raise SchemaError(f"{file}: expected a mapping of label paths to notes")
    out = []
    for key, value in root.value:
        line = key.start_mark.line + 1
        if not isinstance(key, yaml.ScalarNode) or not isinstance(value, yaml.ScalarNode):
            raise _fail(file, f"line {line}", "expected `label path: note` (a string each)")
        out.append([key.value, value.value, line])
    return out


def assign(notes: list[Note], forms: list[Form], file: str) -> dict[str, dict[str, str]]:
    """Form name → item id → note (the longest key ending the item's path); every note must reach an item."""
    by_length: dict[int, dict[tuple[str, ...], Note]] = {}
    for note in notes:
        by_length.setdefault(len(note.parts), {})[note.parts] = note
    lengths = sorted(by_length, reverse=True)
    out: dict[str, dict[str, str]] = {}
    named: set[str] = set()
    reached: set[str] = set()
    for form in forms:
        found: dict[str, str] = {}
        for item in form.walk():
            path = label_path(form, item)
            first = True
            for n in lengths:
                note = by_length[n].get(path[-n:]) if n <= len(path) else None
                if note is None:
                    continue
                named.add(note.key)
                if first:
                    reached.add(note.key)
                    found[item.id] = note.text
                    first = False
        out[form.name] = found
    for note in notes:
        if note.key not in named:
            raise _fail(file, note.where, "names no item of any form (the labels of the item and the headings "
                                               "above it, without numbers, joined by ' > ')")
        if note.key not in reached:
            raise _fail(file, note.where, "reaches no item: every item it names has a longer key of its own")
    return out


@lru_cache(maxsize=4)
def load_notes(root: str | None = None) -> dict[str, dict[str, str]]:
    """Form name → item id → note for every form of ``root`` (the packaged templates by default); empty when
    there is no notes file."""
    base = Path(root) if root else templates_dir()
    path = base / NOTES_FILE
    if not path.is_file():
        return {}
    forms = [f for f in (load_form(name, root) for name in form_names(base)) if f is not None]
    return assign(parse_notes(path), forms, template_path(path))


def note_of(form: Form, item: ItemDef, root: str | None = None) -> str | None:
    """The note of one item, or None (headings need none; an answerable item always has one, tested)."""
    return load_notes(root).get(form.name, {}).get(item.id)
