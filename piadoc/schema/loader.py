"""templates/<form>/form.yaml → schema.Form, validating the file itself (a broken schema is our bug)."""
from __future__ import annotations

import getpass
import hashlib
import os
import pickle
import re
import tempfile
from functools import lru_cache
from pathlib import Path

from ..resources import templates_dir
from .model import KINDS, Condition, Form, ItemDef, Option, Threshold, ThresholdResult

CACHE_VERSION = 1
"""Bump when the Form dataclasses change shape: cached forms of another version are ignored."""


def _yaml(text: str):
    """Parse YAML (imported here: with the cache below most runs never import PyYAML)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: several times faster
    return yaml.load(text, Loader=loader)

_NUMBERED = re.compile(r"^(\d+)[)）]\s*(.*)$")


class SchemaError(Exception):
    """The form file is malformed: an internal error, not the user's."""


def form_names(root: Path | None = None) -> dict[str, str]:
    """Form name (重点項目評価書) → its folder below templates/."""
    index = (root or templates_dir()) / "forms.yaml"
    names: dict[str, str] = {}
    for line in index.read_text(encoding="utf-8").splitlines():  # `name: folder` lines; no YAML needed
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, folder = line.partition(":")
            names[name.strip()] = folder.strip()
    return names


def _options(raw: dict) -> tuple[Option, ...]:
    takes = set(raw.get("other_text") or ())
    counts = raw.get("count_for") or {}
    alone = set(raw.get("exclusive") or ())
    out = []
    for printed in raw.get("options") or ():
        m = _NUMBERED.match(printed) if raw["kind"] == "choice" else None
        number, text = (int(m.group(1)), m.group(2).strip()) if m else (None, printed)
        if raw["kind"] == "choice" and number is None:
            number = len(out) + 1
        out.append(Option(number, text, printed, text in takes, counts.get(text), text in alone))
    if alone - {o.text for o in out}:
        raise SchemaError(f"{raw.get('id')}: exclusive names no option: {sorted(alone - {o.text for o in out})}")
    return tuple(out)


def _item(raw: dict) -> ItemDef:
    kind = raw.get("kind")
    if kind not in KINDS:
        raise SchemaError(f"{raw.get('id')}: unknown kind {kind!r}")
    cond = raw.get("present_when")
    condition = None
    if cond:
        op = next(k for k in ("is", "is_not", "checked", "not_checked") if k in cond)
        condition = Condition(cond["item"], op, cond[op])
    groups = tuple((name, tuple(opts)) for name, opts in (raw.get("option_groups") or {}).items())
    number = raw.get("number") or ""
    label = raw["label"]
    return ItemDef(
        id=raw["id"], number=number, label=label, printed=raw.get("printed") or f"{number}{label}",
        kind=kind, important=bool(raw.get("important")), options=_options(raw),
        children=tuple(_item(c) for c in raw.get("children") or ()), max=raw.get("max"),
        slot_headings=tuple(raw.get("slot_headings") or ()), heading_text=bool(raw.get("heading_text")),
        repeat_key=raw.get("repeat_key"), auto_number=bool(raw.get("auto_number")), present_when=condition,
        placement=raw.get("placement"), optional=bool(raw.get("optional")), fixed=bool(raw.get("fixed")),
        fixed_answer=raw.get("fixed_answer"), option_groups=groups, aliases=tuple(raw.get("aliases") or ()),
        counts=raw.get("counts"), layout=raw.get("layout"), role=raw.get("role"),
        fixed_text=tuple(raw.get("fixed_text") or ()), suffix=raw.get("suffix") or "",
    )


def _index(items: tuple[ItemDef, ...]) -> tuple[dict[str, ItemDef], dict[str, str | None]]:
    by_id: dict[str, ItemDef] = {}
    parent_of: dict[str, str | None] = {}

    def visit(its: tuple[ItemDef, ...], parent: str | None) -> None:
        for it in its:
            if it.id in by_id:
                raise SchemaError(f"duplicate id {it.id}")
            by_id[it.id] = it
            parent_of[it.id] = parent
            visit(it.children, it.id)

    visit(items, None)
    for it in by_id.values():
        refs = [it.present_when.item] if it.present_when else []
        refs += [o.counts for o in it.options if o.counts] + ([it.counts] if it.counts else [])
        for ref in refs:
            if ref not in by_id:
                raise SchemaError(f"{it.id}: refers to unknown item {ref}")
    return by_id, parent_of


def _threshold(raw: dict | None, by_id: dict[str, ItemDef]) -> Threshold | None:
    if not raw:
        return None
    pair = lambda v: (v["item"], int(v["option"])) if v else None  # noqa: E731
    results = tuple(
        ThresholdResult(r["item"], r["mode"],
                        {int(k): frozenset(v) for k, v in (r.get("options") or {}).items()},
                        {k: frozenset(v) for k, v in (r.get("texts") or {}).items()})
        for r in raw.get("results") or ())
    th = Threshold(raw["level"], raw["people"], pair(raw.get("staff")), pair(raw.get("accident")), results)
    for ref in [th.people] + [p[0] for p in (th.staff, th.accident) if p] + [r.item for r in results]:
        if ref not in by_id:
            raise SchemaError(f"threshold: unknown item {ref}")
    return th


def _cache_path(data: bytes) -> Path:
    """Keyed by the form file and by the code that builds Form objects, so no stale shape is ever read."""
    code = b"".join(Path(__file__).with_name(n).read_bytes() for n in ("model.py", "loader.py"))
    digest = hashlib.sha256(data + code + f"{CACHE_VERSION}".encode()).hexdigest()[:32]
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name (containers): still cache, per uid
        user = str(os.getuid())
    return Path(tempfile.gettempdir()) / f".piadoc-form-{user}-{digest}.pickle"


def load_form_file(path: Path) -> Form:
    """The form, from a pickle keyed by the YAML's hash when one exists (start-up is a third faster)."""
    data = path.read_bytes()
    cache = _cache_path(data)
    try:
        with cache.open("rb") as fh:
            form = pickle.load(fh)
        if isinstance(form, Form):
            return form
    except Exception:  # noqa: BLE001 - a missing, stale or broken cache is simply rebuilt
        pass
    form = _parse_form(path, data)
    try:
        fd, tmp = tempfile.mkstemp(dir=cache.parent, prefix=cache.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(form, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache)
    except OSError:
        pass
    return form


def _parse_form(path: Path, data: bytes) -> Form:
    raw = _yaml(data.decode("utf-8"))
    items = tuple(_item(i) for i in raw["items"])
    by_id, parent_of = _index(items)
    return Form(raw["form"], raw["title"], raw.get("form_version"), items, by_id, parent_of,
                threshold=_threshold(raw.get("threshold"), by_id))


@lru_cache(maxsize=8)
def load_form(name: str, root: str | None = None) -> Form | None:
    """The form called ``name`` (重点項目評価書), or None when there is no such form."""
    base = Path(root) if root else templates_dir()
    folder = form_names(base).get(name)
    if folder is None:
        return None
    return load_form_file(base / folder / "form.yaml")
