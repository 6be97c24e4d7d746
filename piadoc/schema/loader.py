"""templates/<form>/form.yaml → schema.Form, validating the file itself (a broken schema is our bug).

Every key is checked: an unknown key, a missing role, an unknown kind, role, op, level or a reference to an
unknown id is a SchemaError naming the file and the key path (`items[5].children[2]: unknown key 'lable'`).
The parsed YAML may come from the user's own JSON cache (cache.py); it is validated all the same. Nothing is
ever unpickled.
"""
from __future__ import annotations

import difflib
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..resources import templates_dir
from ..threshold import LEVELS
from . import cache
from .index import FormIndex
from .model import (COLUMN_ROLES, COVER_ROLES, KINDS, MINOR_CHANGES, PART_ROLES, TIMING_ROLES, ChangeTable, Condition, Form,
                    ItemDef, Option, Threshold, ThresholdResult)

_NUMBERED = re.compile(r"^(\d+)[)）]\s*(.*)$")

FORM_KEYS = frozenset({"form", "title", "form_version", "items", "threshold"})
ITEM_TYPES: dict[str, type] = {
    "id": str, "number": str, "label": str, "printed": str, "kind": str, "important": bool, "options": list,
    "other_text": list, "exclusive": list, "count_for": dict, "option_roles": dict, "children": list, "max": int, "slot_headings": list,
    "heading_text": bool, "repeat_key": str, "auto_number": bool, "present_when": dict, "placement": str,
    "optional": bool, "fixed": bool, "fixed_answer": str, "option_groups": dict, "aliases": list, "counts": str,
    "layout": str, "role": str, "fixed_text": list, "suffix": str, "columns": int, "former_labels": list,
    "minor_changes": list}
"""Every key an item may have, with the type of its value (docs/forms.md describes each)."""
ITEM_KEYS = frozenset(ITEM_TYPES)
OPTION_KEYS = frozenset({"options", "other_text", "exclusive", "count_for", "option_roles", "option_groups"})
STRING_LISTS = frozenset({"options", "other_text", "exclusive", "slot_headings", "aliases", "fixed_text",
                          "former_labels", "minor_changes"})
OPS = ("is", "is_not", "checked", "not_checked")
PLACEMENTS = frozenset({"heading"})
LAYOUTS = frozenset({"side", "box"})
THRESHOLD_KEYS = frozenset({"level", "people", "staff", "accident", "results", "pairing"})
MAX_COLUMNS = 4
"""At most this many checkbox columns fit the value cell."""
MODES = frozenset({"equals", "at_least"})
REQUIRED_TIMING = ("before", "after")


class SchemaError(Exception):
    """The form file is malformed: an internal error (the template author's), not the spec writer's."""


def _yaml(text: str) -> Any:
    import yaml  # imported when a form is first loaded, not by `piadoc --help`

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: several times faster
    return yaml.load(text, Loader=loader)


def template_path(path: Path) -> str:
    """`templates/juten/form.yaml` for the packaged forms, the path as given otherwise."""
    try:
        return "templates/" + path.resolve().relative_to(templates_dir().resolve()).as_posix()
    except ValueError:
        return str(path)


def form_names(root: Path | None = None) -> dict[str, str]:
    """Form name (重点項目評価書) → its folder below templates/."""
    index = (root or templates_dir()) / "forms.yaml"
    names: dict[str, str] = {}
    for line in index.read_text(encoding="utf-8").splitlines():  # `name: folder` lines; no YAML needed
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, folder = line.partition(":")
            names[name.strip()] = folder.strip()
    return names


