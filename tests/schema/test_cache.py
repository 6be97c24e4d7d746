"""Nothing is unpickled: a hostile pickle where the old cache lived, or where the JSON cache lives, is never
loaded; the JSON cache is read only when it is ours, writable by nobody else and matches the form's digest."""
from __future__ import annotations

import getpass
import hashlib
import json
import os
import pickle
import tempfile
from pathlib import Path

import pytest

import piadoc.schema.loader as loader
from piadoc.resources import templates_dir
from piadoc.schema import cache, load_form

NAME = "全項目評価書"
FORM = templates_dir() / "zenkoumoku" / "form.yaml"


class Hostile:
    """Unpickling this creates the marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def old_cache_path(data: bytes) -> Path:
    """Where the pickle cache of piadoc ≤ 0.1 looked (shared temp dir, predictable name)."""
    code = b"".join((Path(loader.__file__).with_name(n)).read_bytes() for n in ("model.py", "loader.py"))
    digest = hashlib.sha256(data + code + b"1").hexdigest()[:32]
    return Path(tempfile.gettempdir()) / f".piadoc-form-{getpass.getuser()}-{digest}.pickle"


def test_hostile_pickles_are_not_loaded(tmp_path: Path) -> None:
    data = FORM.read_bytes()
    marker = tmp_path / "pwned"
    planted = [old_cache_path(data), cache._path(data)]
    for path in planted:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(Hostile(marker)))
        os.chmod(path, 0o600)
    try:
        form = load_form(NAME)
        assert form is not None and form.item("I.1.1").label == "事務の名称"
        assert not marker.exists()
    finally:
        planted[0].unlink(missing_ok=True)


def _plant(data: bytes, label: str, mode: int) -> Path:
    """A JSON copy with the right digest whose 事務の名称 is renamed."""
    raw = loader._yaml(data.decode("utf-8"))
    raw["items"][2]["children"][0]["children"][0]["label"] = label
    path = cache._path(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"digest": cache._digest(data), "form": cache._encode(raw)}, ensure_ascii=False),
                    encoding="utf-8")
    os.chmod(path, mode)
    return path


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX ownership")
def test_json_cache_writable_by_others_is_ignored() -> None:
    data = FORM.read_bytes()
    _plant(data, "植えられた名称", 0o666)
    assert load_form(NAME).item("I.1.1").label == "事務の名称"


def test_json_cache_is_used_and_still_validated() -> None:
    """A copy of our own is read (it is how start-up stays fast) and checked like the YAML."""
    data = FORM.read_bytes()
    path = _plant(data, "手元の名称", 0o600)
    assert load_form(NAME).item("I.1.1").label == "手元の名称"
    load_form.cache_clear()
    stored = json.loads(path.read_text(encoding="utf-8"))
    stored["form"]["items"][2]["children"][0]["children"][0]["lable"] = "x"
    path.write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(loader.SchemaError, match="unknown key 'lable'"):
        load_form(NAME)


def test_written_cache_round_trips(tmp_path: Path) -> None:
    """The copy written on first load gives the same form (integer keys of threshold results included)."""
    first = load_form(NAME)
    assert cache.read(FORM.read_bytes()) is not None
    load_form.cache_clear()
    second = load_form(NAME)
    assert first.walk() == second.walk() and first.threshold == second.threshold
    mode = cache._path(FORM.read_bytes()).stat().st_mode & 0o777
    assert mode & 0o077 == 0
