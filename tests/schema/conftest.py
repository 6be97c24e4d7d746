"""Copies of the packaged forms to change in a test (load them with ``load_form(name, str(root))``)."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

import pytest

from piadoc.resources import templates_dir
from piadoc.schema import load_form


@pytest.fixture(autouse=True)
def _fresh_forms(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Each test gets its own form cache directory, and loads copies afresh."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    load_form.cache_clear()
    yield
    load_form.cache_clear()


@pytest.fixture
def copy_forms(tmp_path: Path) -> Callable[..., Path]:
    """A copy of templates/ (forms.yaml and the form folders) under tmp, each form.yaml passed through ``edit``
    (text → text) for the folders named."""
    def make(edit: Callable[[str], str] | None = None, folders: tuple[str, ...] = ("juten",),
             name: str = "templates") -> Path:
        root = tmp_path / name
        root.mkdir()
        shutil.copy(templates_dir() / "forms.yaml", root / "forms.yaml")
        for folder in ("juten", "kiso", "zenkoumoku"):
            shutil.copytree(templates_dir() / folder, root / folder)
            if edit is not None and folder in folders:
                path = root / folder / "form.yaml"
                path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
        return root
    return make