class _Reader:
    """Reads one form file, keeping the key path for messages."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, where: str, message: str) -> SchemaError:
        return SchemaError(f"{self.file}: {where}: {message}" if where else f"{self.file}: {message}")

    def mapping(self, raw: Any, where: str, allowed: frozenset[str], required: tuple[str, ...] = ()) -> dict:
        if not isinstance(raw, dict):
            raise self.fail(where, f"expected a mapping, got {type(raw).__name__}")
        for key in raw:
            if key not in allowed:
                close = [k for k in sorted(allowed) if _close(str(key), k)]
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise self.fail(where, f"unknown key {key!r}{hint}")
        for key in required:
            if raw.get(key) in (None, ""):
                raise self.fail(where, f"missing key {key!r}")
        return raw

    def typed(self, raw: dict, key: str, where: str, kind: type, default: Any = None) -> Any:
        value = raw.get(key)
        if value is None:
            return default
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(where, f"{key}: expected {_type_name(kind)}, got {value!r}")
        return value

    def options(self, raw: dict, where: str) -> tuple[Option, ...]:
        """The options as printed, with their numbers, その他 text, counted repeats and roles (types checked)."""
        kind = raw["kind"]
        printed_all = raw.get("options") or ()
        takes = set(raw.get("other_text") or ())
        alone = set(raw.get("exclusive") or ())
        counts = raw.get("count_for") or {}
        roles = raw.get("option_roles") or {}
        if printed_all and kind not in ("choice", "checkboxes"):
            raise self.fail(where, f"options: a {kind} item has no options")
        out: list[Option] = []
        for printed in printed_all:
            m = _NUMBERED.match(printed) if kind == "choice" else None
            number, text = (int(m.group(1)), m.group(2).strip()) if m else (None, printed)
            if kind == "choice" and number is None:
                number = len(out) + 1
            role = roles.get(text)
            if role is not None and role not in TIMING_ROLES:
                raise self.fail(f"{where}.option_roles", f"unknown role {role!r} (known: {', '.join(TIMING_ROLES)})")
            out.append(Option(number, text, printed, text in takes, counts.get(text), role, text in alone))
        texts = {o.text for o in out}
        grouped = [t for opts in (raw.get("option_groups") or {}).values() for t in (opts or ())]
        for key, values in (("other_text", takes), ("exclusive", alone), ("count_for", counts), ("option_roles", roles),
                            ("option_groups", grouped)):
            for text in values:
                if text not in texts:
                    raise self.fail(f"{where}.{key}", f"{text!r} is not an option")
        if len(set(roles.values())) != len(roles):
            raise self.fail(f"{where}.option_roles", "a role is given to two options")
        return tuple(out)

    def condition(self, raw: Any, where: str) -> Condition | None:
        if raw is None:
            return None
        cond = self.mapping(raw, where, frozenset(("item",) + OPS), ("item",))
        ops = [k for k in OPS if k in cond]
        if len(ops) != 1:
            raise self.fail(where, f"expected exactly one of {', '.join(OPS)}")
        return Condition(str(cond["item"]), ops[0], str(cond[ops[0]]))

    def item(self, raw: Any, where: str) -> ItemDef:
        """One item and its children; only the keys present are checked (most items have five)."""
        if not isinstance(raw, dict):
            raise self.fail(where, f"expected a mapping, got {type(raw).__name__}")
        base, where = where, f"{where} ({raw.get('id')})"
        for key, value in raw.items():
            kind = ITEM_TYPES.get(key)
            if kind is None:
                self.mapping(raw, where, ITEM_KEYS)  # raises: unknown key, with a hint
            if value is None:
                continue
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise self.fail(where, f"{key}: expected {_type_name(kind)}, got {value!r}")
            if kind is list and key in STRING_LISTS and not all(isinstance(v, str) for v in value):
                raise self.fail(where, f"{key}: expected a list of strings")
        for key in ("id", "label", "kind"):
            if raw.get(key) in (None, ""):
                raise self.fail(where, f"missing key {key!r}")
        kind = raw["kind"]
        if kind not in KINDS:
            raise self.fail(where, f"unknown kind {kind!r} (known: {', '.join(sorted(KINDS))})")
        for key, allowed in (("placement", PLACEMENTS), ("layout", LAYOUTS)):
            if raw.get(key) is not None and raw[key] not in allowed:
                raise self.fail(where, f"{key}: unknown value {raw[key]!r} (known: {', '.join(sorted(allowed))})")
        for value in raw.get("minor_changes") or ():
            if value not in MINOR_CHANGES:
                raise self.fail(where, f"minor_changes: unknown value {value!r} (known: {', '.join(MINOR_CHANGES)})")
        get = raw.get
        columns = get("columns")
        if columns is not None and (kind != "checkboxes" or not 1 <= columns <= MAX_COLUMNS):
            raise self.fail(where, f"columns: expected 1 to {MAX_COLUMNS} on a checkboxes item, got {columns!r}")
        number = get("number") or ""
        label = raw["label"]
        options = self.options(raw, where) if raw.keys() & OPTION_KEYS else ()
        children = tuple(self.item(c, f"{base}.children[{i}]") for i, c in enumerate(get("children") or ()))
        return ItemDef(
            id=raw["id"], number=number, label=label, printed=get("printed") or f"{number}{label}", kind=kind,
            important=bool(get("important")), options=options, children=children, max=get("max"),
            slot_headings=tuple(get("slot_headings") or ()), heading_text=bool(get("heading_text")),
            repeat_key=get("repeat_key"), auto_number=bool(get("auto_number")),
            present_when=self.condition(get("present_when"), f"{where}.present_when"), placement=get("placement"),
            optional=bool(get("optional")), fixed=bool(get("fixed")), fixed_answer=get("fixed_answer"),
            option_groups=tuple((str(name), tuple(opts)) for name, opts in (get("option_groups") or {}).items()),
            aliases=tuple(get("aliases") or ()), counts=get("counts"), layout=get("layout"), role=get("role"),
            fixed_text=tuple(get("fixed_text") or ()), suffix=get("suffix") or "", columns=columns or 1,
            former_labels=tuple(get("former_labels") or ()), minor_changes=tuple(get("minor_changes") or ()),
        )

    def threshold(self, raw: Any, by_id: dict[str, ItemDef], levels: tuple[str, ...]) -> Threshold | None:
        if raw is None:
            return None
        w = "threshold"
        raw = self.mapping(raw, w, THRESHOLD_KEYS, ("level", "people"))
        if raw["level"] not in levels:
            raise self.fail(f"{w}.level", f"unknown level {raw['level']!r} (known: {', '.join(levels)})")

        def ref(value: Any, where: str) -> str:
            if not isinstance(value, str) or value not in by_id:
                raise self.fail(where, f"unknown item {value!r}")
            return value

        def level_set(value: Any, where: str) -> frozenset[str]:
            if not isinstance(value, list) or any(v not in levels for v in value):
                raise self.fail(where, f"expected a list of levels ({', '.join(levels)}), got {value!r}")
            return frozenset(value)

        def pair(key: str) -> tuple[str, int] | None:
            if raw.get(key) is None:
                return None
            v = self.mapping(raw[key], f"{w}.{key}", frozenset({"item", "option"}), ("item", "option"))
            return ref(v["item"], f"{w}.{key}.item"), self.typed(v, "option", f"{w}.{key}", int)

        results = []
        for i, r in enumerate(self.typed(raw, "results", w, list, [])):
            rw = f"{w}.results[{i}]"
            r = self.mapping(r, rw, frozenset({"item", "mode", "options", "texts"}), ("item", "mode"))
            if r["mode"] not in MODES:
                raise self.fail(f"{rw}.mode", f"unknown mode {r['mode']!r} (known: {', '.join(sorted(MODES))})")
            options = {}
            for k, v in self.typed(r, "options", rw, dict, {}).items():
                if not isinstance(k, int):
                    raise self.fail(f"{rw}.options", f"expected an option number, got {k!r}")
                options[k] = level_set(v, f"{rw}.options.{k}")
            texts = {str(k): level_set(v, f"{rw}.texts.{k}") for k, v in self.typed(r, "texts", rw, dict, {}).items()}
            results.append(ThresholdResult(ref(r["item"], f"{rw}.item"), r["mode"], options, texts))
        pairing = ref(raw["pairing"], f"{w}.pairing") if raw.get("pairing") is not None else None
        return Threshold(raw["level"], ref(raw["people"], f"{w}.people"), pair("staff"), pair("accident"),
                         tuple(results), pairing)

    def roles(self, items: tuple[ItemDef, ...], by_id: dict[str, ItemDef],
              path_of: dict[str, str]) -> tuple[ChangeTable | None, dict[str, ItemDef]]:
        """Every role is known and in its place; the cover and the change table have all of theirs."""
        allowed: dict[str, tuple[str, ...]] = {}  # item id → the roles it may play
        for it in items:
            allowed[it.id] = tuple(sorted(PART_ROLES))
        cover = next((i for i in items if i.role == "cover"), None)
        for c in cover.children if cover else ():
            allowed[c.id] = COVER_ROLES
        part = next((i for i in items if i.role == "changes"), None)
        rows = None
        if part is not None:
            rows = next((c for c in part.children if c.kind == "repeat" and c.auto_number), None)
            if rows is None:
                raise self.fail(path_of[part.id], "the changes part has no repeat with auto_number: true")
            for c in rows.children:
                allowed[c.id] = COLUMN_ROLES
        for it in by_id.values():
            if it.role is not None and it.role not in allowed.get(it.id, ()):
                known = allowed.get(it.id)
                hint = f" (known here: {', '.join(known)})" if known else " (no role is known at this place)"
                raise self.fail(path_of[it.id], f"unknown role {it.role!r}{hint}")
            if any(o.role for o in it.options) and it.role != "timing":
                raise self.fail(f"{path_of[it.id]}.option_roles", "option roles belong to the timing column")
        seen: dict[str, str] = {}
        for it in by_id.values():
            if it.role is not None:
                scope = "part" if it.role in PART_ROLES and it.id in {i.id for i in items} else "field"
                if (scope, it.role) in seen:
                    raise self.fail(path_of[it.id], f"role {it.role!r} is also given to {seen[(scope, it.role)]}")
                seen[(scope, it.role)] = it.id
        fields = {c.role: c for c in (cover.children if cover else ()) if c.role}
        if cover is not None:
            missing = [r for r in COVER_ROLES if r not in fields]
            if missing:
                raise self.fail(path_of[cover.id], f"missing role {missing[0]!r} among the cover's children")
        table = None
        if part is not None and rows is not None:
            columns = {c.role: c for c in rows.children if c.role}
            missing = [r for r in COLUMN_ROLES if r not in columns]
            if missing:
                raise self.fail(path_of[rows.id], f"missing role {missing[0]!r} among the columns")
            timing = columns["timing"]
            if timing.kind != "choice":
                raise self.fail(path_of[timing.id], "the timing column must be a choice")
            for role in REQUIRED_TIMING:
                if timing.option_by_role(role) is None:
                    raise self.fail(f"{path_of[timing.id]}.option_roles", f"missing role {role!r}")
            if columns["date"].kind != "date":
                raise self.fail(path_of[columns["date"].id], "the date column must be a date")
            table = ChangeTable(part, rows, columns)
        return table, fields


def _type_name(kind: type) -> str:
    return {str: "a string", bool: "true or false", int: "an integer", list: "a list", dict: "a mapping"}[kind]


def _close(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.75


def _index(reader: _Reader, items: tuple[ItemDef, ...]) -> tuple[dict[str, ItemDef], dict[str, str | None],
                                                                    dict[str, str]]:
    by_id: dict[str, ItemDef] = {}
    parent_of: dict[str, str | None] = {}
    path_of: dict[str, str] = {}

    def visit(its: tuple[ItemDef, ...], parent: str | None, where: str) -> None:
        for i, it in enumerate(its):
            at = f"{where}[{i}] ({it.id})"
            if it.id in by_id:
                raise reader.fail(at, f"duplicate id {it.id!r} (first at {path_of[it.id]})")
            by_id[it.id] = it
            parent_of[it.id] = parent
            path_of[it.id] = at
            visit(it.children, it.id, f"{where}[{i}].children")

    visit(items, None, "items")
    for it in by_id.values():
        refs = [("present_when.item", it.present_when.item)] if it.present_when else []
        refs += [("count_for", o.counts) for o in it.options if o.counts]
        refs += [("counts", it.counts)] if it.counts else []
        for key, ref in refs:
            if ref not in by_id:
                raise reader.fail(f"{path_of[it.id]}.{key}", f"unknown item {ref!r}")
        cond = it.present_when
        if cond is not None:
            target = by_id[cond.item]
            kind = "choice" if cond.op in ("is", "is_not") else "checkboxes"
            if target.kind != kind:
                raise reader.fail(f"{path_of[it.id]}.present_when", f"{cond.op} needs a {kind} item, "
                                                                     f"{cond.item} is a {target.kind}")
            if target.option_by_text(cond.value) is None:
                raise reader.fail(f"{path_of[it.id]}.present_when", f"{cond.value!r} is not an option of {cond.item}")
    return by_id, parent_of, path_of


def parse_form(path: Path, data: bytes | None = None, levels: tuple[str, ...] | None = None) -> Form:
    """Read and validate one form file."""
    reader = _Reader(template_path(path))
    if data is None:
        data = path.read_bytes()
    raw = cache.read(data)
    cached = raw is not None
    if not cached:
        try:
            raw = _yaml(data.decode("utf-8"))
        except Exception as err:  # noqa: BLE001 - yaml.YAMLError or UnicodeDecodeError: the file is broken
            raise reader.fail("", f"not readable as YAML: {err}") from None
    raw = reader.mapping(raw, "", FORM_KEYS, ("form", "title", "items"))
    items_raw = reader.typed(raw, "items", "", list)
    items = tuple(reader.item(r, f"items[{i}]") for i, r in enumerate(items_raw))
    by_id, parent_of, path_of = _index(reader, items)
    changes, fields = reader.roles(items, by_id, path_of)
    threshold = reader.threshold(raw.get("threshold"), by_id, levels if levels is not None else known_levels())
    parts = frozenset(i.id for i in items if i.role in PART_ROLES)
    if not cached:
        cache.write(data, raw)  # only a form that passed every check
    return Form(reader.typed(raw, "form", "", str), reader.typed(raw, "title", "", str),
                reader.typed(raw, "form_version", "", str), items, by_id, parent_of, threshold=threshold,
                changes=changes, fields=fields, index=FormIndex(items, parent_of, by_id, parts))


def known_levels() -> tuple[str, ...]:
    """The assessments a form's `threshold:` may name, lightest first (piadoc.threshold)."""
    return tuple(LEVELS)


@lru_cache(maxsize=8)
def load_form(name: str, root: str | None = None) -> Form | None:
    """The form called ``name`` (重点項目評価書), or None when there is no such form."""
    base = Path(root) if root else templates_dir()
    folder = form_names(base).get(name)
    if folder is None:
        return None
    return parse_form(base / folder / "form.yaml")
