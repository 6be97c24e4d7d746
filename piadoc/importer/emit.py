"""A Draft (mapper.py) → .pia text in the style of specs/: nested as the form nests its items, multi-line text
in \"\"\" blocks, choices in [ ], ticked boxes one per line, each doubt as a `# 要確認:` comment above its line,
and what found no place in a commented block at the end.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..language import EMPTY_SLOTS, FORM_KEY, SETTINGS, ref_of
from ..model import Key
from ..schema import Form, ItemDef
from .mapper import Draft
from .stream import PICTURE_MARK
from .values import Parsed

REVIEW = "# 要確認: "
_INDENT = "  "


@dataclass
class Summary:
    found: int = 0
    empty: int = 0
    guessed: int = 0
    leftover: int = 0
    mismatch: str | None = None
    """The form the document's title names, when --form named another."""


def has_content(got: Parsed) -> bool:
    """Anything written: all-unticked boxes say nothing (a blank form prints them too)."""
    return bool(got.text or got.choice or got.file or got.count is not None
                or (got.checks and any(on for on, _ in got.checks)))


def _ref(item: ItemDef) -> str:
    if item.number.startswith("リスク"):
        return item.number  # リスク１: the label carries a full-width colon when printed
    return ref_of(item) if not item.number or item.number[0] in "ⅠⅡⅢⅣⅤⅥⅦⅧⅨ" else item.title


def _one_line(text: str) -> bool:
    return ("\n" not in text and text == text.strip() and not text.startswith(("[", "\"", "@", "#", "［"))
            and "\"\"\"" not in text)


def _block(text: str, pad: str) -> list[str]:
    return ["\"\"\""] + [f"{pad}{_INDENT}{line}" if line.strip() else "" for line in text.split("\n")] + [f"{pad}\"\"\""]


class Emitter:
    def __init__(self, draft: Draft, figures: str | None = None) -> None:
        self.draft = draft
        self.figures = figures
        """The folder, relative to the spec, the pictures are written to; None when there is none (stdout)."""
        self.form: Form = draft.form
        self.summary = Summary()
        self.present: dict[str, set[tuple[int, ...]]] = {}
        for item_id, inst in [k for k, v in draft.values.items() if has_content(v)] + list(draft.titles) + \
                list(draft.notes):
            chain = self.form.repeats_above(item_id)
            item = self.form.item(item_id)
            if item.kind == "repeat":
                chain = chain + [item]
            for depth, r in enumerate(chain):
                self.present.setdefault(r.id, set()).add(inst[: depth + 1])

    def instances(self, repeat: ItemDef, inst: tuple[int, ...]) -> list[int]:
        """1 … the last instance with content: empty ones below it keep the numbering (システム1～3)."""
        ns = [k[-1] for k in self.present.get(repeat.id, ()) if k[:-1] == inst]
        return list(range(1, max(ns) + 1)) if ns else []

    def notes(self, key: Key, pad: str) -> list[str]:
        doubts = self.draft.notes.get(key, [])
        self.summary.guessed += len(doubts)
        return [f"{pad}{REVIEW}{d}" for d in doubts]

    def field(self, item: ItemDef, inst: tuple[int, ...], pad: str) -> list[str]:
        key = (item.id, inst)
        got = self.draft.values.get(key)
        body = self.items(item.children, inst, pad + _INDENT)
        head = self.notes(key, pad)
        ref = _ref(item)
        if got is None or not has_content(got):
            if got is not None:
                self.summary.empty += 1
            return head + [f"{pad}{ref}:"] + body if body else head
        self.summary.found += 1
        return head + self.value(ref, got, pad) + body

    def value(self, ref: str, got: Parsed, pad: str) -> list[str]:
        if got.file is not None:
            if self.figures is None:
                self.summary.guessed += 1
                return [f"{pad}{REVIEW}図 {got.file} がありました。-o で出力先を指定すると図のファイルも書き出します",
                        f"{pad}{ref}:"]
            return [f"{pad}{ref}: @file \"{self.figures}/{got.file}\""]
        if got.choice is not None:
            return [f"{pad}{ref}: [{got.choice}]"]
        if got.checks is not None:
            return [f"{pad}{ref}:"] + [f"{pad}{_INDENT}[{'○' if on else ' '}] {text}" for on, text in got.checks]
        if got.count is not None:
            return [f"{pad}{ref}: {got.count}"]
        text = got.text or ""
        if _one_line(text):
            return [f"{pad}{ref}: {text}"]
        block = _block(text, pad)
        return [f"{pad}{ref}: {block[0]}"] + block[1:]

    def items(self, items: tuple[ItemDef, ...], inst: tuple[int, ...], pad: str) -> list[str]:
        out: list[str] = []
        for it in items:
            if it.fixed or it.role == "contents":
                continue
            if it.kind == "repeat":
                for n in self.instances(it, inst):
                    title = self.draft.titles.get((it.id, inst + (n,)))
                    if it.numbered_label:
                        head = it.instance_label(n)
                    elif it.auto_number:
                        head = _ref(it)
                    else:
                        head = _ref(it) + (f" [{n}]" if len(self.instances(it, inst)) > 1 else "")
                    if not pad:
                        out.append("")
                    out += self.notes((it.id, inst + (n,)), pad)
                    out += self.value(head, Parsed(text=title), pad) if title else [pad + head]
                    out += self.items(it.children, inst + (n,), pad + _INDENT)
            elif it.kind == "group":
                if it.role == "cover":
                    out += self.items(it.children, inst, pad)
                    continue
                body = self.items(it.children, inst, pad + _INDENT)
                if body:
                    out += ([""] if not pad else []) + [pad + _ref(it)] + body
            else:
                lines = self.field(it, inst, pad)
                out += ([""] if not pad and lines and it.number else []) + lines
        return out


def emit(draft: Draft, source_name: str, figures: str | None = None) -> tuple[str, Summary]:
    """The draft's text; the pictures it names are in ``figures`` (a folder relative to the spec)."""
    em = Emitter(draft, figures)
    lines = [f"# {source_name} から piadoc import で作成した下書きです。「要確認」の行を確かめてください。",
             f"{FORM_KEY}: {draft.form.name}"]
    body = em.items(draft.form.items, (), "")
    if any(start > len(em.instances(draft.form.item(rid), inst)) for rid, inst, start in draft.slots):
        # The document printed slot headings above no instance: the blank form's full set, kept when built.
        name, values = EMPTY_SLOTS, SETTINGS[EMPTY_SLOTS]
        lines.append(f"@{name} {next(v for v, on in values.items() if on)}")
    lines += body
    if draft.leftovers:
        em.summary.leftover = len(draft.leftovers)
        lines += ["", "# ---- 様式の項目に当てはめられなかった記載（位置: 内容）----"]
        for where, text in draft.leftovers:
            first, *rest = text.replace(PICTURE_MARK, "図 ").split("\n")
            lines.append(f"# [{where}] {first}")
            lines += [f"#   {line}" for line in rest]
    return "\n".join(lines) + "\n", em.summary
