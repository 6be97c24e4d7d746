"""The analysed LALR tables of the grammar, kept beside this module as JSON (parser_tables.json).

Analysing the grammar takes ~50 ms, a fifth of a whole `piadoc build`. Lark's own cache (``cache=True``)
pickles the analysis into the shared temp folder under a predictable name and unpickles it on the next run,
so another user of the machine could plant a pickle there and run code as whoever runs piadoc. These tables
are made once by ``tools/gen_parser_tables.py`` and shipped with the package; they are data (JSON), never
code, and are used only when they were made from this very grammar with this very Lark version.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

TABLES = Path(__file__).with_name("parser_tables.json")

# JSON has neither integer keys nor tuples; Lark's serialised tables have both (parser states are numbered).
# They are written as one-key objects under these names, so the tables read back exactly as Lark wrote them.
_INT_KEYS = "__int_keys__"
_TUPLE = "__tuple__"


def encode(value: Any) -> Any:
    """Lark's serialised data (dicts, lists, tuples, scalars) as plain JSON values, exactly reversible."""
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value) and not {_INT_KEYS, _TUPLE} & set(value):
            return {k: encode(v) for k, v in value.items()}
        if not all(type(k) is int for k in value):
            raise TypeError(f"keys neither all str nor all int: {list(value)[:5]}")
        return {_INT_KEYS: [[k, encode(v)] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {_TUPLE: [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"not serialisable data: {type(value).__name__}")


def _decode(obj: dict[str, Any]) -> Any:
    """json's object_hook: undoes :func:`encode` as the file is read (lists need no visit: faster)."""
    if len(obj) == 1:
        if _INT_KEYS in obj:
            return {int(k): v for k, v in obj[_INT_KEYS]}
        if _TUPLE in obj:
            return tuple(obj[_TUPLE])
    return obj


def loads(text: str) -> Any:
    return json.loads(text, object_hook=_decode)


def grammar_digest(grammar: str) -> str:
    return hashlib.sha256(grammar.encode("utf-8")).hexdigest()


def read_tables(grammar: str, lark_version: str) -> tuple[dict[str, Any], dict[Any, Any]] | None:
    """(data, memo) for ``Lark._load_from_dict``, or None when the tables are missing, unreadable or were
    made from another grammar or another Lark (then the caller analyses the grammar itself)."""
    try:
        stored = loads(TABLES.read_text(encoding="utf-8"))
        if stored["grammar_sha256"] != grammar_digest(grammar) or stored["lark"] != lark_version:
            return None
        return stored["data"], stored["memo"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def tables_text(grammar: str, lark_version: str, data: dict[str, Any], memo: dict[Any, Any]) -> str:
    """The content of parser_tables.json; checks that it reads back to exactly ``data`` and ``memo``."""
    stored = {"grammar_sha256": grammar_digest(grammar), "lark": lark_version, "data": encode(data),
              "memo": encode(memo)}
    text = json.dumps(stored, ensure_ascii=False, separators=(",", ":")) + "\n"
    back = loads(text)
    if back["data"] != data or back["memo"] != memo:
        raise ValueError("the tables do not read back as they were written")
    return text
