"""Whatever the bytes, check never raises: random input, mutated real specs, binary, huge garbage."""
from __future__ import annotations

import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piadoc.pipeline import load_and_check

SPEC_DIR = Path(__file__).resolve().parent.parent / "specs"
SAMPLE = (Path(__file__).resolve().parent / "syntax" / "golden" / "example.pia").read_bytes()
ALPHABET = st.sampled_from(list("評価書: \n  ①②③Ⅰ Ⅱ[]○\"\"\"#@include@set={}（）,、\t\u3000ab1２") + ["\n  ", '"""\n'])


def _check_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.pia"
    path.write_bytes(data)
    loaded = load_and_check(path)  # must not raise
    for d in loaded.result.diagnostics:
        assert d.code and d.message and d.span.path


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_random_bytes(tmp_path: Path, data: bytes) -> None:
    _check_bytes(tmp_path, data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ALPHABET, max_size=80).map("".join))
def test_random_pia_like_text(tmp_path: Path, text: str) -> None:
    _check_bytes(tmp_path, ("評価書: 重点項目評価書\n" + text).encode())


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_mutated_real_specs(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    sources = [SAMPLE] + [p.read_bytes() for p in sorted(SPEC_DIR.glob("*.pia"))]
    data = bytearray(rng.choice(sources))
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(4)
        pos = rng.randrange(len(data) + 1)
        if op == 0 and data:
            del data[pos : pos + rng.randint(1, 20)]
        elif op == 1:
            data[pos:pos] = rng.choice([b"\n", b"  ", b"[", b"]", b":", b'"""', b"\t", "○".encode(), b"\xff"])
        elif op == 2 and data:
            start = rng.randrange(len(data))
            chunk = data[start : start + rng.randint(1, 60)]
            data[pos:pos] = chunk
        else:
            data[pos:pos] = "　{{ x }}".encode()
    _check_bytes(tmp_path, bytes(data))


def test_megabyte_of_garbage(tmp_path: Path) -> None:
    rng = random.Random(7)
    _check_bytes(tmp_path, bytes(rng.randrange(256) for _ in range(1 << 20)))


def test_megabyte_of_text_lines(tmp_path: Path) -> None:
    line = "評価書番号: 24\n".encode()
    _check_bytes(tmp_path, "評価書: 重点項目評価書\n".encode() + line * (1_000_000 // len(line)))


def test_deep_indentation(tmp_path: Path) -> None:
    text = "評価書: 重点項目評価書\n" + "".join(" " * i + f"a{i}:\n" for i in range(0, 400))
    _check_bytes(tmp_path, text.encode())
